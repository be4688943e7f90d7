import { rm, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Command, CommandContext } from '../cli/command.ts';
import { sayWhenStopped, underRunLock } from '../cli/run-lock.ts';
import { aboveHeaderNote } from '../collection/export.ts';
import { labelForm, withoutPasted } from '../collection/hidden-characters.ts';
import { repeatedColumnError } from '../collection/index.ts';
import { checkVocabulary, labelInList, tooFewWhy } from '../collection/vocabulary.ts';
import { remoteParentMissing } from '../data/config.ts';
import { VitrineError } from '../errors.ts';
import type { Whereabouts } from '../log.ts';
import { plural } from '../words.ts';
import { pathFrom, shellMessage, vitrineInvocation } from './invocation.ts';
import { languageWords } from './language.ts';
import { describeMapping, describeUnused, FIELDS, type Field, labelLooksLikeSource } from './mapping.ts';
import { describePhotographs } from './photographs.ts';
import { isYes, type Prompter, terminalPrompter } from './prompt.ts';
import type {
  InitChoices,
  InitProposal,
  InitResult,
  InitWhereabouts,
  RemoteChoice,
  SmallCollection,
} from './scaffold.ts';
import {
  DEFAULT_REMOTE,
  initRepository,
  lookAlike,
  lookAlikeLeftOut,
  pastedInVocabulary,
  pastedNote,
  proposeInit,
  proposeVocabulary,
  remoteProblem,
  vitrineActionsRef,
  vocabularyYaml,
  warnMovingRef,
} from './scaffold.ts';
import { updateWorkflows, vitrineVersion } from './workflows.ts';

