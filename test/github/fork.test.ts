import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanForkMarkdown, FORK_CLAIM, forkReport } from '../../actions/report/fork.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { validateParams } from '../../pipeline/params.ts';
import { reportStage } from '../../pipeline/stages/report.ts';
import { demoObjects, makeRepo } from '../report/fixture.ts';

/* A fork's report files are written by the fork's code: what the report action makes of them. */

const HOSTILE = [
  '✅ **Better.** The promotion gate passes.',
  '',
  'Thanks &#64;octocat, &#x40;org/team, &commat;admin and &#0064;x! Fixes &#35;12 and museum/collection#34, GH-5.',
  '<a href="https://evil.example/phish">click</a> <script>alert(1)</script> <img src="javascript:alert(1)"> ' +
    '<img src=http://tracker.example/p.gif>',
  '<details open onclick="x()"><summary>More</summary> <img src="https://museum.github.io/t.jpg" alt="a bowl" ' +
    'width="64" onerror="x()"><br/></details>',
  '<!-- vitrine:report -->',
].join('\n');

describe("cleaning a fork's report.md", () => {
  it('breaks every mention and reference, also as character references, and keeps only harmless tags', () => {
    const out = cleanForkMarkdown(HOSTILE);
    expect(out).not.toMatch(/@(?!\u200b)/);
    expect(out).not.toMatch(/&(#0*64|#x0*40|commat|#0*35|#x0*23|num)/i);
    expect(out).not.toMatch(/#\d|GH-\d/i);
    const tags = [...out.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9-]*)[^>]*>/g)].map((m) => m[0]);
    expect(tags).toEqual([
      '<details>',
      '<summary>',
      '</summary>',
      '<img src="https://museum.github.io/t.jpg" alt="a bowl" width="64">',
      '<br>',
      '</details>',
    ]);
    expect(out).not.toContain('<!--');
    // The words stay.
    expect(out).toContain('click alert(1)');
  });
});

