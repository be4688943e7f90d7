import { assignSlugs } from '../catalogue/derive.ts';
import {
  chanceWords,
  countedByRelabelled,
  crossValidatedChange,
  crossValidatedVerdict,
  labelsToCheck,
  levelled,
  scoredObjectsWords,
} from '../evaluate/verdict-words.ts';
import { isWeak, leastSimilarity, notBetterThanGuessing, weakModel } from '../review/index.ts';
import { alikeGroupWords, alikeWords } from '../review/look-alike.ts';
import type { Dataset, DatasetObject, Metrics, ModelInfo } from '../types.ts';
import { listWords } from '../words.ts';
import { visibleId } from './invisible.ts';
import { leftOutSection } from './left-out.ts';
import { attribute, link, num, pValue, safeUrl, shorten, table, text } from './markdown.ts';

/*
 * The pull-request report's sections that come from cross-validation over every labelled object:
 * objects whose label looks wrong (top 20), and, as they are added, the verdict judged on every
 * labelled object and the estimate on an unseen source. Kept apart from render.ts, which hooks
 * them in where they belong.
 */

/** Thumbnail and page of an object on the published catalogue (null when report.catalogue_url is unset). */
export type CatalogueLinks = (id: string) => { thumbnailUrl: string | null; pageUrl: string | null };

/**
 * A row of a group of three or more look-alikes: "print, as B is labelled: these 3 objects (A, B and C) have very
 * similar photographs but different labels: at least one of the labels is probably wrong".
 */
function lookAlikeGroupWords(i: Row, top: Row[]): string {
  const others = i.lookAlikes ?? [];
  const so = others.filter((o) => o.label === i.suggested).map((o) => shownId(o.id));
  const ids = [i.id, ...others.map((o) => o.id)].sort().map(shownId);
  const how = alikeGroupWords(leastSimilarity({ item: i, items: top }));
  return (
    `${text(i.suggested)}${so.length ? `, as ${listWords(so)} ${so.length === 1 ? 'is' : 'are'} labelled` : ''}: ` +
    `these ${ids.length} objects (${listWords(ids)}) have ${how} but different labels: at least ` +
    'one of the labels is probably wrong'
  );
}

/** An id as the report writes it: escaped, each character no id may hold by its code (reviewer V34 M1). */
function shownId(id: string): string {
  return text(visibleId(id));
}

type Row = NonNullable<Metrics['mislabelled']>['top'][number];

/** "Objects that look mislabelled": the 20 labels most likely wrong, with thumbnails when the catalogue is published. */
export function mislabelledSection({
  metrics,
  links,
  titleOf,
  changes,
}: {
  metrics: Metrics;
  links: CatalogueLinks;
  titleOf: (id: string) => string;
  /**
   * Labels this pull request changed or added (the label before, null when newly labelled): the list is
   * made on the labels now, so a corrected label that still looks wrong is named as the new one.
   */
  changes?: Map<string, string | null>;
}): string {
  const m = metrics.mislabelled;
  if (!m) return '';
  const title = '### Objects that look mislabelled';
  // A model at chance lists nothing when it ties everywhere: that is not agreement.
  if (m.agreement && !m.agreement.better && m.top.length === 0)
    return `${title}\n\n**${notBetterThanGuessing(m.agreement, m.checked, { listed: false })}**`;
  if (m.top.length === 0)
    return (
      `${title}\n\nEach of the ${m.checked} labelled objects was shown to a model trained without it; ` +
      `every one agreed with its label.`
    );
  const atChance = m.agreement ? !m.agreement.better : false;
  const weak = isWeak(m.agreement);
  // ⚠️ marks what `vitrine review` calls "flagged" and the catalogue's labelIssue `flagged`: confident
  // learning's count at its per-label threshold, not what only ranks high. metrics.json written before
  // `reason` was recorded says only `confident`: read as review.json of that time is (reasonOf).
  const flaggedOf = (i: (typeof m.top)[number]) =>
    (i.reason ?? (i.confident && !atChance && !weak ? 'flagged' : 'ranked')) === 'flagged';
  const flagged = m.flagged ?? (atChance || weak ? 0 : m.confident);
  const withImages = m.top.some((i) => links(i.id).thumbnailUrl);
  const rows = m.top.map((i) => {
    const { thumbnailUrl, pageUrl } = links(i.id);
    const src = thumbnailUrl ? safeUrl(thumbnailUrl) : null;
    const image = src
      ? `<img src="${attribute(src)}" alt="${attribute(shorten(titleOf(i.id)) || i.id)}" width="64">`
      : '';
    return [
      ...(withImages ? [image] : []),
      pageUrl ? link(visibleId(i.id), pageUrl) : shownId(i.id),
      text(shorten(titleOf(i.id))),
      text(i.label) + changedNote(changes, i.id),
      // One of a look-alike pair or group (review/look-alike.ts): the model cannot tell which of the labels is wrong.
      i.lookAlikes
        ? lookAlikeGroupWords(i, m.top)
        : i.lookAlike
          ? `${text(i.suggested)}, as ${shownId(i.lookAlike.id)} is labelled: their photographs are ` +
            `${alikeWords(i.lookAlike.similarity, { are: true })}, so at least one of the two labels is probably wrong`
          : `${text(i.suggested)} (${Math.round(i.confidence * 100)}% sure)`,
      `${num(i.score, 2)}${flaggedOf(i) && !atChance ? ' ⚠️' : ''}`,
    ];
  });
  const header = [...(withImages ? [''] : []), 'Object', 'Title', 'Label', 'The model suggests', 'How likely wrong'];
  const intro =
    (atChance ? `**${notBetterThanGuessing(m.agreement!, m.checked)}**\n\n` : '') +
    (weak ? `**${weakModel(m.agreement!)}**\n\n` : '') +
    `Each of the ${m.checked} labelled objects was shown to a model trained without it (cross-validation). ` +
    (atChance || flagged === 0
      ? `For ${m.candidates} of them it suggests another label. `
      : `For ${m.candidates} of them it suggests another label; ${flagged} of those ` +
        `${flagged === 1 ? 'is flagged (⚠️): it stands' : 'are flagged (⚠️): they stand'} out clearly, the model ` +
        'being at least as sure of the label it suggests as it is, on average, of the objects that have that label ' +
        `(confident learning).${m.candidates > flagged ? ' The others rank high without a flag: worth a look.' : ''} `) +
    (m.top.length === 1
      ? 'The one most likely wrong is below: worth a second look, not an automatic change. '
      : `The ${Math.min(20, m.top.length)} most likely wrong are below, most likely first: worth a second look, not an ` +
        'automatic change. ') +
    '`npx vitrine review` lists them all.';
  return `${title}\n\n${intro}\n\n${table({ header, rows })}`;
}

