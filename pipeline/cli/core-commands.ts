import { access, mkdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ImportResult } from '../collection/import.ts';
import { isVitrineError, messageOf, systemErrorOf, systemProblem, VitrineError } from '../errors.ts';
import { writeFileAtomic } from '../fs.ts';
import { shellWord } from '../init/invocation.ts';
import type { Whereabouts } from '../log.ts';
import { loadParams, type Params } from '../params.ts';
import type { Workspace } from '../paths.ts';
import { parseShard } from '../shard/assign.ts';
import type { StageOutcome } from '../stages/graph.ts';
import { STAGE_NAMES, type StageName } from '../stages/stage.ts';
import type { Command, CommandContext } from './command.ts';
import { environmentProblem } from './fs-errors.ts';
import { formatSeconds } from './logger.ts';
import { holdRunLock, noticeCtrlC, sayWhenStopped, underRunLock } from './run-lock.ts';
import { refuseMissingSite, serveSite, serveUntilStopped } from './serve.ts';
import { shownName } from './shown.ts';
import { didYouMean } from './suggest.ts';

/** The demo's data remote: a folder beside the work tree's files, ignored by git. */
export const DEMO_REMOTE = '.vitrine-remote';

const demoCommand: Command = {
  name: 'demo',
  summary: 'Generate the demo collection into data/ and labels.csv, and push it to the local remote.',
  help: `Draws a small museum collection (coins, figurines, masks, prints, textiles, vessels) from the
seed in params.yaml (demo section), with a few deliberately wrong labels. Running it again changes
nothing. Then: npx vitrine run

  npx vitrine demo --fix-labels        correct the wrong labels (the label-correction pull request)
  npx vitrine demo --add 30 --style new   add 30 unlabelled objects photographed in a new setup`,
  options: {
    'fix-labels': { type: 'boolean', description: 'Correct the deliberately wrong labels in labels.csv.' },
    add: { type: 'string', description: 'Add this many new unlabelled objects to the collection.' },
    style: { type: 'string', description: 'Photography of added objects: studio or new.', default: 'studio' },
  },
  async run(ctx, { values }) {
    const params = await loadParams({ file: ctx.ws.params });
    // It writes data/ and labels.csv: not while a run reads them (it waits, as a second run does).
    await underRunLock(ctx, () => demoUnderLock({ ctx, values, params }));
  },
};

/*
 * The code each command runs is imported as it runs (the command table, cli/command-table.ts, loads this module for
 * any of its commands): `vitrine serve` does not load the stages, nor `vitrine import` the demo's generator.
 */

/** The demo command itself, the run lock held. */
async function demoUnderLock({
  ctx,
  values,
  params,
}: {
  ctx: CommandContext;
  values: Record<string, unknown>;
  params: Params;
}): Promise<void> {
  const { fixDemoLabels } = await import('../demo/fix-labels.ts');
  const { addDemoBatch, generateDemo } = await import('../demo/generate.ts');
  const { keepDataDvc, keptDataDvcWarning, settleDataDvc } = await import('../demo/replaced.ts');
  const { readDvcConfig } = await import('../data/config.ts');
  const { addData, initData, pushData } = await import('../data/index.ts');
  await refuseNonDemoCollection(ctx);
  if (values['fix-labels']) {
    // Cell by cell: staff may have added a note column, or saved the file from Excel (BOM, CRLF).
    const { fixed } = await fixDemoLabels({ ws: ctx.ws, params });
    ctx.log.info(
      fixed.length > 0
        ? `Corrected ${fixed.length} labels in labels.csv: ${fixed.join(', ')}`
        : 'No label in labels.csv needed correcting.',
    );
    return;
  }
  if (values.add !== undefined) {
    const count = Number(values.add);
    if (!Number.isInteger(count) || count < 1)
      throw new VitrineError('USAGE', `--add takes a number of objects, ` + `like --add 30 (got "${values.add}").`);
    const style = String(values.style);
    if (style !== 'studio' && style !== 'new')
      throw new VitrineError('USAGE', `--style is "studio" or "new" (got "${style}").`);
    const { added, batch } = await addDemoBatch({ ws: ctx.ws, params, count, style, log: ctx.log });
    ctx.log.info(
      `Added batch ${batch}: ${added.length} objects (${style} photography), ${added[0]} to ${added.at(-1)}.`,
    );
  } else {
    const result = await generateDemo({ ws: ctx.ws, params, log: ctx.log });
    // A kept labels.csv holds its own labels: the demo's count of wrong ones is not about it (tester).
    const labels = result.labelsKept
      ? 'labels.csv kept as it is'
      : `${result.labelled} labelled (${result.wrongLabels} of them deliberately wrong)`;
    ctx.log.info(`Demo collection: ${result.objects} objects, ${labels}, ${result.imagesWritten} images written.`);
  }
  // The working folder and the demo's remote are never for git ("commit all" must not take them).
  await ensureIgnored({ root: ctx.ws.root, patterns: ['/.vitrine/', `/${DEMO_REMOTE}/`] });
  // A repository that already has a remote keeps it; a fresh one gets the demo's local folder.
  if (
    !(await access(path.join(ctx.ws.root, '.dvc', 'config')).then(
      () => true,
      () => false,
    ))
  ) {
    await initData({ root: ctx.ws.root, remoteName: 'local', remoteUrl: DEMO_REMOTE });
  } else {
    // The demo's own remote folder is not in git (.gitignore): a clone of a demo repository lacks it. A missing
    // remote folder is refused elsewhere (an unmounted share), but this one is the demo's to make.
    const demoFolder = path.join(ctx.ws.root, DEMO_REMOTE);
    const { remotes } = await readDvcConfig({ root: ctx.ws.root });
    if (Object.values(remotes).some((r) => r.url === demoFolder)) await mkdir(demoFolder, { recursive: true });
  }
  // A data.dvc the demo did not write may record objects someone added: a copy is kept before it is rewritten.
  const kept = await keepDataDvc({ ws: ctx.ws });
  const added = await addData({ root: ctx.ws.root, target: 'data', log: ctx.log, pushNext: true, written: true });
  if ((await settleDataDvc({ ws: ctx.ws, kept })) && kept)
    ctx.log.warn(await keptDataDvcWarning({ ws: ctx.ws, kept, log: ctx.log }), { file: 'data.dvc' });
  const pushed = await pushData({ root: ctx.ws.root, log: ctx.log });
  ctx.log.info(
    `data.dvc points at ${added.nfiles} files (${added.md5}); ${pushed.transferred} sent to the remote, ` +
      `${pushed.skipped} already there.`,
  );
}

