import type { NewLabel } from '../types.ts';

/*
 * A label being built up: added to the vocabulary, then labelled over several pull requests (docs/metrics.md, "A
 * label new to the vocabulary"). Until about dataset.min_test_per_class of its objects are in the test split, the
 * model cannot be judged on it: four helmet masks out of fifty masks are learnt poorly, and a thin label scores F1 0
 * on its one or two test objects by nature. The gate does not judge such a label by its F1 (gate.ts), and the
 * verdict leaves it out of both arms of the comparison (label-change.ts setAside), so that starting a label is not
 * called "worse". A label the base already had enough test objects of keeps the usual rules.
 */

export type { NewLabel } from '../types.ts';

/*
 * How many objects a label needs before the model learns it is the model's, not the settings': the default settings'
 * ceiling (5 test objects at a test share of 0.2). A stricter dataset.min_test_per_class (20: a ceiling of 100) let
 * 90 relabelled training coins out of the verdict (reviewer V13); the gate still keeps its own minimum for F1.
 */
const MOST_OBJECTS_OF_A_THIN_LABEL = 25;

/**
 * The labels of `labels` being built up by this change: more objects carry it now than at the base, and fewer
 * than `minTestPerClass` of them are in the test split, now and at the base (a label new here had none at the base),
 * and no more objects than would put `minTestPerClass` in the test split, which takes about `testShare` of them
 * (dataset.split.test), and never more than 25. Above that a label is no thin one, however its objects fell: 30 coins
 * of the training split relabelled "medal" were left out of the verdict, and the model confusing coins with medals
 * with them (reviewer V12).
 * `objects`: each object's split, its label now and at the base (null: none). No base known (`base` false): none,
 * since nothing says the label is new. `minTestPerClass` 0: none (every label is judged).
 */
export function labelsBeingBuilt({
  labels,
  objects,
  base,
  minTestPerClass,
  testShare,
}: {
  labels: readonly string[];
  objects: readonly { split: string; now: string | null; before: string | null }[];
  base: boolean;
  minTestPerClass: number;
  testShare: number;
}): NewLabel[] {
  if (!base || minTestPerClass <= 0) return [];
  const most = mostObjects({ minimum: minTestPerClass, testShare });
  const found: NewLabel[] = [];
  for (const label of labels) {
    let now = 0;
    let before = 0;
    let test = 0;
    let testBefore = 0;
    for (const o of objects) {
      const inTest = o.split === 'test';
      if (o.now === label) {
        now++;
        if (inTest) test++;
      }
      if (o.before === label) {
        before++;
        if (inTest) testBefore++;
      }
    }
    if (now > before && now <= most && test < minTestPerClass && testBefore < minTestPerClass)
      found.push({ label, objects: now, before, test });
  }
  return found;
}

/**
 * How many more objects a label being built up needs before it is judged like every other label: past the most a
 * thin label has (mostObjects); sooner if `minimum` of them land in the test split first. Never fewer than one.
 */
export function objectsToAdd({
  label,
  minimum,
  testShare,
}: {
  label: Pick<NewLabel, 'objects'>;
  minimum: number;
  testShare: number;
}): number {
  return Math.max(1, mostObjects({ minimum, testShare }) + 1 - label.objects);
}

/**
 * The most objects a label being built up has: about as many as put `minimum` in the test split, which takes about
 * `testShare` (dataset.split.test) of them, and never more than MOST_OBJECTS_OF_A_THIN_LABEL.
 */
export function mostObjects({ minimum, testShare }: { minimum: number; testShare: number }): number {
  return Math.min(Math.ceil(minimum / Math.max(testShare, 0.01) - 1e-9), MOST_OBJECTS_OF_A_THIN_LABEL);
}
