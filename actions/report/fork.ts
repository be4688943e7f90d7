import { z } from 'zod';
import { isGateCheckName } from '../../pipeline/evaluate/gate.ts';
import { unusablePhotosSection } from '../../pipeline/report/photos.ts';
import { removedObjectsSection } from '../../pipeline/report/removed-objects.ts';
import { headline, renderMarkdown } from '../../pipeline/report/render.ts';
import type { ReportJson } from '../../pipeline/report/types.ts';
import type { Metrics } from '../../pipeline/types.ts';

/*
 * A fork's report files were written by the fork's code, so none of their text is trusted. When
 * report.json and metrics.json have the shapes Vitrine writes, the comment is rendered again here by
 * the same renderer (which escapes every value) from the numbers and words in them; report.md is not
 * used. When they do not, a short failure comment names the problem and nothing of the fork's is
 * posted: its own headline would otherwise speak for the bot.
 */

/**
 * Marker of a fork's report comment, apart from the trusted run's (REPORT_MARKER): a fork's later run edits its
 * own comment, never the report the museum's runner wrote.
 */
export const FORK_REPORT_MARKER = '<!-- vitrine:fork-report -->';

/** What a fork's verdict is: its own run's claim, in the comment's first line and the headline. */
export const FORK_CLAIM = "reported by the pull request's own run, not checked by the museum's runner";

const NOTE =
  '> [!NOTE]\n> This report was made on a hosted runner for a pull request from a fork. Its numbers come ' +
  "from the fork's own run, so a maintainer should check them before merging; merging runs the " +
  'pipeline again on main.\n\n';

const num = z.number().refine(Number.isFinite, 'a finite number');
// Scores, probabilities and p-values are shares: a fork's "1e+302% sure" or "p = 42" cannot be real.
const share = num.min(0, 'a share from 0 to 1').max(1, 'a share from 0 to 1');
const str = z.string().max(2000);
/** A figure with its interval, low ≤ value ≤ high: `of` the figure's own range. */
const ordered = (of: z.ZodNumber) =>
  z
    .object({ value: of, low: of, high: of })
    .refine((i) => i.low <= i.value && i.value <= i.high, 'an interval with low ≤ value ≤ high');
const interval = ordered(share);
const savedAs = z.object({ lineEnds: z.enum(['windows', 'unix', 'mixed', 'none']), bom: z.boolean() });
// A change of a share: from −1 to 1.
const change = ordered(num.min(-1, 'a change from −1 to 1').max(1, 'a change from −1 to 1'));
const count = z.number().int().min(0).max(10_000_000);
/** The same figure in production and in this change. */
const pair = <T extends z.ZodTypeAny>(of: T) => z.object({ base: of, head: of });
const classMetrics = z
  .array(z.object({ label: str, precision: share, recall: share, f1: share, support: count }))
  .max(1000);
const confusion = z.array(z.array(count).max(1000)).max(1000);
const scores = {
  accuracy: interval,
  macroF1: interval,
  topK: z.object({ k: z.number().int().min(1).max(1000), accuracy: interval }),
  ece: interval,
  perClass: classMetrics,
  confusion,
};
const answer = z.object({ label: str, confidence: share });

const metricsSchema = z.object({
  n: count,
  labels: z.array(str).max(1000),
  ...scores,
  baseline: z
    .object({
      version: str,
      ...scores,
      comparison: z.object({
        metric: z.enum(['macroF1', 'accuracy']),
        difference: change,
        pValue: share,
        test: str,
        verdict: z.enum(['better', 'worse', 'no detectable difference']),
      }),
    })
    .nullable(),
  changedPredictions: z.array(z.object({ id: str, label: str, baseline: str, candidate: str })).max(100_000),
});

