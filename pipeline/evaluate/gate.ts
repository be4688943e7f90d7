import type { Params } from '../params.ts';
import { shorten } from '../report/markdown.ts';
import type { Metrics, ModelScores } from '../types.ts';

const fmt = (x: number) => x.toFixed(3);

/**
 * The promotion gate from `params.gate`. Every model: at least `min_test_objects` labelled test objects (fewer is
 * not enough evidence), macro-F1 at least `min_macro_f1`, and no class
 * F1 below `min_class_f1` (classes with test objects only: one without any cannot be judged). With a
 * baseline, also: macro-F1 no more than `max_macro_f1_drop` below the baseline's on the same objects.
 */
export function checkGate({
  candidate,
  baseline,
  gate,
  candidateOnBaselineObjects = candidate,
}: {
  candidate: ModelScores;
  baseline: ModelScores | null;
  /** `min_test_objects` absent: only "at least one" (callers from before the key existed). */
  gate: Omit<Params['gate'], 'min_test_objects'> & { min_test_objects?: number };
  /** The candidate's scores on the objects the baseline was scored on, when some were left out of its comparison. */
  candidateOnBaselineObjects?: ModelScores;
}): Metrics['gate'] {
  const checks: Metrics['gate']['checks'] = [];
  const scored = candidate.perClass.reduce((s, c) => s + c.support, 0);
  // A score on a handful of objects says little (one object gives macro-F1 0 or 1), so below the
  // minimum the gate does not pass whatever the score. Shown only when it fails, as it is rare.
  const minimum = Math.max(1, gate.min_test_objects ?? 0);
  if (scored < minimum) {
    checks.push({
      name: 'labelled test objects to score',
      passed: false,
      detail:
        scored === 0
          ? 'no labelled test objects: label more objects (about a fifth of them land in the test split)'
          : `not enough evidence: ${scored} labelled test object${scored === 1 ? '' : 's'}, at least ${minimum} ` +
            'needed to judge a model (gate.min_test_objects). Label more objects: about a fifth of them land in the test split',
    });
  }
  const f1 = candidate.macroF1.value;
  checks.push({
    name: 'macro-F1 at least the minimum',
    passed: f1 >= gate.min_macro_f1,
    detail: `macro-F1 ${fmt(f1)}, minimum ${fmt(gate.min_macro_f1)}`,
  });
  const judged = candidate.perClass.filter((c) => c.support > 0);
  const weak = judged.filter((c) => c.f1 < gate.min_class_f1);
  const unjudged = candidate.perClass.filter((c) => c.support === 0).map((c) => c.label);
  checks.push({
    name: 'every class F1 at least the minimum',
    passed: weak.length === 0,
    detail:
      (weak.length === 0
        ? `all ${judged.length} classes with test objects have F1 ≥ ${fmt(gate.min_class_f1)}`
        : `below ${fmt(gate.min_class_f1)}: ${weak.map((c) => `${c.label} ${fmt(c.f1)}`).join(', ')}`) +
      (unjudged.length > 0 ? `; no test objects for ${unjudged.join(', ')}` : ''),
  });
  if (baseline) {
    const same = candidateOnBaselineObjects.macroF1.value;
    const drop = baseline.macroF1.value - same;
    checks.push({
      name: 'macro-F1 not more than the allowed drop below the baseline',
      passed: drop <= gate.max_macro_f1_drop + 1e-12,
      detail:
        `baseline ${fmt(baseline.macroF1.value)}, candidate ${fmt(same)} ` +
        `(${drop > 0 ? `drop ${fmt(drop)}` : `gain ${fmt(-drop)}`}), allowed drop ${fmt(gate.max_macro_f1_drop)}`,
    });
  }
  return { passed: checks.every((c) => c.passed), checks };
}

/**
 * gate.min_unseen_macro_f1 (0: not checked): the out-of-collection estimate (evaluate.group_by) must
 * reach it, so a model that only works on the photographs it knows is not promoted.
 */
export function withUnseenSourceCheck({
  gate,
  estimate,
  minimum,
}: {
  gate: Metrics['gate'];
  /** null when none could be made (no evaluate.group_by, fewer than two groups, or no cross-validation). */
  estimate: Metrics['outOfCollection'] | null;
  minimum: number;
}): Metrics['gate'] {
  if (minimum <= 0) return gate;
  if (!estimate) {
    const missing = {
      name: 'macro-F1 on an unseen source at least the minimum',
      passed: false,
      detail:
        `not measured: gate.min_unseen_macro_f1 is ${fmt(minimum)}, but this run has no estimate on an unseen ` +
        'source (it needs evaluate.group_by naming a field with at least two values, and evaluate.folds above 0). ' +
        'Set those in params.yaml, or set gate.min_unseen_macro_f1 to 0 to leave the check out',
    };
    return { passed: false, checks: [...gate.checks, missing] };
  }
  const value = estimate.macroF1.value;
  const check = {
    name: `macro-F1 on an unseen ${estimate.field} at least the minimum`,
    passed: value >= minimum,
    detail: `macro-F1 ${fmt(value)} with each ${estimate.field} held out, minimum ${fmt(minimum)}`,
  };
  const checks = [...gate.checks, check];
  return { passed: checks.every((c) => c.passed), checks };
}

/**
 * A setting that decides the verdict which a pull request changes: the base branch's value (in force) and the
 * head's (proposed).
 */
export interface GateChange {
  /** The setting's dotted key: any that decides the verdict (VERDICT_SETTINGS in pipeline/github/verdict-settings.ts). */
  key: string;
  base: unknown;
  head: unknown;
}

/**
 * Plain words (not Markdown) for a pull request that changes the gate: which settings, old → new, and
 * that it was judged by the base branch's gate. The proposed gate applies once the change is merged,
 * so nobody passes their own pull request by lowering the bar in it.
 */
export function proposedGateNote({ changes }: { changes: GateChange[] }): string {
  // evaluate.baseline is any text a fork wrote: cut short (the caller escapes it for Markdown).
  const show = (v: unknown) => (typeof v === 'number' ? String(v) : shorten(JSON.stringify(v) ?? String(v), 40));
  const list = changes.map((c) => `${c.key} ${show(c.base)} → ${show(c.head)}`).join(', ');
  // The model's name and the test split decide the verdict too, though they are not the gate's.
  const what = changes.every((c) => c.key.startsWith('gate.') || c.key === 'evaluate.baseline')
    ? 'the promotion gate'
    : 'settings that decide its verdict';
  return (
    `This pull request changes ${what} (${list}). It was judged by the base branch's params.yaml settings, the ` +
    'rules in force; the new ones apply to pull requests after this one is merged.'
  );
}