/** Add `patterns` to the repository's .gitignore unless it already has them. */
export async function ensureIgnored({ root, patterns }: { root: string; patterns: string[] }): Promise<void> {
  const file = path.join(root, '.gitignore');
  const text = await readFile(file, 'utf8').catch(() => '');
  const have = new Set(text.split(/\r?\n/).map((l) => l.trim()));
  const missing = patterns.filter((p) => !have.has(p) && !have.has(p.replace(/\/$/, '')));
  if (missing.length === 0) return;
  await writeFileAtomic({ file, data: `${text}${text && !text.endsWith('\n') ? '\n' : ''}${missing.join('\n')}\n` });
}

async function refuseNonDemoCollection(ctx: CommandContext): Promise<void> {
  const text = await readFile(ctx.ws.objects, 'utf8').catch(() => '');
  const foreign = text
    .split('\n')
    .slice(1)
    .map((l) => l.split(',')[0] ?? '')
    .find((id) => id && !id.startsWith('DM-'));
  if (foreign)
    throw new VitrineError(
      'DEMO_REAL_COLLECTION',
      `data/objects.csv holds objects that are not from the ` +
        `demo (e.g. "${foreign}"). The demo would overwrite a real collection, so it stops here.`,
    );
}

const importCommand: Command = {
  name: 'import',
  summary: 'Bring an existing collection (a metadata CSV and a folder of images) into data/ and labels.csv.',
  help: `The CSV is your collections management system's export; map its columns in params.yaml
(import.columns: which column is the object id, the image file, the label, the title...).
Labels already in labels.csv are kept; the export adds labels only for objects that have none.
A row that cannot be imported (no id, a repeated id, an image outside the images folder) stops the
import with nothing changed, or is skipped with import.on_invalid: skip; either way the exit code is 1.
Guide: docs/import.md
Example: npx vitrine import --metadata export/objects.csv --images export/images`,
  options: {
    metadata: {
      type: 'string',
      description: 'The metadata CSV (default: import.metadata in params.yaml, which then names this one).',
    },
    images: {
      type: 'string',
      description:
        'Folder the image paths are relative to (default: import.images in params.yaml, found beside a newer ' +
        "export given with --metadata; without import.images, the CSV's folder).",
    },
    labels: {
      type: 'string',
      description: 'merge: keep every label already in labels.csv; replace: take the ' + "export's labels.",
      default: 'merge',
    },
    'remove-missing': {
      type: 'boolean',
      description:
        'The export is the complete collection: remove the objects it leaves out, even more than a fifth (or ' +
        '1,000) of them, or every one (an export of its header line alone); and take an export whose image ' +
        'column is empty for many objects that have an image (more than half of them, or over 1,000), which ' +
        'removes those images (IMPORT_IMAGES_EMPTIED).',
    },
  },
  async run(ctx, { values }) {
    const labels = String(values.labels);
    if (labels !== 'merge' && labels !== 'replace')
      throw new VitrineError('USAGE', `--labels is "merge" or "replace" (got "${labels}").`);
    const params = await loadParams({ file: ctx.ws.params });
    // A run reading data/ and labels.csv meanwhile would build from neither collection: wait for it, as a run does.
    return underRunLock(ctx, () => importUnderLock({ ctx, values, params, labels }));
  },
};

