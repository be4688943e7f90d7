import { labelInList } from '../collection/vocabulary.ts';
import { labelLossWords } from '../evaluate/gate.ts';
import { keptWords, relearntWords, withdrawnDiffCommand, withdrawnHeadWords } from '../registry/withdrawn-words.ts';
import type { LabelLoss } from '../types.ts';
import { listWords } from '../words.ts';
import { visibleId } from './invisible.ts';
import { code, shorten, text } from './markdown.ts';
import type { LabelChange, ParamChange, ReportJson } from './types.ts';

/*
 * What a registrar must know before merging, said right under the comment's first line (testers T7, T8): each of
 * these was said only far down (in "Where this result comes from", in the label table) under a green tick. A
 * warning takes the tick away (`warns`); a plain note (a label newly learnt, a site that shows less) does not.
 */

/** The paragraphs said under the first line, Markdown; `warns`: one of them is a warning (no green tick above it). */
export interface OpeningLines {
  paragraphs: string[];
  warns: boolean;
  /** The warnings among `paragraphs`, as plain text (for report.json and the commit status). */
  warnings: string[];
  /** Of `warnings`, the one that the labels of a withdrawn version are learnt again, for the run's log too. */
  relearnt: string[];
}

/** The share of labelled objects (or the count) whose labels taken out at once a registrar should be told of first. */
export const REMOVED_SHARE = 0.1;
export const REMOVED_COUNT = 20;
/** Fewer labels taken out than this are a correction, not a loss: not said at the top, whatever the share. */
const REMOVED_AT_LEAST = 5;

/**
 * The opening paragraphs of the comment, most serious first: data/ that is not this branch's, labels taken out,
 * ids retyped, what the public site shows, labels newly learnt. `onMain`: a run on the main branch itself ("this
 * change"). Empty when there is nothing to say.
 */
export function openingLines({ report, onMain = false }: { report: ReportJson; onMain?: boolean }): OpeningLines {
  const change = onMain ? 'this change' : 'this pull request';
  const relearnt = withdrawnLabelsWords({ report, change });
  const warnings = [
    dataElsewhereWords({ report, change }),
    relearnt,
    labelsTakenOutWords({ report, change }),
    vocabularyRemovedWords({ report, change }),
    retypedIdsWords(report),
    publishingWords({ params: report.lineage.params, change, more: true }),
  ].filter(Boolean);
  const notes = [
    publishingWords({ params: report.lineage.params, change, more: false }),
    vocabularyAddedWords({ report, change }),
  ].filter(Boolean);
  return {
    paragraphs: [...warnings, ...notes],
    warns: warnings.length > 0,
    warnings: warnings.map(plainText),
    relearnt: relearnt ? [plainText(relearnt)] : [],
  };
}