const reportSchema = z.object({
  schema: z.literal('vitrine.report/1'),
  createdAt: str,
  verdict: z.enum([
    'better',
    'worse',
    'no detectable difference',
    'first model',
    'not comparable',
    'not scored',
    'check label changes',
  ]),
  // Said in the verdict line of 'check label changes' (the objects relabelled against their photographs).
  labelsToCheck: z
    .object({
      relabelled: count,
      old: count,
      objects: z.array(z.object({ id: str, title: str, old: str, new: str })).max(20),
    })
    .optional(),
  gate: z.object({
    passed: z.boolean(),
    checks: z.array(z.object({ name: str, passed: z.boolean(), detail: str })).max(100),
    stale: z.boolean().optional(),
  }),
  statusContext: str,
  comparison: z
    .object({
      metric: z.enum(['macroF1', 'accuracy']),
      baselineVersion: str,
      baseline: share,
      candidate: share,
      difference: change,
      pValue: share,
      test: str,
    })
    .nullable(),
  collectionName: str.optional(),
  // What report.json left out to stay within these limits (pipeline/report/json-limits.ts).
  leftOut: z.array(str).max(100).optional(),
  labels: z.object({
    baseCommit: str.nullable(),
    headCommit: str.nullable(),
    baseUnavailable: z.object({ ref: str, reason: str }).nullable().optional(),
    changes: z
      .array(
        z.object({
          id: str,
          kind: z.enum(['changed', 'added', 'removed']),
          before: str.nullable(),
          after: str.nullable(),
          line: z.number().int().min(0),
          title: str,
          split: z.enum(['train', 'validation', 'test']).nullable(),
          candidate: answer.extend({ seenInTraining: z.boolean().optional() }).nullable(),
          baseline: answer.nullable(),
          skipped: z.boolean().optional(),
          thumbnailUrl: str.nullable(),
          pageUrl: str.nullable(),
          // Its photograph cannot be used, so no model learnt the label: why, in plain words.
          photoUnusable: str.optional(),
          // Unlabelled because its lines of labels.csv disagree: those lines ('' for a label cell left empty).
          disagreeing: z
            .array(z.object({ line: z.number().int().min(0), label: str }))
            .max(1000)
            .optional(),
          // Unlabelled with its only lines still there, the label cell emptied: those lines.
          emptyLines: z.array(z.number().int().min(0)).max(1000).optional(),
          // Its line names an id that is not in the collection, with the dataset stage's "Did you mean".
          // Its id or label is far too long (a pasted text): `hint` is the dataset stage's words, a long `id` its
          // beginning.
          unknownId: z
            .object({ id: str, line: z.number().int().min(0), hint: str, tooLong: z.enum(['id', 'label']).optional() })
            .optional(),
        }),
      )
      .max(100_000),
    // The hint most unknown ids share, said once (their rows' hint ''): renderMarkdown puts it back.
    unknownIdHint: str.optional(),
    counts: z.object({
      changed: z.number().int().min(0),
      added: z.number().int().min(0),
      removed: z.number().int().min(0),
      skipped: z.number().int().min(0).optional(),
      disagreeing: z.number().int().min(0).optional(),
      unknownIds: z.number().int().min(0).optional(),
    }),
    vocabulary: z.array(str).max(1000).optional(),
    // The dataset stage had not run since the change: said so, not blamed on the stage.
    datasetStale: z.boolean().optional(),
    // labels.csv edited after the dataset stage read it: the changes listed are the ones the model learnt.
    changedSinceRead: z.boolean().optional(),
    // labels.csv saved with other line ends or byte-order mark than the base's (Excel): why the diff shows every line.
    savedDifferently: z
      .object({
        base: savedAs,
        head: savedAs,
        everyLine: z.boolean(),
        converted: z.boolean().optional(),
      })
      .optional(),
  }),
  // Photographs the dataset stage could not use, listed near the top of the comment.
  unusablePhotos: z
    .object({
      objects: z
        .array(
          z.object({
            id: str,
            title: str,
            file: str.nullable(),
            // A path outside data/, as objects.csv names it (file is then null).
            outsideData: str.optional(),
            code: str,
            reason: str,
            labelled: z.boolean(),
            newInChange: z.boolean().nullable(),
          }),
        )
        .max(100_000),
      comparedWithBase: z.boolean(),
    })
    .optional(),
  // Objects whose rows the change removes from data/objects.csv: their pages leave the catalogue.
  objectsRemoved: z
    .object({
      objects: z.array(z.object({ id: str, title: str, labelled: z.boolean() })).max(100_000),
    })
    .optional(),
  // Publication per label against production: the comment says it from these numbers, never from `words`.
  publication: z
    .object({
      baseVersion: str,
      minPrecision: pair(share),
      heldBack: pair(count),
      changes: z
        .array(
          z
            .object({
              label: str,
              threshold: pair(share.nullable()),
              guessed: pair(count),
              heldBack: pair(count),
              coverage: pair(share.nullable()),
              words: str,
            })
            .refine(
              (c) => c.heldBack.base <= c.guessed.base && c.heldBack.head <= c.guessed.head,
              'no more guesses held back than made',
            ),
        )
        .max(1000),
    })
    .optional(),
  lineage: z.object({
    data: str,
    labelsHash: str,
    labelsCommit: str.nullable(),
    headCommit: str.nullable(),
    baseCommit: str.nullable(),
    params: z.array(z.object({ key: str, before: z.unknown(), after: z.unknown() })).max(1000),
    backend: str,
    backbone: str,
    runUrl: str.nullable(),
    // A stage of at most a week.
    stages: z.array(z.object({ name: str, durationMs: num.min(0).max(7 * 24 * 3600 * 1000), summary: str })).max(100),
  }),
});

