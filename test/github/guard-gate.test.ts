import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readSettings } from '../../actions/report/settings.ts';
import { proposedGateNote } from '../../pipeline/evaluate/gate.ts';
import { paramsProblems, withBaseGate } from '../../pipeline/github/guard.ts';
import { withGateChanges } from '../../pipeline/github/publish.ts';
import { validateParams } from '../../pipeline/params.ts';
import { headline } from '../../pipeline/report/render.ts';
import { emulatedGitHub, filesAt, forgeOn, guardEvent, runGuard } from './guard-fixture.ts';

/*
 * The gate that decides vitrine/gate on a pull request is the base branch's (the rules in force): a pull
 * request that lowers gate.* or changes evaluate.baseline proposes a new gate, which applies after merge.
 */

const BASE =
  '# The museum settings.\ntrain:\n  epochs: 80\nevaluate:\n  baseline: prod\n' +
  'gate:\n  max_macro_f1_drop: 0.02\n  min_class_f1: 0.3\n  min_macro_f1: 0.5\n  min_test_objects: 30\n';
const WEAK = BASE.replace('epochs: 80', 'epochs: 12 # fewer')
  .replace('max_macro_f1_drop: 0.02', 'max_macro_f1_drop: 1')
  .replace('min_class_f1: 0.3', 'min_class_f1: 0')
  .replace('min_macro_f1: 0.5', 'min_macro_f1: 0')
  .replace('min_test_objects: 30', 'min_test_objects: 0')
  .replace('baseline: prod', 'baseline: v1.0.0');

const github = emulatedGitHub();