/** A paragraph of the opening without its Markdown: no icon, bold or code marks, escapes or entities. */
function plainText(markdown: string): string {
  return markdown
    .replace(/^⚠️\s*/, '')
    .replace(/\*\*|`/g, '')
    .replace(/\\(.)/g, '$1')
    .replace(/\u200b/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function capital(s: string): string {
  return `${s[0]?.toUpperCase() ?? ''}${s.slice(1)}`;
}

/**
 * data/ as the dataset stage read it is not what data.dvc records (lineage.dataUsed): a branch checked out without
 * `vitrine data checkout` trains, scores and compares object records on another branch's data (tester T7).
 */
function dataElsewhereWords({ report, change }: { report: ReportJson; change: string }): string {
  if (!report.lineage.dataUsed) return '';
  const head = '⚠️ **data/ on the computer that ran this is not what data.dvc records for this commit**';
  const run = 'Run `npx vitrine data checkout`, then `npx vitrine run` again.';
  // Training and scoring skipped after the dataset stage read it (reviewer V12): not made by this run, but an earlier
  // run may have made them from data/ as it is (reviewer V13), so not said to be fine either.
  if (report.lineage.dataUsedAfterModel)
    return (
      `${head} (files added to data/ and not recorded, or a branch checked out without its data, say): the object ` +
      'records and photographs below are compared as they are in data/, so they may be another branch’s changes, ' +
      `not ${change}’s. The model and its scores were not made again by this run (nothing they read from data/ ` +
      'changed since they were made), so they too may come from data/ as it is there, not from what data.dvc ' +
      `records. ${run}`
    );
  return (
    `${head} (a branch checked out without its data, say): the model was trained and scored on data/ as it was ` +
    'there, and the object records and photographs below are compared as they are in data/, so they may be ' +
    `another branch’s changes, not ${change}’s. ${run}`
  );
}

/**
 * Production was put back by a rollback, and labels.csv still holds label changes the versions it withdrew learnt: the
 * model tested learns them again, and merging puts it in production (tester T10: nothing said so). Each version is
 * named with its own changes: two rollbacks in a row withdraw two (reviewer V16).
 */
function withdrawnLabelsWords({ report, change }: { report: ReportJson; change: string }): string {
  const w = report.withdrawnLabels;
  if (!w) return '';
  const why = (v: { reason: string | null }) => (v.reason ? ` (${text(v.reason)})` : '');
  // "v1.2.0 was withdrawn (why)", "… and the rollback went back past v1.1.0 (never in production)".
  const withdrawn = withdrawnHeadWords({ w, why });
  const each = w.versions
    .map(
      (v) =>
        `${keptWords(v).replace(/^The/, 'the')}${w.same ? '' : ' in labels.csv'} (${code(withdrawnDiffCommand(v))} lists them)`,
    )
    .join('; ');
  const last = w.versions.at(-1)!.version;
  const held = w.same ? `labels.csv is the very file ${last} learnt from: ${each}` : each.replace(/^the/, 'The');
  return (
    `⚠️ **${withdrawn}; this model learns from the same labels again**: ${held}. ` +
    `A rollback on ${w.date.slice(0, 10)} put ${w.restored} back in production; ${change}, once merged, replaces ` +
    `it with a model that learnt ${relearntWords(w)}, unless those labels were right. If they were ` +
    'not, put the right labels back first.'
  );
}

/**
 * Said before an object-record section (edited or removed objects) when data/ was not what data.dvc records: the
 * section is of data/ as it was, not of this pull request. The section itself when it was.
 */
export function asReadFromData({ section, report }: { section: string; report: ReportJson }): string {
  if (!section || !report.lineage.dataUsed) return section;
  return `From data/ as it was on the computer that ran this, which data.dvc does not record (see above): ${section}`;
}

/**
 * Labels taken out of collection.vocabulary: their objects are no longer trained on or judged. Said under the first
 * line, as a warning: under "✅ No detectable difference" lower down, it was read after the tick (tester T3).
 */
function vocabularyRemovedWords({ report, change }: { report: ReportJson; change: string }): string {
  const removed = report.labels.vocabularyRemoved ?? [];
  if (removed.length === 0) return '';
  const labels = removed.map((r) => labelInList(r.label));
  const n = removed.reduce((sum, r) => sum + r.objects, 0);
  const what = removed.length === 1 ? `the label ${labels[0]}` : `the labels ${listWords(labels)}`;
  const objects =
    n === 1
      ? `1 object labelled ${listWords(labels, { last: 'or' })} is`
      : `${n} objects labelled ${listWords(labels, { last: 'or' })} are`;
  // Taking a label out of the vocabulary is how a museum retires it on purpose (the way out the gate gives for
  // deleted label lines), so the gate passes it; the warning takes the tick off the first line instead.
  return (
    `⚠️ **${text(`${capital(change)} removes ${what} from the vocabulary: ${objects} no longer trained on or judged.`)} ` +
    'The promotion gate cannot see how the model does on them: check that this is meant.**'
  );
}

/**
 * Many labelled objects whose labels this pull request takes out (label cells emptied, lines deleted; not those of
 * objects renumbered with a label under their new number), under the wholesale loss that makes the verdict 'not
 * comparable' (more than half: said by the gate's words): a filter left on in a spreadsheet took 100 of 300 labels
 * under "✅ No detectable difference" (tester T7).
 */
function labelsTakenOutWords({ report, change }: { report: ReportJson; change: string }): string {
  const labelled = report.labels.labelledAtBase;
  if (labelled === undefined || labelled === 0 || report.labels.labelLoss) return '';
  // Objects on lines that disagree and ids retyped are said on their own; the rest lost their label. An object
  // renumbered took its label to its new number, as the label table says: a renumbering campaign is no loss (F1).
  const moved = renumberedLabels({ changes: report.labels.changes, removed: report.objectsRemoved?.objects ?? [] });
  const out = report.labels.changes.filter(
    (c) => c.kind === 'removed' && !c.disagreeing && !c.unknownId && !moved.has(c.id),
  );
  const n = out.length;
  if (n < REMOVED_AT_LEAST || (n < REMOVED_COUNT && n < REMOVED_SHARE * labelled)) return '';
  const emptied = out.filter((c) => (c.emptyLines?.length ?? 0) > 0).length;
  const deleted = n - emptied;
  const how = [
    emptied > 0 ? `${emptied} label ${emptied === 1 ? 'cell' : 'cells'} emptied` : '',
    deleted > 0 ? `${deleted} ${deleted === 1 ? 'line' : 'lines'} deleted` : '',
  ]
    .filter(Boolean)
    .join(', ');
  return (
    `⚠️ **${capital(change)} takes the labels of ${n.toLocaleString('en')} of the ${labelled.toLocaleString('en')} ` +
    `labelled objects out** (${how} in labels.csv): once merged, no model learns from them or is scored on them. ` +
    'If that was not meant (a filter left on in a spreadsheet, say), restore their labels in labels.csv.'
  );
}

/**
 * Objects renumbered that had a label and have one under the new number, by their old number: their new number and
 * their label before (the old number's, removed) and now (the new number's; another label when relabelled too).
 * The label table, the warning of labels taken out and the run's log count them with it, so they agree.
 */
export function renumberedLabels({
  changes,
  removed,
}: {
  changes: ReportJson['labels']['changes'];
  removed: { id: string; renumbered?: string }[];
}): Map<string, { to: string; before: string; after: string }> {
  const of = (kind: 'added' | 'removed') =>
    new Map(changes.filter((c) => c.kind === kind && !c.unknownId && !c.disagreeing).map((c) => [c.id, c]));
  const [added, gone] = [of('added'), of('removed')];
  const moved = new Map<string, { to: string; before: string; after: string }>();
  for (const o of removed) {
    const [before, after] = [gone.get(o.id)?.before, o.renumbered && added.get(o.renumbered)?.after];
    if (before && after) moved.set(o.id, { to: o.renumbered!, before, after });
  }
  return moved;
}

/** How many retyped ids the opening names; the others are counted. */
const RETYPED_NAMED = 3;

/**
 * Objects whose line now names their id written another way (other capitals, a hidden character): their staff label
 * is no longer used, said only in the label table before (tester T7). Ids a spreadsheet changed are said in the first
 * line already, and an id far too long is a paste, said in the table.
 */
function retypedIdsWords(report: ReportJson): string {
  const spreadsheet = new Set((report.labels.spreadsheetIds ?? []).map((l) => l.meant));
  const retyped = report.labels.changes.filter(
    (c): c is LabelChange & { unknownId: NonNullable<LabelChange['unknownId']> } =>
      c.kind === 'removed' && !!c.unknownId && !c.unknownId.tooLong && !spreadsheet.has(c.id),
  );
  if (retyped.length === 0) return '';
  const said = (c: (typeof retyped)[number]) =>
    `line ${c.unknownId.line} of labels.csv names “${text(shorten(visibleId(c.unknownId.id)))}”, which is not an object id in ` +
    'the collection';
  const hint = (c: (typeof retyped)[number]) => text(c.unknownId.hint.replace(/\.$/, ''));
  if (retyped.length === 1) {
    const c = retyped[0]!;
    return (
      `⚠️ **An object would lose its staff label: ${said(c)}** (${hint(c)}). Correct the id on that line. See the ` +
      'table of label changes below.'
    );
  }
  const shown = retyped.slice(0, RETYPED_NAMED).map((c) => `${said(c)} (${hint(c)})`);
  const more = retyped.length > shown.length ? `; and ${retyped.length - shown.length} more` : '';
  return (
    `⚠️ **${retyped.length} objects would lose their staff labels: their lines in labels.csv name ids that are not ` +
    `in the collection:** ${shown.join('; ')}${more}. Correct the ids on those lines. See the table of label ` +
    'changes below.'
  );
}

/** What the public site shows of a photograph under each catalogue.images rule, and how much (more is higher). */
const SHOWN: Record<string, { words: string; rank: number }> = {
  full: { words: 'in full, zoomable and downloadable', rank: 2 },
  thumbnail: { words: 'as one small picture', rank: 1 },
  none: { words: 'not at all', rank: 0 },
};

/** The photographs each catalogue.images rule is for. */
const RULE_OF: Record<string, string> = {
  'catalogue.images.in_copyright': 'photographs in copyright',
  'catalogue.images.unknown': 'photographs whose rights are unknown or not recognised',
};

interface Publishing {
  words: string;
  /** The change publishes more (true) or less (false). */
  more: boolean;
  /** What to check: the rights of photographs, or the guesses. */
  about: 'rights' | 'guesses';
}

/** One params change as what the public site shows, or null for a setting that does not change it. */
function publishingOf(p: ParamChange): Publishing | null {
  const was = `(${code(p.key)}: ${text(String(p.before))} → ${text(String(p.after))})`;
  const rule = RULE_OF[p.key];
  if (rule) {
    const before = SHOWN[String(p.before)];
    const after = SHOWN[String(p.after)];
    if (!before || !after || before.rank === after.rank) return null;
    const shown = after.rank === 0 ? 'would not be shown' : `would be shown ${after.words}`;
    const instead = before.rank === 0 ? 'instead of not at all' : `instead of ${before.words}`;
    return { words: `${rule} ${shown}, ${instead} ${was}`, more: after.rank > before.rank, about: 'rights' };
  }
  const [before, after] = [Number(p.before), Number(p.after)];
  if (p.before === null || p.after === null || !Number.isFinite(before) || !Number.isFinite(after)) return null;
  if (before === after) return null;
  if (p.key === 'catalogue.images.thumbnail_max')
    return {
      words:
        `the small pictures of photographs shown small for their rights would be ${after > before ? 'larger' : 'smaller'}: ` +
        `up to ${after} pixels on their long side instead of ${before} ${was}`,
      more: after > before,
      about: 'rights',
    };
  if (p.key === 'annotate.min_precision')
    return {
      words:
        `the model's guesses would be published on object pages when ${after < before ? 'less' : 'more'} sure: once ` +
        `its guesses of a label are right ${percent(after)} of the time instead of ${percent(before)} ${was}`,
      more: after < before,
      about: 'guesses',
    };
  if (p.key === 'annotate.familiarity_quantile')
    return {
      words:
        `${after > before ? 'fewer' : 'more'} of the model's guesses about photographs unlike those it learnt from ` +
        `would be held back from the object pages ${was}`,
      more: after > before,
      about: 'guesses',
    };
  return null;
}

function percent(x: number): string {
  return `${Math.round(x * 1000) / 10}%`;
}

/** annotate.familiarity switched: guesses about unfamiliar photographs published (off) or held back (on). */
function familiarityOf(p: ParamChange): Publishing | null {
  if (p.key !== 'annotate.familiarity' || typeof p.before !== 'boolean' || typeof p.after !== 'boolean') return null;
  if (p.before === p.after) return null;
  const was = `(${code(p.key)}: ${p.before} → ${p.after})`;
  return {
    words:
      `the model's guesses about photographs unlike those it learnt from would ${p.after ? 'be held back from' : 'be published on'} ` +
      `the object pages ${was}`,
    more: !p.after,
    about: 'guesses',
  };
}

/**
 * Settings of this pull request that change what the public site shows once merged (catalogue.images, the publication
 * of the model's guesses): `more` the warning for those that show more (photographs in copyright in full: the museum
 * must hold the rights; less sure guesses), else the plain line for those that show less. Said only in the details'
 * table of settings before (tester T8).
 */
function publishingWords({ params, change, more }: { params: ParamChange[]; change: string; more: boolean }): string {
  const found = params.map((p) => publishingOf(p) ?? familiarityOf(p)).filter((p): p is Publishing => p !== null);
  const these = found.filter((p) => p.more === more);
  if (these.length === 0) return '';
  if (!more)
    return `${capital(change)} shows less on the public site, once merged: ${these.map((p) => p.words).join('; ')}.`;
  const checks = [
    these.some((p) => p.about === 'rights') ? 'Check that the museum holds the rights to show them so.' : '',
    these.some((p) => p.about === 'guesses') ? 'Check that guesses this sure are fit for the public.' : '',
  ].filter(Boolean);
  return (
    `⚠️ **${capital(change)} changes what the public site shows, once merged:** ` +
    `${these.map((p) => p.words).join('; ')}. ${checks.join(' ')}`
  );
}

/**
 * Labels this pull request adds to collection.vocabulary, with the objects labels.csv gives them: learnt for the first
 * time, which "No label in labels.csv changed" did not say (tester T7). A plain note.
 */
function vocabularyAddedWords({ report, change }: { report: ReportJson; change: string }): string {
  const added = report.labels.vocabularyAdded ?? [];
  if (added.length === 0) return '';
  // Too few in the test split to judge (report/new-labels.ts says so): learnt, not judged (reviewer V12).
  const learnt = added.some((a) => a.notJudged) ? 'learnt' : 'learnt and judged';
  const labels = added.map((a) => text(labelInList(a.label)));
  const n = added.reduce((sum, a) => sum + a.objects, 0);
  const what = added.length === 1 ? `the label ${labels[0]}` : `the labels ${listWords(labels)}`;
  const named = listWords(labels, { last: 'or' });
  const objects =
    n === 0
      ? `no object is labelled ${named} in labels.csv yet, so the model learns ${added.length === 1 ? 'it' : 'them'} once some are`
      : n === 1
        ? `the 1 object labelled ${named} in labels.csv is ${learnt} by the model for the first time`
        : `the ${n.toLocaleString('en')} objects labelled ${named} in labels.csv are ${learnt} by the model ` +
          'for the first time';
  return `${capital(change)} adds ${what} to the vocabulary: ${objects}.`;
}

/**
 * The report's words for labels removed wholesale (labelLossWords, the gate's), with where each lost label's objects
 * went when the pull request relabelled them ("mask (all 50 now labelled figurine)"), and without "0 labels removed"
 * when none was: two labels merged in labels.csv read "1 label lost all its objects: mask; 0 labels removed (of 300
 * at main)" (tester T7). Plain text; null when the gate says nothing.
 */
export function labelLossSaid({
  loss,
  changes,
}: {
  loss: LabelLoss | undefined;
  changes: Pick<LabelChange, 'before' | 'after'>[];
}): string | null {
  const words = labelLossWords(loss);
  if (!loss || !words || loss.lost.length === 0) return words;
  const where = ({ label, objects }: { label: string; objects: number }) => {
    const now = new Map<string, number>();
    for (const c of changes) if (c.before === label && c.after !== null) now.set(c.after, (now.get(c.after) ?? 0) + 1);
    const [name, n] = [...now].sort((a, b) => b[1] - a[1])[0] ?? [];
    if (name === undefined || n === undefined) return label;
    return `${label} (${n === objects ? `all ${n}` : `${n} of its ${objects}`} now labelled ${name})`;
  };
  const names = listWords(loss.lost.map(where), { last: ',', max: 10 });
  const lost =
    loss.lost.length === 1
      ? `1 label lost all its objects: ${names}`
      : `${loss.lost.length} labels lost all their objects: ${names}`;
  if (loss.removed === 0) return lost;
  return `${lost}; ${loss.removed} label${loss.removed === 1 ? '' : 's'} removed (of ${loss.before} at ${loss.ref})`;
}
