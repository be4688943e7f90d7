/**
 * The words the report's per-label table and the model page give a class the promotion gate did not judge by its
 * F1 (tooFewToJudge, the rule evaluate/gate.ts applies): the same on both, so that staff read one rule.
 */

/**
 * The classes the gate does not judge by their F1: some test objects, fewer than `minTestPerClass`
 * (dataset.min_test_per_class), and an F1 above 0 (a class the model gets wholly wrong fails however few its test
 * objects: reviewer V10). The report's per-label table and the model page mark these, and only these.
 */
export function tooFewToJudge<C extends { label: string; support: number; f1: number }>({
  perClass,
  minTestPerClass,
  building = [],
}: {
  perClass: readonly C[];
  minTestPerClass: number;
  /** Labels being built up (metrics.json's newLabels): the gate does not judge them even at F1 0. */
  building?: readonly string[];
}): C[] {
  return perClass.filter(
    (c) => c.support > 0 && c.support < minTestPerClass && (c.f1 > 0 || building.includes(c.label)),
  );
}

/** The class's test-object count, as both tables show it: "too few test objects to judge: 3". */
export function tooFewCell(support: number): string {
  return `too few test objects to judge: ${support}`;
}

/** Percentage points one object more or less found moves the recall of a class with fewer than `minimum` objects. */
export function oneObjectPoints(minimum: number): number {
  return Math.floor(100 / Math.max(1, minimum - 1));
}

/**
 * A type's precision, recall and F1 as the model page's table gives them: a dash where nothing was measured, not
 * "0.0%" (a tester read "Münze 0.0% 0.0% 0.0% 0" for a type with no test objects). With no test objects there is no
 * recall; precision and F1 stand (at 0) only when the model named the type on test objects, as in the report's table
 * and in macro-F1 (`outOfMacroF1`: evaluate/scores.ts labelsOutOfMacroF1).
 */
export function scoreCells({
  type,
  outOfMacroF1,
  format,
}: {
  type: { label: string; support: number; precision: number; recall: number; f1: number };
  outOfMacroF1: readonly string[];
  format: (value: number) => string;
}): [precision: string, recall: string, f1: string] {
  if (type.support > 0) return [format(type.precision), format(type.recall), format(type.f1)];
  if (outOfMacroF1.includes(type.label)) return ['—', '—', '—'];
  return [format(type.precision), '—', format(type.f1)];
}
