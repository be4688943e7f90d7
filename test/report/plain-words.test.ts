import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../pipeline/log.ts';
import { validateParams } from '../../pipeline/params.ts';
import { buildReport } from '../../pipeline/report/index.ts';
import { demoObjects, makeRepo, writeStageOutputs } from './fixture.ts';

/*
 * Outside testers: the pull-request comment, read by collection staff who are not engineers, still said "L-BFGS",
 * "L2 penalty", "macro-F1", "backend", "backbone" and "paired bootstrap", most of them in its "Where this result
 * comes from" block. Each term is said in plain words first, the term after it in brackets, or not at all.
 */

const objects = demoObjects();
const correct = Object.fromEntries(objects.map((o) => [o.id, o.label]));
const base = { ...correct, 'DM-0007': 'coin' };
const params = validateParams({ raw: { train: { epochs: 60 } } });

/** Terms a member of staff does not know: each may only appear inside brackets, after plain words. */
const JARGON = [
  'macro-F1',
  'L2',
  'epoch',
  'backend',
  'backbone',
  'bootstrap',
  'cross-validat',
  'loss',
  'baseline',
  'candidate',
  'embedding',
  'class',
];

/** The comment without its Mermaid charts (their axis names are the chart's, drawn beside a table). */
function prose(markdown: string): string {
  return markdown.replace(/```mermaid[\s\S]*?```/g, '');
}

/** Whether the first use of `term` in `md` is inside brackets (after the plain words it names); absent counts. */
function firstInBrackets(md: string, term: string): { ok: boolean; line: string } {
  const at = md.search(new RegExp(`(?<![\\w.-])${term.replace(/[-]/g, '\\-')}`, 'i'));
  if (at < 0) return { ok: true, line: '' };
  const lineStart = md.lastIndexOf('\n', at) + 1;
  const before = md.slice(lineStart, at);
  const open = (before.match(/\(/g) ?? []).length - (before.match(/\)/g) ?? []).length;
  return { ok: open > 0, line: md.slice(lineStart, md.indexOf('\n', at) < 0 ? undefined : md.indexOf('\n', at)) };
}

function details(markdown: string): string {
  return markdown.slice(markdown.indexOf('<details><summary>Where this result comes from'));
}

describe('the pull-request comment in plain words', () => {
  it('says every technical term after plain words, in brackets, the first time (a model trained in epochs)', async () => {
    const { ws } = await makeRepo({ objects, base, head: correct });
    const { markdown } = await buildReport({ ws, params, base: 'main', log: silentLogger });
    for (const term of JARGON) {
      const { ok, line } = firstInBrackets(prose(markdown), term);
      expect(ok, `${term} first said outside brackets in: ${line}`).toBe(true);
    }
    expect(markdown).toContain('overall score, each label counting equally (macro-F1)');
    const block = details(markdown);
    // The image model named for what it is; the package it comes in said to be only that.
    expect(block).toContain('MobileNetV2, a general-purpose image model trained on everyday photographs (ImageNet)');
    expect(block).toMatch(/nsfwjs is only the software package/);
    expect(block).not.toMatch(/^- Backend:/m);
    expect(block).not.toMatch(/tested: paired bootstrap/);
  });

  it('says the verdict on every labelled object in plain words too (cross-validation)', async () => {
    const { ws } = await makeRepo({ objects, base, head: correct });
    const iv = (value: number, low: number, high: number) => ({ value, low, high });
    await writeStageOutputs({
      ws,
      objects,
      head: correct,
      metrics: {
        crossValidated: {
          base: { ref: 'main', commit: 'a'.repeat(40) },
          changed: 3,
          objects: 40,
          k: 5,
          candidate: iv(0.99, 0.97, 1),
          baseline: iv(0.95, 0.92, 0.98),
          probability: { candidate: 0.97, baseline: 0.88, trainingSd: 0.004 },
          comparison: {
            metric: 'probability',
            test: 'paired bootstrap',
            difference: iv(0.09, 0.07, 0.11),
            pValue: 0.002,
            verdict: 'better',
          },
        },
      },
    });
    const { markdown } = await buildReport({ ws, params, base: 'main', log: silentLogger });
    expect(markdown).toContain('### Judged on every labelled object');
    for (const term of JARGON) {
      const { ok, line } = firstInBrackets(prose(markdown), term);
      expect(ok, `${term} first said outside brackets in: ${line}`).toBe(true);
    }
  });

  it('says how a model fitted without epochs was trained without naming the solver (L-BFGS)', async () => {
    const { ws } = await makeRepo({ objects, base, head: correct });
    await writeStageOutputs({
      ws,
      objects,
      head: correct,
      model: {
        epochs: 1,
        history: { loss: [0.01], valLoss: [0.78], accuracy: [1], valAccuracy: [0.67] },
        l2: 0.01,
        lbfgs: {
          iterations: 36,
          converged: true,
          l2Chosen: 'cross-validation',
          choices: [3, 1, 0.3, 0.1, 0.03, 0.01],
          folds: 3,
          sampled: false,
        },
      },
    });
    const { markdown } = await buildReport({ ws, params, base: 'main', log: silentLogger });
    expect(markdown).not.toContain('L-BFGS');
    expect(markdown).not.toMatch(/solver/);
    for (const term of JARGON) {
      const { ok, line } = firstInBrackets(prose(markdown), term);
      expect(ok, `${term} first said outside brackets in: ${line}`).toBe(true);
    }
  });
});