/** `vitrine init`: non-interactive with flags (or --yes); asks on a terminal for what the flags left open. */
export const initCommand: Command = {
  name: 'init',
  // It starts a repository in its folder (or -C's), so it does not look for one further up.
  outsideRepository: true,
  createsFolder: true,
  summary:
    "Start a museum's Vitrine repository from a collections-management export (CSV or JSON Lines) and its images.",
  help: `Reads the export, guesses which column holds the id, image, label, title, maker... and proposes
the vocabulary from the label column (with counts, flagging labels written two ways). Then writes
params.yaml, .dvc/config (the data remote), .gitignore, the workflows and a README, imports the
collection and stages everything for the first commit. On a terminal it asks before writing;
--yes (or no terminal) takes the proposal and the flags as they are.

  npx vitrine init --from export/objects.csv --images export/images
  git commit -m "Start Vitrine"
  npx vitrine run

-C <folder> starts the repository in another folder (made if missing). Vitrine is not installed there: run its
commands from Vitrine's folder with -C (npx vitrine -C <folder> run), as init prints at the end.
The paths you give init (--from, --images, a --remote folder) are relative to the folder you type the
command in, also with -C (unlike git's -C): npx vitrine init -C ../our-museum --from export/objects.csv
reads the export here, not in ../our-museum.

Remote: a folder (--remote /mnt/collection-store) or S3 (--remote s3://bucket/path, with --endpoint-url
for non-AWS servers). S3 keys go to .dvc/config.local only, never committed: give them when asked,
or with --access-key-id and --secret-access-key. Default: ${DEFAULT_REMOTE}/ in the repository (this machine only).
Column mapping and everything after: docs/import.md

After upgrading Vitrine: npx vitrine init --update-workflows [--actions owner/repo@commit] rewrites Vitrine's
workflows in .github/workflows to the new Vitrine's, and leaves alone any edited here (unless --force):
docs/actions.md, "Upgrading the workflows".`,
  options: {
    from: { type: 'string', description: 'The export: a CSV file or JSON Lines (.jsonl) file, one object per row.' },
    images: {
      type: 'string',
      description: "The folder the export's image paths are relative to (default: the export's folder).",
    },
    column: {
      type: 'string',
      multiple: true,
      description: 'Set a column yourself: --column id=ObjectNumber (repeat; "label=" for none).',
    },
    vocabulary: {
      type: 'string',
      description:
        'The labels the model learns, comma-separated; a label holding a comma in double quotes ' +
        '(default: proposed from the label column).',
    },
    name: {
      type: 'string',
      description: "The collection's name, shown in reports and the catalogue (default: the folder's name).",
    },
    remote: {
      type: 'string',
      description: `Where the images are stored: a folder or s3://bucket/path (default: ${DEFAULT_REMOTE}).`,
    },
    'endpoint-url': { type: 'string', description: 'S3-compatible server address (not needed for AWS).' },
    'access-key-id': { type: 'string', description: 'S3 access key id (written to .dvc/config.local only).' },
    'secret-access-key': { type: 'string', description: 'S3 secret key (written to .dvc/config.local only).' },
    actions: {
      type: 'string',
      description: "Vitrine's GitHub repository for the workflows' actions, as owner/repo@ref.",
    },
    'on-invalid': {
      type: 'string',
      description:
        'When rows of the export are refused: "fail" (default: write nothing) ' +
        'or "skip" (import the other rows). Kept as import.on_invalid in params.yaml.',
    },
    'update-workflows': {
      type: 'boolean',
      description:
        "Only rewrite Vitrine's workflows in .github/workflows to this Vitrine's (a file edited here is " +
        'left as it is, unless --force). No --from needed.',
    },
    force: {
      type: 'boolean',
      description:
        'With --update-workflows: also replace workflows edited here, written by a newer Vitrine, or whose actions ' +
        'come from another repository than --actions names.',
    },
    add: {
      type: 'string',
      multiple: true,
      description: "With --update-workflows: add this workflow of Vitrine's (main.yml) where the repository has none.",
    },
    yes: { type: 'boolean', short: 'y', description: 'Do not ask: take the proposal and the flags.' },
  },
  async run(ctx, { values }) {
    if (values['update-workflows']) return updateWorkflowsCommand(ctx, values);
    if (values.force)
      throw new VitrineError('USAGE', '--force goes with --update-workflows only: init never overwrites a file.');
    if (values.add)
      throw new VitrineError('USAGE', '--add goes with --update-workflows only: init writes every workflow anyway.');
    const from = values.from as string | undefined;
    if (!from)
      throw new VitrineError(
        'USAGE',
        'Say which export to start from: npx vitrine init --from ' + 'export/objects.csv --images export/images',
      );
    // Paths on the command line are relative to where it was typed, even with -C: the README's
    // `init -C ../our-museum --from export/objects.csv` names an export outside the folder init makes.
    const typedIn = ctx.shellCwd ?? ctx.cwd ?? ctx.ws.root;
    const images = values.images as string | undefined;
    await checkGivenPath({ flag: '--from', given: from, kind: 'file', typedIn, root: ctx.ws.root });
    if (images) await checkGivenPath({ flag: '--images', given: images, kind: 'folder', typedIn, root: ctx.ws.root });
    const proposal = await proposeInit({ root: ctx.ws.root, from, images, typedIn });
    const choices = initialChoices(proposal, values, { typedIn, root: ctx.ws.root });
    const badRemote = typeof values.remote === 'string' ? remoteProblem(values.remote) : undefined;
    if (badRemote) throw new VitrineError('USAGE', `--remote: ${badRemote} Nothing was written.`);
    const ask =
      ctx.interactive && !values.yes ? terminalPrompter({ input: ctx.stdin!, output: ctx.prompts! }) : undefined;
    try {
      showProposal(ctx, proposal, choices);
      if (ask) {
        const go = await interview({ ask, proposal, choices, values });
        if (!go) {
          ctx.log.info('Nothing was written.');
          return 1;
        }
      }
    } finally {
      ask?.close();
    }
    if (!choices.columns.id) throw noIdError(proposal);
    // Before anything is written: a remote folder whose parent is missing (a share not mounted) is not made.
    const remoteMissing = await remoteParentMissing({ root: ctx.ws.root, url: choices.remote.url });
    if (remoteMissing) throw remoteMissing;
    const made = !(await stat(ctx.ws.root).catch(() => undefined));
    const cwd = ctx.shellCwd ?? ctx.cwd ?? ctx.ws.root;
    const git = path.resolve(cwd) === ctx.ws.root ? 'git' : `git -C ${pathFrom({ cwd, folder: ctx.ws.root })}`;
    const commit = `${git} commit -m ${shellMessage(`Start Vitrine for ${choices.name}`)}`;
    // Stopped by Ctrl-C, it says how far it got: a rerun finishes an unfinished init; once the repository is
    // written, only the images' push is left, and the commit.
    const where: InitWhereabouts = {};
    const said: Whereabouts = {
      now: () =>
        where.now
          ? `${where.now()}${where.written ? ` Then commit: ${commit}` : ''}`
          : 'It had not started yet: nothing was changed.',
    };
    const initialise = () =>
      initRepository({ root: ctx.ws.root, proposal, choices, log: ctx.log, where }).catch(async (error: unknown) => {
        // A folder init made for this repository is removed again, so a rerun starts from nothing.
        if (made) await rm(ctx.ws.root, { recursive: true, force: true });
        throw error;
      });
    // In a folder that exists, a run may be reading data/ and labels.csv, which init rewrites: it waits for the run's
    // lock as import does (taken only now, not while the questions above wait for an answer).
    const hadWork = made || (await stat(ctx.ws.work).catch(() => undefined)) !== undefined;
    const quiet = sayWhenStopped({ log: ctx.log, where: said });
    const result = await (made
      ? initialise()
      : underRunLock(ctx, initialise).catch(async (error: unknown) => {
          // "Nothing was written": not even the empty .vitrine/ the lock was made in.
          if (!hadWork) await rmdir(ctx.ws.work).catch(() => {});
          throw error;
        })
    ).finally(quiet);
    const r = result.imported;
    const language = languageWords(result.language);
    const run = await vitrineInvocation({ root: ctx.ws.root });
    const inFolder = path.resolve(cwd) === run.folder ? '' : `cd ${pathFrom({ cwd, folder: run.folder })} && `;
    ctx.log.info(
      [
        '',
        `Imported ${r.objects} objects (${r.labelled} labelled, ${r.withoutImage} without an image) into ${ctx.ws.root}.`,
        `Wrote ${wrote(result)}${result.kept.length ? `; kept your ${result.kept.join(', ')}` : ''}.`,
        result.pushed ? `Sent ${result.pushed.transferred} files to the data remote (${choices.remote.url}).` : '',
        smallCollectionWords(result.smallCollection),
        language.said,
        result.repository
          ? `The catalogue's "Suggest a correction" links open labels.csv in ${result.repository} on GitHub ` +
            "(collection.repository in params.yaml, from this repository's origin)."
          : '',
        '',
        'Next:',
        ...pushSteps({ result, url: choices.remote.url, push: `  ${inFolder}${run.vitrine} data push`, git }),
        ...(result.repository
          ? []
          : [
              '  set collection.repository in params.yaml to your GitHub repository, as owner/name ' +
                '(my-museum/collection): until then the catalogue\'s object pages have no "Suggest a correction" link',
            ]),
        ...(language.next ? [`  ${language.next}`] : []),
        `  ${commit}`,
        `  ${inFolder}${run.vitrine} run`,
        run.inRepository
          ? ''
          : "  (Vitrine is not installed in the new repository: its commands run from Vitrine's folder, with -C.)",
        '',
        ...gitHubSettings({
          branch: result.branch,
          s3: /^s3:\/\//i.test(choices.remote.url),
          remoteInRepository: result.remoteInRepository,
        }),
      ]
        .filter((l, i, all) => l || all[i - 1])
        .join('\n'),
    );
    // Exit 1 says something went wrong: the last line says what (a tester read "Next: git commit" and exit 1).
    if (r.refused.length > 0)
      ctx.log.error(
        `${r.refused.length} row${r.refused.length === 1 ? ' was' : 's were'} refused (listed above; on_invalid is ` +
          '"skip"): the other rows were imported, and the steps under "Next:" can go ahead. Correct those rows in ' +
          'the export as each says, then import it again with "vitrine import".',
      );
    // Image files refused under "skip": their objects are in the catalogue without a picture.
    const filesRefused = r.problems.filter((p) => p.imageRefused).length;
    if (filesRefused > 0)
      ctx.log.error(
        `${filesRefused} image file${filesRefused === 1 ? ' was' : 's were'} refused (listed above; on_invalid is ` +
          `"skip"): ${filesRefused === 1 ? 'its object was' : 'their objects were'} imported without ` +
          `${filesRefused === 1 ? 'it' : 'them'}. Fix the files, then import again with "vitrine import" to add them.`,
      );
    return r.refused.length > 0 || filesRefused > 0 || result.pushRefused ? 1 : 0;
  },
};

