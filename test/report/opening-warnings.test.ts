import { describe, expect, it } from 'vitest';
import { withGateChanges } from '../../pipeline/github/publish.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { validateParams } from '../../pipeline/params.ts';
import { buildReport } from '../../pipeline/report/index.ts';
import { headline } from '../../pipeline/report/render.ts';
import type { ReportJson } from '../../pipeline/report/types.ts';
import { demoObjects, makeRepo, VOCABULARY, writeStageOutputs } from './fixture.ts';

/*
 * Reviewer V12: a pull request that takes 100 labels out or publishes photographs in copyright in full had the
 * commit status "No detectable difference. The promotion gate passes.", and a label too few to judge yet was said to
 * be "judged" at the top while the 🌱 note said the verdict leaves it out.
 */

const objects = demoObjects();
const labels = Object.fromEntries(objects.map((o) => [o.id, o.label]));

function top(markdown: string): [string, string] {
  const [first = '', second = ''] = markdown.split('\n\n');
  return [first, second];
}

describe('the headline (commit status) of a report with a warning at the top', () => {
  it('says to check the warnings, and records them in report.json', async () => {
    const head = 'train:\n  epochs: 60\ncatalogue:\n  images:\n    in_copyright: full\n';
    const { ws } = await makeRepo({
      objects,
      base: labels,
      head: labels,
      baseParams: 'train:\n  epochs: 60\n',
      headParams: head,
    });
    const params = validateParams({ raw: { train: { epochs: 60 }, catalogue: { images: { in_copyright: 'full' } } } });
    const { json, markdown } = await buildReport({ ws, params, base: 'main', log: silentLogger });
    expect(top(markdown)[0]).toMatch(/^⚠️ /);
    expect(json.headline).toMatch(/check the warnings in the report before merging/);
    expect(json.openingWarnings).toHaveLength(1);
    expect(json.openingWarnings![0]).toMatch(/^This pull request changes what the public site shows/);
  });

  it('keeps every verdict with its gate and warning within 140 characters, with the prefixes', () => {
    const verdicts: ReportJson['verdict'][] = [
      'better',
      'check label changes',
      'worse',
      'no detectable difference',
      'first model',
      'not comparable',
      'not scored',
    ];
    for (const verdict of verdicts)
      for (const passed of [true, false]) {
        const plain = headline({
          verdict,
          gate: { passed } as never,
          labelsToCheck: { relabelled: 9999, old: 9998, objects: [] },
          warns: true,
        });
        expect(plain).toContain(passed ? 'The promotion gate passes.' : 'The promotion gate does not pass.');
        expect(plain).toMatch(/(check|and) the warnings( in the report)? before merging/);
        const prefixed = withGateChanges({
          markdown: '',
          headline: plain,
          changes: [{ key: 'gate.min_macro_f1', base: 0.5, head: 0.4 }] as never,
        }).headline;
        expect(prefixed.length).toBeLessThanOrEqual(140);
        expect(`Removes label Amulets: ${plain}`.length).toBeLessThanOrEqual(140);
        expect(prefixed).toContain(passed ? 'The promotion gate passes.' : 'The promotion gate does not pass.');
      }
  });

  it('without a warning stays as it was', () => {
    const plain = headline({ verdict: 'no detectable difference', gate: { passed: true } as never });
    expect(plain).toBe(
      'No detectable difference: the model scores about the same as before. The promotion gate passes.',
    );
  });
});

describe('a label added to the vocabulary with too few objects to judge', () => {
  it('is learnt for the first time, not judged', async () => {
    const seals = objects.slice(0, 3).map((o) => o.id);
    const both = { ...labels, ...Object.fromEntries(seals.map((id) => [id, 'seal'])) };
    const grown = [...VOCABULARY, 'seal'];
    const { ws } = await makeRepo({
      objects,
      base: both,
      head: both,
      baseParams: '',
      headParams: `collection:\n  name: Test Museum\n  vocabulary: [${grown.join(', ')}]\n`,
    });
    await writeStageOutputs({
      ws,
      objects,
      head: both,
      vocabulary: grown,
      metrics: {
        newLabels: {
          minTestPerClass: 5,
          testShare: 0.2,
          labels: [{ label: 'seal', objects: 3, before: 0, test: 1 }] as never,
        },
      },
    });
    const params = validateParams({ raw: { collection: { vocabulary: grown } } });
    const { markdown } = await buildReport({ ws, params, base: 'main', log: silentLogger });
    expect(top(markdown)[1]).toBe(
      'This pull request adds the label seal to the vocabulary: the 3 objects labelled seal in labels.csv are learnt ' +
        'by the model for the first time.',
    );
  });
});
