import type { Params } from '../params.ts';
import type { LabelLine, Metrics } from '../types.ts';
import type { GateCheck, ParamChange } from './types.ts';

/** Label changes between two versions of labels.csv, in object id order. */
export function diffLabels({ base, head }: { base: LabelLine[]; head: LabelLine[] }): { id: string; kind: 'changed' | 'added' | 'removed'; before: string | null; after: string | null; line: number }[] {
  const before = new Map(base.map((l) => [l.objectId, l]));
  const after = new Map(head.map((l) => [l.objectId, l]));
  const ids = [...new Set([...before.keys(), ...after.keys()])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const changes = [];
  for (const id of ids) {
    const b = before.get(id);
    const a = after.get(id);
    if (b && a) {
      if (b.label !== a.label) changes.push({ id, kind: 'changed' as const, before: b.label, after: a.label, line: a.line });
    } else if (a) changes.push({ id, kind: 'added' as const, before: null, after: a.label, line: a.line });
    else if (b) changes.push({ id, kind: 'removed' as const, before: b.label, after: null, line: b.line });
  }
  return changes;
}

/** Params that differ between base and head, flattened to dotted keys (lists compare as a whole). */
export function diffParams({ base, head }: { base: unknown; head: unknown }): ParamChange[] {
  const a = flatten(base);
  const b = flatten(head);
  const keys = [...new Set([...a.keys(), ...b.keys()])].sort();
  const changes: ParamChange[] = [];
  for (const key of keys) {
    const before = a.has(key) ? a.get(key) : null;
    const after = b.has(key) ? b.get(key) : null;
    if (JSON.stringify(before) !== JSON.stringify(after)) changes.push({ key, before, after });
  }
  return changes;
}

function flatten(value: unknown, prefix = '', out = new Map<string, unknown>()): Map<string, unknown> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) out.set(prefix, value);
  return out;
}

/**
 * The promotion gate from params.yaml, checked against the metrics: macro-F1 may not drop more
 * than `max_macro_f1_drop` below production (or must reach `min_macro_f1` for a first model), and
 * no class with test objects may have an F1 under `min_class_f1`.
 */
export function checkGate({ metrics, gate }: { metrics: Metrics; gate: Params['gate'] }): { passed: boolean; checks: GateCheck[] } {
  const checks: GateCheck[] = [];
  const candidate = metrics.macroF1.value;
  if (metrics.baseline) {
    const baseline = metrics.baseline.macroF1.value;
    const drop = baseline - candidate;
    checks.push({
      name: 'macro-F1 does not drop',
      passed: drop <= gate.max_macro_f1_drop + 1e-12,
      detail: `macro-F1 ${candidate.toFixed(3)} against ${baseline.toFixed(3)} in production (${version(metrics)}); it may drop at most ${gate.max_macro_f1_drop.toFixed(3)}`,
    });
  } else {
    checks.push({
      name: 'macro-F1 high enough for a first model',
      passed: candidate >= gate.min_macro_f1 - 1e-12,
      detail: `macro-F1 ${candidate.toFixed(3)}; a first model needs at least ${gate.min_macro_f1.toFixed(3)}`,
    });
  }
  const weak = metrics.perClass.filter((c) => c.support > 0 && c.f1 < gate.min_class_f1 - 1e-12);
  checks.push({
    name: 'every class good enough',
    passed: weak.length === 0,
    detail:
      weak.length === 0
        ? `every class has an F1 of at least ${gate.min_class_f1.toFixed(2)}`
        : `${weak.map((c) => `"${c.label}" has an F1 of ${c.f1.toFixed(2)}`).join(', ')}; each class needs at least ${gate.min_class_f1.toFixed(2)}`,
  });
  return { passed: checks.every((c) => c.passed), checks };
}

function version(metrics: Metrics): string {
  return metrics.baseline?.version ?? 'none';
}
