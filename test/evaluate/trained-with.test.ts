import { describe, expect, it } from 'vitest';
import { trainingSettingChanges, withSettingChanges } from '../../pipeline/evaluate/trained-with.ts';
import { defaultParams } from '../../pipeline/params.ts';
import type { Metrics } from '../../pipeline/types.ts';

/*
 * An outside tester upgraded Vitrine under a museum whose production model an earlier Vitrine had trained with
 * mini-batch epochs (before train.solver, now lbfgs by default). A run that changed nothing retrained the new
 * way and the gate refused it as worse than production, saying only "Improve the labels or parameters", and the
 * report said no setting changed. The settings recorded with production's registration are compared with
 * today's, and the gate's comparison says which differ and how to train as production was.
 */

/** Params as an earlier Vitrine recorded them with a version: no train.solver, nor the settings added since. */
function recordedBeforeSolver(): Record<string, unknown> {
  const params = JSON.parse(JSON.stringify(defaultParams())) as Record<string, Record<string, unknown>>;
  delete params.train!.solver;
  delete params.train!.l2_choices;
  delete params.train!.flagged;
  return params;
}

const failedDrop: Metrics['gate'] = {
  passed: false,
  checks: [
    { name: 'macro-F1 at least the minimum', passed: true, detail: '0.606 ≥ 0.5' },
    {
      name: 'macro-F1 not more than the allowed drop below the baseline',
      passed: false,
      detail: 'baseline 0.653, candidate 0.606 (drop 0.047), allowed drop 0.020',
    },
  ],
};

describe('the settings production was trained with', () => {
  it('names a default that changed since the Vitrine that trained production, and no setting it cannot know', () => {
    const changes = trainingSettingChanges({ recorded: recordedBeforeSolver(), now: defaultParams() });
    // l2_choices and flagged were not settings then either, but nothing says it trained otherwise without them.
    expect(changes).toEqual([
      { key: 'train.solver', production: 'adam', now: 'lbfgs', yaml: 'adam', newSetting: true },
    ]);
  });

  it('names settings a pull request changed, not where or how fast the model is trained, nor its card', () => {
    const recorded = JSON.parse(JSON.stringify(defaultParams())) as ReturnType<typeof defaultParams>;
    const now = defaultParams();
    now.train.hidden_units = 64;
    now.train.workers = 1;
    now.train.backend = 'cpu';
    now.backbone.licence = 'CC-BY-4.0';
    now.backbone.layer = 'conv_1, block_16_expand';
    expect(trainingSettingChanges({ recorded, now })).toEqual([
      // Hidden units fit with adam, whatever train.solver says (head.ts).
      { key: 'train.hidden_units', production: '0', now: '64', yaml: '0' },
      { key: 'train.solver', production: 'lbfgs', now: 'adam', yaml: 'lbfgs' },
      // Empty text, written so that params.yaml reads it as text.
      { key: 'backbone.layer', production: '', now: 'conv_1, block_16_expand', yaml: '""' },
    ]);
    expect(trainingSettingChanges({ recorded: defaultParams(), now: defaultParams() })).toEqual([]);
    // Registered by another tool: nothing recorded, nothing said.
    expect(trainingSettingChanges({ recorded: undefined, now })).toEqual([]);
  });

  it('leaves out what neither model’s solver read, and a layer list written with other spaces', () => {
    const recorded = JSON.parse(JSON.stringify(defaultParams())) as ReturnType<typeof defaultParams>;
    recorded.backbone.layer = 'conv_1,block_16_expand';
    const now = defaultParams();
    // lbfgs both times: the adam settings changed nothing either model learnt.
    now.train.epochs = 5;
    now.train.learning_rate = 0.1;
    now.backbone.layer = 'conv_1, block_16_expand';
    // A built-in backbone brings its own weights and input size.
    now.backbone.input_size = 299;
    expect(trainingSettingChanges({ recorded, now })).toEqual([]);
    now.train.l2_choices = [1];
    expect(trainingSettingChanges({ recorded, now }).map((c) => [c.key, c.yaml])).toEqual([
      ['train.l2_choices', '[0.01,0.03,0.1,0.3,1,3]'],
    ]);
    // An earlier Vitrine with hidden units trained with adam too: no solver change to report.
    const older = recordedBeforeSolver() as { train: Record<string, unknown> };
    older.train.hidden_units = 64;
    const withHidden = defaultParams();
    withHidden.train.hidden_units = 64;
    expect(trainingSettingChanges({ recorded: older, now: withHidden })).toEqual([]);
  });

  it('adds to the failed comparison with production what differs, and how to train as production was', () => {
    const changes = trainingSettingChanges({ recorded: recordedBeforeSolver(), now: defaultParams() });
    const gate = withSettingChanges({ gate: failedDrop, changes, version: 'v1.1.0' });
    expect(gate.passed).toBe(false);
    expect(gate.checks[0]).toEqual(failedDrop.checks[0]);
    expect(gate.checks[1]!.detail).toBe(
      'baseline 0.653, candidate 0.606 (drop 0.047), allowed drop 0.020; v1.1.0 was trained with train.solver adam ' +
        '(this model: lbfgs). train.solver is a setting the Vitrine that trained v1.1.0 did not have: an upgrade of ' +
        'Vitrine changed it. If that is not a change you meant, set train.solver: adam in params.yaml to train as ' +
        'v1.1.0 was trained',
    );
    // A passing comparison, or nothing different: unchanged.
    const passed = { passed: true, checks: failedDrop.checks.map((c) => ({ ...c, passed: true })) };
    expect(withSettingChanges({ gate: passed, changes, version: 'v1.1.0' })).toEqual(passed);
    expect(withSettingChanges({ gate: failedDrop, changes: [], version: 'v1.1.0' })).toEqual(failedDrop);
  });
});
