import { describe, expect, it } from 'vitest';
import { withGateChanges } from '../../pipeline/github/publish.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { validateParams } from '../../pipeline/params.ts';
import { buildReport } from '../../pipeline/report/index.ts';
import { headline } from '../../pipeline/report/render.ts';
import { statusHeadline } from '../../pipeline/report/status-headline.ts';
import type { ReportJson } from '../../pipeline/report/types.ts';
import { demoObjects, makeRepo, VOCABULARY } from './fixture.ts';

/*
 * Finding 1 (task D3): a pull request that takes labels out of the vocabulary and has a warning at the top of its
 * report had the status "Removes labels figurine, textile, vessel: … — check the warnings in the report before
 * merging. The promotion gate passes.", with "Base settings (PR changes them): " in front too: over GitHub's 140
 * characters, so its end was cut off. The verdict, the warning and the gate must stay; the middle is shortened.
 */

const objects = demoObjects();
const labels = Object.fromEntries(objects.map((o) => [o.id, o.label]));
const GATE = /The promotion gate (passes|does not pass)\.$/;

describe('the status of a pull request that removes labels and warns', () => {
  it('keeps the verdict, the warning and the gate within 140 characters, with the gate-changes prefix', async () => {
    const kept = VOCABULARY.filter((l) => !['figurine', 'textile', 'vessel'].includes(l));
    const headParams =
      `collection:\n  name: Test Museum\n  vocabulary: [${kept.join(', ')}]\n` +
      'catalogue:\n  images:\n    in_copyright: full\n';
    const { ws } = await makeRepo({ objects, base: labels, head: labels, baseParams: '', headParams });
    const params = validateParams({
      raw: { collection: { vocabulary: kept }, catalogue: { images: { in_copyright: 'full' } } },
    });
    const { json } = await buildReport({ ws, params, base: 'main', log: silentLogger });
    expect(json.openingWarnings?.length ?? 0).toBeGreaterThan(0);
    const status = withGateChanges({
      markdown: '',
      headline: json.headline,
      changes: [{ key: 'gate.min_macro_f1', base: 0.5, head: 0.4 }],
    }).headline;
    expect(status.length, status).toBeLessThanOrEqual(140);
    expect(status).toMatch(/^Base settings \(PR changes them\): Removes (labels figurine, textile, vessel|3 labels): /);
    expect(status).toMatch(/: Better — check the warnings/);
    expect(status).toMatch(GATE);
  });
});

describe('the status headline with labels removed, for every verdict', () => {
  const verdicts: ReportJson['verdict'][] = [
    'better',
    'check label changes',
    'worse',
    'no detectable difference',
    'first model',
    'not comparable',
    'not scored',
  ];
  const removals = [
    [{ label: 'Amulets' }],
    [{ label: 'x'.repeat(28) }],
    ['Amulets', 'Bronze figurines', 'Coins'].map((label) => ({ label })),
    Array.from({ length: 120 }, (_, i) => ({ label: `label ${i}` })),
    Array.from({ length: 1234 }, (_, i) => ({ label: `l${i}` })),
  ];
  // Labels lost to ids a spreadsheet changed ("1" for "0001"): said instead of the verdict (task D8).
  const lost = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `${i}`, meant: `000${i}`, line: i + 2 }));
  const losses = [[], lost(1), lost(12345)];
  const onMain = { baseCommit: null, baseUnavailable: null, noBaseCode: 'on-branch' as const };
  it('fits 140 characters with the gate-changes prefix and keeps the verdict or the labels lost, the warning and the gate', () => {
    for (const verdict of verdicts)
      for (const passed of [true, false])
        for (const removed of removals)
          for (const spreadsheetIds of losses)
            for (const labels of [undefined, onMain])
              for (const warns of [true, false]) {
                const line = (room: number) =>
                  headline({
                    verdict,
                    gate: { passed } as never,
                    labelsToCheck: { relabelled: 9876543, old: 123456, objects: [] },
                    spreadsheetIds,
                    labels,
                    warns,
                    room,
                  });
                const said = statusHeadline({ removed, line });
                const status = withGateChanges({
                  markdown: '',
                  headline: said,
                  changes: [{ key: 'gate.min_macro_f1', base: 0.5, head: 0.4 }],
                }).headline;
                expect([...status].length, status).toBeLessThanOrEqual(140);
                expect(said).toMatch(/^Removes (label|\d+ label)/);
                expect(said).toMatch(passed ? /The promotion gate passes\.$/ : /The promotion gate does not pass\.$/);
                if (spreadsheetIds.length > 0) {
                  expect(said).toMatch(/: (\d+ )?[Ll]abels? (would be )?lost to/);
                  continue;
                }
                const first = verdict === 'check label changes' ? 'Check' : line(1000).split(/[:—]/)[0]!.trim();
                expect(said).toContain(first);
                if (warns) expect(said).toMatch(/the warnings/);
              }
  });

  it('says labels are lost to changed ids in the fewest words when nothing longer fits, with the gate', () => {
    const spreadsheetIds = lost(12345);
    const said = (room: number) =>
      headline({ verdict: 'better', gate: { passed: true } as never, spreadsheetIds, room });
    expect(said(80)).toBe('Labels would be lost to ids a spreadsheet changed. The promotion gate passes.');
    expect(said(60)).toBe('Labels lost to changed ids. The promotion gate passes.');
  });

  it('says why a change is not comparable when the whole sentence leaves no room for a prefix', () => {
    const said = headline({ verdict: 'not comparable', gate: { passed: false } as never });
    expect(said).toBe('Not comparable: too many labels removed to judge the model. The promotion gate does not pass.');
  });

  it('names the labels when they fit, and says the whole headline when nothing is removed', () => {
    const line = (room: number) =>
      headline({ verdict: 'no detectable difference', gate: { passed: true } as never, warns: true, room });
    expect(statusHeadline({ removed: [{ label: 'textile' }], line })).toBe(
      'Removes label textile: No detectable difference — check the warnings. The promotion gate passes.',
    );
    expect(statusHeadline({ removed: [], line })).toBe(
      'No detectable difference — check the warnings in the report before merging. The promotion gate passes.',
    );
  });
});