/**
 * What init set for a collection too small for the gate's default minimum of test objects (smallCollectionValues),
 * or nothing: without it, no model could pass the gate, and the first report would name the settings only then.
 */
function smallCollectionWords(small: SmallCollection | undefined): string {
  if (!small) return '';
  return (
    `A small collection: its test split holds ${small.photographedInTest} objects with a photograph, fewer than the ` +
    `${small.defaultMinimum} labelled test objects the promotion gate asks for by default, so params.yaml sets ` +
    `gate.min_test_objects to ${small.minimum} and gate.max_macro_f1_drop to ${small.drop} (docs/metrics.md, ` +
    '“Small collections”): raise the one and lower the other as the collection grows.'
  );
}

/**
 * The GitHub settings the workflows' safety rests on and cannot set themselves (docs/actions.md, "Settings the
 * maintainer must turn on", "Keys of the data remote"): without them a fork's code could reach the museum's runner,
 * and a pull request could be merged unjudged.
 */
export function gitHubSettings({
  branch,
  s3,
  remoteInRepository,
}: {
  branch: string;
  s3: boolean;
  /** The data remote's folder when it is inside the repository: no runner can pull the images from it. */
  remoteInRepository?: string;
}): string[] {
  return [
    'On GitHub, before the museum’s runner takes any job (why, and where each setting is: "Settings the maintainer ' +
      'must turn on" in Vitrine’s docs/actions.md):',
    ...(remoteInRepository
      ? [
          `  - the images are only on this computer (${remoteInRepository}, a folder git leaves out): GitHub’s ` +
            'runners cannot pull them, so every workflow would stop at its first step. Give a place they can reach ' +
            'first: npx vitrine data init s3://bucket/folder --name storage (or a shared folder), npx vitrine data ' +
            'push, and commit .dvc/config ("Moving the images to another remote" in Vitrine’s docs/data.md)',
        ]
      : []),
    '  - the runner group of the museum’s runner (an organisation’s; a personal account has none): this ' +
      'repository only, and only the workflows pull-request-data.yml, main.yml, publish-s3.yml, retrain.yml and ' +
      `rollback.yml on ${branch}`,
    '  - Settings → Actions → General: "Require approval for all outside collaborators"; "Send write tokens to ' +
      'workflows from pull requests" and "Send secrets to workflows from pull requests" off',
    `  - a branch protection rule or ruleset on ${branch}: require the status check vitrine/gate, and an approving ` +
      'review before merging (a pull request’s changes to .github/, actions/ or pipeline/ change how it is judged)',
    '  - a label named "safe to run" (a maintainer adds it to let a fork’s data files be trained)',
    ...(s3
      ? [
          '  - a read-only key of the bucket as the repository secrets VITRINE_REMOTE_READ_ACCESS_KEY_ID and ' +
            'VITRINE_REMOTE_READ_SECRET_ACCESS_KEY; the write key only in the environment vitrine-remote-write, ' +
            `limited to ${branch} ("Keys of the data remote" in docs/actions.md), never as repository secrets`,
        ]
      : []),
  ];
}