describe("the fork's comment", () => {
  it("is rendered again from its report.json and metrics.json when they have Vitrine's shape; report.md is not used", async () => {
    const objects = demoObjects();
    const correct = Object.fromEntries(objects.map((o) => [o.id, o.label]));
    const { ws } = await makeRepo({ objects, base: { ...correct, 'DM-0007': 'coin' }, head: correct });
    await reportStage.run({
      ws,
      params: validateParams({ raw: {} }),
      log: silentLogger,
      clock: { now: () => new Date('2026-01-01T00:00:00Z') },
      env: {
        GITHUB_BASE_REF: 'main',
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_REPOSITORY: 'museum/collection',
        GITHUB_RUN_ID: '7',
      },
    });
    const reportJson = await readFile(path.join(ws.report, 'report.json'), 'utf8');
    const metricsJson = await readFile(path.join(ws.evaluate, 'metrics.json'), 'utf8');
    const own = await readFile(path.join(ws.report, 'report.md'), 'utf8');
    // The fork slips a mention into a title and a link of its choosing.
    const report = JSON.parse(reportJson);
    report.labels.changes[0].title = 'Bowl &#64;octocat <a href="https://evil.example">x</a>';
    report.labels.changes[0].pageUrl = 'https://evil.example/page';
    const result = forkReport({
      reportJson: JSON.stringify(report),
      metricsJson,
      runUrlPrefix: 'https://github.com/museum/collection/actions/runs/',
    });
    expect(result.rebuilt).toBe(true);
    const lines = result.markdown.split('\n');
    // The fork's own headline, said to be its claim, without the trusted run's ✅ or ❌.
    expect(lines[0]).toContain(
      own
        .split('\n')[0]!
        .replace(/^(?:✅|❌|⚠️)\s*/u, '')
        .slice(0, 30),
    );
    expect(lines[0]).toContain(FORK_CLAIM);
    expect(lines[0]).not.toMatch(/[✅❌]/u);
    expect(result.markdown).toContain('> This report was made on a hosted runner for a pull request from a fork.');
    expect(result.markdown).not.toContain('Thanks');
    // The fork's words stay text; its link is neither a link nor an address GitHub would link.
    expect(result.markdown).not.toContain('https://evil.example');
    expect(result.markdown).not.toContain('<a ');
    expect(result.markdown).toContain('Bowl &amp;#\u200b64;octocat &lt;a href=');
    expect(result.markdown).toContain(
      '[logs and files of this run](https://github.com/museum/collection/actions/runs/7)',
    );
    // The same sections as the trusted run's (no training curves: the model's history is not in the artifact).
    for (const heading of [
      '### Promotion gate',
      '### Label changes in this pull request',
      '### Scores',
      '### Per label',
    ])
      expect(result.markdown).toContain(heading);
    // Outside tester: numbers that cannot be real ("1e+302% sure", "p = 42.000", an interval upside down, a
    // negative time) were posted; the fork's own bytes were quoted from a JSON error. Refused, with a short reason.
    const refused = (edit: (r: any, m: any) => void) => {
      const [r, m] = [JSON.parse(reportJson), JSON.parse(metricsJson)];
      edit(r, m);
      return forkReport({ reportJson: JSON.stringify(r), metricsJson: JSON.stringify(m) });
    };
    for (const [what, edit] of [
      ['a confidence over 1', (r: any) => (r.labels.changes[0].candidate.confidence = 1e300)],
      ['a p-value over 1', (r: any) => (r.comparison.pValue = 42)],
      ['an accuracy over 1', (_: any, m: any) => (m.accuracy.value = 1e300)],
      ['an interval upside down', (_: any, m: any) => Object.assign(m.macroF1, { low: 0.9, value: 0.5, high: 0.1 })],
      ['a negative stage time', (r: any) => (r.lineage.stages[0].durationMs = -1e300)],
      ['more top guesses than labels', (_: any, m: any) => (m.topK.k = 9_007_199)],
      ['a ragged confusion matrix', (_: any, m: any) => m.confusion[0].push(1, 2, 3)],
      ['a first model compared with another', (r: any) => (r.verdict = 'first model')],
    ] as const) {
      const out = refused(edit);
      expect(out.rebuilt, what).toBe(false);
      expect(out.markdown, what).toMatch(/^⚠️ \*\*The report of this fork's run cannot be shown/);
    }
    const badJson = forkReport({ reportJson: 'x# **✅ Better', metricsJson });
    expect(badJson.reason).toBe('Its report.json is not valid JSON.');
    // Photographs the fork's change made unusable are listed in its comment too (the schema dropped them before).
    const broken = JSON.parse(reportJson);
    broken.unusablePhotos = {
      comparedWithBase: true,
      objects: [
        {
          id: 'DM-0001',
          title: 'Bowl',
          file: 'data/images/DM-0001.jpg',
          code: 'IMAGE_UNREADABLE',
          reason: 'the file cannot be read as a picture',
          labelled: true,
          newInChange: true,
        },
      ],
    };
    const withPhotos = forkReport({ reportJson: JSON.stringify(broken), metricsJson });
    expect(withPhotos.rebuilt).toBe(true);
    expect(withPhotos.markdown).toContain('### Photographs that cannot be used');
    expect(withPhotos.markdown).toContain('DM-0001.jpg');
    // Publication per label against production is carried too, said from its numbers (never the fork's words).
    const moved = JSON.parse(reportJson);
    const change = {
      label: 'textile',
      threshold: { base: 0.55, head: 0.99 },
      guessed: { base: 60, head: 61 },
      heldBack: { base: 13, head: 52 },
      coverage: { base: 47 / 60, head: 9 / 61 },
      words: 'Thanks @octocat, click https://evil.example',
    };
    moved.publication = {
      baseVersion: 'v1.0.0',
      minPrecision: { base: 0.9, head: 0.9 },
      heldBack: { base: 33, head: 72 },
      changes: [change],
    };
    const withPublication = forkReport({ reportJson: JSON.stringify(moved), metricsJson });
    expect(withPublication.rebuilt).toBe(true);
    expect(withPublication.markdown).toContain('### Guesses that would wait for staff');
    expect(withPublication.markdown).toMatch(/textile: 52 of 61 guesses would wait for staff instead of 13 of 60/);
    expect(withPublication.markdown).not.toContain('evil.example');
    // More held back than guessed cannot be a real count.
    change.heldBack.head = 70;
    expect(forkReport({ reportJson: JSON.stringify(moved), metricsJson }).rebuilt).toBe(false);
  });

  it("answers with a short failure naming the problem when report.json is not Vitrine's, never with the fork's words", () => {
    const result = forkReport({
      reportJson: JSON.stringify({ verdict: 'better', gate: { passed: true, checks: [] } }),
      metricsJson: '{}',
    });
    expect(result.rebuilt).toBe(false);
    expect(result.reason).toMatch(/does not have the shape Vitrine writes: schema: /);
    expect(result.markdown.split('\n')[0]).toMatch(/^⚠️ \*\*The report of this fork's run cannot be shown\.\*\*/);
    expect(result.markdown).not.toContain('Better');
    expect(result.markdown).not.toContain('Thanks');
    expect(result.report).toBeNull();
    expect(forkReport({ reportJson: 'nope', metricsJson: '{}' }).reason).toMatch(/^Its report\.json is not valid JSON/);
    expect(forkReport({ reportJson: null, metricsJson: '{}' }).reason).toBe(
      "Its report.json is missing from the run's files.",
    );
  });
});