function changedNote(changes: Map<string, string | null> | undefined, id: string): string {
  if (!changes?.has(id)) return '';
  const before = changes.get(id);
  return before === null || before === undefined
    ? ' (newly labelled in this pull request)'
    : ` (changed from ${text(before)} in this pull request)`;
}

/** "Judged on every labelled object": the cross-validated comparison of the labels before and now. */
export function crossValidatedSection({
  metrics,
  listed,
  onMain = false,
}: {
  metrics: Metrics;
  /** The label table's count (changed lines of labels.csv) and how many of those have no usable photograph. */
  listed?: { changes: number; photoUnusable: number };
  /** A run on the main branch itself: the changes are merged already (onMainItself). */
  onMain?: boolean;
}): string {
  const cv = metrics.crossValidated;
  if (!cv) return '';
  // Tester #3: "a change of 3 labels" here and "4 objects newly labelled" in the table: the two count different things.
  const lines = (n: number) => `${n} ${n === 1 ? 'label' : 'labels'}`;
  const unusable = listed?.photoUnusable ?? 0;
  const counts =
    listed && listed.changes !== cv.changed
      ? ` This counts the objects with a usable photograph whose label differs from the labels before; the ` +
        `label table lists ${lines(listed.changes)} changed in labels.csv` +
        (unusable > 0
          ? `, ${unusable} of them on ${unusable === 1 ? 'an object whose photograph' : 'objects whose photographs'} ` +
            'cannot be used (no model can learn from those).'
          : '.')
      : '';
  const c = cv.comparison;
  // The figures, the verdict and the objects scored in the words the evaluate summary and the model card share.
  const change = crossValidatedChange(c.difference, {
    note: `${levelled(c.alpha, 'range')}, allowing for the variation between training runs`,
    minChange: c.minChange,
  });
  const verdict = crossValidatedVerdict(c, cv.before);
  const words = `**${verdict.name[0]!.toUpperCase()}${verdict.name.slice(1)}**: ${verdict.why}.`;
  const scored = scoredObjectsWords(cv);
  const scoredOn =
    `each of ${scored.objects} was predicted by a model that had not seen it; both were scored ` +
    `${scored.scoredOn}.`;
  return [
    '### Judged on every labelled object',
    '',
    `The test split holds ${metrics.n} ${metrics.n === 1 ? 'object' : 'objects'}, too few to judge a change ` +
      `of ${cv.changed} ${cv.changed === 1 ? 'label' : 'labels'} on its own.${counts} ` +
      `So the model was trained ${cv.k} times on the labels before (${text(cv.base.ref)}) and ${cv.k} times on ` +
      `the labels now, in the same folds, and ${scoredOn}` +
      (cv.sample
        ? ` With ${cv.sample.of} labelled objects, each of these models learnt from a sample of ${cv.sample.objects} of them, ` +
          'drawn once for all of them and keeping each label’s share (evaluate.cv_max_objects), so that the report comes within minutes.'
        : ''),
    '',
    `On average the model gives each object's label (as it is now) a probability ` +
      `of ${num(cv.probability.baseline, 2)} when trained on the labels before ` +
      `and ${num(cv.probability.candidate, 2)} when trained on the labels now: a change of ${change}, ` +
      `${pValue(c.pValue)}${chanceWords(c.pValue) ? ` (${chanceWords(c.pValue)})` : ''}. ${words}` +
      relabelledWords(cv),
    '',
    // Plain words first, the term after (testers read the comment's terms as jargon).
    `The overall score of those predictions, each label counting equally (cross-validated macro-F1): ` +
      `${num(cv.baseline.value, 3)} with the labels before, ${num(cv.candidate.value, 3)} with the labels now.` +
      disagreeing(cv),
    ...beforeParagraph({ cv, onMain }),
  ].join('\n');
}

