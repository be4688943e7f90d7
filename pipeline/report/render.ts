import { labelInList, labelList, nearestLabel } from '../collection/vocabulary.ts';
import { SPREADSHEET_IDS_ADVICE, type SpreadsheetLoss, spreadsheetLossWords } from '../dataset/validate.ts';
import { grownCollectionWords, minTestPerClassOf } from '../evaluate/gate.ts';
import { settingAdvice, settingChangeWords } from '../evaluate/trained-with.ts';
import { chanceWords, levelled, pValueWords } from '../evaluate/verdict-words.ts';
import type { DriftReport } from '../monitor/types.ts';
import { PASSES_ONLY_TRAIN_SETTINGS } from '../params.ts';
import { backboneWords, fitWords, NSFWJS_NOTE } from '../registry/card.ts';
import { OTHER_MODEL_WORDS } from '../registry/identity.ts';
import type { Dataset, Metrics, ModelInfo } from '../types.ts';
import { listWords } from '../words.ts';
import { CHART_COLOURS, glyphBar, lineChart } from './charts.ts';
import { copiedPhotograph } from './edited-objects.ts';
import { hiddenCharacter, visibleId, visibleLabel } from './invisible.ts';
import { JSON_LIST_LIMIT, withUnknownIdHints } from './json-limits.ts';
import {
  attribute,
  between,
  COMMENT_ROOM,
  code,
  duration,
  fitMarkdown,
  link,
  num,
  pValue,
  safeUrl,
  sameInEveryResample,
  shorten,
  shortLabel,
  signed,
  table,
  text,
} from './markdown.ts';
import { newLabelsNote } from './new-labels.ts';
import { openingLines, renumberedLabels } from './opening.ts';
import { NO_PHOTO_NAMED } from './photos.ts';
import { publicationSection, unpublishedSection } from './publication.ts';
import { savedDifferentlyWords } from './saved-as.ts';
import { tooFewCell, tooFewToJudge } from './too-few.ts';
import type { LabelChange, NoBaseCode, ReportJson } from './types.ts';

/** What the renderer needs besides the report's own data. */
export interface RenderInput {
  report: ReportJson;
  metrics: Metrics;
  model: ModelInfo | null;
  dataset: Pick<Dataset, 'counts'> | null;
  drift: DriftReport | null;
  collectionName: string;
  maxLabelChanges: number;
  /**
   * Fewer label-change rows than maxLabelChanges, so that the comment keeps the scores after them
   * (buildReport lowers it until the report fits); the note then says report-full.md has the rest.
   */
  labelRowsForRoom?: number;
  /**
   * Longest Markdown to return (default COMMENT_ROOM, what a pull-request comment takes); a longer
   * report is cut by fitMarkdown. Infinity: the whole report.
   */
  limit?: number;
  /** Sections built elsewhere (pipeline/report/mislabelled.ts, left-out.ts), already Markdown. */
  sections?: { opening?: string[]; afterIntro?: string[]; afterScores?: string[]; beforeLineage?: string[] };
  /**
   * How this repository runs Vitrine, for the commands the report suggests: "npx vitrine" (the default) where
   * Vitrine is installed in it, else "npx vitrine -C path/to/our-museum", the repository's folder name (a repository
   * `vitrine init -C` made: there a bare "npx vitrine" would fetch an unknown package from npm; commandsWhere says
   * where to type it).
   */
  vitrine?: string;
}

/** The report's first word for macro-F1: plain words, the term in brackets (testers read "macro-F1" as jargon). */
export const OVERALL_SCORE = 'the overall score, each label counting equally (macro-F1)';

const VERDICT_WORDS: Record<ReportJson['verdict'], string> = {
  // What is measured: how well the labels fit the photographs, not whether they are right (a tester's 25 beads
  // moved together to Pottery were "Better: this change makes the model better").
  better: 'Better: the labels and the photographs agree better',
  'check label changes': 'Check these label changes before merging',
  worse: 'Worse: this change makes the model worse',
  'no detectable difference': 'No detectable difference: the model scores about the same as before',
  'first model': 'First model: there is no model in production to compare with yet',
  'not comparable': 'Not comparable: this change removes too many labels for its model to be judged better',
  'not scored': 'Not scored: no labelled object is in the test split',
};

/** A verdict's words too long for a commit status with a prefix, shorter (the comment says them whole). */
const STATUS_VERDICT_WORDS: Partial<Record<ReportJson['verdict'], string>> = {
  'not comparable': 'Not comparable: too many labels removed to judge the model',
};

/** The first line of the comment in plain words (no Markdown), e.g. for a commit status. */
export function headline(
  report: Pick<ReportJson, 'verdict' | 'gate' | 'labelsToCheck'> & {
    /** The report's labels.spreadsheetIds: said first when there are any. */
    spreadsheetIds?: SpreadsheetLoss[];
    /** The report's labels, for a run on main itself (mainRunItself): no "before merging". */
    labels?: MainRunLabels;
    /** A warning is said at the top of the report (openingLines): the status says to read it (reviewer V12). */
    warns?: boolean;
    /** Characters it may take (default HEADLINE_ROOM): less after "Removes labels …: " (statusHeadline). */
    room?: number;
  },
): string {
  // Short: a commit status holds 140 characters; the comment's first line says it whole (verdictLine).
  const room = report.room ?? HEADLINE_ROOM;
  const c = report.verdict === 'check label changes' ? report.labelsToCheck : undefined;
  const gate = report.gate.passed ? 'The promotion gate passes.' : 'The promotion gate does not pass.';
  // Staff labels an Excel save loses come first, whatever the scores say: they are what merging would break.
  const lost = spreadsheetLossWords({ losses: report.spreadsheetIds ?? [] });
  if (lost) {
    // Room for a prefix (gate changes, "Removes 1234 labels: ") within GitHub's 140 characters: the count, then
    // the spreadsheet give way; the gate stays (task D8).
    const forms = [
      lost.short,
      `${lost.count} to ids a spreadsheet changed`,
      'Labels would be lost to ids a spreadsheet changed',
      'Labels lost to changed ids',
    ].map((f) => `${f}. ${gate}`);
    return forms.find((f) => f.length <= room) ?? forms.at(-1)!;
  }
  if (report.warns) return warnedHeadline({ report, gate, room });
  // Shorter than the comment's words: with a prefix (gate changes, labels removed) the gate must still fit.
  const long = c
    ? `Check label changes: ${c.old} of ${c.relabelled} relabelled look like their old label. ${gate}`
    : `${verdictWords(report)}. ${gate}`;
  const forms = [long, `${STATUS_VERDICT_WORDS[report.verdict] ?? verdictWords(report)}. ${gate}`];
  return forms.find((f) => f.length <= room) ?? `${verdictWords(report).split(':')[0]}. ${gate}`;
}

/** Longest headline before a prefix ("Base settings (PR changes them): ", 33 characters) within GitHub's 140. */
export const HEADLINE_ROOM = 140 - 33;

/**
 * The headline of a report with a warning at its top (a pull request that takes 100 labels out, or publishes
 * photographs in copyright in full, read "No detectable difference. The promotion gate passes." in green): the
 * verdict's first words, then to check the warnings, then the gate, shortened to fit HEADLINE_ROOM.
 */
function warnedHeadline({
  report,
  gate,
  room,
}: {
  report: Parameters<typeof headline>[0];
  gate: string;
  room: number;
}): string {
  const merging = mainRunItself(report) ? '' : ' before merging';
  const c = report.verdict === 'check label changes' ? report.labelsToCheck : undefined;
  const verdict = VERDICT_WORDS[report.verdict].split(':')[0];
  // Longest first; the last keeps the verdict, the warning and the gate after the longest prefix (statusHeadline).
  const forms =
    report.verdict === 'check label changes'
      ? [
          ...(c ? [`Check label changes (${c.old} of ${c.relabelled} relabelled look like their old label) and`] : []),
          'Check these label changes and',
        ].map((these) => `${these} the warnings in the report${merging}`)
      : [`${verdict} — check the warnings in the report${merging}`];
  const short =
    report.verdict === 'check label changes'
      ? 'Check these label changes and the warnings'
      : `${verdict} — check the warnings`;
  const all = [...forms, `${short}${merging}`, short].map((f) => `${f}. ${gate}`);
  return all.find((f) => f.length <= room) ?? all.at(-1)!;
}

/**
 * Why label changes are to be checked (verdict 'check label changes'), plain text: "the model fits the new labels, but
 * the photographs point to the old label for 22 of the 25 objects relabelled". Empty otherwise.
 */
function checkWords(report: Pick<ReportJson, 'verdict' | 'labelsToCheck'>): string {
  const c = report.labelsToCheck;
  if (report.verdict !== 'check label changes' || !c) return '';
  return (
    'the model fits the new labels, but the photographs point to the old label for ' +
    `${c.old} of the ${c.relabelled} objects relabelled`
  );
}

/**
 * After the first line of a 'check label changes' report: what staff should do, and a few of the objects (id, title,
 * old → new). Markdown; empty otherwise.
 */
function checkAdvice(report: Pick<ReportJson, 'verdict' | 'labelsToCheck' | 'labels'>): string {
  const c = report.labelsToCheck;
  if (report.verdict !== 'check label changes' || !c) return '';
  const shown = c.objects
    .slice(0, 5)
    .map(
      (o) =>
        `${text(visibleId(o.id))}${o.title ? ` “${text(shorten(o.title))}”` : ''} ` +
        `(${text(visibleLabel(shortLabel(o.old)))} → ${text(visibleLabel(shortLabel(o.new)))})`,
    );
  const more = c.old > shown.length ? ` and ${c.old - shown.length} more` : '';
  return (
    ` If this is a deliberate change in how these objects are catalogued, ${mainRunItself(report) ? 'keeping it' : 'merging'} ` +
    'is fine; the model cannot judge it, since it is scored on the labels now and learns whatever labels it is ' +
    `given. If not, correct the labels${mainRunItself(report) ? ' in a new pull request' : ''}. ` +
    (shown.length > 0 ? `Among them: ${shown.join(', ')}${more}.` : '')
  );
}

/**
 * The comment's first line. The icon follows the verdict as well as the gate: the gate only checks minimum scores,
 * so a change can be worse and pass it, and a green tick there reads as "good". That case is said in plain words.
 */