/** `vitrine init --update-workflows`: Vitrine's workflows in this repository brought to this Vitrine's. */
async function updateWorkflowsCommand(ctx: CommandContext, values: Record<string, unknown>): Promise<number> {
  const stray = ['from', 'images', 'column', 'vocabulary', 'name', 'remote', 'on-invalid'].filter(
    (o) => values[o] !== undefined,
  );
  if (stray.length)
    throw new VitrineError(
      'USAGE',
      `--update-workflows changes only .github/workflows: give it without ${stray.map((o) => `--${o}`).join(', ')}.`,
    );
  const given = actionsOf(values.actions as string | undefined);
  const ref = given ?? (await vitrineActionsRef());
  if (ref) warnMovingRef({ ref, log: ctx.log });
  const add = ((values.add as string[] | undefined) ?? []).flatMap((a) => a.split(',')).map((a) => a.trim());
  const r = await updateWorkflows({ root: ctx.ws.root, ref, force: values.force === true, add: add.filter(Boolean) });
  const list = (files: string[]) => files.join(', ');
  const forced = r.edited.filter((e) => r.replaced.includes(e.file));
  const left = r.edited.filter((e) => !r.replaced.includes(e.file));
  const earlier = r.replaced.filter((f) => !forced.some((e) => e.file === f));
  const total = r.replaced.length + r.added.length + r.current.length + left.length;
  const version = (await vitrineVersion()) ?? 'this version';
  const unmarked = 'no mark of the Vitrine that wrote it, and not as any earlier Vitrine wrote it';
  const named = given ? '--actions names' : 'Vitrine’s folder is a clone of';
  const why = (e: (typeof r.edited)[number]) =>
    `${e.file} (${
      e.why === 'edited'
        ? 'edited here'
        : e.why === 'newer'
          ? `written by Vitrine ${e.version}, newer than this Vitrine ${version}`
          : e.why === 'repository'
            ? `its actions come from ${e.uses}; ${named} ${e.wanted}`
            : unmarked
    })`;
  const missing = r.missing.length
    ? `  not there (deleted or renamed here, or new in this Vitrine; not added): ${list(r.missing)}. To add one: ` +
      `npx vitrine init --update-workflows --add ${r.missing[0]}${given ? ` --actions ${given}` : ''}`
    : '';
  ctx.log.info(
    r.replaced.length + r.added.length === 0 && left.length === 0 && !missing
      ? `All ${total} of Vitrine’s workflows are already this Vitrine’s (${version}): nothing to change.`
      : [
          `Vitrine’s workflows in .github/workflows, brought to Vitrine ${version}’s:`,
          earlier.length ? `  replaced (as an earlier Vitrine wrote them): ${list(earlier)}` : '',
          forced.length ? `  replaced although not as Vitrine wrote them (--force): ${forced.map(why).join(', ')}` : '',
          r.added.length ? `  added: ${list(r.added)}` : '',
          r.current.length ? `  already current: ${list(r.current)}` : '',
          missing,
          r.replaced.length + r.added.length
            ? 'Look at the changes with "git diff .github/workflows" (and "git status" for the added ones), then ' +
              'commit them.'
            : '',
        ]
          .filter(Boolean)
          .join('\n'),
  );
  if (left.length === 0) return 0;
  const moved = left.filter((e) => e.why === 'repository');
  const newer = left.filter((e) => e.why === 'newer');
  const other = left.filter((e) => e.why === 'edited' || e.why === 'unmarked');
  if (moved.length)
    ctx.log.error(
      `Left as ${moved.length === 1 ? 'it is' : 'they are'}: ${moved.map(why).join(', ')}. The repository a ` +
        'workflow takes Vitrine’s actions from decides which code runs on your runner: the update does not change ' +
        'it. To keep that repository, give --actions <that repository>@<its commit of this Vitrine>; to switch, run ' +
        'this again with --force.',
    );
  if (newer.length)
    ctx.log.error(
      `Left as ${newer.length === 1 ? 'it is' : 'they are'}: ${newer.map(why).join(', ')}. An older Vitrine does ` +
        'not replace a newer one’s workflows: upgrade this Vitrine, or run this again with --force to go back.',
    );
  if (other.length)
    ctx.log.error(
      `Left as ${other.length === 1 ? 'it is' : 'they are'}: ${other.map(why).join(', ')}. Compare ` +
        `${other.length === 1 ? 'it' : 'each'} with this Vitrine’s template (in Vitrine’s .github/workflows) and ` +
        'carry your changes over, or run this again with --force to replace it with the template (then "git diff" ' +
        'shows what your copy had, and "git checkout HEAD -- <file>" puts it back).',
    );
  return 1;
}