/** The import itself, the run lock held. */
async function importUnderLock({
  ctx,
  values,
  params,
  labels,
}: {
  ctx: CommandContext;
  values: Record<string, unknown>;
  params: Params;
  labels: 'merge' | 'replace';
}): Promise<number | undefined> {
  const { importCollection } = await import('../collection/import.ts');
  const { startImport } = await import('../collection/import-marker.ts');
  const { recordImportSource, refuseSourceWithoutCollection } = await import('../collection/import-source.ts');
  const { addData } = await import('../data/index.ts');
  const { listWords } = await import('../data/ops.ts');
  const command = importCommandLine(values);
  if (typeof values.metadata === 'string' || typeof values.images === 'string')
    await refuseSourceWithoutCollection({ file: ctx.ws.params, name: path.relative(ctx.ws.root, ctx.ws.params) });
  // Stopped by Ctrl-C (or a job cancelled), it says so, and whether it had changed anything yet.
  const where: Whereabouts = {
    now: () => 'It had not changed data/ or labels.csv yet: nothing was changed.',
  };
  const quiet = sayWhenStopped({ log: ctx.log, where });
  // Held from before the first change to data/ until data.dvc records it: a killed import is told to the next.
  const session = await startImport({ ws: ctx.ws, log: ctx.log, command }).catch((error: unknown) => {
    quiet();
    throw error;
  });
  const begin = session.begin.bind(session);
  session.begin = async () => {
    where.now = () =>
      `It was changing data/ and labels.csv: run "${command}" again. It first sets right what this one left half ` +
      'done, and says what.';
    await begin();
  };
  let result: Awaited<ReturnType<typeof importCollection>>;
  let added: Awaited<ReturnType<typeof addData>>;
  try {
    result = await importCollection({
      ws: ctx.ws,
      params,
      // Named in the command line: relative to the folder the command started in, as in git.
      metadata: typeof values.metadata === 'string' ? path.resolve(ctx.cwd ?? ctx.ws.root, values.metadata) : undefined,
      images: typeof values.images === 'string' ? path.resolve(ctx.cwd ?? ctx.ws.root, values.images) : undefined,
      labels,
      removeMissing: values['remove-missing'] === true,
      log: ctx.log,
      session,
    });
    added = await addData({ root: ctx.ws.root, target: 'data', log: ctx.log, written: true }).catch(
      async (error: unknown) => {
        // data/, data/objects.csv and labels.csv hold the import, data.dvc does not: the note stays, so a run
        // refuses until the same import, run again, records them (a tester's full disk went without a note). It
        // says which step failed, and whether the import had changed anything (a killed import's words did not fit).
        const unchanged = changedNothing(result);
        await session.failedAfterWritten({ step: 'recording data/ in data.dvc', unchanged });
        throw await notRecorded({ ws: ctx.ws, error, command, unchanged });
      },
    );
  } finally {
    await session.finish();
    quiet();
  }
  // The export just imported is the one the next bare "vitrine import" reads (not the first one init named).
  if (typeof values.metadata === 'string' || typeof values.images === 'string') {
    const recorded = await recordImportSource({
      file: ctx.ws.params,
      root: ctx.ws.root,
      csvFile: result.source.metadata,
      imageRoot: typeof values.images === 'string' || params.import.images ? result.source.images : undefined,
    });
    if (recorded.length > 0)
      ctx.log.info(
        `params.yaml: ${recorded.map((r) => `import.${r.key} is now "${r.value}"`).join(' and ')}, so that ` +
          '"npx vitrine import" alone reads this export next time. Commit params.yaml with data.dvc and labels.csv.',
      );
  }
  if (ctx.json) ctx.out(`${JSON.stringify({ ...result, data: { md5: added.md5, nfiles: added.nfiles } })}\n`);
  // Image files refused under "skip" (unreadable, not an image): their objects are imported, said apart below.
  const filesRefused = result.problems.filter((p) => p.imageRefused);
  const notes = result.problems.length - result.refused.length - filesRefused.length;
  const noted = notes > 0 ? `; ${notes} row${notes === 1 ? '' : 's'} imported with a warning (listed above)` : '';
  ctx.log.info(
    `Imported ${result.objects} objects (${result.labelled} with a label, ${result.withoutImage} without ` +
      `an image)${noted}. data.dvc now points at ${added.nfiles} files` +
      (added.pushAdvised ? '; run "npx vitrine data push" to send them to the remote.' : '.'),
  );
  // Not in the counts above: objects already in the collection whose new row was refused (on_invalid: skip).
  const kept = result.unchanged;
  if (kept.length > 0)
    ctx.log.info(
      kept.length === 1
        ? `1 object whose new row was refused is kept as it was (${kept[0]}), with its previous details, image and label.`
        : `${kept.length} objects whose new rows were refused are kept as they were ` +
            `(${listWords(kept, { last: ',', max: 5 })}), with their previous details, image and label.`,
    );
  if (filesRefused.length > 0)
    ctx.log.error(
      `${filesRefused.length} image file${filesRefused.length === 1 ? ' was' : 's were'} refused (listed above; ` +
        `import.on_invalid is "skip"): ` +
        (filesRefused.length === 1
          ? 'its object was imported without it, or kept the image it had ('
          : 'their objects were imported without them, or kept the image they had (') +
        `${listWords(
          filesRefused.map((p) => p.object ?? `line ${p.line}`),
          { max: 5 },
        )}). Fix the files and import again to add them.`,
    );
  if (result.refused.length > 0) {
    ctx.log.error(
      `${result.refused.length} row${result.refused.length === 1 ? ' was' : 's were'} refused (listed ` +
        `above; import.on_invalid is "skip"): the other rows were imported.`,
    );
    return 1;
  }
  return filesRefused.length > 0 ? 1 : undefined;
}