function verdictLine(
  report: Pick<
    ReportJson,
    'verdict' | 'gate' | 'labels' | 'unusablePhotos' | 'labelsThatLookWrong' | 'labelsToCheck' | 'objectsEdited'
  >,
  /** A warning is said under this line (openingLines): no green tick. */
  warnedBelow = false,
): string {
  // Labels removed wholesale: never a green tick, whatever the gate says.
  const worse = report.verdict === 'worse' || report.verdict === 'not comparable';
  // Label changes the photographs did not support: never a green tick (the gate passing says nothing of them).
  const toCheck = report.verdict === 'check label changes';
  // A gate measured on another model says nothing of this one: never a green tick over it.
  const other = report.gate.otherModel === true;
  // Tester #1: photographs this pull request makes unusable are not harmless: no green tick over them either.
  const photos = report.unusablePhotos;
  const broken = photos?.comparedWithBase ? photos.objects.filter((o) => o.newInChange === true).length : 0;
  const unknown = photos && !photos.comparedWithBase ? photos.objects.length : 0;
  // A tester: a label this pull request set, flagged as likely wrong at the bottom, under a green tick at the top.
  const wrong = report.labelsThatLookWrong ?? [];
  // A tester: labels spelt outside the vocabulary ("coins") were skipped under a green tick, said only in the table.
  const vocabulary = report.labels.vocabulary;
  const misspelt = vocabulary
    ? report.labels.changes.filter(
        (c) => c.skipped && c.after !== null && !vocabulary.includes(c.after) && !keptOutside(c, vocabulary),
      )
    : [];
  // A tester: objects this pull request leaves on lines that disagree lose their staff labels once merged, said
  // only in the table far below a green tick ("✅ No detectable difference").
  const unlabelled = report.labels.changes.filter((c) => c.kind === 'removed' && (c.disagreeing?.length ?? 0) > 1);
  // A tester: an object given a copy of another's photograph, labelled otherwise: one of the two labels is wrong.
  // Those listed name the first; the count is of all (report.json lists the first 100).
  const copied = (report.objectsEdited?.objects ?? []).filter(copiedPhotograph);
  const copies = Math.max(report.objectsEdited?.copied ?? 0, copied.length);
  const icon = !report.gate.passed
    ? '❌'
    : worse ||
        toCheck ||
        other ||
        broken > 0 ||
        wrong.length > 0 ||
        misspelt.length > 0 ||
        unlabelled.length > 0 ||
        copied.length > 0 ||
        warnedBelow
      ? '⚠️'
      : '✅';
  const gate = report.gate.passed ? 'The promotion gate passes.' : '**The promotion gate does not pass.**';
  // On the main branch itself the run promotes; on a commit already part of main (another branch, none of its own)
  // main's run does, with nothing to merge; elsewhere the merge does. Decided on the code: the words may change.
  const promoter =
    report.labels.noBaseCode === 'on-branch'
      ? 'this run promotes'
      : mainRunItself(report)
        ? 'a run on the main branch promotes'
        : 'merging would promote';
  const meaning =
    worse && report.gate.passed
      ? ' The gate only checks the minimum scores in params.yaml; it passes, so ' +
        `${promoter} this model even though ` +
        (report.verdict === 'worse'
          ? 'it scores lower than the one in production.'
          : 'it learnt from far fewer labels than the one in production.')
      : '';
  const caveat = other ? " These scores are another model's: run `npx vitrine run evaluate` again." : '';
  // On main itself there is no pull request: "this change", as the rest of a main run's report says (a reviewer).
  const change = mainRunItself(report) ? 'this change' : 'this pull request';
  const photographs = `${broken} ${broken === 1 ? 'photograph' : 'photographs'}`;
  const pictures =
    broken > 0
      ? ` ⚠️ **${change[0]!.toUpperCase()}${change.slice(1)} makes ${photographs} unusable** (listed below).`
      : unknown > 0
        ? ` ⚠️ **${unknown} ${unknown === 1 ? "object's photograph cannot" : "objects' photographs cannot"} be used** ` +
          '(listed below).'
        : '';
  const shown = wrong
    .slice(0, 3)
    .map((w) => `${text(visibleId(w.id))} “${text(w.label)}” (it suggests “${text(w.suggested)}”)`);
  const who = wrong.length === 1 ? `A label ${change} sets looks` : `${wrong.length} labels ${change} sets look`;
  const doubts =
    wrong.length > 0
      ? ` ⚠️ **${who} wrong to the model:** ${shown.join(', ')}${wrong.length > 3 ? ', …' : ''}. ` +
        'See “Objects that look mislabelled” below.'
      : '';
  const first = misspelt[0];
  const meant = first && vocabulary ? nearestLabel({ label: first.after!, vocabulary }) : undefined;
  const one = misspelt.length === 1;
  const hidden = first ? hiddenCharacter({ label: first.after!, quote: (s) => `“${text(shorten(s))}”` }) : undefined;
  const why = first?.labelTooLong
    ? `: it is ${text(first.labelTooLong)}, a text pasted into the cell by mistake?`
    : hidden
      ? `: ${hidden.words}${meant ? `; did you mean “${text(meant)}”?` : ''}`
      : meant
        ? `: did you mean “${text(meant)}”?`
        : '';
  const skipped =
    misspelt.length > 0
      ? ` ⚠️ **${one ? 'A label' : `${misspelt.length} labels`} of this pull request ${one ? 'is' : 'are'} not ` +
        `one of the collection's, so ${one ? 'its line was' : 'their lines were'} skipped** ` +
        `(“${text(shorten(visibleLabel(first!.after!)))}”${why}${one ? '' : ', …'}). ` +
        'See the table of label changes below.'
      : '';
  const disagree = disagreeingWarning(unlabelled);
  const firstCopy = copied[0];
  const copy = firstCopy
    ? ` ⚠️ **${copies === 1 ? 'A new photograph is' : `${copies.toLocaleString('en')} new photographs are`} the same ` +
      `as another object’s with another label** (${text(shorten(visibleId(firstCopy.id)))} and ` +
      `${text(shorten(visibleId(firstCopy.samePhotograph!.find((x) => x.label !== undefined && x.label !== firstCopy.label)!.id)))}` +
      `${copies > 1 ? ', …' : ''}): one of the labels or ` +
      'photographs is wrong. See the object records changed below.'
    : '';
  const check = checkWords(report);
  const verdict = `${verdictWords(report)}${check ? `: ${check}` : ''}`;
  // Ids a spreadsheet changed ("1" for "00001"): a broken edit, said before any score (a tester's Excel save was
  // "✅ No detectable difference", its labels lost only in the table).
  const lost = spreadsheetLossWords({ losses: report.labels.spreadsheetIds ?? [] });
  const opening = lost
    ? `${report.gate.passed ? '⚠️' : '❌'} **${text(lost.what)}** To fix it, ${text(SPREADSHEET_IDS_ADVICE)}. `
    : `${icon} `;
  // The scores leave those objects out (a tester's test set shrank and macro-F1 rose): said before them.
  const scoredWithout = lost ? 'Without those labels, the scores say: ' : '';
  return (
    opening +
    `${scoredWithout}**${verdict}.**${checkAdvice(report)} ${gate}${meaning}${caveat}${pictures}${doubts}${skipped}` +
    `${disagree}${copy}`
  );
}

/**
 * Objects labelled at the base that this pull request leaves on lines of labels.csv that disagree: merged, they lose
 * their staff labels. Said in the first line (with its ⚠️), each with its lines, and what to do. Markdown, escaped;
 * empty when there are none.
 */
function disagreeingWarning(changes: LabelChange[]): string {
  if (changes.length === 0) return '';
  const one = changes.length === 1;
  const lines = changes.flatMap((c) => c.disagreeing ?? []);
  const how = lines.some((l) => !l.label) ? 'that disagree' : 'with different labels';
  const who = one
    ? `An object would lose its staff label: it is on lines of labels.csv ${how}`
    : `${changes.length} objects would lose their staff labels: each is on lines of labels.csv ${how}`;
  const shown = changes
    .slice(0, 5)
    .map((c) => `${text(visibleId(c.id))} on ${listWords((c.disagreeing ?? []).map(lineSaid), { max: LINES_NAMED })}`);
  const more = changes.length > shown.length ? `; and ${changes.length - shown.length} more` : '';
  return (
    ` ⚠️ **${who}, so none is used:** ${shown.join('; ')}${more}. ` +
    'Keep one line per object, with the right label, and delete the others. See the table of label changes below.'
  );
}

/**
 * What to say when the baseline was not scored on every test object: it trained on some of them
 * (`excluded`, usually because dataset.split changed), or the split changed and the overlap may be
 * unknown. `who` names the baseline mid-sentence, already escaped ("the model in production (v1.2.0)");
 * `candidate` names the new model ("this change"). Plain text; null when there is nothing to say.
 */
export function baselineScopeNote({
  baseline,
  n,
  who,
  candidate,
}: {
  baseline: NonNullable<Metrics['baseline']>;
  n: number;
  who: string;
  candidate: string;
}): { sentence: string; warning: boolean } | null {
  const excluded = baseline.excluded ?? 0;
  const Who = `${who[0]?.toUpperCase() ?? ''}${who.slice(1)}`;
  if (excluded > 0) {
    const why = baseline.splitChanged ? ' (the split settings, dataset.split, changed since it was trained)' : '';
    const rest = n - excluded;
    const scored =
      rest > 0
        ? `its figures come from the other ${rest}, ${candidate}'s from all ${n}`
        : `no test object was left to score it on`;
    // `excluded` also counts the images its backbone could not read (`unanswered`): fine images, named apart.
    const unread = Math.min(excluded, baseline.unanswered ?? 0);
    const trained = excluded - unread;
    const unreadWords = `could not read the images of ${unread}`;
    const what =
      trained === 0
        ? `${Who} ${unreadWords} of the ${n} test ${pluralWord(n, 'object')} (its backbone gave no usable numbers for them)`
        : `${Who} trained on ${trained} of the ${n} test ${pluralWord(n, 'object')}${why}` +
          (unread > 0 ? ` and ${unreadWords} (its backbone gave no usable numbers for them)` : '');
    return {
      sentence: `${what}, so those were left out of its scores and of the comparison: ${scored}.`,
      warning: false,
    };
  }
  if (baseline.splitChanged) {
    // metrics.json does not say whether the baseline recorded its training images; when it did and
    // none overlap, this is only a caution.
    return {
      sentence:
        `The split settings (dataset.split) changed since ${who} was trained. If it did not record ` +
        `which objects it learnt from (models trained by older versions of Vitrine do not), some of the test ` +
        `objects may have been among them, and the comparison may favour it.`,
      warning: true,
    };
  }
  return null;
}