/**
 * The first steps under "Next:" when the images did not reach the data remote: what to correct (a wrong bucket or
 * key waits for that, not for the server), then the push; a corrected .dvc/config is staged again for the commit.
 */
function pushSteps({
  result,
  url,
  push,
  git,
}: {
  result: InitResult;
  url: string;
  push: string;
  git: string;
}): string[] {
  if (result.pushError === undefined) return [];
  const stage = `  ${git} add .dvc/config`;
  switch (result.pushRefused) {
    case 'bucket':
      return [
        `  Correct the bucket in the url in .dvc/config (now ${url}), or create that bucket; then send the images:`,
        push,
        stage,
      ];
    case 'key':
      return [
        '  Correct the access key in .dvc/config.local (the lines access_key_id and secret_access_key), or ask ' +
          'whoever manages the storage for a key that may write to it; then send the images:',
        push,
      ];
    case 'no-key':
      // Kept only in CI, say: the images are here, and go up from a computer that has the key.
      return [
        '  Add the access key to .dvc/config.local (lines access_key_id and secret_access_key under the remote), ' +
          'or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; then send the images:',
        push,
      ];
    case 'folder':
      return [
        `  Make the folder ${url} reachable and writable, or correct the url in .dvc/config; then send the images:`,
        push,
        stage,
      ];
    case 'full':
      return [
        `  Free some space on the disk that holds ${url} (or move the remote: correct the url in .dvc/config); ` +
          'then send the rest of the images:',
        push,
        stage,
      ];
    case 'clock':
      return [
        "  Set this computer's date and time (turn on automatic time), or ask whoever runs the storage server to set " +
          "the server's; then send the images:",
        push,
      ];
    case 'slow':
      return [
        '  From a faster connection (or once whoever runs the storage server lets uploads through as they come), ' +
          'send the images:',
        push,
      ];
    default:
      return ['  When the data remote can be reached, send the images:', push];
  }
}

/** "params.yaml, … and 7 workflows", or "params.yaml, …; the 7 workflows were already in .github/workflows". */
function wrote({ written, keptWorkflows }: { written: string[]; keptWorkflows: string[] }): string {
  const files = written.filter((f) => !f.startsWith('.github/'));
  const workflows = written.length - files.length;
  const kept = keptWorkflows.length;
  const already = kept
    ? `; ${workflows ? `${kept} other` : `the ${kept}`} workflow${kept === 1 ? ' was' : 's were'} already in ` +
      '.github/workflows (kept as they are)'
    : '';
  return `${files.join(', ')}${workflows ? ` and ${workflows} workflow${workflows === 1 ? '' : 's'}` : ''}${already}`;
}

/**
 * Refuse a --from or --images that is not there before anything is written, saying where init looked. Someone
 * used to git's -C may have named it from the -C folder: when that names the file or folder, say which path
 * works from where the command was typed.
 */
async function checkGivenPath({
  flag,
  given,
  kind,
  typedIn,
  root,
}: {
  flag: '--from' | '--images';
  given: string;
  kind: 'file' | 'folder';
  typedIn: string;
  root: string;
}): Promise<void> {
  const isKind = async (p: string) => {
    const found = await stat(p).catch(() => undefined);
    return found ? (kind === 'file' ? found.isFile() : found.isDirectory()) : undefined;
  };
  const looked = path.resolve(typedIn, given);
  const found = await isKind(looked);
  if (found) return;
  const what = flag === '--from' ? 'The export' : 'The images folder';
  const problem = found === false ? `is not a ${kind}` : 'does not exist';
  const readFrom = path.isAbsolute(given)
    ? ''
    : ` (${flag} ${given}, read from ${typedIn}, where the command was typed)`;
  const fromC = path.resolve(root, given);
  const works = `${flag} ${pathFrom({ cwd: typedIn, folder: fromC })}`;
  const hint =
    fromC !== looked && (await isKind(fromC))
      ? ` Paths given to init are relative to the folder the command was typed in, not to the -C folder (${root}): ` +
        `${fromC}, which ${flag} ${given} names from the -C folder, is ${works} from here.`
      : '';
  const advice =
    flag === '--from'
      ? ' Give the collections-management export (CSV or JSON Lines) with --from <file>.'
      : " Give the folder the export's image paths are relative to with --images <folder>.";
  throw new VitrineError(
    flag === '--from' ? 'INIT_EXPORT_MISSING' : 'INIT_IMAGES_MISSING',
    `${what} ${looked} ${problem}${readFrom}.${advice}${hint} Nothing was written.`,
    { file: looked },
  );
}

