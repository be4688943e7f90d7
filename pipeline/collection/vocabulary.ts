import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import { controlName } from '../control-characters.ts';
import { clip, quoted } from '../log.ts';
import { listWords } from '../words.ts';
import {
  characterCode,
  HIDDEN_CHARACTER_NAMES,
  labelForm,
  labelShown,
  pastedInLabel,
  strayJoiners,
} from './hidden-characters.ts';
import { lettersApart } from './id-forms.ts';

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
  /** Labels in use that are not in the vocabulary, most used first, with their labels.csv lines when known. */
  outside: (LabelCount & { lines: number[] })[];
  /** Every label in use, most used first: a vocabulary that would take them all. */
  suggested: string[];
  /** Labels in use that look like one label written two ways. */
  nearDuplicates: NearDuplicate[];
  /**
   * Labels outside the vocabulary that are a near miss of exactly one label in it (capitals, spaces, a letter or
   * two): a slip in labels.csv, so the message says only "did you mean" for them, first.
   */
  nearMisses: (LabelCount & { lines: number[]; meant: string })[];
  /** A paragraph for the log; empty when every label is in the vocabulary. */
  message: string;
  /** Where the fix most likely belongs, for the warning's annotation: labels.csv at a line, or params.yaml. */
  where: { file: string; line?: number };
  /** Vocabulary labels no object has, most likely typos of a label many lines use (vocabularyTypos): said first. */
  typos: VocabularyTypo[];
}

/**
 * A label of collection.vocabulary that no object has, a letter or two (or capitals) from a label that many lines of
 * labels.csv use and that is not in the vocabulary: "texitle" for the "textile" of 50 lines. The typo is most likely
 * in params.yaml, and those lines are right: advising to correct them to the vocabulary's spelling damaged them.
 */
export interface VocabularyTypo {
  /** The vocabulary label as params.yaml has it. */
  entry: string;
  /** The label in use it most likely is. */
  label: string;
  /** Lines (objects) with `label`. */
  count: number;
  /** Those lines of labels.csv, when known. */
  lines: number[];
  /** Other labels in use near `entry` too ("Textile" beside "textile"): after the correction, near `label`. */
  alike: string[];
}

/** A label on at least this many lines, near a vocabulary label no object has, is taken for what the vocabulary meant. */
const TYPO_LINES = 3;

/** A label used by at most this many objects is taken for a slip in labels.csv rather than a new label. */
export const RARE = 2;

/** Labels named in one list, and look-alike pairs shown, before "and N more". */
const SHOWN_LABELS = 20;
const SHOWN_PAIRS = 3;

/** Outside labels used once each and numbered, at least this many, are taken for identifiers in the label column. */
const IDENTIFIERS = 5;

/** Line numbers shown per label; the count says how many there are in all. */
const SHOWN_LINES = 5;

/**
 * Count labels, most used first (ties keep the order of first use): the objects with each, when each line names its
 * object (`objectId`), so repeated lines (labels.csv pasted twice) count once; else the lines.
 */