/**
 * The objects relabelled, on their own, in words staff read without the report's terms: " Just the 12 objects
 * relabelled: how well their photographs agree with their new labels goes from 0.17 (model trained on the labels
 * before) to 0.54 (trained on the labels now)." (the verdict's words say when they are what makes a change count).
 * When the two figures as printed differ by less than evaluate.min_change, and the model already read most of these
 * objects as their new label, it says so: staff could not tell why a fix of 19 labels moved them so little. Never
 * when their change counted for the verdict: a reviewer had "Better" and "Little changes" in one paragraph. Empty for
 * a metrics.json written before, or with no object relabelled.
 */
function relabelledWords(cv: NonNullable<Metrics['crossValidated']>): string {
  const c = cv.comparison;
  const r = c.relabelled;
  if (!r) return '';
  const one = r.objects === 1;
  // The figures as printed: 0.7951 and 0.8449 read 0.80 and 0.84, and the words are about what staff read.
  const [baseline, candidate] = [num(r.baseline, 2), num(r.candidate, 2)];
  const figures =
    ` Just ${one ? 'the object relabelled' : `the ${r.objects} objects relabelled`}: how well ` +
    `${one ? 'its photograph agrees with its new label' : 'their photographs agree with their new labels'} goes ` +
    `from ${baseline} (model trained on the labels before) to ${candidate} (trained on the labels now).`;
  // In hundredths, so that 0.99 − 0.98 is not read as more than 0.01.
  const moved = Math.abs(Math.round(Number(candidate) * 100) - Math.round(Number(baseline) * 100));
  const little = moved < (c.minChange ?? MIN_CHANGE) * 100 - 1e-9 && !countedByRelabelled(c);
  // A mean of at least 0.8 leaves at most 40% of them at 0.5 or less: "most" is true.
  if (!little || Number(baseline) < 0.8) return figures;
  return (
    `${figures} Little changes because, even trained on the labels before, the model already read ` +
    `${one ? 'this object' : 'most of these objects'} as ${one ? 'its' : 'their'} new label.`
  );
}

/** evaluate.min_change's default, for a metrics.json written before it was recorded. */
const MIN_CHANGE = 0.01;

/**
 * What the photographs said before the change, for the objects relabelled: both arms are scored on the labels now, so
 * the figures above measure how well the labels fit the photographs, not whether they are right (a tester's 25 beads
 * moved together to Pottery were "better"). Empty for a metrics.json written before, or with no object relabelled.
 */
function beforeParagraph({ cv, onMain }: { cv: NonNullable<Metrics['crossValidated']>; onMain: boolean }): string[] {
  const before = cv.before;
  if (!before || before.relabelled === 0) return [];
  const { relabelled, old } = before;
  const fresh = relabelled - old;
  const of = relabelled === 1 ? 'the object relabelled' : `the ${relabelled} objects relabelled`;
  const favoured =
    old === 0
      ? `the new label for ${relabelled === 1 ? of : `all ${relabelled} objects relabelled`}`
      : `the new label for ${fresh} of ${of} and the old label for ${old}`;
  const said =
    'Models that learnt every other object’s label but neither label of the objects relabelled (each object ' +
    `predicted by a model that had not seen it) favoured ${favoured}.`;
  const check = labelsToCheck(cv);
  const meaning = check
    ? ' So the photographs mostly pointed to the old labels: the model fits the new labels because they are ' +
      'consistent with each other, which a deliberate change in how these objects are catalogued is, and a wrong ' +
      `one can be too. ${onMain ? 'Check them' : 'Check them before merging'}; the model cannot judge which this is.`
    : old === 0
      ? ''
      : ' A genuine correction is usually one the photographs point to.';
  return ['', `${said}${meaning}`];
}