/**
 * Where the report's commands are typed, when this repository does not hold Vitrine (`vitrine` is
 * "npx vitrine -C path/to/our-museum", reportCommand): staff read "`path/to/our-museum` is this repository's folder
 * from there" and could not tell what the path was. Names the repository (the folder name the command gives it), the
 * commands it is about (the note is often far below them), and what to put in place of the path. Typed in the
 * repository itself, `npx vitrine` asks to install a package "vitrine" that npm does not have: it finds no Vitrine.
 */
export function commandsWhere(vitrine: string): string {
  const folder = vitrine.replace(/^npx vitrine -C /, '');
  const name = /^'?path\/to\/([^/']+)'?$/.exec(folder)?.[1];
  const repository = name ? `the ${text(name)} repository` : 'this repository';
  // Quoted by shellWord for a space or a character the terminal reads: the quotes stay around the new path.
  const quotes = folder.startsWith("'") ? ', keeping the quotes around it' : '';
  return (
    'To run the commands in this report that start with `npx vitrine -C`, type them in a terminal opened in the ' +
    `folder where Vitrine is installed, with ${codeSpan(folder)} replaced by where your copy of ${repository} is on ` +
    `your computer${quotes} (this repository’s README shows how). Typed in ` +
    `${name ? `the ${text(name)} folder` : 'this repository’s folder'} itself, \`npx vitrine\` would not find Vitrine.`
  );
}