/**
 * The import placed its files but could not record them in data.dvc (a full disk under the data cache, a file
 * where a folder of it should be): what was done and what not, why, and what to do.
 */
async function notRecorded({
  ws,
  error,
  command,
  unchanged,
}: {
  ws: Workspace;
  error: unknown;
  command: string;
  /** The import found nothing to change in data/ or labels.csv. */
  unchanged: boolean;
}): Promise<VitrineError> {
  const { withoutRunAgain } = await import('../collection/import.ts');
  const { readDvcConfig } = await import('../data/config.ts');
  const show = (p: string) => path.relative(ws.root, p).split(path.sep).join('/') || '.';
  const cacheDir = await readDvcConfig({ root: ws.root }).then(
    (c) => c.cacheDir,
    () => path.join(ws.root, '.dvc', 'cache'),
  );
  const cache = show(cacheDir);
  const system = systemErrorOf(error);
  const afterwards = `then run the same import again (${command}): it records them.`;
  // A full disk met by a write, which names no file: the import knows it was writing into the data cache.
  const full = system && !system.path && ['ENOSPC', 'EDQUOT', 'EFBIG'].includes(system.code);
  const machine = isVitrineError(error)
    ? undefined
    : full
      ? `The disk that holds ${cache} is full (${system.code}): free some space on it, ${afterwards}`
      : environmentProblem({ error, root: ws.root, command: 'import', afterwards });
  // The data layer's words end in "and run again.": the step to run again is this import, said once.
  const why =
    machine ??
    `${withoutRunAgain(
      isVitrineError(error) ? error.message : (systemProblem({ error, root: ws.root }) ?? messageOf(error)),
    )} Once that is mended, ${afterwards.replace(/^then /, '')}`;
  const recording = `recording them (a copy of each file into ${cache}/, then data.dvc) failed.`;
  return new VitrineError(
    'IMPORT_NOT_RECORDED',
    unchanged
      ? 'Import stopped before it finished: it found nothing to change in data/, data/objects.csv or labels.csv, ' +
          `but ${recording} ${why} Until then "npx vitrine run" refuses (.vitrine/import-unfinished.json says why).`
      : 'Import stopped half-way: the new photographs and labels are in place (data/, data/objects.csv and ' +
          `labels.csv), but not yet recorded in data.dvc: ${recording} ${why} Until then "npx vitrine run" refuses ` +
          '(.vitrine/import-unfinished.json says why), and do not commit labels.csv alone: data.dvc would not match it.',
    { file: 'data.dvc' },
    { cause: error },
  );
}

/** Whether an import found nothing to change: no object, photograph or label added, changed or removed. */
function changedNothing(result: ImportResult): boolean {
  const { changes, labels, removedImages } = result;
  return (
    Object.values(changes).every((list) => list.length === 0) &&
    removedImages.length === 0 &&
    labels.added === 0 &&
    labels.changed.length === 0 &&
    labels.removed.length === 0
  );
}

/** The import as typed, to run again should it be interrupted: "npx vitrine import --metadata export/objects.csv". */
function importCommandLine(values: Record<string, unknown>): string {
  const words = ['npx', 'vitrine', 'import'];
  for (const option of ['metadata', 'images'])
    if (typeof values[option] === 'string') words.push(`--${option}`, shellWord(values[option]));
  if (values.labels === 'replace') words.push('--labels', 'replace');
  if (values['remove-missing'] === true) words.push('--remove-missing');
  return words.join(' ');
}

/** The CLI reads the gate's verdict from metrics.json after the command: exit 3 when it failed. */
const FAIL_ON_GATE = {
  type: 'boolean',
  description: 'Exit with code 3 when the promotion gate did not pass (for ' + 'scripts and CI).',
} as const;
/** Stage commands that run the evaluation (and so have a gate verdict). */
const GATED: StageName[] = ['evaluate', 'report', 'promote', 'catalogue'];

