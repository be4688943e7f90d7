import { compareIdsNaturally } from '../natural-order.ts';
import type { LabelLine } from '../types.ts';
import type { ParamChange } from './types.ts';

/**
 * Label changes between two versions of labels.csv, in natural order of object ids, as messages list them (NEW.2
 * before NEW.10; a tester read NEW.0, NEW.1, NEW.10, NEW.100 in the table).
 */
export function diffLabels({
  base,
  head,
}: {
  base: LabelLine[];
  head: LabelLine[];
}): { id: string; kind: 'changed' | 'added' | 'removed'; before: string | null; after: string | null; line: number }[] {
  const before = new Map(base.map((l) => [l.objectId, l]));
  const after = new Map(head.map((l) => [l.objectId, l]));
  const ids = [...new Set([...before.keys(), ...after.keys()])].sort(compareIdsNaturally);
  const changes = [];
  for (const id of ids) {
    const b = before.get(id);
    const a = after.get(id);
    if (b && a) {
      if (b.label !== a.label)
        changes.push({ id, kind: 'changed' as const, before: b.label, after: a.label, line: a.line });
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
    for (const [k, v] of Object.entries(value as Record<string, unknown>))
      flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) out.set(prefix, value);
  return out;
}
