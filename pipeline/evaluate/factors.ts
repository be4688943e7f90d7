import type { Metrics } from '../types.ts';
import { accuracyOf, macroF1Of, type Prepared, subset } from './scores.ts';

/** The metadata an object can be grouped by: its own fields and its extra columns. */
export interface FactorSource {
  extra?: Record<string, string>;
}

/** Groups beyond this many (the largest kept) are pooled as "(other)", so the model card stays readable. */
export const MAX_GROUPS = 12;
const UNKNOWN = '(not recorded)';
const OTHER = '(other)';

/** The value of `factor` for an object: a field of the object, else a column of `extra`. */
export function factorValue(object: FactorSource, factor: string): string {
  const own = (object as Record<string, unknown>)[factor];
  const raw = typeof own === 'string' || typeof own === 'number' ? String(own) : object.extra?.[factor];
  const value = (raw ?? '').trim();
  return value === '' ? UNKNOWN : value;
}

/**
 * Accuracy and macro-F1 per value of each factor (department, medium, museum...), largest groups
 * first. `objects[i]` is the object of row i of `prepared`. A factor no object records is left out.
 */
export function factorBreakdown<T extends FactorSource>({
  objects,
  prepared,
  factors,
  maxGroups = MAX_GROUPS,
}: {
  objects: T[];
  prepared: Prepared;
  factors: string[];
  maxGroups?: number;
}): Metrics['factors'] {
  const out: Metrics['factors'] = [];
  for (const factor of factors) {
    const byValue = new Map<string, number[]>();
    objects.forEach((o, i) => {
      const v = factorValue(o, factor);
      const list = byValue.get(v);
      if (list) list.push(i);
      else byValue.set(v, [i]);
    });
    if (byValue.size === 0 || (byValue.size === 1 && byValue.has(UNKNOWN))) continue;
    let groups = [...byValue.entries()].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]));
    if (groups.length > maxGroups) {
      const rest = groups.slice(maxGroups - 1).flatMap(([, idx]) => idx);
      groups = [...groups.slice(0, maxGroups - 1), [OTHER, rest]];
    }
    out.push({
      factor,
      groups: groups.map(([value, idx]) => {
        const part = subset(prepared, idx);
        return { value, n: idx.length, accuracy: accuracyOf(part), macroF1: macroF1Of(part) };
      }),
    });
  }
  return out;
}