/**
 * The fork's comment: rebuilt from its validated report.json and metrics.json; when they do not
 * validate, a short failure comment that names the problem (nothing the fork wrote is posted).
 */
export function forkReport({
  reportJson,
  metricsJson,
  runUrlPrefix,
  maxLabelChanges = 50,
  vitrine,
  collectionName,
}: {
  /** The fork's report.json and metrics.json as text (null: missing). */
  reportJson: string | null;
  metricsJson: string | null;
  /** A run link is kept only when it starts with this (the repository's own runs page); else dropped. */
  runUrlPrefix?: string;
  maxLabelChanges?: number;
  /**
   * How the museum's repository runs Vitrine, for the commands the comment suggests (reportCommand, judged from the
   * repository's checkout, never from the fork's files): default "npx vitrine".
   */
  vitrine?: string;
  /**
   * The collection's name in the museum's own params.yaml (the checkout's, never the fork's): a fork's report.json
   * could name any collection in a comment the museum's bot posts. Undefined: the fork's, for want of another.
   */
  collectionName?: string;
}): { markdown: string; rebuilt: boolean; reason: string | null; report: ReportJson | null } {
  const rebuilt = rebuild({ reportJson, metricsJson, runUrlPrefix, maxLabelChanges, vitrine, collectionName });
  if (rebuilt.markdown !== null) {
    const claim = headline(rebuilt.report);
    const report = { ...rebuilt.report, headline: `${FORK_CLAIM[0]!.toUpperCase()}${FORK_CLAIM.slice(1)}: ${claim}` };
    return { markdown: withNote(rebuilt.markdown, claim), rebuilt: true, reason: null, report };
  }
  return { markdown: failureComment(rebuilt.reason), rebuilt: false, reason: rebuilt.reason, report: null };
}