function initialChoices(
  proposal: InitProposal,
  values: Record<string, unknown>,
  where: { typedIn: string; root: string },
): InitChoices {
  const columns = { ...proposal.guess.columns };
  for (const pair of (values.column as string[] | undefined) ?? []) {
    const m = /^([a-z_]+)=(.*)$/.exec(pair);
    if (!m || !FIELDS.includes(m[1] as Field))
      throw new VitrineError(
        'USAGE',
        `--column takes field=column, with a ` + `field among ${FIELDS.join(', ')} (got "${pair}").`,
      );
    const column = m[2]!.trim();
    const repeated = proposal.table.repeated?.find((r) => r.name === column);
    if (repeated) throw repeatedColumnError(repeated);
    if (column && !proposal.table.header.includes(column))
      throw new VitrineError(
        'USAGE',
        `--column ${pair}: the ` + `export has no column "${column}" (it has: ${proposal.table.header.join(', ')}).`,
      );
    columns[m[1] as Field] = column;
  }
  // A label column chosen by hand gives its own vocabulary proposal, and an id column its own counts of objects.
  if (columns.label !== proposal.guess.columns.label || columns.id !== proposal.guess.columns.id) {
    Object.assign(
      proposal,
      proposeVocabulary({ table: proposal.table, labelColumn: columns.label, idColumn: columns.id }),
    );
  }
  const vocabulary = typeof values.vocabulary === 'string' ? splitList(values.vocabulary) : proposal.vocabulary;
  // "Pottery\u200b" pasted into --vocabulary: said of the option, not of the params.yaml line init would write.
  const pasted = pastedInVocabulary(vocabulary);
  if (pasted) throw new VitrineError('USAGE', `--vocabulary: ${pasted}. Nothing was written.`);
  return {
    columns,
    keep: proposal.guess.keep,
    vocabulary,
    name: (values.name as string | undefined) ?? proposal.name,
    remote: remoteOf(values, where),
    actions: actionsOf(values.actions as string | undefined),
    onInvalid: onInvalidOf(values['on-invalid']),
  };
}

function onInvalidOf(value: unknown): InitChoices['onInvalid'] {
  if (value === undefined) return undefined;
  if (value === 'skip' || value === 'fail') return value;
  throw new VitrineError('USAGE', `--on-invalid is "skip" or "fail" (got "${String(value)}").`);
}

/**
 * --actions as `uses:` can take it: owner/repo, then @ and a commit, tag or branch. Anything else would be written
 * into every workflow as it is (a tester: "museumorg/vitrine@v1 ; x" made `uses: …@v1 ; x`).
 */
function actionsOf(given: string | undefined): string | undefined {
  if (given === undefined) return undefined;
  if (/^[A-Za-z0-9](?:[A-Za-z0-9-]*)\/[A-Za-z0-9._-]+(?:@[A-Za-z0-9._/-]+)?$/.test(given.trim())) return given.trim();
  throw new VitrineError(
    'USAGE',
    `--actions is Vitrine's GitHub repository and the commit to use, as owner/repo@commit ` +
      `(e.g. museumorg/vitrine@${'0123abcd'.repeat(5)}); got "${given}".`,
  );
}

/**
 * A --remote folder is relative to where the command was typed: with -C elsewhere it is made absolute, so that
 * what init prints names it from there too; .dvc/config holds it relative, as typed (and an absolute one absolute, as
 * DVC does).
 */
function remoteOf(values: Record<string, unknown>, { typedIn, root }: { typedIn: string; root: string }): RemoteChoice {
  const given = values.remote as string | undefined;
  const elsewhere = path.resolve(typedIn) !== path.resolve(root);
  const relativeFolder = given?.trim() && !/^[a-z][a-z0-9+.-]*:\/\//i.test(given) && !path.isAbsolute(given);
  return {
    url: given && relativeFolder && elsewhere ? path.resolve(typedIn, given) : (given ?? DEFAULT_REMOTE),
    ...(given && relativeFolder && elsewhere ? { typedRelative: true } : {}),
    endpointurl: values['endpoint-url'] as string | undefined,
    accessKeyId: values['access-key-id'] as string | undefined,
    secretAccessKey: values['secret-access-key'] as string | undefined,
  };
}