/** A path as Markdown code, as it is typed: a backtick in it takes a longer fence (`code` would drop it). */
function codeSpan(value: string): string {
  const fence = '`'.repeat(Math.max(0, ...(value.match(/`+/g) ?? []).map((run) => run.length)) + 1);
  return fence.length === 1 ? `\`${value}\`` : `${fence} ${value} ${fence}`;
}

/** The whole comment as GitHub-flavoured Markdown. Every value from files is escaped here. */
export function renderMarkdown(given: RenderInput): string {
  // report.json says the hint most rows share once (json-limits.ts): a fork's is rendered from it.
  const input = { ...given, report: withUnknownIdHints(given.report) };
  const { report, metrics } = input;
  const parts: string[] = [];
  // What a registrar must know before merging, right under the first line (opening.ts); a warning there takes the
  // green tick away.
  const opening = openingLines({ report, onMain: mainRunItself(report) });
  parts.push(verdictLine(report, opening.warns));
  parts.push(...(input.sections?.opening ?? []), ...opening.paragraphs, newLabelsNote(metrics));
  parts.push(`${rolledBackWords(input.report)}${intro(input)}`);
  parts.push(...(input.sections?.afterIntro ?? []));
  // Near the verdict: a change can leave every score as it was and still send many guesses to the review queue.
  parts.push(publicationSection(report.publication));
  parts.push(unpublishedSection(metrics.publication));
  parts.push(gateSection(report, metrics));
  parts.push(labelSection(input));
  // Scored on nothing, evaluate's figures are zeros, not scores: no tables of them.
  if (metrics.n > 0) parts.push(metricsSection(input));
  parts.push(...(input.sections?.afterScores ?? []));
  if (metrics.n > 0) parts.push(perClassSection(metrics), confusionSection(metrics));
  if (input.model) parts.push(trainingSection(input.model));
  if (input.drift) parts.push(driftSection(input.drift));
  parts.push(...(input.sections?.beforeLineage ?? []));
  // Typed in the repository's own folder, "npx vitrine" would fetch an unknown package: say where to type them.
  const elsewhere = input.vitrine && input.vitrine !== 'npx vitrine' ? input.vitrine : undefined;
  const commands = (part: string) => (elsewhere ? part.replaceAll('npx vitrine ', `${elsewhere} `) : part);
  const shown = parts.map(commands);
  // The note says "`npx vitrine -C`" itself: it is not rewritten.
  if (elsewhere && parts.some((part) => part.includes('npx vitrine '))) shown.push(commandsWhere(elsewhere));
  shown.push(commands(lineageSection(report, input.model)));
  const body = `${shown.filter(Boolean).join('\n\n')}\n`;
  return fitMarkdown({ body, limit: input.limit ?? COMMENT_ROOM });
}

/**
 * The model compared with: on the main branch itself the report is written before this run promotes its model (a
 * tester read "the model in production (v1.0.0)" beside the log's "v1.1.0 is now in production"), so it is the one
 * in production before this run; on a pull request's branch, the one in production.
 */
function productionWords(report: RenderInput['report']): string {
  return report.labels.noBaseCode === 'on-branch'
    ? 'the model in production before this run'
    : 'the model in production';
}

/**
 * Said first when the model tested is the one a rollback took out of production (registry/rolled-back.ts): merging
 * reuses its version and does not put it back, whatever the scores below say; empty otherwise.
 */
function rolledBackWords(report: RenderInput['report']): string {
  if (!report.rolledBackModel) return '';
  const version = text(report.rolledBackModel);
  const prod = report.rolledBackProd ? text(report.rolledBackProd) : 'the version there now';
  return (
    `**The model tested is ${version}, which a rollback took out of production**: ` +
    `${mainRunItself(report) ? 'this run does' : 'merging this pull request does'} ` +
    `not put it back. It keeps ${prod} in production and registers no new version (to put ${version} back: ` +
    `\`npx vitrine models rollback ${version}\`).\n\n`
  );
}

function intro({ report, metrics, collectionName }: RenderInput): string {
  if (metrics.n === 0)
    return (
      'None of the labelled objects is in the test split, the objects the model never sees while learning, so ' +
      'there is nothing to score it on. With few labelled objects, label more (`dataset.split.test` in params.yaml ' +
      'sends that share of them, about a fifth by default, to the test split).'
    );
  const c = report.comparison;
  const scope =
    `The model was tested on ${metrics.n} ${pluralWord(metrics.n, 'object')} of ${text(collectionName)} ` +
    'that it never saw while learning.';
  const mainRun = mainRunItself(report);
  if (report.sameModelAs)
    return (
      `**${mainRun ? 'Nothing the model learns from changed' : 'This pull request changes nothing the model learns from'}**` +
      `, so the model tested is the one in production (${text(report.sameModelAs)}), scored again: ` +
      `${mainRun ? 'this run keeps' : 'merging it keeps'} ${text(report.sameModelAs)} in production and ` +
      `registers no new version. ${scope} It gets ${pct(metrics.accuracy.value)} of them right; ${OVERALL_SCORE}, ` +
      `is ${num(metrics.macroF1.value)}.`
    );
  if (!c)
    return (
      `${scope} It gets ${pct(metrics.accuracy.value)} of them right; ${OVERALL_SCORE}, is ` +
      `${num(metrics.macroF1.value)}.`
    );
  // Said in plain words first, the term after (testers read "macro-F1" as jargon); later mentions use the term.
  const name = c.metric === 'macroF1' ? OVERALL_SCORE : 'accuracy (the share of objects it gets right)';
  const fromEveryObject =
    metrics.baseline?.comparison.verdict === 'no detectable difference' &&
    report.verdict !== 'no detectable difference';
  // The headline can come from every labelled object while the small test split alone cannot tell.
  // The other way round: the test split alone says better or worse, every labelled object says no difference.
  const overruled =
    report.verdict === 'no detectable difference' &&
    metrics.crossValidated !== undefined &&
    !!metrics.baseline &&
    metrics.baseline.comparison.verdict !== 'no detectable difference';
  const sure =
    report.verdict === 'no detectable difference'
      ? overruled
        ? ' On these test objects alone the difference looks real; judged on every labelled object (below) it is ' +
          'too small to matter, or could be chance.'
        : ' The difference is within what chance alone could give.'
      : fromEveryObject && metrics.crossValidated
        ? ' On these test objects alone the difference could be chance; the verdict comes from every labelled object (below).'
        : '';
  const excluded = metrics.baseline?.excluded ?? 0;
  // The baseline's figure then comes from fewer objects than the candidate's; the change is over the shared ones.
  const shared = Math.max(0, metrics.n - excluded);
  const unread = metrics.baseline?.unanswered ?? 0;
  const which =
    unread === 0 ? 'it did not train on' : unread < excluded ? 'it did not train on and could read' : 'it could read';
  const fewer =
    excluded > 0
      ? `, which was scored only on the ${shared} of them ${which}; on those ${shared} the change is`
      : ': a change of';
  const figures =
    `${num(c.candidate)} with this change and ${num(c.baseline)} for ${productionWords(report)} ` +
    `(${text(c.baselineVersion)})`;
  // Its model card and the catalogue give the score it was registered with, in per cent; here it is scored again on
  // these test objects and today's labels (a label fix changes its figure too): said after the change, with both.
  const registered = metrics.baseline?.registered?.[c.metric];
  const again =
    registered !== undefined && num(registered) !== num(c.baseline)
      ? ` Its ${num(c.baseline)} is the production model scored again here, on these test objects with their labels ` +
        `now; its model card gives ${num(registered)} (${(registered * 100).toFixed(1)}%), its score when it was ` +
        'registered, on the test objects and labels of that day.'
      : '';
  // The test's name is for maintainers: in "Where this result comes from" (a tester read it as jargon here).
  const same = sameInEveryResample({ ...c.difference, of: 'the test objects' });
  // The p-value with what it means: staff read "p = 0.012" as jargon (testers).
  const range =
    `${same ?? `${levelled(c.alpha, 'range')}: ${between(c.difference.low, c.difference.high)}`}; ` +
    pValueWords(c.pValue);
  const change = `${figures}${fewer} ${signed(c.difference.value)} (${range}).`;
  return `${scope} ${capitalise(name)}${c.metric === 'macroF1' ? ',' : ''} is ${change}${again}${sure}`;
}

function gateSection(report: ReportJson, metrics: Metrics): string {
  const rows = report.gate.checks.map((c) => [
    c.passed ? '✅ passes' : '❌ fails',
    text(gateWords(c.name)),
    text(gateWords(c.detail)),
  ]);
  const stale = report.gate.stale
    ? '\n\n⚠️ The promotion gate in params.yaml changed after the evaluate stage checked it (or other model ' +
      'settings did), so these checks may be for the old settings. Run the evaluate stage again (`npx vitrine run ' +
      'evaluate`) to check the new ones; promotion goes by what evaluate found.'
    : '';
  const other = report.gate.otherModel
    ? `\n\n⚠️ These checks are not this model's: ${OTHER_MODEL_WORDS} (the model in .vitrine/model was trained ` +
      'or copied after the evaluation). Promotion refuses it until then.'
    : '';
  const small = smallDropNote({ report, metrics });
  // The collection has outgrown the lower gate init set for a small one: said once, with the defaults to set back.
  const grown = metrics.gate?.grown
    ? `\n\n📈 ${grownCollectionWords({ grown: metrics.gate.grown, setting: (key) => `\`${key}\`` })}`
    : '';
  return `### Promotion gate\n\n${table({ header: ['', 'Check', 'Detail'], rows })}${small}${grown}${stale}${other}`;
}

/** The gate's drop check, as gate.ts names it. */
const DROP_CHECK = /^macro-F1 not more than the allowed drop below the baseline/;

/**
 * A failed drop check beside a comparison that finds no real difference (or finds the change better): on a small
 * test split the drop is a few objects' worth, and the gate, which goes by point values by design (docs/metrics.md),
 * fails all the same. Said in plain words with what a maintainer can do (an outside tester, 27 test objects: a
 * 3-label fix was "No detectable difference" above a failed gate, and nothing said why or what to do).
 */
function smallDropNote({ report, metrics }: { report: ReportJson; metrics: Metrics }): string {
  const check = report.gate.checks.find((c) => DROP_CHECK.test(c.name));
  const baseline = metrics.baseline;
  if (!check || check.passed || !baseline) return '';
  const cv = metrics.crossValidated;
  const fine = (verdict: string) => verdict === 'no detectable difference' || verdict === 'better';
  if (cv ? !fine(cv.comparison.verdict) : !fine(baseline.comparison.verdict)) return '';
  // The test objects both models were scored on, and the drop as the check measured it on them.
  const shared = Math.max(0, metrics.n - (baseline.excluded ?? 0));
  const drop = Number(
    /\bdrop (\d+(?:\.\d+)?)/.exec(check.detail)?.[1] ?? baseline.macroF1.value - metrics.macroF1.value,
  );
  if (shared === 0 || !(drop > 0)) return '';
  const worth = Math.round(drop * shared);
  const objectsWorth =
    worth < 1 ? 'less than one object’s worth' : `about ${worth} ${worth === 1 ? 'object’s' : 'objects’'} worth`;
  const found = cv
    ? `Judged on all ${cv.objects} labelled objects (above), this change ${
        cv.comparison.verdict === 'better'
          ? 'makes the labels and the photographs agree better'
          : 'makes no detectable difference'
      }.`
    : `The paired comparison on these same test objects finds ${
        baseline.comparison.verdict === 'better' ? 'this change better' : 'no detectable difference'
      }: the drop is within what chance alone could give.`;
  return (
    `\n\n**Why the gate fails.** The drop check compares the two models on the ${shared} test ` +
    `${pluralWord(shared, 'object')} alone: a drop of ${num(drop)} in macro-F1 there is ${objectsWorth} ` +
    `(${num(drop)} × ${shared}). ${found} The gate goes by the scores on the test objects, so it fails all the ` +
    'same. What a maintainer can do: label more objects (about a fifth of them land in the test split, and the ' +
    'drop check then rests on more of them); or, for a small collection, allow a larger drop with ' +
    '`gate.max_macro_f1_drop` in params.yaml on the main branch (a pull request is judged by the main branch’s ' +
    'gate). docs/metrics.md, under “Small collections”, says how to choose it and how it goes with ' +
    '`gate.min_test_objects`.'
  );
}

/**
 * A change to a label outside the vocabulary that other objects have too (a gallery's "Decorative Arts"), and that is
 * no slip for a vocabulary label: a right label the model does not learn, said without a ⚠️ (a tester).
 */
function keptOutside(c: LabelChange, vocabulary: readonly string[]): boolean {
  return Boolean(c.keptOutside && c.after !== null && !nearestLabel({ label: c.after, vocabulary: [...vocabulary] }));
}

/**
 * A gate check (metrics.json keeps evaluate's names, which promotion and the CLI use) in the comment's words: a
 * "class" is a label, the "baseline" the model in production and the "candidate" this change (a tester).
 */
export function gateWords(s: string): string {
  return s
    .replace(/\bevery class F1\b/g, 'every label’s F1')
    .replace(/\bclasses\b/g, 'labels')
    .replace(/\bclass\b/g, 'label')
    .replace(/\bbelow the baseline\b/g, 'below the model in production')
    .replace(/\bbaseline (?=\d)/g, 'in production ')
    .replace(/\bcandidate (?=\d)/g, 'with this change ');
}

/**
 * The label changes as the report says them: lines naming an object not in the collection are neither objects newly
 * labelled nor labels removed, and objects on lines that disagree are said apart from the labels removed.
 */
export function labelCountsSaid({
  changes,
  counts,
  spreadsheetIds = [],
}: Pick<ReportJson['labels'], 'changes' | 'counts' | 'spreadsheetIds'>): {
  changed: number;
  added: number;
  removed: number;
  disagreeing: number;
  /** Lines naming an object not in the collection, but those of `spreadsheet` and `tooLong`. */
  unknownIds: number;
  /** Lines whose object id is far too long (a text pasted by mistake), which the dataset stage skips. */
  tooLong: number;
  /** Lines of an id not in the collection whose label is far too long, which the dataset stage skips. */
  labelTooLong: number;
  /** Labels lost to ids a spreadsheet changed (spreadsheetLosses: the first line's and the evaluate stage's count). */
  spreadsheet: number;
  /** Of `changed`, labels renamed (the same label under its new name). */
  renamed: number;
} {
  // Of the removed, objects left unlabelled because their lines disagree (counted from the changes: older reports).
  const disagreeing = changes.filter((c) => c.disagreeing).length;
  // Lines whose id is another object's written another way ("dm-0006"): neither a new object nor a label taken out.
  const unknownIds = changes.filter((c) => c.unknownId).length;
  const retyped = changes.filter((c) => c.unknownId && c.kind === 'removed').length;
  // Each once: an object on lines that disagree may be retyped on a third line as well.
  const removed = counts.removed - changes.filter((c) => c.kind === 'removed' && (c.disagreeing || c.unknownId)).length;
  const added = counts.added - (unknownIds - retyped);
  const renamed = changes.filter((c) => c.renamed).length;
  // Said as labels lost, once (the table's rows of those objects carry the same "Did you mean").
  const lost = new Set(spreadsheetIds.map((l) => l.meant));
  const retypedLost = changes.filter((c) => c.unknownId && c.kind === 'removed' && lost.has(c.id)).length;
  // Said apart, in the dataset stage's words: a 5 MB id is a paste, not an id to check for a typo (a tester).
  const tooLong = changes.filter((c) => c.unknownId?.tooLong === 'id').length;
  const labelTooLong = changes.filter((c) => c.unknownId?.tooLong === 'label').length;
  return {
    changed: counts.changed,
    added,
    removed,
    disagreeing,
    unknownIds: unknownIds - retypedLost - tooLong - labelTooLong,
    tooLong,
    labelTooLong,
    spreadsheet: spreadsheetIds.length,
    renamed,
  };
}

function labelSection({ report, metrics, maxLabelChanges, labelRowsForRoom }: RenderInput): string {
  const { changes, counts, baseCommit, baseUnavailable } = report.labels;
  // A run on main itself has no pull request: "in this pull request" would name one.
  const mainItself = mainRunItself(report);
  const title = mainItself ? '### Label changes' : '### Label changes in this pull request';
  if (!baseCommit && baseUnavailable) {
    return (
      `${title}\n\n⚠️ The label changes cannot be listed: the base of this pull request ` +
      `(${code(baseUnavailable.ref)}) is not in this copy of the repository and could not be fetched. The ` +
      `reason: ${text(baseUnavailable.reason)}\n\nA maintainer can fix this by checking out the full history ` +
      `(\`fetch-depth: 0\` in actions/checkout) or by giving the pipeline step a token that can read the ` +
      `repository (\`GITHUB_TOKEN\`). The model's scores below are not affected.`
    );
  }
  if (!baseCommit) {
    const why = report.labels.noBaseReason
      ? `${capitalise(text(report.labels.noBaseReason))}, so there is`
      : 'There is';
    // The judgement on every labelled object compared with the labels at some commit (production's): said with it,
    // not "label changes are not listed" under "too few to judge a change of 2 labels" (a tester).
    const cv = metrics.crossValidated;
    if (mainItself && cv && cv.changed > 0) {
      const differ = `${cv.changed} ${pluralWord(cv.changed, 'label')} ${cv.changed === 1 ? 'differs' : 'differ'}`;
      const them = cv.changed === 1 ? 'it is' : 'they are';
      return (
        `${title}\n\nThe judgement above compares the labels now with those at ${text(cv.base.ref)} ` +
        `(${code(cv.base.commit.slice(0, 12))}): ${differ}. ${capitalise(text(report.labels.noBaseReason ?? 'there is no base'))}, ` +
        `with no pull request to compare with, so ${them} not listed here. To list them, run with ` +
        `\`VITRINE_BASE_REF=${cv.base.commit.slice(0, 12)}\` (for example \`VITRINE_BASE_REF=${cv.base.commit.slice(0, 12)} ` +
        'npx vitrine run report`).'
      );
    }
    const how =
      'To compare with a branch or commit, set `VITRINE_BASE_REF` (for example `VITRINE_BASE_REF=main npx vitrine run`).';
    return `${title}\n\n${why} no base commit to compare labels.csv with, and label changes are not listed. ${how}`;
  }
  const named = report.labels.baseName;
  const where = named?.branchPoint ? ' where this branch left it' : '';
  const against = named
    ? `Compared with ${code(named.name)}${where} (commit ${code(baseCommit.slice(0, 12))}).\n\n`
    : '';
  // A colleague's edit saved while the run trained: the changes listed are the ones the model learnt, said so.
  const since = report.labels.changedSinceRead
    ? '⚠️ labels.csv changed after the dataset stage read it (edited, or a git pull, while the run went on or ' +
      'since): this section lists the changes of labels.csv as that stage read it, the labels the model learnt. ' +
      // Its lines: a line added or a sort since puts other objects on them in the file now (task D6).
      (changes.length > 0
        ? 'The line numbers below are those of labels.csv as that stage read it: in labels.csv as it is now they ' +
          'may be lines of other objects. '
        : '') +
      'Run `npx vitrine run` again to train on labels.csv as it is now and list its changes.\n\n'
    : '';
  // Saved by Excel over a file with Unix line ends: why the pull request's diff shows every line as changed.
  const saved = report.labels.savedDifferently
    ? `${savedDifferentlyWords({
        saved: report.labels.savedDifferently,
        file: 'labels.csv',
        base: named ? code(named.name) : 'the base',
        changes: changes.length,
      })}\n\n`
    : '';
  if (changes.length === 0) return `${title}\n\n${against}${since}${saved}No label in labels.csv changed.`;
  const { disagreeing, unknownIds, removed, added, spreadsheet, tooLong, labelTooLong } = labelCountsSaid(
    report.labels,
  );
  // Renamed labels are the same labels under new names: said apart from the labels changed (a reviewer).
  const renamed = changes.filter((c) => c.renamed).length;
  const changed = counts.changed - renamed;
  // An object renumbered (the same photograph under a new number) whose label went with it: neither a label removed
  // nor an object newly labelled (tester T10).
  // Relabelled too, it is said as renumbered and relabelled, with its label before on the new number's row (V18).
  const renumbered = renumberedLabels({ changes, removed: report.objectsRemoved?.objects ?? [] });
  const moved = renumbered.size;
  const relabelled = [...renumbered.values()].filter((m) => m.before !== m.after).length;
  const keptBy = moved - relabelled;
  const summary = [
    changed ? `${changed} ${pluralWord(changed, 'label')} changed` : '',
    renamed ? `${renamed} renamed (the same label under its new name)` : '',
    keptBy > 0
      ? `${keptBy} ${pluralWord(keptBy, 'label')} kept by ${keptBy === 1 ? 'an object' : 'objects'} renumbered ` +
        '(see above)'
      : '',
    relabelled > 0 ? `${relabelled} ${pluralWord(relabelled, 'object')} renumbered and relabelled (see above)` : '',
    added - moved > 0 ? `${added - moved} ${pluralWord(added - moved, 'object')} newly labelled` : '',
    removed - moved > 0 ? `${removed - moved} ${pluralWord(removed - moved, 'label')} removed` : '',
    disagreeing > 0
      ? `${disagreeing} ${disagreeing === 1 ? 'object is' : 'objects are'} on lines with different labels, so ` +
        `${disagreeing === 1 ? 'it is' : 'they are'} not used until only one line is left`
      : '',
    spreadsheet > 0
      ? `${spreadsheet} ${pluralWord(spreadsheet, 'label')} lost to ids a spreadsheet changed (see the first line)`
      : '',
    unknownIds > 0
      ? `${unknownIds} ${unknownIds === 1 ? 'line names' : 'lines name'} an object id that is not in the collection, so ` +
        `${unknownIds === 1 ? 'its label is' : 'their labels are'} not used`
      : '',
    tooLong > 0 ? tooLongWords(tooLong) : '',
    labelTooLong > 0 ? tooLongWords(labelTooLong, 'label') : '',
  ].filter(Boolean);
  // Said beside the counts, so that they agree with the verdict's, which only counts objects with a photograph.
  const unphotographed = changes.filter((c) => c.photoUnusable === NO_PHOTO_NAMED && c.after !== null).length;
  const noPhoto = changes.filter((c) => c.photoUnusable && c.after !== null).length - unphotographed;
  if (unphotographed > 0)
    summary.push(
      `${unphotographed} of these ${unphotographed === 1 ? 'labels is on an object' : 'labels are on objects'} not ` +
        `photographed yet, so no model learned from ${unphotographed === 1 ? 'it' : 'them'}`,
    );
  if (noPhoto > 0)
    summary.push(
      `${noPhoto} of these ${noPhoto === 1 ? 'labels is on an object whose photograph' : 'labels are on objects whose photographs'} ` +
        `cannot be used, so no model learned from ${noPhoto === 1 ? 'it' : 'them'}`,
    );
  const vocabulary = report.labels.vocabulary ?? null;
  const outsideAll = changes.filter(
    (c) => c.skipped && c.after !== null && vocabulary && !vocabulary.includes(c.after),
  );
  // Labels other objects have too, that the model does not learn: kept, not "not one of the collection's".
  const kept = vocabulary ? outsideAll.filter((c) => keptOutside(c, vocabulary)).length : 0;
  const outside = outsideAll.length - kept;
  const otherSkipped = changes.filter((c) => c.skipped).length - outsideAll.length;
  const stale = report.labels.datasetStale === true;
  const skippedLine = [
    kept
      ? `${kept} new ${pluralWord(kept, 'label')} ${kept === 1 ? 'is' : 'are'} kept in labels.csv and the catalogue ` +
        `but not learned by the model (not in collection.vocabulary)`
      : '',
    outside
      ? `${outside} new ${pluralWord(outside, 'label')} ${outside === 1 ? 'is' : 'are'} not one of the collection's ` +
        `labels (${vocabularyWords(vocabulary!)}) and ${outside === 1 ? 'was' : 'were'} skipped`
      : '',
    otherSkipped && stale ? `${unread(otherSkipped, changes.length)}: run \`npx vitrine run\`` : '',
    otherSkipped && !stale
      ? `${otherSkipped} new ${pluralWord(otherSkipped, 'label')} ${otherSkipped === 1 ? 'was' : 'were'} skipped by the dataset stage`
      : '',
  ].filter(Boolean);
  const rowsForRoom = labelRowsForRoom !== undefined && labelRowsForRoom < Math.min(maxLabelChanges, changes.length);
  const shown = changes.slice(0, rowsForRoom ? labelRowsForRoom : maxLabelChanges);
  const withImages = shown.some((c) => c.thumbnailUrl || c.notInCatalogue || c.withheld);
  const header = [...(withImages ? [''] : []), 'Object', 'Title', 'Label before', 'Label now', 'The model now says'];
  // The new number's row: the object's old number, and its label under it.
  const renumberedFrom = (id: string) => [...renumbered].find(([, m]) => m.to === id);
  const labelBeforeCell = (label: string | null) => (label === null ? '—' : text(visibleLabel(shortLabel(label))));
  const rows = shown.map((c) => [
    ...(withImages ? [thumbnail(c)] : []),
    objectCell(c),
    text(shorten(c.title)),
    labelBeforeCell(c.before ?? (c.kind === 'added' ? renumberedFrom(c.id)?.[1].before : undefined) ?? null),
    c.after === null ? '—' : `${text(visibleLabel(shortLabel(c.after)))}${c.renamed ? ' (renamed)' : ''}`,
    // Its rows too, as the summary says it: "renumbered DM-1011", "renumbered from DM-0011" (tester T10).
    predictionCell(c, vocabulary, stale, {
      to: c.kind === 'removed' ? renumbered.get(c.id) : undefined,
      from: c.kind === 'added' ? renumberedFrom(c.id)?.[0] : undefined,
    }),
  ]);
  const rest = changes.length - shown.length;
  // report.json keeps the first 100,000 (json-limits.ts); a fork's, cut, still counts them all.
  const cut = Math.max(changes.length, counts.changed + counts.added + counts.removed) > JSON_LIST_LIMIT;
  const first = `the first ${JSON_LIST_LIMIT.toLocaleString('en')}`;
  const more = rowsForRoom
    ? `\n\n…and ${rest.toLocaleString('en')} more (the comment has room for the first ${shown.length}; ` +
      "report-full.md among the run's " +
      `files lists ${Math.min(maxLabelChanges, changes.length)}, report.json ${cut ? first : 'all of them'}).`
    : rest > 0
      ? `\n\n…and ${rest.toLocaleString('en')} more ` +
        `(${cut ? `report.json in the run's files lists ${first}` : "see report.json in the run's files"}).`
      : '';
  // Only test answers are evidence; answers for objects the model learned from are not counted. Every change is
  // counted, listed or not (a tester: 9 of 117 changed test objects were counted, those in the 50 rows listed).
  const testAnswers = changes.filter((c) => c.candidate && !c.candidate.seenInTraining && c.after !== null);
  const agree = testAnswers.filter((c) => c.candidate!.label === c.after).length;
  const tested = testAnswers.length;
  const isAre = tested === 1 ? 'is' : 'are';
  const agreeLine =
    tested > 0
      ? ` ${tested} of ${rest > 0 ? 'the changed' : 'these'} objects ${isAre} in the test set; the new model agrees ` +
        `with the new label for ${agree} of them.`
      : '';
  const pictures = catalogueNote(report.catalogue, shown);
  const intro = `${against}${since}${saved}${summary.join(', ')}${skippedLine.length ? `; ${skippedLine.join('; ')}` : ''}.${agreeLine}`;
  return `${title}\n\n${intro}${pictures ? `\n\n${pictures}` : ''}\n\n${table({ header, rows })}${more}`;
}

/** "2 lines have an object id far too long (…), so they are skipped": the report stage's summary says it too. */
export function tooLongWords(n: number, what: 'id' | 'label' = 'id'): string {
  return (
    `${n} ${n === 1 ? 'line has' : 'lines have'} ${what === 'id' ? 'an object id' : 'a label'} far too long ` +
    `(a text pasted into the cell by mistake), so ${n === 1 ? 'it is' : 'they are'} skipped`
  );
}

/** How many of the `all` changes listed the dataset stage has not read (`n`): this change, these changes, or some. */
function unread(n: number, all: number): string {
  if (n === all) return `the dataset stage has not run since ${n === 1 ? 'this change' : 'these changes'}`;
  const [is, they] = n === 1 ? ['is', 'it was'] : ['are', 'they were'];
  return `${n} of these changes ${is} not in the dataset yet (the dataset stage has not run since ${they} made)`;
}

/** Why thumbnails are missing, when they are: no catalogue address, nothing published, or objects new to it. */
function catalogueNote(catalogue: ReportJson['catalogue'], shown: LabelChange[]): string {
  // Reports from before the catalogue was checked, and a fork's (its links are dropped), say nothing.
  if (!catalogue) return '';
  if (!catalogue.url) {
    return [
      'Thumbnails are not shown: no address of a published catalogue is known.',
      'On GitHub the workflow gives the Pages address of the catalogue; elsewhere set `report.catalogue_url` in params.yaml.',
    ].join(' ');
  }
  if (!catalogue.published) {
    const why = text(catalogue.reason ?? 'it did not answer');
    const at = code(catalogue.url);
    return (
      `Thumbnails are not shown: the catalogue at ${at} is not published yet (${why}). They appear once the catalogue workflow` +
      ' publishes it.'
    );
  }
  const pending = shown.filter((c) => c.notInCatalogue).length;
  if (pending === 0) return '';
  const has = pending === 1 ? 'has' : 'have';
  const objects = `${pending} ${pluralWord(pending, 'object')}`;
  return `${objects} ${has} no thumbnail in the published catalogue yet: the catalogue is rebuilt when this pull request is merged.`;
}

function objectCell(c: LabelChange): string {
  const id = c.pageUrl ? link(visibleId(c.id), c.pageUrl) : text(visibleId(c.id));
  // Lines that disagree: the head's lines, where the fix is.
  if (c.disagreeing && c.disagreeing.length > 0)
    return `${id} (lines ${listWords(
      c.disagreeing.map((l) => String(l.line)),
      { max: LINES_NAMED },
    )})`;
  // Its line now names another id, or is still there with the label cell empty: the head's line, where the fix is.
  if (c.kind === 'removed' && c.unknownId) return `${id} (line ${c.unknownId.line})`;
  if (c.kind === 'removed' && c.emptyLines && c.emptyLines.length > 0) return `${id} (${linesWords(c.emptyLines)})`;
  // A removed label's line is in the base's labels.csv; at the head that line may hold another object.
  return `${id} (${c.kind === 'removed' ? 'was ' : ''}line ${c.line})`;
}

function thumbnail(c: LabelChange): string {
  if (c.notInCatalogue) return 'not published yet';
  if (c.withheld === 'thumbnail') return 'shown small for copyright reasons';
  if (c.withheld === 'none') return 'not shown online for copyright reasons';
  const src = c.thumbnailUrl ? safeUrl(c.thumbnailUrl) : null;
  if (!src) return '';
  return `<img src="${attribute(src)}" alt="${attribute(shorten(c.title) || c.id)}" width="64">`;
}

/**
 * The most lines of one object a sentence or cell names; the others are counted ("and 290 more"): an object pasted
 * on hundreds of lines made a row, or the first line's warning, of every one of them.
 */
const LINES_NAMED = 10;

/** A vocabulary this long is not listed in the report: params.yaml is named instead. */
const LISTED_LABELS = 20;

/** The collection's labels for the line above the label table: listed when few, else where they are. */
export function vocabularyWords(vocabulary: string[]): string {
  if (vocabulary.length <= LISTED_LABELS) return vocabulary.map((l) => text(labelInList(l))).join(', ');
  return `the ${vocabulary.length.toLocaleString('en')} labels in collection.vocabulary in params.yaml`;
}

/**
 * An object on lines of labels.csv that disagree, as the dataset stage's warning says it: which lines, and that
 * none counts until one is left. Plain text, escaped.
 */
function disagreeingWords(lines: { line: number; label: string }[]): string {
  const how = lines.some((l) => !l.label) ? 'that disagree' : 'with different labels';
  const rule = lines.length === 2 ? 'neither is used until one line is removed' : 'none is used until only one is left';
  return `on ${lines.length} lines ${how} (${listWords(lines.map(lineSaid), { max: LINES_NAMED })}): ${rule}`;
}

/** One of an object's lines in labels.csv, with its label: `line 52 "textile"`. Plain text, escaped. */
function lineSaid(l: { line: number; label: string }): string {
  return l.label ? `line ${l.line} "${text(shorten(l.label))}"` : `line ${l.line} with the label cell empty`;
}

/** "line 17", "lines 17 and 40". */
function linesWords(lines: number[]): string {
  return `${lines.length === 1 ? 'line' : 'lines'} ${listWords(lines.map(String), { max: LINES_NAMED })}`;
}

function predictionCell(
  c: LabelChange,
  vocabulary: string[] | null,
  stale: boolean,
  /** The object renumbered with a label: its new number and labels (`to`, on the old number's row), or its old. */
  renumbered: { to?: { to: string; before: string; after: string }; from?: string } = {},
): string {
  const { to } = renumbered;
  if (to) {
    const label =
      to.after === to.before ? 'its label stays' : `its label is now ${text(visibleLabel(shortLabel(to.after)))}`;
    return `renumbered ${text(shorten(to.to))}: ${label}, on the new number's line`;
  }
  const from = renumbered.from ? `renumbered from ${text(shorten(renumbered.from))}` : '';
  // Tester: an object on lines that disagree is unlabelled as well, but not because its label was taken out.
  if (c.kind === 'removed' && c.disagreeing && c.disagreeing.length > 0) return disagreeingWords(c.disagreeing);
  // An id far too long: the dataset stage's warning, which names its length and beginning (never the id whole).
  if (c.unknownId?.tooLong) return text(c.unknownId.hint);
  // Tester: an id retyped in other capitals is the object's line, not a new object; said as the dataset stage says it.
  if (c.unknownId && (c.kind === 'removed' || c.kind === 'added')) {
    const u = c.unknownId;
    const named = `"${text(shorten(visibleId(u.id)))}", which is not an object id in the collection: ${text(u.hint)}`;
    return c.kind === 'removed'
      ? `line ${u.line} now names ${named} Until it is corrected, the label is not used`
      : `the line names ${named} Until it is corrected, the line is not used`;
  }
  if (c.kind === 'removed' && c.emptyLines && c.emptyLines.length > 0)
    return `${linesWords(c.emptyLines)} with the label cell empty: the label is no longer used for training`;
  // The object is unlabelled now: no model learns from it, whatever it was asked before.
  if (c.kind === 'removed') return 'label removed: no longer used for training';
  if (c.skipped && c.after !== null) {
    // No model learned from or was tested on this line: say so before anything else.
    // The labels are listed once, above the table: in every row they made 1,000 rows × 1,000 labels.
    if (vocabulary && !vocabulary.includes(c.after)) {
      // The log's "pasted by mistake?": a text never meant as a label, not a typo to look for (tester T7).
      if (c.labelTooLong)
        return (
          `the label is ${text(c.labelTooLong)}: a label is a word or a few. A text pasted into the cell by mistake? ` +
          'The line was skipped'
        );
      // Staff read the comment, not the log: its "did you mean" belongs here too.
      const meant = nearestLabel({ label: c.after, vocabulary });
      // A character that does not show ("Jewellery" + U+200B): shown and named, or "did you mean" the label that
      // prints the same reads as "Jewellery is not Jewellery" (an outside tester).
      const hidden = hiddenCharacter({ label: c.after, quote: (s) => `"${text(shortLabel(s))}"` });
      if (hidden)
        return (
          `"${text(visibleLabel(shortLabel(c.after)))}" is not one of the collection's labels: ${hidden.words}.` +
          `${meant ? ` Did you mean "${text(meant)}"?` : ''} ${hidden.fix}: until then the line is skipped`
        );
      if (keptOutside(c, vocabulary))
        return (
          `"${text(shortLabel(c.after))}" is not one of the labels the model learns (collection.vocabulary): the ` +
          'change is kept in labels.csv and the catalogue; the model does not train on it'
        );
      const guess = meant ? ` (did you mean "${text(meant)}"?)` : '';
      return `"${text(shortLabel(c.after))}" is not one of the collection's labels${guess}: the line was skipped`;
    }
    return stale
      ? 'not in the dataset yet: the dataset stage has not run since this change (run `npx vitrine run`), so no model used the new label'
      : 'the dataset stage skipped this line (see its warnings): no model used the new label';
  }
  // Tester #2: in the training split but without a usable photograph, the label taught the model nothing.
  if (c.photoUnusable && c.after !== null) {
    const added = from ? `${from}, but ` : c.kind === 'added' ? 'newly labelled, but ' : '';
    // Not photographed yet: normal for a new object, and nothing to repair.
    if (c.photoUnusable === NO_PHOTO_NAMED)
      return `${added}no model can learn from this label until the object is photographed: ${NO_PHOTO_NAMED}`;
    return `${added}no model could learn from this label because its photograph cannot be used: ${text(c.photoUnusable)}`;
  }
  // The model that learned this label mostly repeats it; one trained without the object can say otherwise.
  const agrees = (label: string) => (c.after !== null && label === c.after ? 'agrees' : 'disagrees');
  const heldOut = c.heldOut
    ? `a model trained without this object says ${text(c.heldOut.label)} ` +
      `(${pct(c.heldOut.confidence)} sure, ${agrees(c.heldOut.label)})`
    : '';
  if (c.candidate) {
    const before = c.baseline ? `; before: ${text(c.baseline.label)}` : '';
    const seen = c.candidate.seenInTraining ? '; seen in training, so not a test score' : '';
    const answer = `${text(c.candidate.label)} (${pct(c.candidate.confidence)} sure, ${agrees(c.candidate.label)}${before}${seen})`;
    return `${from ? `${from}; ` : ''}${heldOut ? `${answer}; ${heldOut}` : answer}`;
  }
  if (heldOut) return `${from ? `${from}; ` : ''}${heldOut}`;
  const added = from ? `${from}, ` : c.kind === 'added' ? 'newly labelled, ' : '';
  if (c.split === 'train')
    return `${added}in the training set: the model learned from ${added ? 'this' : 'the new'} label`;
  if (c.split === 'validation') return `${added}in the validation set: used to decide when to stop training`;
  return 'not in the dataset';
}

function metricsSection({ report, metrics }: RenderInput): string {
  const b = metrics.baseline;
  const base = b ? text(`In production (${b.version})`) : null;
  const header = ['Measure', ...(base ? [base] : []), 'With this change', ...(base ? ['Change'] : []), '95% range'];
  const row = (
    name: string,
    candidate: { value: number; low: number; high: number },
    baseline: { value: number } | undefined,
    lowerIsBetter = false,
  ) => [
    name,
    ...(b ? [num(baseline?.value)] : []),
    `**${num(candidate.value)}**`,
    ...(b
      ? [
          signed(baseline ? candidate.value - baseline.value : null) +
            (baseline && lowerIsBetter ? lowerNote(candidate.value - baseline.value) : ''),
        ]
      : []),
    between(candidate.low, candidate.high, { signs: false }),
  ];
  const rows = [
    row('Accuracy (share of objects right)', metrics.accuracy, b?.accuracy),
    row('Overall score, each label counting equally (macro-F1)', metrics.macroF1, b?.macroF1),
    row(text(`Right within the top ${metrics.topK.k} guesses`), metrics.topK.accuracy, b?.topK.accuracy),
    row('Calibration error (how far confidence is off)', metrics.ece, b?.ece, true),
  ];
  const align: ('left' | 'right')[] = header.map((_, i) => (i === 0 ? 'left' : 'right'));
  let out = `### Scores\n\n${table({ header, rows, align })}`;
  const c = report.comparison;
  const measure = c?.metric === 'macroF1' ? 'macro-F1' : 'accuracy';
  if (c)
    out +=
      c.difference.low === c.difference.high
        ? `\n\nThe ${measure} change is ${signed(c.difference.low)} in every resample of the test objects, so it has ` +
          'no range.'
        : `\n\nThe ${measure} change is ${between(c.difference.low, c.difference.high)} ` +
          `(${levelled(c.alpha, 'range')}).`;
  const scope = b
    ? baselineScopeNote({
        baseline: b,
        n: metrics.n,
        who: `${productionWords(report)} (${text(b.version)})`,
        candidate: 'this change',
      })
    : null;
  if (scope) out += `\n\n${scope.warning ? '⚠️ ' : ''}${scope.sentence}`;
  // Trained with other settings (this pull request's, or an upgrade of Vitrine's new defaults): the comparison is
  // one of those settings too.
  const settings = b?.settingChanges ?? [];
  if (b && settings.length > 0)
    out +=
      `\n\n⚠️ The model compared with (${text(b.version)}) was trained with other training settings: ` +
      `${text(settingChangeWords(settings))}. The comparison is also one of those settings. ` +
      `${settingAdvice({ changes: settings, version: b.version, prose: text, line: code })}.`;
  if (metrics.changedPredictions.length > 0)
    out +=
      `${scope || settings.length > 0 ? '\n\n' : ' '}${metrics.changedPredictions.length} ` +
      `test ${pluralWord(metrics.changedPredictions.length, 'object')} ` +
      `now ${metrics.changedPredictions.length === 1 ? 'gets' : 'get'} a different answer than from the model in production.`;
  return out;
}

/** How many test objects the model gave each label (column sums of the confusion matrix). */
function predictedCounts(labels: string[], confusion: number[][]): Map<string, number> {
  return new Map(labels.map((l, j) => [l, confusion.reduce((s, row) => s + (row[j] ?? 0), 0)]));
}

function perClassSection(metrics: Metrics): string {
  const baseline = new Map((metrics.baseline?.perClass ?? []).map((c) => [c.label, c]));
  const b = metrics.baseline !== null;
  const predicted = predictedCounts(metrics.labels, metrics.confusion);
  const basePredicted = metrics.baseline
    ? predictedCounts(metrics.labels, metrics.baseline.confusion)
    : new Map<string, number>();
  // Macro-F1 (evaluate) averages over the labels in the test set or in the predictions; a label
  // in neither has no score at all, one only predicted counts as 0.
  const scored = (c: { label: string; support: number }, counts: Map<string, number>) =>
    c.support > 0 || (counts.get(c.label) ?? 0) > 0;
  // F1 before and after in neighbouring columns, each a bar next to its value: neither can hide the other.
  const f1Cell = (value: number | null, bold = false) => {
    if (value === null) return '–';
    const bar = glyphBar(value);
    const figure = bold ? `**${num(value, 2)}**` : num(value, 2);
    return bar ? `${bar} ${figure}` : figure;
  };
  const f1Columns = b
    ? [text(`F1 in production (${metrics.baseline!.version})`), 'F1 with this change', 'Change']
    : ['F1'];
  const header = ['Label', 'Test objects', 'Precision', 'Recall', ...f1Columns];
  // The classes the gate did not judge by their F1, by the threshold it used (recorded in metrics.json's gate).
  const minimum = minTestPerClassOf(metrics.gate) ?? 0;
  const building = (metrics.newLabels?.labels ?? []).map((l) => l.label);
  const tooFew = new Set(tooFewToJudge({ perClass: metrics.perClass, minTestPerClass: minimum, building }));
  const rows = metrics.perClass.map((c) => {
    const old = baseline.get(c.label);
    const oldF1 = old && scored(old, basePredicted) ? old.f1 : null;
    const isScored = scored(c, predicted);
    const f1 = isScored ? f1Cell(c.f1, true) : '–';
    const tail = b ? [f1Cell(oldF1), f1, isScored ? signed(oldF1 === null ? null : c.f1 - oldF1, 2) : '–'] : [f1];
    // Neither tested nor predicted: dashes, not zeros that read as failures.
    if (!isScored) return [text(c.label), '0', '–', '–', ...tail];
    // Predicted but not tested: no recall to speak of, but precision and F1 are 0 and count.
    if (c.support === 0) return [text(c.label), '0', num(c.precision, 2), '–', ...tail];
    const count = tooFew.has(c) ? tooFewCell(c.support) : String(c.support);
    return [text(c.label), count, num(c.precision, 2), num(c.recall, 2), ...tail];
  });
  const notes: string[] = [];
  if (tooFew.size > 0)
    notes.push(
      'Too few test objects to judge: the promotion gate does not judge a label by its F1 on fewer than ' +
        `${minimum} test objects (dataset.min_test_per_class), as one object more or less found moves it a long way.`,
    );
  const untested = metrics.perClass.filter((c) => c.support === 0 && !scored(c, predicted)).map((c) => text(c.label));
  if (untested.length)
    notes.push(
      `No test object has the label ${labelList(untested)} and the model never gave it, so it cannot be scored ` +
        `yet and does not count in macro-F1.`,
    );
  for (const c of metrics.perClass.filter((c) => c.support === 0 && scored(c, predicted))) {
    const n = predicted.get(c.label) ?? 0;
    notes.push(
      `No test object has the label ${text(c.label)}, yet the model gave it to ${n} ` +
        `test ${pluralWord(n, 'object')}, so it counts as 0 in macro-F1.`,
    );
  }
  const broken = metrics.perClass
    .filter((c) => scored(c, predicted) && !Number.isFinite(c.f1))
    .map((c) => text(c.label));
  if (broken.length) notes.push(`The F1 of ${broken.join(', ')} is not a number, so it has no bar.`);
  const notesText = notes.length ? `\n\n${notes.join(' ')}` : '';
  const align: ('left' | 'right')[] = header.map((_, i) => (i === 0 ? 'left' : 'right'));
  const words = [
    'Precision: of the objects the model calls this label, the share that are.',
    'Recall: of the objects with this label, the share the model finds. F1 combines the two.',
    `Each bar runs from 0 to 1 (a full bar is F1 1.00)${b ? ', the model in production on the left and this change on the right' : ''}.`,
  ].join(' ');
  return `### Per label\n\n${words}\n\n${table({ header, rows, align })}${notesText}`;
}

function confusionSection(metrics: Metrics): string {
  const labels = metrics.labels;
  const header = ['Labelled ↓ / predicted →', ...labels.map((l) => text(l))];
  const rows = metrics.confusion.map((row, i) => [
    text(labels[i] ?? String(i)),
    ...row.map((n, j) => (i === j ? `**${n}**` : n === 0 ? '·' : String(n))),
  ]);
  const align: ('left' | 'right')[] = header.map((_, i) => (i === 0 ? 'left' : 'right'));
  return (
    `<details><summary>Which labels the model mixes up (confusion matrix)</summary>\n\nEach row is the ` +
    `human label, each column what the model said; the diagonal (bold) is right.\n\n${table({ header, rows, align })}\n\n</details>`
  );
}

function trainingSection(model: ModelInfo): string {
  const { loss, valLoss, accuracy, valAccuracy } = model.history;
  if (loss.length === 0) return '';
  const epochs = loss.length;
  const x = Array.from({ length: epochs }, (_, i) => i + 1);
  const line = (values: number[], name: string) => (values.length ? [{ name, values }] : []);
  const lossChart = lineChart({
    title: 'Loss per epoch, lower is better',
    xTitle: 'epoch',
    yTitle: 'loss',
    x,
    series: [...line(loss, 'training loss'), ...line(valLoss, 'validation loss')],
  });
  const accChart = accuracy.length
    ? lineChart({
        title: 'Accuracy per epoch',
        xTitle: 'epoch',
        yTitle: 'accuracy',
        yRange: [0, 1],
        x,
        series: [...line(accuracy, 'training accuracy'), ...line(valAccuracy, 'validation accuracy')],
      })
    : null;
  const charts = accChart ? [lossChart, accChart] : [lossChart];
  // The table lists every epoch a chart shows (all of them, up to the charts' limit), values that are not numbers included.
  const listed = [...new Set(charts.flatMap((c) => [...c.shown, ...c.leftOut.map((l) => l.x)]))].sort((a, b) => a - b);
  const cell = (values: number[], epoch: number, digits: number) => {
    if (values.length === 0) return '–';
    return Number.isFinite(values[epoch - 1] ?? NaN) ? num(values[epoch - 1], digits) : 'not a number';
  };
  const rows = listed.map((e) => [
    String(e),
    cell(loss, e, 4),
    cell(valLoss, e, 4),
    cell(accuracy, e, 3),
    cell(valAccuracy, e, 3),
  ]);
  const header = ['Epoch', 'Loss', 'Validation loss', 'Accuracy', 'Validation accuracy'];
  const tableText = table({ header, rows, align: header.map(() => 'right' as const) });
  const [first, second] = [CHART_COLOURS[0].name, CHART_COLOURS[1].name];
  const legend =
    valLoss.length > 0 || valAccuracy.length > 0
      ? `In each chart the ${first} line is the training objects and the ${second} line the validation objects;` +
        ` when the ${second} line stops improving, more training stops helping.`
      : `In each chart the ${first} line is the training objects.`;
  // What the charts measure in plain words, the terms in brackets (a tester read "epoch", "loss", "backend").
  const measures = accChart
    ? 'The first chart shows how far its answers are from the labels, lower is better (loss); the second, the ' +
      'share it gets right (accuracy).'
    : 'The chart shows how far its answers are from the labels, lower is better (loss).';
  const words = [
    `${model.trainCount} ${pluralWord(model.trainCount, 'object')} trained the model and ` +
      `${model.validationCount} checked it along the way,`,
    `in ${epochs} ${epochs === 1 ? 'pass' : 'passes'} over the training objects (epochs). ${measures} ${legend}`,
    listed.length < epochs
      ? `The charts show ${lossChart.shown.length} of ${epochs} epochs, evenly spaced; the table lists those.`
      : '',
  ].filter(Boolean);
  const notes = charts.map((c, i) => leftOutNote(c, i === 0 ? 'loss' : 'accuracy')).filter(Boolean);
  const drawn = charts.map((c) => c.chart).filter((c): c is string => c !== null);
  const tableBlock = `<details><summary>Training curve as a table</summary>\n\n${tableText}\n\n</details>`;
  // The lbfgs head runs no epochs: one point, which a chart (or an "Epoch 1" table) would present as a curve.
  if (epochs === 1) return [`### Training`, fittedOnce(model)].join('\n\n');
  const blocks = [
    `### Training`,
    words.join(' '),
    ...(notes.length ? [notes.join(' ')] : []),
    ...(drawn.length ? drawn : ['No chart can be drawn: none of the values is a number.']),
    tableBlock,
  ];
  return blocks.join('\n\n');
}

/**
 * The training section of a head fitted without epochs (train.solver lbfgs): how the solver ended, the L2
 * penalty and how it was chosen (model-info.json `lbfgs`, `l2`), and its one set of figures. A model
 * saved before the fit was recorded gets a neutral sentence.
 */
function fittedOnce(model: ModelInfo): string {
  const who = `${model.trainCount} ${pluralWord(model.trainCount, 'object')} trained the model and ${model.validationCount} checked it.`;
  const f = model.lbfgs;
  const words = f ? fitWords({ ...f, l2: model.l2 ?? null }) : null;
  const fit = words
    ? `It was ${words.fit}, so there is no training curve.`
    : 'Training recorded one set of figures, so there is no training curve.';
  const penalty = words?.penalty ? `${capitalise(words.penalty)}.` : '';
  const { loss, valLoss, accuracy, valAccuracy } = model.history;
  const checked = valLoss.length > 0 || valAccuracy.length > 0;
  const figures = checked
    ? `It gets ${pct(accuracy[0] ?? NaN)} of the training objects right and ${pct(valAccuracy[0] ?? NaN)} of the ` +
      'validation objects; how far its answers are from their labels, lower is better (loss), is ' +
      `${num(loss[0], 4)} and ${num(valLoss[0], 4)}.`
    : `It gets ${pct(accuracy[0] ?? NaN)} of the training objects right; how far its answers are from their ` +
      `labels, lower is better (loss), is ${num(loss[0], 4)}.`;
  return [who, fit, penalty, figures].filter(Boolean).join(' ');
}

/** "Epoch 4 is left out of the loss chart: its training loss is not a number." */
function leftOutNote(chart: ReturnType<typeof lineChart>, what: string): string {
  if (chart.leftOut.length === 0) return '';
  const groups = new Map<string, number[]>();
  for (const l of chart.leftOut) {
    const key = l.series.join(' and ');
    groups.set(key, [...(groups.get(key) ?? []), l.x]);
  }
  return [...groups]
    .map(([series, xs]) => {
      const one = xs.length === 1;
      const subject = one ? `its ${text(series)}` : `the ${text(series)} there`;
      const verb = series.includes(' and ') ? 'are not numbers' : 'is not a number';
      const epochs = `${one ? 'Epoch' : 'Epochs'} ${listWords(xs.map(String))}`;
      return `${epochs} ${one ? 'is' : 'are'} left out of the ${what} chart: ${subject} ${verb}.`;
    })
    .join(' ');
}

/** "with no real difference, … about 1 time in 250; " before a drift signal's alarm, nothing without a p-value. */
function chanceAnd(p: number): string {
  const words = chanceWords(p);
  return words ? `${words}; ` : '';
}

function driftSection(drift: DriftReport): string {
  const rows: string[][] = [];
  const mark = (drifted: boolean) => (drifted ? '⚠️ changed' : 'steady');
  const e = drift.signals.embeddings;
  if (e)
    rows.push([
      mark(e.drifted),
      'What the photographs show, to the model (embeddings)',
      `effect ${num(e.effect, 2)}, ${pValue(e.pValue)} (${chanceAnd(e.pValue)}alarm from effect ` +
        `${num(e.minEffect, 2)} with p below ${num(e.threshold)})`,
    ]);
  const n = drift.signals.novelty;
  if (n)
    rows.push([
      mark(n.drifted),
      'Photographs unlike anything the model learned from (novelty)',
      `${signed(n.value * 100, 0)}% farther than usual, ${pValue(n.pValue)} ` +
        `(${chanceAnd(n.pValue)}alarm from ${Math.round(n.minIncrease * 100)}%)`,
    ]);
  for (const s of drift.signals.imageStats)
    rows.push([
      mark(s.drifted),
      text(s.description || s.signal),
      `standardised difference ${signed(s.value, 2)} (alarm from ±${num(s.threshold, 2)})`,
    ]);
  const p = drift.signals.predictedLabels;
  if (p)
    rows.push([
      mark(p.drifted),
      'Labels the model predicts',
      `distance ${num(p.value, 2)} (alarm from ${num(p.threshold, 2)})`,
    ]);
  const unfamiliar = drift.unfamiliar.filter((u) => u.unusual);
  const list = unfamiliar.length
    ? `\n\nObjects unlike anything the model learned ` +
      `from: ${unfamiliar.map((u) => `${text(visibleId(u.id))}${u.title ? ` (${text(shorten(u.title))})` : ''}`).join(', ')}.`
    : '';
  return (
    `### Collection drift\n\n${text(drift.summary)}\n\nCompared: ${text(drift.reference.description)} ` +
    `with ${text(drift.current.description)}.${rows.length ? `\n\n${table({ header: ['', 'Signal', 'Detail'], rows })}` : ''}${list}`
  );
}

/**
 * The changed settings a model fitted in one go (model-info.json `lbfgs`) does not read, said under the settings
 * table: the run trained again for them and got the same model (tester T10). Empty otherwise.
 */
function unusedSettings(changed: readonly { key: string }[], model: ModelInfo | null | undefined): string {
  if (!model?.lbfgs) return '';
  const unused = changed.map((p) => p.key).filter((k) => PASSES_ONLY_TRAIN_SETTINGS.includes(k));
  if (unused.length === 0) return '';
  const one = unused.length === 1;
  // Switching how the model is trained (to lbfgs, or to no hidden units) does change it (reviewer V16).
  const switched = changed.some((p) => p.key === 'train.solver' || p.key === 'train.hidden_units');
  return (
    `\n\nNot used by this model, which is fitted in one go (the default): ${unused.map(code).join(', ')}.` +
    (switched ? '' : ` Changing ${one ? 'it' : 'them'} trains again but gives the same model.`)
  );
}

function lineageSection(report: ReportJson, model: ModelInfo | null | undefined): string {
  const l = report.lineage;
  const lines = [
    l.dataUsed
      ? `Data: ${code(l.dataUsed)}, data/ as it was on the computer that ran this, which differs from what data.dvc ` +
        `records (${code(l.data)}): run \`npx vitrine data checkout\` to match it`
      : `Data: ${code(l.data) || 'unknown'}`,
    `labels.csv: ${code(l.labelsHash.slice(0, 12)) || 'unknown'}` +
      `${l.labelsCommit ? ` from commit ${code(l.labelsCommit.slice(0, 12))}` : ''}`,
    `Commit: ${l.headCommit ? code(l.headCommit.slice(0, 12)) : 'unknown'}` +
      (l.baseCommit
        ? ` compared with ${code(l.baseCommit.slice(0, 12))}`
        : report.labels.baseUnavailable
          ? ` (its base ${code(report.labels.baseUnavailable.ref)} could not be fetched, so params.yaml was not compared)`
          : ''),
    imageModelWords(l),
    report.comparison && report.verdict !== 'not scored'
      ? 'How the change was tested: both models were scored again on many random draws of the same objects, to see ' +
        `how much of the change chance alone could give (${text(report.comparison.test)})`
      : '',
    l.runUrl && safeUrl(l.runUrl) ? `Run: ${link('logs and files of this run', l.runUrl)}` : '',
  ].filter(Boolean);
  const params = l.params.length
    ? '\n\nSettings changed in params.yaml:\n\n' +
      table({
        header: ['Setting', 'Before', 'Now'],
        rows: l.params.map((p) => [
          text(p.key),
          p.before === null ? '—' : text(JSON.stringify(p.before)),
          p.after === null ? '—' : text(JSON.stringify(p.after)),
        ]),
      }) +
      unusedSettings(l.params, model)
    : l.baseCommit
      ? '\n\nNo setting in params.yaml changed.'
      : '';
  const stages = l.stages.length
    ? '\n\n' +
      table({
        header: ['Stage', 'Time', 'Result'],
        rows: l.stages.map((s) => [text(s.name), duration(s.durationMs), text(s.summary)]),
        align: ['left', 'right', 'left'],
      })
    : '';
  return (
    `<details><summary>Where this result comes ` +
    `from</summary>\n\n${lines.map((x) => `- ${x}`).join('\n')}${params}${stages}\n\n</details>`
  );
}

/**
 * The details' line on the image model, plain words first (a tester read "backend", "backbone" and "nsfwjs"): what
 * the model is and, for a built-in one, that nsfwjs is only the package it ships in; its id and the backend after.
 */
function imageModelWords(l: ReportJson['lineage']): string {
  const what = backboneWords(l.backbone);
  const nsfwjs = /^nsfwjs-/.test(l.backbone) ? `; ${NSFWJS_NOTE}` : '';
  return (
    `Image model that describes each photograph: ${what ?? 'a custom one'}${nsfwjs} ` +
    `(backbone ${text(l.backbone)}, run by TensorFlow.js on its ${text(l.backend)} backend)`
  );
}

function lowerNote(change: number): string {
  if (Math.abs(change) < 0.0005) return '';
  return change < 0 ? ' (better: lower is better)' : ' (worse: lower is better)';
}

function pct(value: number): string {
  return Number.isFinite(value) ? `${Math.round(value * 100)}%` : '–';
}

function capitalise(s: string): string {
  return `${s[0]?.toUpperCase() ?? ''}${s.slice(1)}`;
}

/** The word for n of it: "object" or "objects" (data/ops.ts `plural` gives the number too). */
function pluralWord(n: number, word: string): string {
  return n === 1 ? word : `${word}s`;
}

type MainRunLabels = Pick<ReportJson['labels'], 'baseCommit' | 'baseUnavailable' | 'noBaseCode'>;

/**
 * The report is of a run on the main branch itself (or a commit already part of it) with no base: no pull request to
 * speak of, in any of its sentences.
 */
function mainRunItself(report: { labels?: MainRunLabels }): boolean {
  if (!report.labels) return false;
  const { baseCommit, baseUnavailable, noBaseCode } = report.labels;
  return !baseCommit && !baseUnavailable && onMainItself(noBaseCode);
}

/** The verdict in words; on main the changes are merged already: not "before merging". */
function verdictWords(report: Pick<ReportJson, 'verdict'> & { labels?: MainRunLabels }): string {
  return report.verdict === 'check label changes' && mainRunItself(report)
    ? 'Check these label changes'
    : VERDICT_WORDS[report.verdict];
}

/** The run is on the main branch itself, or on a commit already part of it: no pull request to speak of. */
export function onMainItself(code: NoBaseCode | null | undefined): boolean {
  return code === 'on-branch' || code === 'merged';
}
