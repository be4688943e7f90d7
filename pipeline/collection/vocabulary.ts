/*
 * The label vocabulary against the labels in use. A new collection's labels ("Statuary", "Jewellery")
 * are rarely the vocabulary in params.yaml yet: say which labels are outside it, how often each is
 * used, which look like the same label spelt twice, and the vocabulary that would take them all.
 */

export interface LabelCount {
  label: string;
  count: number;
}

export interface NearDuplicate {
  labels: [string, string];
  why: 'case' | 'plural' | 'spelling';
}

export interface VocabularyCheck {
  /** Labels in use that are not in the vocabulary, most used first. */
  outside: LabelCount[];
  /** Every label in use, most used first: a vocabulary that would take them all. */
  suggested: string[];
  /** Labels in use that look like one label written two ways. */
  nearDuplicates: NearDuplicate[];
  /** A paragraph for the log; empty when every label is in the vocabulary. */
  message: string;
}

/** Count labels, most used first (ties keep the order of first use). */
export function countLabels(labels: { label: string }[]): LabelCount[] {
  const counts = new Map<string, number>();
  for (const { label } of labels) counts.set(label, (counts.get(label) ?? 0) + 1);
  return [...counts].map(([label, count]) => ({ label, count })).sort((a, b) => b.count - a.count);
}

/** The fewest objects a label needs for about `min_test_per_class` of them to land in the test split. */
export function minObjectsPerLabel({ minTestPerClass, testShare }: { minTestPerClass: number; testShare: number }) {
  return Math.max(2, Math.ceil(minTestPerClass / testShare));
}

/**
 * The labels worth learning, and the fewest objects that took: `minPerLabel`, or in a small collection where
 * fewer than two labels have that many, 2 (one object to train on, one to test). vitrine init proposes these
 * as the vocabulary, and checkVocabulary suggests no other, so the advice stays the same from init on.
 */
export function learnableLabels({ counts, minPerLabel }: { counts: LabelCount[]; minPerLabel: number }): {
  labels: string[];
  min: number;
} {
  const labels = counts.filter((l) => l.count >= minPerLabel).map((l) => l.label);
  if (labels.length >= 2 || minPerLabel <= 2) return { labels, min: minPerLabel };
  return { labels: counts.filter((l) => l.count >= 2).map((l) => l.label), min: 2 };
}

/** Why labels were left out, for a label count under `min` objects. */
export function tooFewWhy(min: number): string {
  return min <= 2
    ? 'used by one object: a label needs at least 2, one to train on and one to test'
    : `fewer than ${min} objects, too few to learn and test`;
}

/** Check labels in use against the vocabulary (collection.vocabulary). */
export function checkVocabulary({
  labels,
  vocabulary,
  minPerLabel = 2,
}: {
  labels: { label: string }[];
  vocabulary: string[];
  /** The fewest objects a label needs to be suggested (minObjectsPerLabel); 2 when not given. */
  minPerLabel?: number;
}): VocabularyCheck {
  const known = new Set(vocabulary);
  const counts = countLabels(labels);
  const outside = counts.filter((c) => !known.has(c.label));
  const learnable = learnableLabels({ counts, minPerLabel });
  const worth = new Set(learnable.labels);
  let suggested = counts.filter((c) => known.has(c.label) || worth.has(c.label)).map((c) => c.label);
  let tooFew = outside.filter((c) => !worth.has(c.label));
  // Fewer than two labels is no vocabulary at all: then every label in use, rare or not, is the suggestion.
  if (suggested.length < 2) [suggested, tooFew] = [counts.map((c) => c.label), []];
  const one = tooFew.length === 1;
  const duplicates = nearDuplicates(counts.map((c) => c.label));
  if (outside.length === 0) return { outside, suggested, nearDuplicates: duplicates, message: '' };
  const lines = [
    `${outside.length} label${outside.length === 1 ? ' is' : 's are'} not in collection.vocabulary: ` +
      `${outside.map((c) => `${c.label} (${c.count})`).join(', ')}. Objects with these labels are not used for training.`,
    ...(tooFew.length < outside.length
      ? [
          `The vocabulary is ${vocabulary.join(', ')}. To use the labels in labels.csv, set in params.yaml:`,
          `  collection:\n    vocabulary: [${suggested.map(yamlWord).join(', ')}]`,
        ]
      : []),
    ...(tooFew.length
      ? [
          `${tooFew.map((c) => `${c.label} (${c.count})`).join(', ')} ${one ? 'has' : 'have'} too few objects to ` +
            `learn and test (at least ${learnable.min} each): label more objects with ${one ? 'it' : 'them'} ` +
            `before adding ${one ? 'it' : 'them'} to collection.vocabulary, or give ${one ? 'its' : 'their'} ` +
            'objects a label in it.',
        ]
      : []),
    ...duplicates.map(
      (d) =>
        `"${d.labels[0]}" and "${d.labels[1]}" look like the same label (${WHY[d.why]}): ` +
        'correct one of them in labels.csv and keep one in the vocabulary.',
    ),
  ];
  return { outside, suggested, nearDuplicates: duplicates, message: lines.join('\n') };
}

const WHY: Record<NearDuplicate['why'], string> = {
  case: 'they differ only in capitals',
  plural: 'one is the plural of the other',
  spelling: 'a spelling variant',
};

/** Pairs of labels that look like one label written two ways: capitals, a plural "s", or one or two letters apart. */
export function nearDuplicates(labels: string[]): NearDuplicate[] {
  const found: NearDuplicate[] = [];
  for (let i = 0; i < labels.length; i++) {
    for (let j = i + 1; j < labels.length; j++) {
      const why = likeness(labels[i]!, labels[j]!);
      if (why) found.push({ labels: [labels[i]!, labels[j]!], why });
    }
  }
  return found;
}

function likeness(a: string, b: string): NearDuplicate['why'] | undefined {
  if (a === b) return undefined;
  const na = a.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
  const nb = b.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
  if (na === nb) return 'case';
  if (`${na}s` === nb || `${nb}s` === na || `${na}es` === nb || `${nb}es` === na) return 'plural';
  const shorter = Math.min(na.length, nb.length);
  // Short words one letter apart are often different words (mask / mast); long ones rarely are.
  const allowed = shorter >= 7 ? 2 : shorter >= 5 ? 1 : 0;
  return allowed > 0 && editDistance(na, nb, allowed) <= allowed ? 'spelling' : undefined;
}

/** Levenshtein distance, stopping early once it exceeds `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    if (Math.min(...current) > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length]!;
}

/** A label as a YAML flow-sequence item: quoted when YAML would read it otherwise. */
export function yamlWord(label: string): string {
  const plain =
    /^[\p{L}\p{N}][\p{L}\p{N} _.'-]*$/u.test(label) && !/^(true|false|yes|no|on|off|null|~|[\d.]+)$/i.test(label);
  return plain ? label : JSON.stringify(label);
}