describe("the base branch's gate decides a pull request", () => {
  it("keeps the base's gate and evaluate.baseline in the head's params.yaml, and lists what the head proposes", () => {
    const { text, changes } = withBaseGate({ head: WEAK, base: BASE });
    const params = parse(text);
    expect(params.gate).toEqual({
      max_macro_f1_drop: 0.02,
      min_class_f1: 0.3,
      min_macro_f1: 0.5,
      min_test_objects: 30,
    });
    expect(params.evaluate.baseline).toBe('prod');
    // The rest of the head's file stays the head's, comments included.
    expect(params.train.epochs).toBe(12);
    expect(text).toContain('# fewer');
    expect(changes).toEqual([
      { key: 'evaluate.baseline', base: 'prod', head: 'v1.0.0' },
      { key: 'gate.max_macro_f1_drop', base: 0.02, head: 1 },
      { key: 'gate.min_class_f1', base: 0.3, head: 0 },
      { key: 'gate.min_macro_f1', base: 0.5, head: 0 },
      { key: 'gate.min_test_objects', base: 30, head: 0 },
    ]);
  });

  it('leaves a head that keeps the gate as it is, byte for byte', () => {
    const head = BASE.replace('epochs: 80', 'epochs: 12');
    expect(withBaseGate({ head, base: BASE })).toEqual({ text: head, changes: [] });
    // A key written out with its default value is no change.
    const explicit = `${BASE}  min_unseen_macro_f1: 0\n`;
    expect(withBaseGate({ head: explicit, base: BASE }).changes).toEqual([]);
  });

  // The head's own text: the runner merges it into the base's file, and the pipeline job's base-gate step (kept on
  // in every workflow: test/workflows/code-pr-gate.test.ts) puts the base's gate back. Rewritten here, it conflicted
  // with the base's changes near the gate (a reviewer).
  it("gives the trusted run the head's params.yaml as written, and names the gate it changes", async () => {
    const gh = await github.start();
    const event = guardEvent('opened');
    const number = event.pull_request.number;
    gh.pullFiles.set(number, [{ filename: 'params.yaml', status: 'modified' }]);
    filesAt({ gh, commit: event.pull_request.head.sha, files: { 'params.yaml': WEAK } });
    filesAt({ gh, commit: event.pull_request.base.sha, files: { 'params.yaml': BASE } });
    const result = await runGuard({ ...forgeOn(gh), event });
    expect(result.choice.trusted).toBe(true);
    expect(result.files.find((f) => f.path === 'params.yaml')!.text).toBe(WEAK);
    expect(result.gateChanges.map((c) => c.key)).toContain('gate.min_macro_f1');
  });

  it('says plainly in the report and the status that the pull request changes the gate and which gate judged it', () => {
    const { changes } = withBaseGate({ head: WEAK, base: BASE });
    const note = proposedGateNote({ changes });
    expect(note).toContain('gate.min_macro_f1 0.5 → 0');
    expect(note).toContain('evaluate.baseline "prod" → "v1.0.0"');
    expect(note).toMatch(/judged by the base branch's params.yaml settings/);
    expect(note).toMatch(/after.*merged/);
    const markdown = '✅ **Better.** The promotion gate passes.\n\nThe model was tested on 40 objects.\n';
    const out = withGateChanges({ markdown, headline: 'Better than the promoted model.', changes });
    const [first, second] = out.markdown.split('\n\n');
    expect(first).toBe('✅ **Better.** The promotion gate passes.');
    expect(second).toContain('This pull request changes the promotion gate');
    expect(second).toContain('gate.min\\_macro\\_f1 0.5 → 0');
    expect(out.headline).toMatch(/^Base settings \(PR changes them\): /);
    expect(out.headline).toContain('Better than the promoted model.');
    expect(withGateChanges({ markdown, headline: 'x', changes: [] })).toEqual({ markdown, headline: 'x' });
  });

  // evaluate.baseline takes only prod, none, latest or a version (params.ts): a fork's text is refused by the settings
  // check, before any note could quote it.
  it("refuses a fork's proposed baseline that names no model, before a note could show it", () => {
    const head = BASE.replace('baseline: prod', 'baseline: "[approve](https://evil.example) @museum-org/curators"');
    expect(paramsProblems({ head, base: BASE }).join('\n')).toContain('"evaluate.baseline" is');
    expect(() => withBaseGate({ head, base: BASE })).toThrow(/"evaluate\.baseline" is/);
  });

  it("keeps the base's folds and group_by when its gate checks unseen sources: off, they would skip the check", () => {
    const base = `${BASE.replace('baseline: prod', 'baseline: prod\n  folds: 5\n  group_by: department')}  min_unseen_macro_f1: 0.4\n`;
    const head = base.replace('folds: 5', 'folds: 0').replace('group_by: department', 'group_by: ""');
    const { text, changes } = withBaseGate({ head, base });
    expect(changes.map((c) => c.key)).toEqual(['evaluate.folds', 'evaluate.group_by']);
    expect(parse(text).evaluate).toMatchObject({ folds: 5, group_by: 'department' });
    // Without the unseen-source check group_by is the pull request's to set (folds decides the verdict's source).
    const plain = base.replace('min_unseen_macro_f1: 0.4', 'min_unseen_macro_f1: 0');
    const plainHead = plain.replace('group_by: department', 'group_by: museum');
    expect(withBaseGate({ head: plainHead, base: plain })).toEqual({ text: plainHead, changes: [] });
  });

  it('puts the base value back where the head made it an alias', () => {
    const head = WEAK.replace('min_class_f1: 0', 'min_class_f1: &zero 0').replace(
      'min_macro_f1: 0',
      'min_macro_f1: *zero',
    );
    const { text } = withBaseGate({ head, base: BASE });
    expect(parse(text).gate).toMatchObject({ min_class_f1: 0.3, min_macro_f1: 0.5 });
  });

  it("keeps the base's registry.model_name and test split: another name skips the baseline, another salt re-draws the test", () => {
    const base = `${BASE}registry:\n  model_name: collection-classifier\ndataset:\n  split:\n    test: 0.2\n    salt: v1\n`;
    const head = base
      .replace('model_name: collection-classifier', 'model_name: nothing-registered')
      .replace('test: 0.2', 'test: 0.5')
      .replace('salt: v1', 'salt: lucky-42');
    const { text, changes } = withBaseGate({ head, base });
    expect(changes).toEqual([
      { key: 'dataset.split.salt', base: 'v1', head: 'lucky-42' },
      { key: 'dataset.split.test', base: 0.2, head: 0.5 },
      { key: 'registry.model_name', base: 'collection-classifier', head: 'nothing-registered' },
    ]);
    const params = parse(text);
    expect(params.registry.model_name).toBe('collection-classifier');
    expect(params.dataset.split).toEqual({ test: 0.2, salt: 'v1' });
  });

  it("keeps the base's verdict settings: a looser alpha, fewer folds or another seed would change the words staff read", () => {
    const base = `${BASE.replace('baseline: prod', 'baseline: prod\n  alpha: 0.05\n  folds: 5')}`;
    const head = base
      .replace('alpha: 0.05', 'alpha: 0.99')
      .replace('folds: 5', 'folds: 0')
      .replace('epochs: 80', 'epochs: 80\n  seed: 7');
    const { text, changes } = withBaseGate({ head, base });
    expect(changes.map((c) => c.key)).toEqual(['evaluate.alpha', 'evaluate.folds', 'train.seed']);
    const params = parse(text);
    expect(params.evaluate).toMatchObject({ alpha: 0.05, folds: 5 });
    // The base sets no seed: its default goes in.
    expect(params.train).toEqual({ epochs: 80, seed: 42 });
    // Not only the gate: the note says so.
    expect(proposedGateNote({ changes })).toMatch(/^This pull request changes settings that decide its verdict \(/);
  });

  it("keeps the base's validation fraction too when the head's would leave less than a tenth to train", () => {
    const base = `${BASE}dataset:\n  split:\n    validation: 0.15\n    test: 0.2\n`;
    const head = base.replace('validation: 0.15', 'validation: 0.75').replace('test: 0.2', 'test: 0.1');
    const { text, changes } = withBaseGate({ head, base });
    expect(changes.map((c) => c.key)).toEqual(['dataset.split.test', 'dataset.split.validation']);
    expect(parse(text).dataset.split).toEqual({ validation: 0.15, test: 0.2 });
    expect(() => validateParams({ raw: parse(text) })).not.toThrow();
  });

  it("leaves the head's own value where an alias of a replaced gate setting is used elsewhere", () => {
    const head = `${WEAK.replace('min_macro_f1: 0', 'min_macro_f1: &z 0.0')}retrain:\n  min_new_labels: *z\n`;
    const { text } = withBaseGate({ head, base: BASE });
    const params = parse(text);
    expect(params.gate.min_macro_f1).toBe(0.5);
    expect(params.retrain.min_new_labels).toBe(0);
  });

  it('keeps the verdict whole in the commit status of a pull request that changes the gate', async () => {
    const gh = await github.start();
    const { forge } = forgeOn(gh);
    const { changes } = withBaseGate({ head: WEAK, base: BASE });
    const verdicts = ['better', 'worse', 'no detectable difference', 'first model'] as const;
    for (const verdict of verdicts) {
      for (const passed of [true, false]) {
        const words = headline({ verdict, gate: { passed } } as Parameters<typeof headline>[0]);
        const out = withGateChanges({ markdown: 'Verdict.\n', headline: words, changes });
        await forge.setStatus({
          owner: 'o',
          repo: 'r',
          sha: 'a'.repeat(40),
          state: 'success',
          context: 'c',
          description: out.headline,
        });
        const description = gh.statuses.at(-1)!.description;
        expect(description.startsWith('Base settings (PR changes them): ')).toBe(true);
        expect(description.endsWith(words)).toBe(true);
      }
    }
  });

  it("wires the guard's gate-changes to the report step of the trusted workflow", async () => {
    const workflow = parse(await readFile('.github/workflows/pull-request-data.yml', 'utf8'));
    expect(workflow.jobs.guard.outputs['gate-changes']).toBe('${{ steps.guard.outputs.gate-changes }}');
    const steps = workflow.jobs.pipeline.steps as { uses?: string; with?: Record<string, string> }[];
    const report = steps.find((s) => s.uses === './actions/report')!;
    expect(report.with?.['gate-changes']).toBe('${{ needs.guard.outputs.gate-changes }}');
  });

  it("reads the report action's gate-changes input, and names it when it is not the guard's JSON", () => {
    const read = (value: string) =>
      readSettings({
        get: (name) => ({ 'github-token': 't', repository: 'o/r', 'gate-changes': value })[name] ?? '',
        env: {},
        event: {},
      }).gateChanges;
    expect(read('')).toEqual([]);
    expect(read('[{"key":"gate.min_macro_f1","base":0.5,"head":0}]')).toEqual([
      { key: 'gate.min_macro_f1', base: 0.5, head: 0 },
    ]);
    expect(() => read('gate.min_macro_f1')).toThrow(/gate-changes/);
  });
});