/** What the bot says when a fork's report cannot be shown: the problem, in its own words only. */
function failureComment(reason: string): string {
  const plain = cleanForkMarkdown(reason.replace(/[\r\n]+/g, ' ').replace(/[`<>]/g, ''));
  return `⚠️ **The report of this fork's run cannot be shown.** ${plain}\n\n${NOTE_FAILED}`;
}

const NOTE_FAILED =
  "The files of the fork's run do not hold a report Vitrine can read, so nothing from them is posted. " +
  "A maintainer can look at the run's files; merging runs the pipeline again on main.\n";

function zodProblems(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`)
    .join('; ');
}

type Rebuilt = { markdown: string; report: ReportJson; reason: '' } | { markdown: null; report: null; reason: string };

function rebuild({
  reportJson,
  metricsJson,
  runUrlPrefix,
  maxLabelChanges,
  vitrine,
  collectionName,
}: {
  reportJson: string | null;
  metricsJson: string | null;
  runUrlPrefix?: string;
  maxLabelChanges: number;
  vitrine?: string;
  collectionName?: string;
}): Rebuilt {
  const fail = (reason: string) => ({ markdown: null, report: null, reason });
  // report.json first: it is what the comment is about; then the scores it is drawn with.
  const files = [
    ['report.json', reportJson, reportSchema],
    ['evaluate/metrics.json', metricsJson, metricsSchema],
  ] as const;
  const valid: unknown[] = [];
  for (const [name, text, schema] of files) {
    if (text === null) return fail(`Its ${name} is missing from the run's files.`);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      // Not JSON.parse's message: it quotes the fork's own bytes, and nothing of the fork's is posted.
      return fail(`Its ${name} is not valid JSON.`);
    }
    const result = schema.safeParse(json);
    if (!result.success)
      return fail(`Its ${name} does not have the shape Vitrine writes: ${zodProblems(result.error)}.`);
    valid.push(result.data);
  }
  const reportResult = { data: valid[0] as z.infer<typeof reportSchema> };
  const metricsResult = { data: valid[1] as z.infer<typeof metricsSchema> };
  const report = reportResult.data;
  const metrics = metricsResult.data;
  const side = metrics.labels.length;
  if (metrics.confusion.length !== side || metrics.confusion.some((row) => row.length !== side)) {
    return fail("Its evaluate/metrics.json's confusion matrix does not match its labels.");
  }
  // Figures that contradict each other cannot all be real.
  const inconsistent = [
    metrics.topK.k > side && 'more top guesses than labels',
    metrics.perClass.some((c) => !metrics.labels.includes(c.label)) && 'scores for a label it does not have',
    metrics.perClass.reduce((n, c) => n + c.support, 0) !== metrics.n &&
      'per-label test objects that do not add up to n',
    report.verdict === 'first model' && report.comparison !== null && 'a first model compared with another',
    report.verdict === 'not scored' && metrics.n > 0 && '"not scored" with test objects scored',
  ].filter((x): x is string => typeof x === 'string');
  if (inconsistent.length > 0) return fail(`Its files contradict themselves: ${inconsistent.join('; ')}.`);
  const trusted: ReportJson = {
    ...report,
    collectionName: collectionName ?? report.collectionName,
    // Never the fork's own words: the headline is said again from the validated verdict and gate (and as a claim).
    headline: headline(report),
    // Nor sentences of its run that cannot be checked (an outside tester: "The museum's runner checked this change:
    // safe to merge" as a check's detail, in a comment github-actions[bot] posts): the gate's checks by this
    // Vitrine's names, their details left out; the test, the image model and the stages' results likewise.
    gate: {
      ...report.gate,
      checks: report.gate.checks.map((c) => ({
        name: isGateCheckName(c.name) ? c.name : UNKNOWN_CHECK,
        passed: c.passed,
        detail: NOT_SHOWN,
      })),
    },
    comparison: report.comparison && {
      ...report.comparison,
      test: BOOTSTRAP_TEST.test(report.comparison.test) ? report.comparison.test : `paired bootstrap; ${NOT_SHOWN}`,
      baselineVersion: identifier(report.comparison.baselineVersion),
    },
    labels: {
      ...report.labels,
      // Links and images the fork chose could point anywhere: not shown.
      changes: report.labels.changes.map((c) => ({ ...c, thumbnailUrl: null, pageUrl: null })),
    },
    lineage: {
      ...report.lineage,
      runUrl: ownRun(report.lineage.runUrl, runUrlPrefix),
      data: identifier(report.lineage.data),
      backbone: identifier(report.lineage.backbone),
      backend: identifier(report.lineage.backend),
      stages: report.lineage.stages
        .filter((s) => STAGES.includes(s.name))
        .map((s) => ({ name: s.name, durationMs: s.durationMs, summary: NOT_SHOWN })),
    },
  };
  const markdown = renderMarkdown({
    report: trusted,
    // The production version it was compared with, as a word (the scores' table names it).
    metrics: {
      ...metrics,
      baseline: metrics.baseline && { ...metrics.baseline, version: identifier(metrics.baseline.version) },
    } as unknown as Metrics,
    model: null,
    dataset: null,
    drift: null,
    collectionName: trusted.collectionName ?? 'the collection',
    maxLabelChanges,
    vitrine,
    // Objects leaving the catalogue and photographs the change made unusable, as the trusted run lists them (values
    // escaped by the sections).
    sections: {
      afterIntro: [
        removedObjectsSection(trusted.objectsRemoved ?? null),
        unusablePhotosSection({ photos: trusted.unusablePhotos ?? null }),
      ].filter(Boolean),
    },
  });
  return { markdown, report: trusted, reason: '' };
}

/** What a fork's comment says in place of words of the fork's run that cannot be checked. */
const NOT_SHOWN = "not shown: the fork's run wrote it";
/** A gate check the fork's report.json names that this Vitrine does not make: counted, its name not shown. */
const UNKNOWN_CHECK = 'a check this version of Vitrine does not know (its name is not shown)';
/** The stages a report lists (report/index.ts UPSTREAM_STAGES). */
const STAGES = ['dataset', 'train', 'evaluate', 'monitor'];
/** The comparison's test as the evaluate stage words it (evaluate/metrics.ts): figures in fixed words. */
const BOOTSTRAP_TEST = new RegExp(
  '^paired bootstrap( of the macro-F1 difference over the same \\d+ test objects \\(\\d+ resamples, two-sided\\)' +
    '(; \\d+ test objects? the baseline trained on left out)?)?$',
);

/** A hash, version or id as the fork's report gives it: one word of at most 100 characters, else "unknown". */
function identifier(value: string): string {
  return /^[\p{L}\p{N}_.:+@#/-]{1,100}$/u.test(value) ? value : 'unknown';
}

/** The fork's run link only when it is a run of this repository (`<prefix><id>[/attempts/<n>]`). */
function ownRun(url: string | null, prefix: string | undefined): string | null {
  if (!url || !prefix || !url.startsWith(prefix)) return null;
  return /^\d+(\/attempts\/\d+)?$/.test(url.slice(prefix.length)) ? url : null;
}

/**
 * The verdict line said as the fork's claim (no ✅ or ❌, which the trusted run's report shows), then the note on
 * where it comes from, then the rest of the report.
 */
function withNote(markdown: string, claim: string): string {
  const end = markdown.indexOf('\n');
  const first = `ℹ️ **${claim}** (${FORK_CLAIM})`;
  return end === -1 ? `${first}\n\n${NOTE}` : `${first}\n\n${NOTE}${markdown.slice(end + 1).replace(/^\n/, '')}`;
}

// Character references GitHub would turn back into @ or # (decimal, hex, named; the ; is optional in HTML).
const AT_REFERENCE = /&(?:#0*64|#x0*40|commat);?/gi;
const HASH_REFERENCE = /&(?:#0*35|#x0*23|num);?/gi;
const KEPT_TAGS = new Set(['details', 'summary', 'br']);

/**
 * A fork's report.md made harmless: no mention or issue reference (also none spelt as a character
 * reference), no HTML comment, and no HTML tag but bare `details`, `summary`, `br` and an `img` with
 * an https `src` (its other attributes dropped, but for a plain alt and width).
 */
export function cleanForkMarkdown(markdown: string): string {
  return markdown
    .replace(/<!--[\s\S]*?(-->|$)/g, '')
    .replace(AT_REFERENCE, '@')
    .replace(HASH_REFERENCE, '#')
    .replace(
      /<\/?([a-zA-Z][a-zA-Z0-9-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>?/g,
      (tag: string, name: string, rest: string) => {
        const lower = name.toLowerCase();
        const closing = tag.startsWith('</');
        if (KEPT_TAGS.has(lower)) return closing ? `</${lower}>` : `<${lower}>`;
        if (lower === 'img' && !closing) {
          const src = /\ssrc\s*=\s*("([^"]*)"|'([^']*)'|([^\s>]+))/i.exec(rest);
          const url = src ? (src[2] ?? src[3] ?? src[4] ?? '') : '';
          if (!/^https:\/\/[^\s"'<>`]+$/i.test(url)) return '';
          const alt = /\salt\s*=\s*"([^"<>&]*)"/i.exec(rest)?.[1] ?? '';
          const width = /\swidth\s*=\s*"?(\d{1,4})"?/i.exec(rest)?.[1];
          return `<img src="${url}" alt="${alt.replace(/[@#|]/g, ' ')}"${width ? ` width="${width}"` : ''}>`;
        }
        return '';
      },
    )
    .replace(/@(?!\u200b)/g, '@\u200b')
    .replace(/#(?=\d)/g, '#\u200b')
    .replace(/\b(gh-)(?=\d)/gi, '$1\u200b');
}

/*
 * A fork's run that stopped before its report (report-from-fork.yml starts after a failed run too) left failure.json,
 * or nothing. Its message is the fork's text, so the comment says only Vitrine's fixed words: the reason when the
 * error code is one this Vitrine knows, a line number when the message names one of a known file, and the run's log.
 */

/** The system's codes for a runner that could not write or read its files (SYSTEM_CODES in pipeline/errors.ts). */
const RUNNER_FILES = 'trouble writing or reading files on the runner (not something in the change)';

/** What stopped a run, by the error code its failure.json names: the fixed words the comment says. */
export const STOP_REASONS: Record<string, string> = {
  CSV_MERGE_CONFLICT: 'a merge conflict left in labels.csv',
  PARAMS_MERGE_CONFLICT: 'a merge conflict left in params.yaml',
  DVCFILE_MERGE_CONFLICT: 'a merge conflict left in data.dvc',
  DATA_MERGE_CONFLICT: 'a merge conflict in the data',
  DATA_MERGE_UNFINISHED: 'a merge of the data that was not finished',
  PARAMS_YAML: 'params.yaml could not be read (a typo, or a value Vitrine does not accept)',
  PARAMS_INVALID: 'params.yaml could not be read (a typo, or a value Vitrine does not accept)',
  PARAMS_KEY_UNKNOWN: 'params.yaml names a setting Vitrine does not know (perhaps a typo)',
  PARAMS_EMPTY: 'params.yaml is empty',
  PARAMS_MISSING: 'params.yaml is missing',
  CSV_COLUMNS: 'labels.csv does not have the columns Vitrine needs',
  NOT_CSV: 'labels.csv is not a table Vitrine can read',
  LABEL_ID_MISSING: 'a line of labels.csv has no object id',
  OBJECT_ID_MISSING: 'a line of labels.csv has no object id',
  VOCABULARY_TYPO: 'a label in labels.csv looks like a typo of another',
  LABEL_RENAMED: 'a label was renamed in labels.csv',
  DATA_MISSING: 'the photographs could not be fetched',
  REMOTE_NO_CREDENTIALS: "the data remote's keys are not set for this run",
  REMOTE_ACCESS_DENIED: 'the data remote refused the key this run holds',
  DISK_FULL: 'a full disk on the runner',
  BUG: 'an unexpected error in Vitrine itself (a bug, not something in the change)',
  CSV_MALFORMED: 'a table of the collection (labels.csv or data/objects.csv) that Vitrine cannot read',
  CSV_NUL: 'a table of the collection that was not saved completely',
  CSV_SEPARATOR: 'a table of the collection separated by something other than commas',
  CSV_UTF16: 'a file saved as UTF-16, not UTF-8',
  NOT_UTF8: 'a file not saved as UTF-8, whose accented letters Vitrine cannot read',
  LABELS_HEADER: 'labels.csv not having the columns Vitrine needs',
  LABELS_TOO_MANY_COLUMNS: 'a line of labels.csv with too many columns',
  OBJECT_DUPLICATE: 'an object listed twice',
  PARAMS_ENCODING: 'params.yaml saved as UTF-16, not UTF-8',
  DVCFILE_INVALID: 'a data.dvc that Vitrine cannot read',
  DATA_MERGE_REBASE: 'a rebase or merge of the data that was not finished',
  DATASET_NO_LABELS: 'no object having a label yet in labels.csv',
  IMAGE_MISSING: 'a photograph that is missing',
  IMAGE_UNREADABLE: 'a photograph Vitrine cannot read (damaged, or not an image)',
  IMAGE_TOO_LARGE: 'a photograph larger than dataset.image.max_pixels allows',
  GIT_LFS_POINTER: 'a file kept in Git LFS rather than in the repository',
  ENOSPC: 'a full disk on the runner',
  EDQUOT: 'a full disk on the runner',
  EFBIG: "a file too large for the runner's disk",
  EROFS: RUNNER_FILES,
  EACCES: RUNNER_FILES,
  EPERM: RUNNER_FILES,
  EEXIST: RUNNER_FILES,
  ENOTDIR: RUNNER_FILES,
  EISDIR: RUNNER_FILES,
  EMFILE: RUNNER_FILES,
  ENFILE: RUNNER_FILES,
  EBUSY: RUNNER_FILES,
  EIO: RUNNER_FILES,
};

/**
 * The codes a fork's run can stop on that the comment leaves to the run's log, on purpose: about the runner, the
 * data remote, git, Vitrine's own files, a model or the maintainers' setup, where fixed words would say less than
 * the log, or too little to act on. A code added to what a fork's run reaches is named above or here
 * (test/github/fork-stop-codes.test.ts).
 */
export const UNNAMED_STOPS: ReadonlySet<string> = new Set(
  `
    BACKBONE_INPUT BACKBONE_LAYER BACKBONE_LOAD BACKBONE_SOURCE BACKEND_UNAVAILABLE BASE_GATE_REWRITE
    BASE_PARAMS_UNREADABLE CATALOGUE_INPUT_JSON CROSSVAL_FAILED DATASET_CHANGED_WHILE_READ DATASET_DAMAGED
    DATASET_INVALID DATASET_MISSING DATASET_SCHEMA DATA_CACHE_DVC2 DATA_CHANGED DATA_CORRUPT
    DATA_DVCIGNORE_INSIDE DATA_GC_CHANGED DATA_GC_LEGACY DATA_GC_LIST_DAMAGED DATA_GC_LIST_MISSING
    DATA_GC_REMOTE_UNCHECKED DATA_GC_SHARED_CACHE DATA_INCOMPLETE DATA_MANIFEST_INVALID DATA_NAME_INVALID
    DATA_NAME_NOT_UTF8 DATA_NOT_FETCHED DATA_NOT_FOLDER DATA_NOT_IN_CACHE DATA_NOT_PULLED DATA_NOT_TRACKED
    DATA_OBJECTS_MISSING DATA_OBJECT_ID_INVALID DATA_PATH_LINK DATA_UNRECORDED_CHANGES DEMO_REAL_COLLECTION
    DVCFILE_LEGACY DVCFILE_NOT_FOLDER DVCFILE_PATH_OUTSIDE DVC_CONFIG_INVALID DVC_NO_REMOTE DVC_REMOTE_NAME
    DVC_REMOTE_UNKNOWN DVC_REMOTE_UNSUPPORTED DVC_REMOTE_URL EMBEDDING_STORE EMBED_FAILED EMBED_NOT_FINITE
    EVALUATE_BASELINE_UNKNOWN EVALUATE_LABELS_CHANGED EVALUATE_SHAPE FAMILIARITY_SHAPE FILE_MISSING
    GIT_ALTERNATES_UNSUPPORTED GIT_COMMIT_MISSING GIT_FETCH_FAILED GIT_HISTORY_MISSING GIT_LINK_LOOP
    GIT_LINK_OUTSIDE GIT_NOT_A_FILE GIT_REF_UNKNOWN GIT_WORKTREE_UNSUPPORTED IMAGE_CHANGED
    LABELS_CHANGED_SINCE_READ LABELS_LINK LABEL_NOTE_CUT LOCK_FOLDER_READ_ONLY MODEL_BACKBONE_MISMATCH
    MODEL_FILES_UNAVAILABLE MODEL_FILE_CORRUPT MODEL_MISSING MODEL_SCHEMA PARAMS_IS_FOLDER PARAMS_LINK
    PREDICT_NO_IMAGE REGISTRY_BUSY REGISTRY_FILES_INVALID REGISTRY_NAME_INVALID REGISTRY_NO_GIT
    REMOTE_CANNOT_VERIFY REMOTE_CLOCK_SKEW REMOTE_DISK_FULL REMOTE_EMPTY REMOTE_FOLDER_EMPTIED
    REMOTE_FOLDER_MISSING REMOTE_FROM_IS_TARGET REMOTE_FROM_MISSING REMOTE_NOT_STORAGE REMOTE_NOT_WRITABLE
    REMOTE_NO_BUCKET REMOTE_OBJECT_MISSING REMOTE_OBJECT_TOO_LARGE REMOTE_TLS REMOTE_TOO_SLOW
    REMOTE_UNAVAILABLE REMOTE_UPLOAD_NOT_STORED REPORT_BASE_FETCH_FAILED REPORT_INPUT_BROKEN
    REPORT_INPUT_MISSING REPORT_NO_GIT REVIEW_FOLDS_OFF REVIEW_MISSING REVIEW_UNREADABLE
    ROLLBACK_DATASET_STALE ROLLBACK_NOOP ROLLBACK_OFF_BRANCH STAGE_UNKNOWN TAG_EXISTS TRAIN_EMPTY
    TRAIN_NOT_FINITE TRAIN_SHAPE VERSION_DEREGISTERED VERSION_EXISTS_FOR_COMMIT VERSION_INVALID
    VERSION_UNKNOWN
  `
    .trim()
    .split(/\s+/),
);

/** Files whose line a stop reason may name: "labels.csv:12" in the message becomes "line 12 of labels.csv". */
const LINE_OF = /(?:^|[\s"'`(/])(labels\.csv|params\.yaml|data\.dvc):(\d{1,7})\b/;

/**
 * The comment for a fork's run that stopped before its report: `failureJson` is its failure.json (null: none), read
 * for a known code and a line number only; `runUrl` the run's page, from GitHub's event (never the fork's files).
 */
export function forkStopped({ failureJson, runUrl }: { failureJson: string | null; runUrl: string | null }): string {
  let note: { code?: unknown; message?: unknown } = {};
  try {
    note = (JSON.parse(failureJson ?? '{}') ?? {}) as typeof note;
  } catch {
    // Not JSON: no reason is said.
  }
  const reason = typeof note.code === 'string' && Object.hasOwn(STOP_REASONS, note.code) ? STOP_REASONS[note.code] : '';
  const line = reason && typeof note.message === 'string' ? LINE_OF.exec(note.message) : null;
  // "a merge conflict left in labels.csv (at line 12)": the file is said once.
  const where = !line ? '' : ` (at line ${Number(line[2])}${reason.includes(line[1]!) ? '' : ` of ${line[1]}`})`;
  const why = reason
    ? `It stopped because of ${reason}${where}.`
    : 'Vitrine cannot say from its files what stopped it.';
  const log = runUrl ? `[the run's log](${runUrl})` : "the run's log (the failed check below)";
  return (
    "⚠️ **The checks of this fork's run stopped before its report was written.** " +
    `${why}\n\nOpen ${log}, then the step marked with a red cross: it says which step stopped and why. Fix it in ` +
    'the pull request and push again; the checks run again once a maintainer approves the new commit. Nothing ' +
    "from the fork's files is posted here.\n"
  );
}