/** Splitting the per-object work over several runners (docs/scale.md, "Running on N runners"). */
const SHARD_OPTIONS = {
  shard: {
    type: 'string',
    description: "Do only runner i of n's share of the per-image work (like 2/3) and send it to the data remote.",
  },
  'pull-caches': {
    type: 'boolean',
    description: 'First bring in what the --shard runs sent to the data remote, so nothing is computed twice.',
  },
} as const;

const runCommand: Command = {
  name: 'run',
  summary: 'Run every stage in order, skipping the ones whose inputs have not changed (like dvc repro).',
  args: '[stage...]',
  help: `Stages: ${STAGE_NAMES.join(' → ')}. Name stages to run only them and what they need.`,
  options: {
    force: { type: 'boolean', description: 'Rerun the stages even if nothing changed.' },
    single: { type: 'boolean', description: 'Run only the named stages, using their upstream outputs as they are.' },
    'fail-on-gate': FAIL_ON_GATE,
    ...SHARD_OPTIONS,
  },
  async run(ctx, { values, positionals }) {
    for (const p of positionals)
      if (!STAGE_NAMES.includes(p as StageName))
        throw new VitrineError(
          'STAGE_UNKNOWN',
          `There is no stage called "${p}".${didYouMean(p, STAGE_NAMES)} The stages are: ${STAGE_NAMES.join(', ')}.`,
        );
    if (values.single && positionals.length === 0)
      throw new VitrineError(
        'USAGE',
        '--single needs the stages to run, ' + 'like: npx vitrine run catalogue --single',
      );
    return runAndPrint(
      ctx,
      positionals as StageName[],
      Boolean(values.force),
      undefined,
      Boolean(values.single),
      values,
      'run',
    );
  },
};

const STAGE_SUMMARIES: Record<StageName, string> = {
  dataset: 'Check and join objects, images and labels; decide splits; make thumbnails and colour palettes.',
  train: 'Embed the images with the pretrained backbone (cached) and train the classifier head.',
  evaluate: 'Score the model on the test split, against the promoted model, with intervals.',
  report: 'Write the report for the pull request: verdict, label changes, metrics, lineage.',
  promote:
    'Register the evaluated model as a new version, make it the production model, write its card, annotate the collection.',
  catalogue: 'Build the public catalogue site (Astro) and its search index (Pagefind).',
};

/** With --json, these stage commands print their result document (for scripts) instead of the run table. */
const JSON_RESULT: Partial<Record<StageName, (ctx: CommandContext) => string>> = {
  evaluate: (ctx) => path.join(ctx.ws.evaluate, 'metrics.json'),
  report: (ctx) => path.join(ctx.ws.report, 'report.json'),
};

/**
 * `vitrine catalogue --check-addresses <file>`: the catalogue action checks the copy of data/addresses.json it
 * downloads from the published site before keeping it as the saved addresses (docs/security-addresses.md).
 */
const CHECK_ADDRESSES = {
  'check-addresses': {
    type: 'string',
    description:
      "Build nothing: check that a file is a copy of a catalogue's data/addresses.json (exit 1 and what is wrong when not).",
  },
} as const;

const MAX_ADDRESSES_BYTES = 400 * 2 ** 20;

async function checkAddressesFile(ctx: CommandContext, values: Record<string, unknown>): Promise<number> {
  for (const flag of ['force', 'fail-on-gate', 'shard', 'pull-caches'])
    if (values[flag])
      throw new VitrineError(
        'USAGE',
        `--check-addresses and --${flag} cannot be used together: --check-addresses only checks a file.`,
      );
  const { checkAddresses } = await import('../catalogue/addresses.ts');
  const given = String(values['check-addresses']);
  const file = path.resolve(ctx.cwd ?? ctx.ws.root, given);
  const size = await stat(file).then(
    (s) => s.size,
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT')
        throw new VitrineError('ADDRESSES_MISSING', `There is no file ${shownName(given)} to check.`);
      throw error;
    },
  );
  // About half a gigabyte is more text than Node can hold, and far more than any catalogue's addresses (40 MB for a
  // million objects).
  const result =
    size > MAX_ADDRESSES_BYTES
      ? { problem: `it is too large to be the addresses of a catalogue (${Math.round(size / 2 ** 20)} MB)` }
      : checkAddresses(await readFile(file, 'utf8'));
  if (ctx.json) ctx.out(`${JSON.stringify({ file: given, valid: 'objects' in result, ...result })}\n`);
  // The verdict is the result (on stdout, like git diff --check): the catalogue action puts it in its own warning.
  else {
    const objects = 'objects' in result ? `${result.objects} object${result.objects === 1 ? '' : 's'}` : '';
    ctx.out(`${shownName(given)}: ${'objects' in result ? `the addresses of ${objects}` : result.problem}\n`);
  }
  return 'objects' in result ? 0 : 1;
}