/**
 * A comma-separated list as typed, where a label holding a comma is in double quotes ("pot, lidded", vase),
 * as the vocabulary question's default writes it; "" inside quotes is one quote.
 */
function splitList(text: string): string[] {
  const items: string[] = [];
  let item = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"' && quoted && text[i + 1] === '"') {
      item += '"';
      i++;
    } else if (c === '"' && (quoted || !item.trim())) quoted = !quoted;
    else if (c === ',' && !quoted) {
      items.push(item);
      item = '';
    } else item += c;
  }
  items.push(item);
  if (quoted)
    throw new VitrineError(
      'USAGE',
      `The list ${JSON.stringify(text)} opens a quote it never closes: write a label holding a comma in double ` +
        'quotes, as in "pot, lidded", vase. Nothing was written.',
    );
  return items.map((s) => s.trim()).filter(Boolean);
}

/** The vocabulary as the question's default: comma-separated, a label holding a comma or a quote in quotes. */
function joinList(labels: string[]): string {
  return labels.map((l) => (/[",]/.test(l) ? `"${l.replace(/"/g, '""')}"` : l)).join(', ');
}

function showProposal(ctx: CommandContext, proposal: InitProposal, choices: InitChoices): void {
  const { aboveHeader } = proposal.table;
  if (aboveHeader) ctx.log.info(aboveHeaderNote({ name: path.basename(proposal.from), above: aboveHeader }));
  // Said before the question, while another label column can still be chosen.
  const source = labelLooksLikeSource({ ...proposal.table, columns: choices.columns });
  const tooFew = tooFewWhy(proposal.minPerLabel, proposal.fullPerLabel);
  if (source) ctx.log.warn(source);
  const vocabularyCheck = checkVocabulary({
    // As init counted them: "Pottery\u200b" is "Pottery", its rows said apart (pastedNote).
    labels: proposal.labels.map((l) => ({ label: labelForm(withoutPasted(l.label)) })),
    vocabulary: choices.vocabulary,
  });
  ctx.log.info(
    [
      // Rows, not objects: a row refused later (an object number again, no image) is no object (a tester: "129
      // objects", then 128 imported).
      `${path.basename(proposal.from)}: ${rowWords(proposal.table.rows)}, ` +
        `${plural(proposal.table.header.length, 'column')} (${proposal.table.format === 'csv' ? 'CSV' : 'JSON Lines'}).`,
      'Columns (export column → Vitrine field):',
      describeMapping(choices.columns),
      // Shown in the catalogue too (docs/import.md), as the mapped columns the "Published:" line names.
      choices.keep.length ? `  kept as they are, and published too: ${choices.keep.join(', ')}` : '',
      describeUnused({ header: proposal.table.header, columns: choices.columns, keep: choices.keep }),
      // The photographs go on the public web: said, with how many the rights column reads as in copyright.
      describePhotographs({
        rows: proposal.table.rows,
        column: choices.columns.rights,
        image: choices.columns.image,
        id: choices.columns.id,
      }),
      proposal.labels.length
        ? `Labels in "${choices.columns.label}": ` +
          `${proposal.labels.map((l) => `${labelInList(l.label)} (${l.count})`).join(', ')}`
        : 'No label column: objects come in unlabelled.',
      ...proposal.nearDuplicates.map(
        (pair) =>
          `  check: ${lookAlike(pair)}` +
          lookAlikeLeftOut({ pair, labels: proposal.labels, vocabulary: choices.vocabulary }),
      ),
      // "Pottery\u200b" is proposed as "Pottery": the rows that hold the character, to correct in the export.
      ...proposal.pastedCharacters.map((l) => `  ${pastedNote({ ...l, exportName: path.basename(proposal.from) })}`),
      proposal.leftOut.length
        ? `  left out of the vocabulary, ${tooFew.few}: ` +
          `${proposal.leftOut.map((l) => labelInList(l.label)).join(', ')}. ${tooFew.why}`
        : '',
      proposal.enoughTogether.length
        ? `  but with their other spellings counted, ${proposal.enoughTogether
            .map(
              (g) => `${labelInList(g.label)} would have ${g.count} (with ${g.spellings.map(labelInList).join(', ')})`,
            )
            .join(', ')}: correct the spellings in the export, then run init again (or --vocabulary to name them now)`
        : '',
      `Vocabulary: ${vocabularyYaml(choices.vocabulary)}`,
      vocabularyCheck.outside.length && !proposal.leftOut.length
        ? `  ${vocabularyCheck.outside.length} labels in use are not in it.`
        : '',
    ]
      .filter(Boolean)
      .join('\n'),
  );
}

/**
 * "150 rows (and 2 empty ones, skipped)": the empty lines a spreadsheet leaves at the end are no objects, and a
 * tester read "152 rows" for an export of 150.
 */
function rowWords(rows: { cells: Record<string, string> }[]): string {
  const empty = rows.filter((r) => Object.values(r.cells).every((v) => !v.trim())).length;
  const filled = plural(rows.length - empty, 'row');
  return empty === 0 ? filled : `${filled} (and ${plural(empty, 'empty one')}, skipped)`;
}

/** Init cannot import an export without knowing which column holds the object id. */
function noIdError(proposal: InitProposal): VitrineError {
  return new VitrineError(
    'INIT_NO_ID',
    `No column of ${path.basename(proposal.from)} looks ` +
      `like the object id (its columns: ${proposal.table.header.join(', ')}). Say which with --column id=<column>.`,
  );
}

/** The questions, each with the proposal as the answer Enter gives. Returns false when the user says stop. */
async function interview({
  ask,
  proposal,
  choices,
  values,
}: {
  ask: Prompter;
  proposal: InitProposal;
  choices: InitChoices;
  values: Record<string, unknown>;
}): Promise<boolean> {
  // Without an id column nothing can be imported: no "Use these columns?" (Enter would take a mapping that cannot
  // work, and the later questions would be asked for nothing); which column holds each field is asked straight away.
  const noId = !choices.columns.id;
  if (noId)
    ask.say(
      `No column of ${path.basename(proposal.from)} looks like the object id, which every object needs. ` +
        'Say which export column holds each field ("-" for none):',
    );
  if (noId || !isYes(await ask.ask('Use these columns? (y/n)', 'y'))) {
    if (!noId) ask.say('For each field, the export column that holds it ("-" for none):');
    for (const field of FIELDS) {
      for (;;) {
        const required = field === 'id';
        const answer = await ask.ask(`  ${field}`, choices.columns[field] || (required ? '' : '-'));
        const column = answer === '-' ? '' : answer;
        if (required && !column) {
          // The input ended (Ctrl-D, a closed pipe): no answer will come, so stop before the other questions.
          if (ask.ended) throw noIdError(proposal);
          ask.say(
            `  Every object needs an id: name the column that holds it. Its columns: ${proposal.table.header.join(', ')}`,
          );
          continue;
        }
        const repeated = proposal.table.repeated?.find((r) => r.name === column);
        if (repeated) {
          ask.say(`  ${repeatedColumnError(repeated).message}`);
          continue;
        }
        if (!column || proposal.table.header.includes(column)) {
          choices.columns[field] = column;
          break;
        }
        ask.say(`  The export has no column "${column}". Its columns: ${proposal.table.header.join(', ')}`);
      }
    }
    const { label, id } = choices.columns;
    if (
      (label !== proposal.guess.columns.label || id !== proposal.guess.columns.id) &&
      typeof values.vocabulary !== 'string'
    ) {
      Object.assign(proposal, proposeVocabulary({ table: proposal.table, labelColumn: label, idColumn: id }));
      choices.vocabulary = proposal.vocabulary;
      ask.say(
        `Labels in "${choices.columns.label}": ${proposal.labels.map((l) => `${labelInList(l.label)} (${l.count})`).join(', ') || 'none'}`,
      );
    }
  }
  if (typeof values.vocabulary !== 'string') {
    for (;;) {
      choices.vocabulary = splitList(await ask.ask('Vocabulary, comma-separated', joinList(choices.vocabulary)));
      const pasted = pastedInVocabulary(choices.vocabulary);
      if (!pasted) break;
      ask.say(`  ${pasted}.`);
      // Asked again, with the labels without what was pasted in as the answer to take.
      choices.vocabulary = choices.vocabulary.map(withoutPasted);
    }
  }
  if (typeof values.name !== 'string') choices.name = await ask.ask('Collection name', choices.name);
  if (typeof values.remote !== 'string') {
    for (;;) {
      choices.remote.url = await ask.ask(
        'Where should the images be stored? A folder, or s3://bucket/path (the default, ' +
          `${DEFAULT_REMOTE}, is on this computer only: GitHub’s runners cannot reach it)`,
        choices.remote.url,
      );
      const problem = remoteProblem(choices.remote.url);
      if (!problem) break;
      ask.say(`  ${problem.charAt(0).toUpperCase()}${problem.slice(1)}`);
      choices.remote.url = DEFAULT_REMOTE;
    }
  }
  if (/^s3:\/\//i.test(choices.remote.url)) {
    if (values['endpoint-url'] === undefined) {
      choices.remote.endpointurl = (await ask.ask('S3 server address (empty for AWS)', '')) || undefined;
    }
    if (values['access-key-id'] === undefined) {
      ask.say(
        'The keys are written to .dvc/config.local, which is never committed. Leave them empty to use the ' +
          'environment (AWS_ACCESS_KEY_ID...).',
      );
      choices.remote.accessKeyId = (await ask.ask('Access key id', '')) || undefined;
      if (choices.remote.accessKeyId)
        choices.remote.secretAccessKey = (await ask.ask('Secret access key', '')) || undefined;
    }
  }
  return isYes(await ask.ask(`Write the repository and import ${proposal.table.rows.length} objects? (y/n)`, 'y'));
}