export function countLabels(labels: { label: string; objectId?: string }[]): LabelCount[] {
  const counts = new Map<string, number>();
  const seen = new Map<string, Set<string>>();
  for (const { label, objectId } of labels) {
    if (objectId !== undefined) {
      const objects = seen.get(label) ?? new Set<string>();
      seen.set(label, objects);
      if (objects.has(objectId)) continue;
      objects.add(objectId);
    }
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
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

/**
 * The rule in words, the same from init (a small collection, where 2 applies) to a later import (where `full`
 * does): `full` is minObjectsPerLabel, `min` what learnableLabels used.
 */
export function labelRule({ full }: { full: number }): string {
  return full <= 2
    ? 'at least 2 objects each'
    : `at least ${full} objects each; a small collection, where fewer than two labels have ${full} yet, can start ` +
        'with 2 each';
}

/**
 * Why labels were left out, for a label count under `min` objects (`full`: minObjectsPerLabel), in two parts said
 * around the list of labels: `few` ("used by one object each") and the sentence `why`, with one level of brackets
 * (a tester: "(fewer than 25 objects: too few to learn and test (at least 25 objects each; …))").
 */
export function tooFewWhy(min: number, full: number = min): { few: string; why: string } {
  return {
    few: min <= 2 ? 'used by one object each' : `with fewer than ${min} objects each`,
    why: `Too few to learn and test (${labelRule({ full })}).`,
  };
}

/**
 * Check labels in use against the vocabulary (collection.vocabulary). Labels with their `line` in labels.csv
 * get those lines named in the message and the annotation.
 */
export function checkVocabulary({
  labels,
  vocabulary,
  minPerLabel = 2,
  labelsName = 'labels.csv',
  nearMissesSaid = false,
  entryLines,
  paramsName = 'params.yaml',
  findTypos = true,
}: {
  /** Each line's label, its line in labels.csv and its object when known (repeated lines count one object). */
  labels: { label: string; line?: number; objectId?: string }[];
  vocabulary: string[];
  /** The fewest objects a label needs to be suggested (minObjectsPerLabel); 2 when not given. */
  minPerLabel?: number;
  /** How messages call labels.csv (root-relative). */
  labelsName?: string;
  /** The caller says each near miss on its own line (the dataset stage): the message leaves them out. */
  nearMissesSaid?: boolean;
  /** Each vocabulary label's line in params.yaml (vocabularyEntryLines), to name it in a typo's message. */
  entryLines?: Map<string, number>;
  /** How messages call params.yaml (root-relative). */
  paramsName?: string;
  /** False for the labels left once the typos are said: they are checked as labels.csv's. */
  findTypos?: boolean;
}): VocabularyCheck {
  const typos = findTypos ? vocabularyTypos({ labels, vocabulary }) : [];
  if (typos.length > 0) {
    // Said once, on params.yaml; the rest of the advice is as after the correction (a "did you mean" would otherwise
    // name the typo, and the suggested vocabulary leave out the label it meant).
    const corrected = new Map(typos.map((t) => [t.entry, t.label]));
    const rest = checkVocabulary({
      labels,
      vocabulary: vocabulary.map((v) => corrected.get(v) ?? v),
      minPerLabel,
      labelsName,
      nearMissesSaid,
      findTypos: false,
    });
    const first = entryLines?.get(typos[0]!.entry);
    return {
      ...rest,
      // Every label outside the vocabulary, the typo's among them.
      outside: outsideOf({ labels, counts: countLabels(labels), known: new Set(vocabulary) }),
      typos,
      where: first === undefined ? { file: paramsName } : { file: paramsName, line: first },
      message: [
        ...typos.map((typo) =>
          vocabularyTypoMessage({ typo, line: entryLines?.get(typo.entry), labelsName, paramsName }),
        ),
        rest.message,
      ]
        .filter(Boolean)
        .join('\n'),
    };
  }
  const known = new Set(vocabulary);
  const allCounts = countLabels(labels);
  const outside = outsideOf({ labels, counts: allCounts, known });
  // The minimum that applies here: in a small collection (fewer than two labels reach minPerLabel), 2.
  const learnAt = learnableLabels({ counts: allCounts, minPerLabel }).min;
  const near = outside.flatMap((c) => {
    const miss = nearMiss({ label: c.label, count: c.count, vocabulary, minPerLabel: learnAt });
    return miss ? [{ ...c, ...miss }] : [];
  });
  const nearMisses = near.filter((c) => c.slip).map(({ slip: _, ...c }) => c);
  // Many objects with a label a letter from one in the vocabulary (chain, chair) may be a label of its own: both
  // ways stay open, the label stays in the suggested vocabulary, and the two are not called one label written twice.
  const close = near.filter((c) => !c.slip);
  const missed = new Set(nearMisses.map((c) => c.label));
  // A near miss is a slip, not a label to learn: the rest of the advice (add it, too few) is about the others.
  const counts = allCounts.filter((c) => !missed.has(c.label));
  const others = outside.filter((c) => !missed.has(c.label));
  const learnable = learnableLabels({ counts, minPerLabel });
  const worth = new Set(learnable.labels);
  let suggested = counts.filter((c) => known.has(c.label) || worth.has(c.label)).map((c) => c.label);
  // Not one with a character pasted in ("Pottery\u200b"): said to correct on its lines, never to add.
  let tooFew = others.filter((c) => !worth.has(c.label) && pastedInLabel(c.label).length === 0);
  // Fewer than two labels is no vocabulary at all: then every label in use, rare or not, is the suggestion.
  if (suggested.length < 2) [suggested, tooFew] = [counts.map((c) => c.label), []];
  const one = tooFew.length === 1;
  const pair = (a: string, b: string) =>
    close.some((c) => (c.label === a && c.meant === b) || (c.label === b && c.meant === a));
  const duplicates = nearDuplicates(counts.map((c) => c.label)).filter((d) => !pair(...d.labels));
  const missLines = nearMissesSaid
    ? []
    : missList({ lines: nearMisses.map((c) => didYouMean({ ...c, labelsName })), labelsName });
  // A message that starts with the near misses' heading is placed on their first line: placed on params.yaml for the
  // other labels, it was printed "params.yaml: labels.csv has 2 labels that look like …".
  const where =
    (others.length === 0 || missLines.length > 1) && nearMisses.some((c) => c.lines.length > 0)
      ? { file: labelsName, line: firstLine(nearMisses) }
      : whereToFix({ outside: others.length > 0 ? others : outside, labelsName });
  const result = { outside, nearMisses, suggested, nearDuplicates: duplicates, where, typos: [] };
  if (others.length === 0)
    return { ...result, message: missLines.join('\n') || slipsSummary({ nearMisses, labelsName }) };
  return {
    ...result,
    message: [
      ...missLines,
      otherLabelsMessage({
        outside: others,
        vocabulary,
        labelsName,
        minPerLabel,
        suggested,
        tooFew,
        one,
        duplicates,
        close,
      }),
    ].join('\n'),
  };
}

/** The labels in use outside the vocabulary, most used first, each with its labels.csv lines when known. */
function outsideOf({
  labels,
  counts,
  known,
}: {
  labels: { label: string; line?: number }[];
  counts: LabelCount[];
  known: Set<string>;
}): (LabelCount & { lines: number[] })[] {
  const linesOf = new Map<string, number[]>();
  for (const { label, line } of labels) {
    if (line === undefined || known.has(label)) continue;
    // Pushed, not copied: copying the list at each line took minutes for 100,000 lines of one label.
    const list = linesOf.get(label);
    if (list) list.push(line);
    else linesOf.set(label, [line]);
  }
  return counts
    .filter((c) => !known.has(c.label))
    .map((c) => ({ ...c, lines: (linesOf.get(c.label) ?? []).sort((a, b) => a - b) }));
}

/**
 * The vocabulary labels that no object has and that are most likely typos of a label in use (VocabularyTypo): that
 * label is a near miss of exactly this vocabulary label (nearMiss) and is used on at least TYPO_LINES lines, or on 2
 * that are most of the lines a near miss is on. Vocabulary order.
 */
export function vocabularyTypos({
  labels,
  vocabulary,
}: {
  labels: { label: string; line?: number; objectId?: string }[];
  vocabulary: string[];
}): VocabularyTypo[] {
  const counts = countLabels(labels);
  const inUse = new Set(counts.map((c) => c.label));
  const unused = new Set(vocabulary.filter((v) => !inUse.has(v)));
  if (unused.size === 0) return [];
  const known = new Set(vocabulary);
  const meantBy = new Map<string, string | undefined>();
  const meantOf = (c: LabelCount) => {
    if (!meantBy.has(c.label)) meantBy.set(c.label, nearMiss({ label: c.label, count: c.count, vocabulary })?.meant);
    return meantBy.get(c.label);
  };
  // Labels on 2 lines or more (countLabels: most used first) near a vocabulary label no object has. A label on one
  // line is not searched here: the dataset stage searches each once more (checkLabels), and there may be 100,000.
  const near: (LabelCount & { meant: string })[] = [];
  for (const c of counts) {
    if (c.count < 2) break;
    const meant = known.has(c.label) ? undefined : meantOf(c);
    if (meant !== undefined && unused.has(meant)) near.push({ ...c, meant });
  }
  if (near.length === 0) return [];
  // Lines of every label near a vocabulary label: counted only when a label on 2 lines asks (most of them?).
  let nearLines: number | undefined;
  const linesNear = () => {
    nearLines ??= counts.reduce((n, c) => (!known.has(c.label) && meantOf(c) !== undefined ? n + c.count : n), 0);
    return nearLines;
  };
  const found = new Map<string, VocabularyTypo>();
  for (const c of near) {
    // A label with spaces around it, or a character pasted in ("\u200eStatuary", pastedInLabel), could not be
    // written in the vocabulary (params.ts refuses it): a slip in labels.csv, not the label params.yaml meant.
    if (c.label !== c.label.trim() || pastedInLabel(c.label).length > 0) continue;
    const typo = found.get(c.meant);
    if (typo) typo.alike.push(c.label);
    else if (c.count >= TYPO_LINES || c.count * 2 > linesNear())
      found.set(c.meant, { entry: c.meant, label: c.label, count: c.count, lines: [], alike: [] });
  }
  if (found.size === 0) return [];
  // Labels on one line near a typo too, searched now that there is one (rare).
  for (const c of counts) {
    if (c.count >= 2 || known.has(c.label)) continue;
    const meant = meantOf(c);
    if (meant !== undefined) found.get(meant)?.alike.push(c.label);
  }
  const byLabel = new Map([...found.values()].map((t) => [t.label, t]));
  for (const { label, line } of labels) if (line !== undefined) byLabel.get(label)?.lines.push(line);
  for (const typo of found.values()) typo.lines.sort((a, b) => a - b);
  return vocabulary.flatMap((v) => found.get(v) ?? []);
}

/**
 * `params.yaml:12: "texitle" — did you mean "textile", the label 50 lines of labels.csv use?`, then why it matters
 * and what to do, either way.
 */
export function vocabularyTypoMessage({
  typo,
  line,
  labelsName = 'labels.csv',
  paramsName = 'params.yaml',
}: {
  typo: VocabularyTypo;
  /** The line of `typo.entry` in params.yaml, when known. */
  line?: number;
  labelsName?: string;
  paramsName?: string;
}): string {
  const { entry, label, count } = typo;
  const n = `${count} ${count === 1 ? 'line' : 'lines'}`;
  const at = line === undefined ? '' : `, line ${line}`;
  return (
    `${paramsName}${line === undefined ? ' (collection.vocabulary)' : `:${line}`}: ${quoted(entry)} — did you mean ` +
    `${quoted(label)}, the label ${n} of ${labelsName} use?\n` +
    `No object has ${quoted(entry)}, so those ${count} object${count === 1 ? '' : 's'} would be left out of ` +
    `training. The typo is most likely in ${paramsName}: correct ${quoted(entry)} to ${quoted(label)} there ` +
    `(collection.vocabulary${at}) and leave ${labelsName} as it is. If ${quoted(label)} is a label of its own beside ` +
    `${quoted(entry)}, add it to collection.vocabulary as well; if ${quoted(label)} is left out of the vocabulary on ` +
    `purpose, take ${quoted(entry)} out of it until an object has that label (a label no object has teaches nothing).`
  );
}

/**
 * Each label of collection.vocabulary with its line in params.yaml's text, for messages that name the line; labels
 * read in the form parseParams gives them (labelForm). Empty when the text is not YAML or has no such list.
 */
export function vocabularyEntryLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  try {
    const lineCounter = new LineCounter();
    const doc = parseDocument(text, { lineCounter });
    const collection = isMap(doc.contents) ? doc.contents.get('collection', true) : undefined;
    const list = isMap(collection) ? collection.get('vocabulary', true) : undefined;
    if (!isSeq(list)) return lines;
    for (const item of list.items) {
      if (!isScalar(item) || item.range === undefined || item.range === null) continue;
      const label = labelForm(String(item.value));
      if (!lines.has(label)) lines.set(label, lineCounter.linePos(item.range[0]).line);
    }
  } catch {
    // A params.yaml that cannot be read gives no lines; loadParams says why.
  }
  return lines;
}

/** The vocabulary label `label` is a near miss of (capitals, spaces, a letter or two), when exactly one is. */
export function nearestLabel({ label, vocabulary }: { label: string; vocabulary: string[] }): string | undefined {
  return nearMiss({ label, count: 1, vocabulary })?.meant;
}

/**
 * The vocabulary label `label` is a near miss of, and whether it is surely a slip: it differs only in capitals,
 * spaces or punctuation, or it is a letter or two away and used by fewer objects than a label needs to be learnt.
 * A letter apart is often another word (chain, chair; medal, metal): used by many objects, it may be a label of its own.
 */
export function nearMiss({
  label,
  count,
  vocabulary,
  minPerLabel = 2,
}: {
  label: string;
  /** Objects using `label`. */
  count: number;
  vocabulary: string[];
  /** minObjectsPerLabel; 2 when not given. */
  minPerLabel?: number;
}): { meant: string; slip: boolean } | undefined {
  const index = nearIndex(vocabulary);
  const same = index.same.get(spaced(label)) ?? [];
  if (same.length > 0) return same.length === 1 ? { meant: vocabulary[same[0]!]!, slip: true } : undefined;
  // Only the labels the index says may be near are compared, with the same likeness as before: the same answers.
  let meant: string | undefined;
  for (const i of nearCandidates(index, label)) {
    if (likeness(vocabulary[i]!, label) === undefined) continue;
    if (meant !== undefined) return undefined;
    meant = vocabulary[i]!;
  }
  if (meant === undefined) return undefined;
  return { meant, slip: likeness(meant, label) === 'case' || count < minPerLabel };
}

/**
 * The vocabulary labels `label` is close to (capitals, spaces, a plural, a letter or two), in the vocabulary's order:
 * what a message suggests when nearMiss finds no one label ("chaim", a letter from "chain" and from "chair").
 */
export function nearLabels({ label, vocabulary }: { label: string; vocabulary: string[] }): string[] {
  const index = nearIndex(vocabulary);
  const same = index.same.get(spaced(label)) ?? [];
  if (same.length > 0) return same.map((i) => vocabulary[i]!);
  return nearCandidates(index, label)
    .filter((i) => likeness(vocabulary[i]!, label) !== undefined)
    .map((i) => vocabulary[i]!);
}

/** A label as nearMiss compares it first: spaces trimmed and collapsed, no capitals. */
function spaced(label: string): string {
  return label.trim().replace(/\s+/g, ' ').toLowerCase();
}

/**
 * The vocabulary indexed for nearMiss, so that a label is compared with the few labels that may be near it, not
 * with all of them: 10,000 labels outside a vocabulary of 1,000 took seconds each time the dataset stage checked
 * them. By the label as nearMiss first compares it; by the folded label (capitals, punctuation), for 'case' and
 * 'plural'; and by the folded label less up to two characters (with its digits), for 'spelling': two labels at most
 * two edits apart have a variant in common. Folded labels longer than LONG characters are few and not indexed.
 */
interface NearIndex {
  /** The vocabulary indexed: the index is used again only for the same labels in the same order. */
  source: string[];
  same: Map<string, number[]>;
  folded: Map<string, number[]>;
  variants: Map<string, number[]>;
  long: number[];
}

/** Folded labels longer than this are compared one by one (their variants would be thousands each). */
const LONG = 40;

/** Most letters likeness lets two labels differ by (lettersAllowed). */
const MOST_LETTERS = 2;

const nearIndexes = new WeakMap<string[], NearIndex>();

function nearIndex(vocabulary: string[]): NearIndex {
  const cached = nearIndexes.get(vocabulary);
  if (cached && cached.source.length === vocabulary.length && cached.source.every((v, i) => v === vocabulary[i]))
    return cached;
  const index: NearIndex = {
    source: [...vocabulary],
    same: new Map(),
    folded: new Map(),
    variants: new Map(),
    long: [],
  };
  const put = (map: Map<string, number[]>, key: string, i: number) => {
    const list = map.get(key);
    if (!list) map.set(key, [i]);
    else if (list[list.length - 1] !== i) list.push(i);
  };
  vocabulary.forEach((v, i) => {
    put(index.same, spaced(v), i);
    const folded = fold(v);
    put(index.folded, folded, i);
    if (folded.length > LONG) index.long.push(i);
    else
      for (const variant of unitDeletions(folded, MOST_LETTERS))
        put(index.variants, `${digits(folded)}\0${variant}`, i);
  });
  nearIndexes.set(vocabulary, index);
  return index;
}

/** The vocabulary labels (indices, in order) that may be near `label`: every one likeness accepts, and some others. */
function nearCandidates(index: NearIndex, label: string): number[] {
  const folded = fold(label);
  const found = new Set<number>(index.long);
  const add = (list: number[] | undefined) => {
    if (list) for (const i of list) found.add(i);
  };
  // 'case' and 'plural'.
  for (const key of [folded, `${folded}s`, `${folded}es`]) add(index.folded.get(key));
  if (folded.endsWith('s')) add(index.folded.get(folded.slice(0, -1)));
  if (folded.endsWith('es')) add(index.folded.get(folded.slice(0, -2)));
  // 'spelling': an indexed label is at most LONG characters, so a label more than MOST_LETTERS longer is not near one.
  if (folded.length <= LONG + MOST_LETTERS) {
    const prefix = `${digits(folded)}\0`;
    for (const variant of unitDeletions(folded, MOST_LETTERS)) add(index.variants.get(prefix + variant));
  }
  return [...found].sort((a, b) => a - b);
}

/** The word less up to `k` of its UTF-16 units (as editDistance counts them), each way once. */
function unitDeletions(word: string, k: number): Set<string> {
  const out = new Set<string>([word]);
  let level = [word];
  for (let d = 0; d < k; d++) {
    const next: string[] = [];
    for (const w of level) {
      for (let i = 0; i < w.length; i++) {
        const v = w.slice(0, i) + w.slice(i + 1);
        if (!out.has(v)) {
          out.add(v);
          next.push(v);
        }
      }
    }
    level = next;
  }
  return out;
}

/** Said when every near miss was said on its own line (the dataset stage): the paragraph is never empty. */
function slipsSummary({ nearMisses, labelsName }: { nearMisses: unknown[]; labelsName: string }): string {
  const n = nearMisses.length;
  if (n === 0) return '';
  return (
    `${n} label${n === 1 ? '' : 's'} in ${labelsName} ${n === 1 ? 'is' : 'are'} not in collection.vocabulary but ` +
    `close to a label in it (said above, on ${n === 1 ? 'its lines' : 'their lines'}): correct ${n === 1 ? 'it' : 'them'} there.`
  );
}

/** The first of the labels.csv lines of these labels (a loop: a spread over 100,000 lines overflows the stack). */
function firstLine(labels: { lines: number[] }[]): number | undefined {
  let first: number | undefined;
  for (const { lines } of labels) for (const line of lines) if (first === undefined || line < first) first = line;
  return first;
}

/**
 * Two or more near misses in one message: under a heading, indented, so that the second ("labels.csv:8: …") does not
 * read as a warning of its own that lost its "warning:" (a tester, in vitrine init's output). The heading starts with
 * the file's name, so that a printed warning puts no place before it ("labels.csv:7: 2 labels in labels.csv …").
 */
function missList({ lines, labelsName }: { lines: string[]; labelsName: string }): string[] {
  if (lines.length < 2) return lines;
  return [
    `${labelsName} has ${lines.length} labels that look like labels of this collection written another way:`,
    ...lines.map((line) => `  ${line}`),
  ];
}

/** `labels.csv:7: "Figurine" is not one of the labels of this collection. Did you mean "figurine"?` */
function didYouMean({
  label,
  count,
  lines,
  meant,
  labelsName,
}: LabelCount & { lines: number[]; meant: string; labelsName: string }): string {
  const invisible = invisibleApart({ label, meant });
  const question =
    `is not one of the labels of this collection. Did you mean ${quoted(meant)}?` +
    (invisible ? ` It has ${invisible}, which makes the two look alike` : '');
  // A character shown by its code is one to delete (a soft hyphen pasted in): said so, as params.yaml says it.
  const shown = invisible ? shownApart(label) : label;
  const deletable = shown !== label;
  // Two or more ("<U+200E>Pottery<U+200B>"): each is to go.
  const them = (shown.match(/<U\+[0-9A-F]{4,6}>/g) ?? []).length > 1 ? 'them' : 'it';
  label = shown;
  if (lines.length === 1)
    return `${labelsName}:${lines[0]}: ${quoted(label)} ${question}${deletable ? `: delete ${them} on that line.` : invisible ? '.' : ''}`;
  if (lines.length === 0)
    return `${quoted(label)} (${count} object${count === 1 ? '' : 's'}) ${question}${invisible ? '.' : ''}`;
  const on = lines.slice(0, SHOWN_LINES).join(', ');
  const more = lines.length > SHOWN_LINES ? ` and ${lines.length - SHOWN_LINES} more` : '';
  return (
    `${labelsName}: ${quoted(label)} (${count} objects, on lines ${on}${more}) ${question}${invisible ? '.' : ''} ` +
    'Correct it on those lines.'
  );
}

/**
 * When all that sets a label apart from the one meant is an invisible character (a soft hyphen or a zero-width space
 * pasted from a web page), how to say it: "an invisible character (shown as <U+00AD>)"; else undefined. The two
 * would print alike, and "did you mean" a label that looks the same says nothing.
 */
function invisibleApart({ label, meant }: { label: string; meant: string }): string | undefined {
  // Spaces other than the plain one (a no-break space, French typography's narrow one) print as one too.
  const seen = (text: string) =>
    text
      .normalize('NFC')
      .replace(/\p{Cf}/gu, '')
      .replace(/\p{Zs}/gu, ' ');
  if (label === meant || seen(label) !== seen(meant)) return undefined;
  const found = [...new Set(label.match(/\p{Cf}|(?! )\p{Zs}/gu) ?? [])].map(codePoint);
  if (found.length === 0)
    return lettersApart({ id: label, other: meant }) === 'accents'
      ? 'its accents encoded another way (as a Mac writes them)'
      : 'its letters encoded another way (as a Mac saves them)';
  return found.length === 1
    ? `an invisible character or another space (shown here as ${found[0]})`
    : `invisible characters or other spaces (shown here as ${found.join(', ')})`;
}

/** A character as "<U+00A0>". */
function codePoint(character: string): string {
  return `<U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}>`;
}

/** A label with its invisible characters and other spaces shown as "<U+00A0>", beside one it looks like. */
function shownApart(label: string): string {
  return label.replace(/\p{Cf}|(?! )\p{Zs}/gu, codePoint);
}

function otherLabelsMessage({
  outside,
  vocabulary,
  labelsName,
  minPerLabel,
  suggested,
  tooFew,
  one,
  duplicates,
  close,
}: {
  outside: (LabelCount & { lines: number[] })[];
  vocabulary: string[];
  labelsName: string;
  minPerLabel: number;
  suggested: string[];
  tooFew: LabelCount[];
  one: boolean;
  duplicates: NearDuplicate[];
  /** Labels of `outside` a letter or two from one vocabulary label, used by enough objects to be labels of their own. */
  close: (LabelCount & { meant: string })[];
}): string {
  const withLines = outside.filter((c) => c.lines.length > 0);
  // A label column of catalogue numbers or titles (cls-0001, cls-0002, … each once) holds identifiers, not classes.
  const idLike = outside.filter((c) => c.count === 1 && /\p{N}/u.test(c.label));
  const identifiers = idLike.length >= IDENTIFIERS && idLike.length * 2 >= outside.length;
  const single = withLines.length === 1 && withLines[0]!.lines.length === 1;
  const onLines = withLines.length === 0 ? 'in' : single ? 'on that line of' : 'on those lines of';
  const tooLong = outside.find((c) => Array.from(c.label).length > 80)?.label;
  const lines = [
    `${outside.length} label${outside.length === 1 ? '' : 's'} used in ${labelsName} ` +
      `${outside.length === 1 ? 'is' : 'are'} not in collection.vocabulary in params.yaml: ` +
      `${some(outside.map((c) => `${labelInList(c.label)} (${c.count})`))}. Objects with these labels are not used for training.`,
    ...(identifiers
      ? [
          `${idLike.length} labels look like identifiers, not classes (each is used once and has a number, such as ` +
            `${some(
              idLike.map((c) => `${quoted(c.label)}`),
              3,
            )}): does the label column of ${labelsName} hold ` +
            'catalogue numbers or titles? It should hold a class from collection.vocabulary, such as ' +
            `${quoted(vocabulary[0] ?? 'coin')}.`,
        ]
      : []),
    ...(withLines.length > 0 ? [`In ${labelsName}: ${some(withLines.map(usedOn), SHOWN_LABELS / 2)}.`] : []),
    `Fix ${outside.length === 1 ? 'it' : 'each'} in one of two ways: if the label is right, add it to ` +
      `collection.vocabulary in params.yaml; if it is a typo or the wrong label, correct it ${onLines} ${labelsName}.`,
    // A label of hundreds of characters is text pasted into the label column, not a label to learn: the
    // vocabulary to paste would carry it whole.
    ...(tooLong
      ? [
          `The vocabulary is ${vocabulary.map(labelInList).join(', ')}. ${quoted(tooLong)} ` +
            `(${Array.from(tooLong).length} characters) is most likely text pasted into the label column: ` +
            `correct it in ${labelsName} first.`,
        ]
      : tooFew.length < outside.length && !identifiers
        ? [
            `The vocabulary is ${vocabulary.map(labelInList).join(', ')}. To use the labels in ${labelsName}, set in params.yaml:`,
            `  collection:\n    vocabulary: [${suggested
              .filter((l) => labelShown(l) === l)
              .map(yamlWord)
              .join(', ')}]`,
          ]
        : []),
    // A zero-width space, a control character or a direction mark in a Latin label (shown by its code): params.yaml
    // refuses such a label, so it is left out of the vocabulary to set, and said to delete where it is. So is a joiner
    // that joins nothing (at an end, doubled, between Latin letters), said as a joiner.
    ...outside
      .filter((c) => labelShown(c.label) !== c.label)
      .slice(0, SHOWN_LABELS)
      .map((c) => {
        const where =
          c.lines.length === 0
            ? 'in'
            : `on line${c.lines.length === 1 ? '' : 's'} ${c.lines.slice(0, SHOWN_LINES).join(', ')}` +
              `${c.lines.length > SHOWN_LINES ? ` and ${c.lines.length - SHOWN_LINES} more` : ''} of`;
        return strayJoiners(c.label).length < pastedInLabel(c.label).length
          ? pastedWords({ label: c.label, where: `${where} ${labelsName}` })
          : strayJoinerWords({ label: c.label, where: `${where} ${labelsName}` });
      }),
    ...(tooFew.length
      ? [
          `${some(tooFew.map((c) => `${labelInList(c.label)} (${c.count})`))} ${one ? 'has' : 'have'} too few objects to ` +
            `learn and test (${labelRule({ full: minPerLabel })}): label more objects with ${one ? 'it' : 'them'} ` +
            // Not "or give their objects a label in it": a tester read that as "call the drawings Paintings".
            `before adding ${one ? 'it' : 'them'} to collection.vocabulary.`,
        ]
      : []),
    ...close.map(
      (c) =>
        `${quoted(c.label)} (${c.count} objects) is close to ${quoted(c.meant)} in the vocabulary. Did you mean ` +
        `${quoted(c.meant)}? Then correct those lines of ${labelsName}. If ${quoted(c.label)} is a label of its own, ` +
        'add it to collection.vocabulary in params.yaml instead.',
    ),
    ...duplicatesMessage({ duplicates, labelsName }),
  ];
  return lines.join('\n');
}

/**
 * A label as a list of labels names it: in quotes when it holds a comma, which in the list would read as two labels
 * (tester: "céramique (2), print, framed (1)"); cut when long.
 */
export function labelInList(label: string): string {
  // A zero-width space, a control character or a joiner that joins nothing shown by its code ("Kupfer<U+200B>stich",
  // "<U+200C>کتاب"): as it is, it does not show. A joiner inside a Persian or Hindi word is shown as it is.
  const shown = labelShown(label);
  return shown.includes(',') || shown.includes('"') ? quoted(shown) : clip(shown);
}

/**
 * What to do of the characters of `label` params.yaml refuses (pastedInLabel), each named with its code:
 * `"<U+200E>Pottery<U+200B>" has 2 characters that do not show (U+200E, a left-to-right mark; U+200B, a zero-width
 * space; written here as their codes), which params.yaml refuses in a label: delete them on lines 20, 21 of labels.csv.`
 */
function pastedWords({ label, where }: { label: string; where: string }): string {
  const { what, them } = pastedCharacters(label);
  return `${quoted(labelShown(label))} has ${what}, which params.yaml refuses in a label: delete ${them} ${where}.`;
}

/**
 * The characters of `label` params.yaml refuses (pastedInLabel), each named with its code, in words to follow "has":
 * `a character that does not show (U+200B, a zero-width space, written here as its code)`, `2 characters that do not
 * show (U+200E, a left-to-right mark; U+200B, a zero-width space; written here as their codes)`; `them`, how to say
 * what to delete.
 */
export function pastedCharacters(label: string): { what: string; them: 'it' | 'them' } {
  const pasted = pastedInLabel(label);
  const names = [...new Set(pasted.map((at) => label[at]!))].map((c) => {
    const name = HIDDEN_CHARACTER_NAMES[c] ?? controlName(c) ?? 'format character';
    return `${characterCode(c)}, ${/^[aeiou]/i.test(name) ? 'an' : 'a'} ${name}`;
  });
  const one = pasted.length === 1;
  return {
    what: one
      ? `a character that does not show (${names.join('; ')}, written here as its code)`
      : `${pasted.length} characters that do not show (${names.join('; ')}; written here as their codes)`,
    them: one ? 'it' : 'them',
  };
}

/**
 * What to do of the joiners of `label` that join nothing (strayJoiners), named with their codes: delete the one pasted
 * in, or one of two written side by side. `where`: "on lines 20, 21 of labels.csv".
 */
function strayJoinerWords({ label, where }: { label: string; where: string }): string {
  const stray = strayJoiners(label);
  const names = [...new Set(stray.map((at) => label[at]!))].map(
    (c) => `${HIDDEN_CHARACTER_NAMES[c]}, ${characterCode(c)}`,
  );
  const what = `${names.length === 1 ? 'a ' : ''}${names.join('; ')}, written here as its code`;
  const shown = quoted(labelShown(label));
  if (stray.some((at) => /[\u200c\u200d]/.test(label[at + 1] ?? '')))
    return `${shown} has a joiner written twice (${what}): delete one of the two ${where}.`;
  const one = stray.length === 1;
  return (
    `${shown} has ${one ? 'a joiner that joins' : 'joiners that join'} nothing (${what}; one belongs only inside a ` +
    `word of a script written with it, such as Persian or Hindi): ${one ? 'it was' : 'they were'} most likely ` +
    `pasted in with the label. Delete ${one ? 'it' : 'them'} ${where}.`
  );
}

/** Labels joined with commas, each as a list names it (`labelInList`): "bowl, "pot, lidded", vase". */
export function labelList(labels: readonly string[]): string {
  return labels.map(labelInList).join(', ');
}

/**
 * The labels outside the vocabulary that are most likely right and only too few to learn: no slip for a vocabulary
 * label (a near miss), not among the labels the check suggests adding, used by more than RARE objects (one or two
 * are most likely a slip, and keep their warning on their lines), not text pasted into the label column. Said as
 * kept, not learned (keptNotLearnedWords), rather than warned of line by line (a tester: 39 warnings on every run for
 * a gallery's drawings, prints and textiles).
 */
export function labelsKeptNotLearned(check: VocabularyCheck): LabelCount[] {
  if (check.typos.length > 0) return [];
  const slips = new Set(check.nearMisses.map((c) => c.label));
  const suggested = new Set(check.suggested);
  return (
    check.outside
      .filter((c) => !slips.has(c.label) && !suggested.has(c.label))
      .filter((c) => c.count > RARE && Array.from(c.label).length <= 80)
      // One with a character pasted in ("Pottery\u200b") could never be added to the vocabulary: to correct, not keep.
      .filter((c) => pastedInLabel(c.label).length === 0)
      .map(({ label, count }) => ({ label, count }))
  );
}

/**
 * `5 objects keep their labels in labels.csv and in the catalogue, but the model does not learn these labels:
 * Drawing (4), Photograph (1) have too few objects …`: nothing to fix (a tester read the warning's "fix" and "give
 * their objects a label in it" as "call the drawings Paintings").
 */
export function keptNotLearnedWords({
  labels,
  minPerLabel,
  labelsName,
}: {
  labels: LabelCount[];
  minPerLabel: number;
  labelsName: string;
}): string {
  const objects = labels.reduce((sum, c) => sum + c.count, 0);
  const one = labels.length === 1;
  return (
    `${objects} object${objects === 1 ? ' keeps its label' : 's keep their labels'} in ${labelsName} and in the ` +
    `catalogue, but the model does not learn ${one ? 'this label' : 'these labels'}: ` +
    `${some(labels.map((c) => `${labelInList(c.label)} (${c.count})`))} ${one ? 'has' : 'have'} too few ` +
    `objects to learn and test (${labelRule({ full: minPerLabel })}). Once ${one ? 'it has' : 'one has'} enough, ` +
    'add it to collection.vocabulary in params.yaml.'
  );
}

/** Up to `shown` items joined with commas, then "and N more". */
function some(items: string[], shown = SHOWN_LABELS): string {
  return listWords(items, { last: ',', max: shown });
}

/**
 * Each pair that looks like one label written twice; past a few, one summary with examples: 300 numbered labels
 * printed 42,066 pair lines.
 */
function duplicatesMessage({ duplicates, labelsName }: { duplicates: NearDuplicate[]; labelsName: string }): string[] {
  const seen = (l: string) => l.replace(/\p{Cf}/gu, '');
  const unseenOnly = (d: NearDuplicate) => d.labels[0] !== d.labels[1] && seen(d.labels[0]) === seen(d.labels[1]);
  // Two labels that differ only in characters that do not show (a joiner inside a Persian word, a direction mark)
  // print alike however labelShown writes them: every such character of both is written by its code (review V4).
  const codes = (l: string) => l.replace(/\p{Cf}/gu, (c) => `<${characterCode(c)}>`);
  const shown = (d: NearDuplicate, l: string) => quoted(unseenOnly(d) ? codes(l) : labelShown(l));
  const pair = (d: NearDuplicate) => `${shown(d, d.labels[0])} and ${shown(d, d.labels[1])}`;
  const why = (d: NearDuplicate) =>
    unseenOnly(d) ? 'they differ only in a character that does not show, written here as its code' : WHY[d.why];
  const fix = `correct one of them in ${labelsName} and keep one in the vocabulary.`;
  if (duplicates.length <= SHOWN_PAIRS)
    return duplicates.map((d) => `${pair(d)} look like the same label (${why(d)}): ${fix}`);
  return [
    `${duplicates.length} pairs of labels look like the same label written two ways; for each, ${fix} For example:`,
    ...duplicates.slice(0, SHOWN_PAIRS).map((d) => `  ${pair(d)} (${why(d)})`),
    `  …and ${duplicates.length - SHOWN_PAIRS} more.`,
  ];
}

/** `"Statuary" (7 objects) on lines 3, 4, 6, 7, 8 and 2 more` */
function usedOn({ label, count, lines }: { label: string; count: number; lines: number[] }): string {
  const shown = lines.slice(0, SHOWN_LINES).join(', ');
  const more = lines.length > SHOWN_LINES ? ` and ${lines.length - SHOWN_LINES} more` : '';
  return `${quoted(labelShown(label))} (${count} object${count === 1 ? '' : 's'}) on line${lines.length === 1 ? '' : 's'} ${shown}${more}`;
}

/**
 * The file a pull request annotation should point at. A label outside the vocabulary used by one or two objects
 * is most likely a slip in labels.csv (a typo, the wrong word): its first line, which the pull request shows. A
 * label many objects use was meant, so the vocabulary in params.yaml is what to change; one annotation could not
 * mark all its lines anyway.
 */
function whereToFix({ outside, labelsName }: { outside: { count: number; lines: number[] }[]; labelsName: string }): {
  file: string;
  line?: number;
} {
  const slips = outside.length > 0 && outside.every((c) => c.count <= RARE && c.lines.length > 0);
  if (!slips) return { file: 'params.yaml' };
  return { file: labelsName, line: firstLine(outside) };
}

const WHY: Record<NearDuplicate['why'], string> = {
  case: 'they differ only in capitals',
  plural: 'one is the plural of the other',
  spelling: 'a spelling variant',
};

/**
 * Pairs of labels that look like one label written two ways: capitals, a plural "s", or one or two letters apart.
 * Labels that share a key (the folded label, its stem without a plural ending, or the label less one or two letters)
 * are the only ones compared: comparing every pair took minutes for 5,000 labels.
 */
export function nearDuplicates(labels: string[]): NearDuplicate[] {
  const buckets = new Map<string, number[]>();
  const put = (key: string, i: number) => {
    const bucket = buckets.get(key);
    if (!bucket) buckets.set(key, [i]);
    else if (bucket[bucket.length - 1] !== i) bucket.push(i);
  };
  labels.forEach((label, i) => {
    const folded = fold(label);
    for (const stem of [folded, folded.replace(/e?s$/, ''), folded.replace(/s$/, '')]) put(`p\0${stem}`, i);
    const allowed = lettersAllowed(folded.length);
    // A label of more than 40 letters is text, not a word: no spelling variants (its variants would be thousands).
    const prefix = `d\0${digits(folded)}\0`;
    if (allowed > 0 && folded.length <= 40) for (const v of deletions(folded, allowed)) put(prefix + v, i);
  });
  const seen = new Set<number>();
  const pairs: [number, number][] = [];
  for (const bucket of buckets.values()) {
    for (let x = 0; x < bucket.length; x++) {
      for (let y = x + 1; y < bucket.length; y++) {
        const [i, j] = [bucket[x]!, bucket[y]!].sort((a, b) => a - b) as [number, number];
        const key = i * labels.length + j;
        if (seen.has(key)) continue;
        seen.add(key);
        pairs.push([i, j]);
      }
    }
  }
  pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return pairs.flatMap(([i, j]) => {
    const why = likeness(labels[i]!, labels[j]!);
    return why ? [{ labels: [labels[i]!, labels[j]!] as [string, string], why }] : [];
  });
}

/**
 * Whether two labels differ only in capitals, spaces or punctuation ("Figurine", "figurine "): the likeness
 * nearMiss calls 'case', for readers that must tell it from a letter or a plural apart.
 */
export function sameFolded(a: string, b: string): boolean {
  return fold(a) === fold(b);
}

function fold(label: string): string {
  return label.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

/** The digits of a label in order: labels with different numbers (vase-1, vase-2) are different things. */
function digits(folded: string): string {
  return folded.replace(/\P{N}+/gu, '');
}

/** Letters two labels may differ by: short words one letter apart are often different words (mask / mast). */
function lettersAllowed(length: number): number {
  return length >= 7 ? 2 : length >= 5 ? 1 : 0;
}

/** The word less up to `k` of its letters, each way once. */
function deletions(word: string, k: number): Set<string> {
  const out = new Set<string>([word]);
  let level = [word];
  for (let d = 0; d < k; d++) {
    const next: string[] = [];
    for (const w of level) {
      // Letters, not UTF-16 units: a letter outside the Basic Multilingual Plane is two units.
      const chars = /[\uD800-\uDFFF]/.test(w) ? Array.from(w) : w;
      for (let i = 0; i < chars.length; i++) {
        const v = typeof chars === 'string' ? w.slice(0, i) + w.slice(i + 1) : chars.toSpliced(i, 1).join('');
        if (!out.has(v)) {
          out.add(v);
          next.push(v);
        }
      }
    }
    level = next;
  }
  return out;
}

function likeness(a: string, b: string): NearDuplicate['why'] | undefined {
  if (a === b) return undefined;
  const na = fold(a);
  const nb = fold(b);
  if (na === nb) return 'case';
  if (`${na}s` === nb || `${nb}s` === na || `${na}es` === nb || `${nb}es` === na) return 'plural';
  // cls-0297 and cls-0299 are two numbered things, not one label spelt two ways.
  if (digits(na) !== digits(nb)) return undefined;
  const allowed = lettersAllowed(Math.min(na.length, nb.length));
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
    if (current.every((d) => d > limit)) return limit + 1;
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