/**
 * A verdict against the way macro-F1 moved: a tester read "Worse" beside two higher macro-F1 figures as a mistake.
 * It was not (two of the three new labels were on copies of photographs that other objects have under another
 * label), so the words say what the verdict measures and where to look.
 */
function disagreeing(cv: NonNullable<Metrics['crossValidated']>): string {
  const { verdict } = cv.comparison;
  if (verdict === 'worse' && cv.candidate.value >= cv.baseline.value)
    return (
      ' Its top answers barely changed, but it is less sure of the labels as they are now: that is what labels ' +
      'that disagree with their photographs do (for example the same photograph under two different labels, or a ' +
      'label that fits another kind of object). Check the new and changed labels below.'
    );
  if (verdict === 'better' && cv.candidate.value < cv.baseline.value)
    return (
      ' Its top answers did not improve, but it is surer of the labels as they are now: the labels now agree ' +
      'better with their photographs.'
    );
  return '';
}

/** "On a source it has not seen": the leave-one-group-out estimate (evaluate.group_by). */
export function outOfCollectionSection({ metrics }: { metrics: Metrics }): string {
  const o = metrics.outOfCollection;
  if (!o) return '';
  const pctOf = (x: number) => `${Math.round(x * 100)}%`;
  const rows = o.groups.map((g) => [text(g.value), String(g.n), pctOf(g.accuracy), num(g.macroF1, 2)]);
  return [
    `### On photographs from a ${text(o.field)} it has not seen`,
    '',
    `Holding out each ${text(o.field)} in turn and training on the others, macro-F1 is about ${num(o.macroF1.value, 2)} ` +
      `(95% range ${num(o.macroF1.low, 2)} to ${num(o.macroF1.high, 2)}), ` +
      `against ${num(o.randomFolds.macroF1.value, 2)} when the same ${o.n} objects are split at random. ` +
      'Expect the lower figure on photographs from a new museum, photographer or studio.',
    '',
    table({ header: [`${text(o.field)} held out`, 'Objects', 'Accuracy', 'Macro-F1'], rows }),
  ].join('\n');
}

/** The sections of this file for renderMarkdown, with catalogue links made the way the report makes them. */
export function reportSections({
  metrics,
  model = null,
  dataset,
  addresses,
  links,
  changes,
  listed,
  onMain = false,
}: {
  metrics: Metrics;
  /** How many label changes the report lists, and how many of them are of objects without a usable photograph. */
  listed?: { changes: number; photoUnusable: number };
  /** A run on the main branch itself, with no base: no pull request to speak of (onMainItself). */
  onMain?: boolean;
  /** The trained model's description: the objects training left out. */
  model?: Pick<ModelInfo, 'leftOut'> | null;
  dataset: Pick<Dataset, 'objects'> | null;
  /** Each object's catalogue address (catalogueAddresses); without it, the addresses a first build gives. */
  addresses?: Map<string, string>;
  /** Labels this pull request changed or added, with the label before (null: newly labelled). */
  changes?: Map<string, string | null>;
  links: (
    id: string,
    slug: string | undefined,
    object: DatasetObject | undefined,
  ) => { thumbnailUrl: string | null; pageUrl: string | null };
}): { afterIntro: string[]; afterScores: string[]; beforeLineage: string[] } {
  const objects = new Map((dataset?.objects ?? []).map((o) => [o.id, o]));
  // The catalogue's addresses (kept from its last build: report/addresses.ts); without them, as a first build makes them.
  const ids = [...objects.keys()];
  const slugOf = addresses ?? new Map(assignSlugs({ ids, previous: new Map() }).map((slug, i) => [ids[i]!, slug]));
  const linksOf: CatalogueLinks = (id) => links(id, slugOf.get(id), objects.get(id));
  const titleOf = (id: string) => objects.get(id)?.title ?? '';
  return {
    afterIntro: [crossValidatedSection({ metrics, listed, onMain })].filter(Boolean),
    afterScores: [leftOutSection({ metrics, model, objectOf: (id) => objects.get(id), links: linksOf })].filter(
      Boolean,
    ),
    beforeLineage: [
      outOfCollectionSection({ metrics }),
      mislabelledSection({ metrics, links: linksOf, titleOf, changes }),
    ].filter(Boolean),
  };
}