const stageCommands: Command[] = STAGE_NAMES.map((name) => ({
  name,
  summary: STAGE_SUMMARIES[name],
  help:
    `Runs the stages "${name}" needs first when their inputs changed. Outputs go to ` +
    '.vitrine/.' +
    (JSON_RESULT[name]
      ? '\nWith --json, prints ' +
        `${path.basename(JSON_RESULT[name]({ ws: { evaluate: '', report: '' } } as unknown as CommandContext))} on stdout.`
      : ''),
  options: {
    force: { type: 'boolean', description: `Rerun "${name}" even if nothing changed.` },
    ...(GATED.includes(name) ? { 'fail-on-gate': FAIL_ON_GATE } : {}),
    ...SHARD_OPTIONS,
    ...(name === 'catalogue' ? CHECK_ADDRESSES : {}),
  },
  run: (ctx, { values }) =>
    typeof values['check-addresses'] === 'string'
      ? checkAddressesFile(ctx, values)
      : runAndPrint(ctx, [name], Boolean(values.force), JSON_RESULT[name]?.(ctx), false, values, name),
}));

async function runAndPrint(
  ctx: CommandContext,
  targets: StageName[],
  force: boolean,
  jsonResult?: string,
  single = false,
  sharing: Record<string, unknown> = {},
  /** The command's name as typed: "run", or a stage's ("catalogue"). */
  typed = 'run',
): Promise<number> {
  const shard = typeof sharing.shard === 'string' ? parseShard(sharing.shard) : undefined;
  if (shard) {
    // A shard does only its share of the per-image work and no whole-collection stage: none of these apply.
    const given = { single, force, 'fail-on-gate': sharing['fail-on-gate'], 'pull-caches': sharing['pull-caches'] };
    for (const [flag, on] of Object.entries(given))
      if (on)
        throw new VitrineError(
          'USAGE',
          `--shard and --${flag} cannot be used together: a --shard run does only its share of the per-image ` +
            'work (docs/scale.md). Run without --shard for the rest.',
        );
  }
  // A run meant to end in a report leaves a note in its place when it stops (a params.yaml typo, a
  // merge conflict in labels.csv), and the report action posts it on the pull request.
  const reporting = !shard && !single && (targets.length === 0 || targets.includes('report'));
  const again = runAgainLine({ typed, targets, single, sharing });
  const run = { ctx, targets, force, jsonResult, single, sharing, shard, again, progress: { reported: false } };
  if (!reporting) return runStagesAndPrint(run);
  const { clearFailureNote, writeFailureNote } = await import('../report/failure.ts');
  // The note must never hide the error it is about: trouble with it is a warning, in plain words.
  const report = path.relative(ctx.ws.root, ctx.ws.report) || '.';
  const noteWords = (error: unknown) =>
    environmentProblem({ error, root: ctx.ws.root, command: 'run' }) ??
    systemProblem({ error, root: ctx.ws.root }) ??
    messageOf(error);
  const noteTrouble = (doing: string) => (error: unknown) =>
    ctx.log.warn(
      `Vitrine could not ${doing} in ${report} (a note the report action posts on the pull request when a run ` +
        `stops): ${noteWords(error)}`,
    );
  await clearFailureNote({ ws: ctx.ws }).catch(noteTrouble("remove the last run's failure note"));
  try {
    return await runStagesAndPrint(run);
  } catch (error) {
    // Once the report is written, it is what the pull request should read, not a note (a later stage failed).
    if (!run.progress.reported) {
      // After a merge, on main itself: the note speaks of the change to main, not of a pull request.
      const { runOnMain } = await import('../stages/report.ts');
      const onMain = await runOnMain({ ws: ctx.ws, env: ctx.env }).catch(() => false);
      const removed = await writeFailureNote({ ws: ctx.ws, error, onMain }).catch((noteError: unknown) => {
        // The run's own error already says the folder is read-only or the disk full: one clear error, not two.
        if (machineTrouble(error) && machineTrouble(noteError)) return false;
        noteTrouble('write the failure note')(noteError);
        return false;
      });
      if (removed)
        ctx.log.info(
          `This run stopped before its report: ${path.join(report, 'failure.md')} says why. The report of an ` +
            'earlier run was removed from there, so that it is not read as this one.',
        );
    }
    throw error;
  }
}

/**
 * The command stopped, as typed, that carries on from where it stopped: "vitrine run catalogue --single", not
 * "vitrine run" (another command: on a museum whose model fails the gate it stops at evaluate and never builds the
 * catalogue); "vitrine run --shard 2/3" with its shard. Without --force, which would run again the stages that
 * finished; -C is added as the user typed it.
 */
function runAgainLine({
  typed,
  targets,
  single,
  sharing,
}: {
  typed: string;
  targets: StageName[];
  single: boolean;
  sharing: Record<string, unknown>;
}): string {
  const flags = [
    ...(typeof sharing.shard === 'string' ? ['--shard', sharing.shard] : []),
    ...(single ? ['--single'] : []),
    ...(sharing['fail-on-gate'] ? ['--fail-on-gate'] : []),
    ...(sharing['pull-caches'] ? ['--pull-caches'] : []),
  ];
  return ['vitrine', ...(typed === 'run' ? ['run', ...targets] : [typed]), ...flags].join(' ');
}

/** A read-only folder, a locked one or a full disk: the machine, which the CLI's error boundary words. */
function machineTrouble(error: unknown): boolean {
  return isVitrineError(error, 'LOCK_FOLDER_READ_ONLY') || systemErrorOf(error) !== undefined;
}

async function runStagesAndPrint({
  ctx,
  targets,
  force,
  jsonResult,
  single,
  sharing,
  shard,
  again,
  progress,
}: {
  ctx: CommandContext;
  targets: StageName[];
  force: boolean;
  jsonResult: string | undefined;
  single: boolean;
  sharing: Record<string, unknown>;
  shard: ReturnType<typeof parseShard> | undefined;
  /** The command that carries on from where this one is stopped (runAgainLine). */
  again: string;
  /** Set once the report stage has an outcome: a later failure then leaves no note. */
  progress: { reported: boolean };
}): Promise<number> {
  const { refuseUnfinishedImport } = await import('../collection/import-marker.ts');
  const { refuseUnfinishedInit } = await import('../init/unfinished.ts');
  // A collection an import left half changed is not run on: said plainly, with the import to run again.
  await refuseUnfinishedImport({ ws: ctx.ws, log: ctx.log });
  await refuseUnfinishedInit({ ws: ctx.ws });
  const params = await loadParams({ file: ctx.ws.params });
  if (shard) {
    const { runShard } = await import('../shard/run.ts');
    // Said as for a run, with this shard's command: plain "vitrine run" would do every stage, not this share.
    const quiet = noticeCtrlC({ log: ctx.log, again, kept: 'The images this shard finished are kept in its caches' });
    const result = await runShard({
      ctx: { ws: ctx.ws, params, log: ctx.log, clock: ctx.clock, env: ctx.env },
      shard,
      targets,
    }).finally(quiet);
    // The same stages: a bare "run --pull-caches" would run every stage, promote included.
    const final = ['vitrine run', ...targets, '--pull-caches'].join(' ');
    ctx.log.info(`Done: ${result.summary}. The final job runs "${final}".`);
    if (ctx.json) ctx.out(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  }
  // Two runs at once (two terminals, two jobs on one runner) would write the same outputs and lock.json.
  // A --shard run above takes none: shards on one machine share out the work and lock what they merge.
  const quiet = noticeCtrlC({ log: ctx.log, again });
  try {
    const release = await holdRunLock({ ws: ctx.ws, log: ctx.log });
    try {
      return await runLockedStages({ ctx, params, targets, force, jsonResult, single, sharing, progress });
    } finally {
      await release();
    }
  } finally {
    quiet();
  }
}

async function runLockedStages({
  ctx,
  params,
  targets,
  force,
  jsonResult,
  single,
  sharing,
  progress,
}: {
  ctx: CommandContext;
  params: Params;
  targets: StageName[];
  force: boolean;
  jsonResult: string | undefined;
  single: boolean;
  sharing: Record<string, unknown>;
  progress: { reported: boolean };
}): Promise<number> {
  if (sharing['pull-caches']) {
    const { pullShardCaches } = await import('../shard/caches.ts');
    await pullShardCaches({ ws: ctx.ws, params, log: ctx.log });
  }
  const { runStages } = await import('../stages/graph.ts');
  const { loadStages } = await import('../stages/index.ts');
  const stages = await loadStages();
  // Said when the dataset stage is skipped on data/ that data.dvc does not record (read before the run changes it).
  const { skippedDatasetWarning } = await import('../stages/data-read-elsewhere.ts');
  const elsewhere = await skippedDatasetWarning({ ws: ctx.ws });
  const started = performance.now();
  const outcomes = await runStages({
    ctx: { ws: ctx.ws, params, log: ctx.log, clock: ctx.clock, env: ctx.env },
    stages,
    targets,
    force,
    single,
    onStage: (name) => ctx.log.debug(`stage ${name}: checking inputs`),
    onOutcome: (o: StageOutcome) => {
      if (o.name === 'report') progress.reported = true;
      ctx.log.info(
        `${o.status === 'ran' ? 'ran    ' : 'skipped'} ${o.name.padEnd(10)} ` +
          `${o.status === 'ran' ? formatSeconds(o.durationMs / 1000).padStart(9) : '         '}  ` +
          // A skipped stage's words are its last run's ("no detectable difference from v1.0.0" after v1.1.0 was
          // promoted): said as such, with when.
          (o.status === 'ran' ? `${o.summary} (${o.reason})` : `as when it last ran${lastRan(o.ranAt)}: ${o.summary}`),
      );
      if (o.name === 'dataset' && o.status === 'skipped' && elsewhere) ctx.log.warn(elsewhere, { file: 'data.dvc' });
    },
  });
  const total = (performance.now() - started) / 1000;
  if (ctx.json)
    ctx.out(
      jsonResult
        ? await readFile(jsonResult, 'utf8')
        : `${JSON.stringify({ stages: outcomes, durationMs: Math.round(total * 1000) }, null, 2)}\n`,
    );
  ctx.log.info(
    `Done in ${formatSeconds(total)}: ${outcomes.filter((o) => o.status === 'ran').length} ran, ` +
      `${outcomes.filter((o) => o.status === 'skipped').length} skipped.`,
  );
  if (outcomes.some((o) => o.name === 'catalogue'))
    ctx.log.info(await whereThingsAre({ ws: ctx.ws, params, env: ctx.env }));
  return 0;
}

/** " (2026-12-02 14:03 UTC)" for a stage's last run, or nothing when its lock entry has no valid time. */
function lastRan(ranAt: string | undefined): string {
  const when = ranAt ? new Date(ranAt) : null;
  if (!when || Number.isNaN(when.getTime())) return '';
  const iso = when.toISOString();
  return ` (${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC)`;
}

/**
 * Where a run left its results, and the address `vitrine serve` will give the site: under the base path the site was
 * built for (a tester built with VITRINE_CATALOGUE_BASE=/collection/ and was told http://127.0.0.1:4321/).
 */
export async function whereThingsAre({
  ws,
  params,
  env,
}: {
  ws: Workspace;
  params: Params;
  env: Record<string, string | undefined>;
}): Promise<string> {
  const r = (p: string) => path.relative(process.cwd(), p) || '.';
  const base = await baseToServe({ ws, params, env });
  // Only what is there: `run catalogue --single` before any training listed a report, metrics and a model that
  // did not exist (an outside tester).
  const results = [
    ['report', path.join(ws.report, 'report.md'), ''],
    ['metrics', path.join(ws.evaluate, 'metrics.json'), ''],
    ['model', ws.model, '/'],
    ['model cards', path.join(ws.registry, 'cards'), '/'],
  ] as const;
  const there = await Promise.all(
    results.map(([, p]) =>
      access(p).then(
        () => true,
        () => false,
      ),
    ),
  );
  const lines = results.filter((_, i) => there[i]).map(([name, p, end]) => `  ${name.padEnd(14)}${r(p)}${end}`);
  const untrained = there[2]
    ? []
    : ['  (no model has been trained yet: "npx vitrine run" trains one, then writes its report and model card)'];
  const site = `  site          ${r(ws.site)}/   open it with: npx vitrine serve   (then http://127.0.0.1:4321${encodeURI(base)})`;
  return ['', 'Where to look:', ...lines, ...untrained, site].join('\n');
}

/**
 * The base path the built site is served under: the one its build recorded in lock.json, else what params.yaml or
 * VITRINE_CATALOGUE_BASE say. Served elsewhere, every link is a 404. Loaded here, and from modules of their own
 * (not publish/built.ts nor stages/catalogue.ts, 1.3 s of CPU each): `vitrine serve` needs only these.
 */
async function baseToServe({
  ws,
  params,
  env,
}: {
  ws: Workspace;
  params: Params;
  env: Record<string, string | undefined>;
}): Promise<string> {
  const { builtSiteBase } = await import('../publish/built-base.ts');
  const { catalogueLocation } = await import('../catalogue/location.ts');
  return (await builtSiteBase({ ws })) ?? catalogueLocation({ params, env }).base;
}

const serveCommand: Command = {
  name: 'serve',
  summary: 'Serve the built catalogue site on http://127.0.0.1 to look at it in a browser.',
  options: { port: { type: 'string', description: 'Port to listen on.', default: '4321' } },
  async run(ctx, { values }) {
    const port = Number(values.port);
    if (!/^\d+$/.test(String(values.port)) || port < 1 || port > 65535)
      throw new VitrineError(
        'USAGE',
        `--port takes ` + `a port number from 1 to 65535 (got "${values.port}"), like: npx vitrine serve --port 8080`,
      );
    // No site built yet is said first, before anything else is read.
    await refuseMissingSite({ dir: ctx.ws.site });
    const params = await loadParams({ file: ctx.ws.params });
    // Where the build put its links (VITRINE_CATALOGUE_BASE in the workflows).
    const base = await baseToServe({ ws: ctx.ws, params, env: ctx.env });
    const server = await serveSite({ dir: ctx.ws.site, base, port });
    ctx.log.info(`Serving ${ctx.ws.site} at ${server.url} — press Ctrl+C to stop.`);
    await serveUntilStopped({ server: server.server, log: ctx.log, env: ctx.env });
  },
};

export const coreCommands: Command[] = [demoCommand, importCommand, runCommand, ...stageCommands, serveCommand];
