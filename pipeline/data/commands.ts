import path from 'node:path';
import type { Command, CommandContext } from '../cli/command.ts';
import { sayWhenStopped, underRunLock } from '../cli/run-lock.ts';
import { shownName } from '../cli/shown.ts';
import { isVitrineError, VitrineError } from '../errors.ts';
import { shellWord } from '../init/invocation.ts';
import type { RegisteredFilesCheck } from '../registry/resend.ts';
import { formatBytes, listWords, plural } from '../words.ts';
import { copyDvcRemote, emptyParentWords, initData, isUrl, readDvcConfig, setDvcConfig } from './config.ts';
import { notAMergeAdvice, operationWords } from './merge-state.ts';
import { addData, checkoutData, type DataStatus, dataStatus, pullData, pushData } from './ops.ts';
import { NO_RECORD_ADVICE, noRecordWords } from './pushed.ts';
import { openRemote } from './remote.ts';
import { systemFilesAdvice } from './system-files.ts';

/*
 * `vitrine data …`: the same verbs as DVC, on the same files, for people who do not have DVC. The code only some of
 * them run (verify, restore, merge, gc) is imported as they run: `data status` need not load it.
 */

/**
 * `data verify --remote`: every registered model version's files and evidence on the default remote, read and hashed;
 * each problem left said as an error, with what to run. Loaded only here: the registry's modules cost a "data" command.
 */
async function verifyRegisteredFiles(
  ctx: CommandContext,
  repair: boolean,
  jobs: number | undefined,
): Promise<RegisteredFilesCheck & { problems: string[] }> {
  const [{ checkRegisteredFiles, registeredFilesProblems }, { loadParams }] = await Promise.all([
    import('../registry/resend.ts'),
    import('../params.ts'),
  ]);
  // The model's name is in params.yaml: one that cannot be read is said, not replaced by the usual name (a repository
  // with its own registry.model_name would find no versions and say all is well).
  let params: Awaited<ReturnType<typeof loadParams>>;
  try {
    params = await loadParams({ file: ctx.ws.params });
  } catch (error) {
    const problem =
      `The registered model versions’ files on the remote were not checked: ${(error as Error).message} ` +
      'Fix params.yaml (registry.model_name names the model), then run "npx vitrine data verify --remote" again.';
    ctx.log.error(problem);
    return { checked: 0, missing: [], damaged: [], repaired: 0, problems: [problem] };
  }
  const remote = await openRemote({ root: ctx.ws.root, log: ctx.log });
  const check = await checkRegisteredFiles({
    ws: ctx.ws,
    name: params.registry.model_name,
    remote,
    repair,
    ...(jobs ? { jobs } : {}),
    log: ctx.log,
  });
  const problems = registeredFilesProblems({ check, remote: remote.name });
  for (const problem of problems) ctx.log.error(problem);
  if (check.checked === 0)
    ctx.log.info(
      `No registered model versions of "${params.registry.model_name}" (registry.model_name in params.yaml) to check ` +
        `on the remote "${remote.name}".`,
    );
  if (problems.length === 0 && check.checked > 0)
    ctx.log.info(
      `Registered model files on the remote "${remote.name}": ${check.checked} read and checked, ` +
        `${check.repaired === 0 ? 'none damaged' : `${check.repaired} damaged replaced from this machine’s copies`}.`,
    );
  return { ...check, problems };
}

/**
 * `data push --all`: every registered model version's files and evidence sent to the remote where it lacks them, from
 * this machine's copies or from `from` (the old remote); 1 when some are found nowhere (each named), else 0.
 */
async function pushRegisteredFiles(
  ctx: CommandContext,
  { remote: remoteName, from, jobs }: { remote?: string; from?: string; jobs?: number },
): Promise<number> {
  const [{ lostFileName, sendRegisteredFiles }, { loadParams }, { openRemoteAt }] = await Promise.all([
    import('../registry/resend.ts'),
    import('../params.ts'),
    import('./remote.ts'),
  ]);
  const name = (await loadParams({ file: ctx.ws.params })).registry.model_name;
  const remote = await openRemote({ root: ctx.ws.root, ...(remoteName ? { name: remoteName } : {}), log: ctx.log });
  const source = from
    ? await openRemoteAt({ root: ctx.ws.root, from, pushingTo: remote.name, log: ctx.log })
    : undefined;
  const result = await sendRegisteredFiles({
    ws: ctx.ws,
    name,
    remote,
    ...(source ? { from: source } : {}),
    ...(jobs ? { jobs } : {}),
    log: ctx.log,
  });
  ctx.log.info(
    `Registered model files on the remote "${remote.name}": ${result.sent} sent, ${result.present} already there.`,
  );
  if (result.lost.length === 0) return 0;
  const versions = [...new Set(result.lost.map((l) => l.version))];
  ctx.log.error(
    `${plural(result.lost.length, 'file')} of the model versions ${listWords(versions)} ` +
      `${result.lost.length === 1 ? 'is' : 'are'} neither on the remote "${remote.name}" nor on this machine` +
      `${source ? ` nor on "${source.name}"` : ''} (${result.lost.slice(0, 10).map(lostFileName).join(', ')}` +
      `${result.lost.length > 10 ? ` and ${result.lost.length - 10} more` : ''}). ` +
      (source
        ? 'Give --from the place that holds them, or copy it to the new remote whole (rclone copy, aws s3 sync).'
        : 'To fetch them from the old remote, run "npx vitrine data push --all --from <the old folder or bucket>", ' +
          'or copy the old folder or bucket to the new one whole (rclone copy, aws s3 sync).') +
      ' Without them, their model cards cannot be rebuilt elsewhere and production cannot be rolled back to them.',
  );
  return 1;
}

const remoteOption = {
  type: 'string',
  short: 'r',
  description: 'Remote name from .dvc/config (default: the one set with "data init" or "dvc remote default").',
} as const;
const jobsOption = { type: 'string', short: 'j', description: 'Transfers at once (default 8).' } as const;

function jobsOf(values: Record<string, unknown>): number | undefined {
  if (values.jobs === undefined) return undefined;
  const n = Number(values.jobs);
  if (!Number.isInteger(n) || n < 1 || n > 256) {
    throw new VitrineError(
      'CLI_USAGE',
      `--jobs "${String(values.jobs)}" is not allowed: give a whole number from 1 to 256.`,
      { option: 'jobs', value: values.jobs },
    );
  }
  return n;
}

/** `data push` and `data pull`: the same options, only the direction differs. */
function transferCommand({
  verb,
  summary,
  transfer,
}: {
  verb: 'push' | 'pull';
  summary: string;
  transfer: (options: Parameters<typeof pushData>[0]) => ReturnType<typeof pushData>;
}): Command {
  return {
    name: `data ${verb}`,
    summary,
    options: {
      remote: remoteOption,
      jobs: jobsOption,
      ...(verb === 'push'
        ? {
            verify: {
              type: 'boolean',
              description:
                'Also read and hash every object already on the remote (downloads them all) and replace damaged ' +
                'ones with good copies from the local cache.',
            } as const,
            all: {
              type: 'boolean',
              description:
                'Send everything the repository needs, not only the current data/: every version of data/ that a ' +
                'branch, tag or stash records, and every registered model version’s files (after moving the remote).',
            } as const,
            from: {
              type: 'string',
              description:
                'Fetch what this computer lacks from there on the way: the old remote (a folder, s3://bucket/folder ' +
                'or a remote’s name in .dvc/config).',
            } as const,
            'new-remote': {
              type: 'boolean',
              description:
                'The remote’s folder was emptied, replaced or moved on purpose: forget what this computer sent there ' +
                'before (that remote only) and send what it lacks. Check first that a network share is mounted.',
            } as const,
          }
        : {}),
    },
    async run(ctx, { values }) {
      const all = verb === 'push' && values.all === true;
      const from = verb === 'push' && typeof values.from === 'string' ? values.from : undefined;
      const options = {
        root: ctx.ws.root,
        log: ctx.log,
        remote: values.remote as string | undefined,
        jobs: jobsOf(values),
        ...(verb === 'push' && values.verify === true ? { verify: true } : {}),
        ...(all ? { all } : {}),
        ...(from ? { from } : {}),
        ...(verb === 'push' && values['new-remote'] === true ? { newRemote: true } : {}),
        where: {},
      };
      // Stopped by Ctrl-C, it says how far it got and that what was moved is kept.
      const quiet = sayWhenStopped({ log: ctx.log, where: options.where });
      // A pull writes data/: not while a run reads it (it waits, as a second run does). A push only reads it.
      const moving = verb === 'pull' ? underRunLock(ctx, () => transfer(options)) : transfer(options);
      const result = await moving.finally(quiet);
      // With --all, the registered models' files next: after data/'s went well only, so a failure is the last word
      // said (a summary after it read as done, reviewer V17); the run again sends what is still missing.
      const models = all ? await pushRegisteredFiles(ctx, { remote: options.remote, from, jobs: options.jobs }) : 0;
      if (ctx.json) ctx.out(`${JSON.stringify(result)}\n`);
      return models;
    },
  };
}

/**
 * The checkout that puts data/ back as data.dvc records it, as typed: a plain checkout keeps added files and
 * refuses to overwrite a change whose content is in no cache, so then it is --force, saying what that discards.
 */
function checkoutAdvice(status: DataStatus): string {
  const added = status.changes.added.length;
  const unsaved = status.unsaved?.length ?? 0;
  if (added === 0 && unsaved === 0) return '"npx vitrine data checkout" to go back';
  // --force overwrites every changed file, not only those it is needed for: counted as the list above counts them
  // (tester T9: "2 changed", then "overwrites the 1 changed file"), with the changes that are not lost named.
  const modified = status.changes.modified;
  const what = [
    ...(added > 0 ? [`deletes the ${plural(added, 'added file')}`] : []),
    ...(modified.length > 0
      ? [`overwrites the ${plural(modified.length, 'changed file')} with the recorded version`]
      : []),
  ].join(' and ');
  const lost = new Set(status.unsaved);
  const kept = modified.filter((f) => !lost.has(f));
  const named = [...kept.slice(0, 3).map((f) => shownName(`data/${f}`)), ...(kept.length > 3 ? ['…'] : [])];
  const which = kept.length === 1 ? named[0] : `${kept.length} of the changed files (${named.join(', ')})`;
  const except = kept.length > 0 ? `, except ${which}, whose new content the data cache already holds` : '';
  return `"npx vitrine data checkout --force" to go back (--force ${what}: those changes are lost${except})`;
}

/** Plain-words lines for a status report (for the terminal: file names shown with control characters escaped). */
export function describeStatus(status: DataStatus): string[] {
  const lines: string[] = [];
  if (!status.recorded) {
    lines.push(
      status.workspace
        ? `data/ is not versioned yet (${plural(status.workspace.nfiles, 'file')}). Run "npx vitrine data add".`
        : 'There is no data/ folder and no data.dvc.',
    );
    return lines;
  }
  // data.dvc is one branch's record only: compared with it, data/ would be advised to be recorded or checked out,
  // which add and checkout refuse. Said alone, with the way to finish.
  if (status.mergeUnfinished) {
    const { operation, file } = status.mergeUnfinished;
    const onlyOne = 'only, so data/ is not compared with it';
    lines.push(
      operation === 'merge'
        ? `A git merge is under way, and both branches changed ${file} (each recorded data/ its own way), but ` +
            `${file} does not hold their merge yet: what it records now (a conflict resolved by hand, or one side ` +
            `kept) has one branch’s photographs ${onlyOne}. Run "npx vitrine data merge": it reads both branches’ ` +
            `records from git, keeps what either added, removed or changed, fills data/ and writes ${file}; then ` +
            `commit it (git add ${file}, then git commit). To give up the merge instead, run "git merge --abort".`
        : `Git is in the middle of ${operationWords(operation)}, and both sides changed ${file} (each recorded ` +
            `data/ its own way): what it records now has one side’s photographs ${onlyOne}. ` +
            notAMergeAdvice(operation),
    );
    return lines;
  }
  // The recorded folder list is there but damaged: pull replaces it from the remote; a data/ that matches rebuilds it.
  const damagedList = status.cache.listDamaged
    ? `The cache copy of data.dvc's folder list (${status.recorded.md5}) is damaged: run ` +
      (status.clean
        ? '"npx vitrine data verify --repair" to rebuild it from data/.'
        : '"npx vitrine data pull" to fetch a good copy from the remote.')
    : undefined;
  if (status.workspace && !status.clean && !status.cache.hasManifest) {
    // Without the recorded folder list nothing can be compared file by file: say so rather than "0 changed".
    lines.push(
      damagedList
        ? `${damagedList} Then run "npx vitrine data status" again to see what differs.`
        : `data.dvc records a version of data/ (${status.recorded.md5}) that is not in the cache: ` +
            'run "npx vitrine data pull" to fetch it, ' +
            'then "npx vitrine data status" again to see what differs.',
    );
    return lines;
  }
  if (!status.workspace)
    lines.push(
      `data/ is missing: run "npx vitrine data pull" to fetch the ${status.recorded.nfiles ?? ''} recorded files.`.replace(
        '  ',
        ' ',
      ),
    );
  else if (status.clean)
    lines.push(
      `data/ matches data.dvc (${plural(status.workspace.nfiles, 'file')}, ${formatBytes(status.workspace.size)}).`,
    );
  else {
    const { added, removed, modified } = status.changes;
    const notFetched = status.changes.notFetched ?? [];
    if (notFetched.length > 0) {
      lines.push(
        `${notFetched.length} ${status.recorded.nfiles ? `of the ${status.recorded.nfiles} ` : ''}files data.dvc records were ` +
          'never fetched to this machine (not in data/ nor in the local cache; an interrupted "npx vitrine data pull"?): ' +
          'run "npx vitrine data pull" to fetch them. Do not run "npx vitrine data add" before: it would drop them.',
      );
      for (const file of notFetched.slice(0, 5)) lines.push(`  not fetched: ${shownName(`data/${file}`)}`);
      if (notFetched.length > 5) lines.push(`  … and ${notFetched.length - 5} more not fetched`);
    }
    // Files a pull had fetched and not yet put in data/ look deleted by hand: "data add" would drop them.
    const unfinished = status.checkoutUnfinished === true && removed.length > 0;
    if (unfinished)
      lines.push(
        'A data pull or checkout did not finish here, so files data.dvc records may be missing from data/ (among the ' +
          'removed below). Run "npx vitrine data pull" to finish it; "npx vitrine data add" also puts them back from ' +
          'the local cache before it records data/.',
      );
    if (notFetched.length === 0 || added.length + removed.length + modified.length > 0)
      lines.push(
        `data/ differs from data.dvc: ${added.length} added, ${removed.length} removed, ${modified.length} ` +
          `changed.${unfinished ? '' : ` Run "npx vitrine data add" to record it, or ${checkoutAdvice(status)}.`}`,
      );
    for (const [label, list] of [
      ['added', added],
      ['removed', removed],
      ['changed', modified],
    ] as const) {
      for (const file of list.slice(0, 10)) lines.push(`  ${label}: ${shownName(`data/${file}`)}`);
      if (list.length > 10) lines.push(`  … and ${list.length - 10} more ${label}`);
    }
    // A .DS_Store or Thumbs.db the computer's system left: say what it is and how to leave such files out.
    const system = systemFilesAdvice({ files: added });
    if (system) lines.push(system);
  }
  if (damagedList) lines.push(damagedList);
  else if (!status.cache.hasManifest) {
    lines.push(
      'This version is not in the cache: run "npx vitrine data pull"' +
        `${status.clean ? ' (or "npx vitrine data add", since data/ has it)' : ''}.`,
    );
  } else if (status.cache.missing > (status.changes.notFetched?.length ?? 0))
    lines.push(
      `${status.cache.missing} recorded file(s) are not in the local cache (e.g. ` +
        `${shownName(`data/${status.cache.missingFiles[0]}`)}): run "npx vitrine data pull".`,
    );
  // The remote's folder lacks the mark this computer's record expects (a share not mounted): said as a push says it.
  if (!status.remote && status.sent?.notTheRemote) lines.push(status.sent.notTheRemote);
  // Known from this machine's own note (no network): data.dvc's images may never have left this computer.
  else if (
    !status.remote &&
    status.sent &&
    !status.sent.known &&
    status.cache.hasManifest &&
    status.cache.missing === 0
  )
    lines.push(`${noRecordWords({ remote: status.sent.remote, url: status.sent.url })}. ${NO_RECORD_ADVICE}`);
  if (status.remote) {
    lines.push(
      status.remote.missing === 0
        ? `The remote "${status.remote.name}" has everything.`
        : `${plural(status.remote.missing, 'object')} ${status.remote.missing === 1 ? 'is' : 'are'} not on the ` +
            `remote "${status.remote.name}" yet ` +
            `(e.g. ${shownName(status.remote.missingFiles[0] ?? '')}): run "npx vitrine data push".`,
    );
  }
  return lines;
}

/**
 * What "data init" changed when the repository had a default remote: the images sent so far are there, and push and
 * pull now use the new one. Said, with the command that makes the old one the default again.
 */
function replacedDefault({
  replaced,
  name,
  url,
  empty,
  kept,
}: {
  replaced: { name: string; url?: string };
  name: string;
  url: string;
  /** The replaced remote held nothing: plain "data push" is all there is to do. */
  empty: boolean;
  /** The old server's settings, kept under this name (keptServer): what --from must name. */
  kept?: { name: string; endpoint?: string };
}): string {
  const where = replaced.url ? ` (${replaced.url})` : '';
  const back = replaced.url
    ? ` To make "${replaced.name}" the default again, run "npx vitrine data init ${shellWord(replaced.url)}` +
      ` --name ${replaced.name}".`
    : '';
  const server = kept ? ` on ${kept.endpoint ? `the S3 server ${kept.endpoint}` : 'Amazon S3'}` : '';
  const changed =
    replaced.name === name
      ? `The remote "${name}" was ${replaced.url ?? 'elsewhere'}${server} until now, where the images sent so far are; ` +
        `it is now ${url}.${kept ? ` The old settings (that server and its keys) are kept as the remote "${kept.name}".` : ''}`
      : `The default remote was "${replaced.name}"${where}, where the images sent so far are; it is now "${name}" ` +
        `(${url}), which "npx vitrine data push" and "npx vitrine data pull" use from now on.`;
  const from = kept ? kept.name : replaced.name === name ? (replaced.url ?? replaced.name) : replaced.name;
  const carry = empty
    ? `To send the images to ${url} too, run "npx vitrine data push".`
    : `"npx vitrine data push" would send only the current images to ${url}. To carry everything the repository ` +
      'needs (every older version of the images that a branch or tag records, and every registered model’s files: ' +
      'rollbacks and fresh clones need them), run "npx vitrine data push --all --from ' +
      `${shellWord(from)}", or copy the old ${replaced.url?.startsWith('s3://') ? 'bucket' : 'folder'} there whole ` +
      `(rclone copy, or aws s3 sync for a bucket). Keep the old one${kept ? ` and the remote "${kept.name}"` : ''} ` +
      'until that is done.';
  return `${changed} ${carry}${replaced.name === name ? '' : back}`;
}

/**
 * Before "data init" points remote `name` at another S3 server (another endpoint, or other keys): its old settings,
 * kept under a new name ("<name>-old") once init has run, so "data push --all --from" can still reach the old server.
 * Otherwise the old endpoint is overwritten, and an s3:// address given to --from goes to the new server (V17).
 */
async function keptServer({
  root,
  name,
  endpoint,
  key,
}: {
  root: string;
  name: string;
  endpoint?: string;
  key?: string;
}): Promise<{ keep: () => Promise<{ name: string; endpoint?: string }> } | undefined> {
  const config = await readDvcConfig({ root });
  const prior = config.remotes[name];
  if (!prior || !isUrl(prior.url)) return undefined;
  const differs = (given: string | undefined, had: string | undefined) => given !== undefined && given !== (had ?? '');
  if (!differs(endpoint, prior.options.endpointurl) && !differs(key, prior.options.access_key_id)) return undefined;
  let kept = `${name}-old`;
  for (let n = 2; config.remotes[kept]; n++) kept = `${name}-old-${n}`;
  return {
    keep: async () => {
      await copyDvcRemote({ root, from: name, to: kept });
      // "data init" wrote the new address over the old one: the old one back on the kept remote.
      await setDvcConfig({ root, values: [{ section: `remote "${kept}"`, key: 'url', value: prior.url }] });
      return { name: kept, ...(prior.options.endpointurl ? { endpoint: prior.options.endpointurl } : {}) };
    },
  };
}

/** Whether the remote "data init" replaced held nothing (a folder without objects); false when not known. */
async function heldNothing({ root, replaced }: { root: string; replaced: { name: string; url?: string } }) {
  if (!replaced.url || /^[a-z][a-z0-9+.-]*:\/\//i.test(replaced.url)) return false;
  const { localRemote } = await import('./remote.ts');
  const dir = path.resolve(root, replaced.url);
  return (
    (await localRemote({ name: replaced.name, dir })
      .holdsNothing?.()
      .catch(() => false)) ?? false
  );
}

export const dataCommands: Command[] = [
  {
    name: 'data init',
    summary: 'Set up DVC-compatible data versioning with a storage remote.',
    args: '<remote-url>',
    help:
      'Writes .dvc/config like "dvc init" + "dvc remote add -d". The remote is a folder (e.g. ' +
      '../museum-storage or a mounted drive) or s3://bucket/folder.\nExample: vitrine data init ../museum-storage',
    options: {
      name: { type: 'string', description: 'Name of the remote (default "local").' },
      // As "npx vitrine init" has them.
      'endpoint-url': { type: 'string', description: 'S3-compatible server address (not needed for AWS).' },
      'access-key-id': { type: 'string', description: 'S3 access key id (written to .dvc/config.local only).' },
      'secret-access-key': { type: 'string', description: 'S3 secret key (written to .dvc/config.local only).' },
    },
    async run(ctx, { values, positionals }) {
      const url = positionals[0];
      if (!url) {
        ctx.log.error(
          'Give the storage location, e.g. "npx vitrine data init ../museum-storage" or "npx vitrine data init s3://bucket/folder".',
        );
        return 2;
      }
      const name = (values.name as string | undefined) ?? 'local';
      const endpoint = values['endpoint-url'] as string | undefined;
      const moving = await keptServer({
        root: ctx.ws.root,
        name,
        ...(endpoint ? { endpoint } : {}),
        ...(typeof values['access-key-id'] === 'string' ? { key: values['access-key-id'] } : {}),
      });
      const init = await initData({
        root: ctx.ws.root,
        remoteName: name,
        remoteUrl: url,
      });
      const { createdFolder, emptyParent } = init;
      // Before the endpoint and keys are written over: the old server's settings under a name of their own.
      const kept = await moving?.keep();
      // The same address on another server is a move too, which initData cannot see.
      const replaced = init.replaced ?? (kept ? { name, url } : undefined);
      // Said, so a share that was not mounted (the folder made on this disk instead) is noticed now.
      if (createdFolder) ctx.log.info(`Made the folder ${createdFolder} to hold the images.`);
      if (emptyParent) ctx.log.warn(emptyParentWords({ folder: createdFolder!, parent: emptyParent }));
      const section = `remote "${name}"`;
      if (endpoint)
        await setDvcConfig({ root: ctx.ws.root, values: [{ section, key: 'endpointurl', value: endpoint }] });
      const keys = [
        ['access_key_id', values['access-key-id']],
        ['secret_access_key', values['secret-access-key']],
      ].filter((k): k is [string, string] => typeof k[1] === 'string' && k[1] !== '');
      // Keys only in config.local, which .dvc/.gitignore keeps out of git.
      if (keys.length > 0)
        await setDvcConfig({
          root: ctx.ws.root,
          local: true,
          values: keys.map(([key, value]) => ({ section, key, value })),
        });
      ctx.log.info(`Data storage set to ${url}. Commit .dvc/config, .dvc/.gitignore and .dvcignore.`);
      if (replaced)
        ctx.log.warn(
          replacedDefault({
            replaced,
            name,
            url,
            empty: await heldNothing({ root: ctx.ws.root, replaced }),
            ...(kept ? { kept } : {}),
          }),
        );
      if (/^s3:\/\//i.test(url) && !endpoint)
        ctx.log.info(
          'For an S3 server other than Amazon (MinIO, R2, …), run this again with --endpoint-url <address>. Keys go to ' +
            '.dvc/config.local, never committed: --access-key-id and --secret-access-key, or the environment (AWS_ACCESS_KEY_ID…).',
        );
    },
  },
  {
    name: 'data add',
    summary: 'Record the current data/ folder in data.dvc and the local cache.',
    help:
      'Like "dvc add data": hashes the images, stores new ones in .dvc/cache and rewrites data.dvc. Then ' +
      'commit data.dvc and run "npx vitrine data push". It refuses to drop files data.dvc records that were never ' +
      'fetched to this machine (run "npx vitrine data pull" first) unless given --remove-missing.',
    options: {
      'remove-missing': {
        type: 'boolean',
        description: 'Drop from data.dvc the recorded files that are neither in data/ nor in the local cache.',
      },
    },
    async run(ctx, { values }) {
      // It rewrites data.dvc from data/: not while a run reads them (it waits, as a second run does).
      const result = await underRunLock(ctx, () =>
        addData({ root: ctx.ws.root, log: ctx.log, removeMissing: values['remove-missing'] === true }),
      );
      if (ctx.json) ctx.out(`${JSON.stringify(result)}\n`);
    },
  },
  {
    name: 'data status',
    summary: 'Compare data/ with data.dvc, the local cache and (with --remote) the storage remote.',
    options: {
      remote: {
        type: 'boolean',
        description:
          'Also ask the remote which objects it lacks (contacts it; the bytes are not read: "data verify --remote" does).',
      },
    },
    async run(ctx, { values }) {
      const status = await dataStatus({ root: ctx.ws.root, log: ctx.log, remote: values.remote === true });
      if (ctx.json) ctx.out(`${JSON.stringify(status, null, 2)}\n`);
      // Its advice typed as every message types it: with the -C given ("npx vitrine -C ../museum data add").
      else
        ctx.out(
          `${describeStatus(status)
            .map((line) => ctx.asTyped?.(line) ?? line)
            .join('\n')}\n`,
        );
      return 0;
    },
  },
  transferCommand({
    verb: 'push',
    summary: 'Upload the recorded images the storage remote does not have yet.',
    transfer: pushData,
  }),
  transferCommand({
    verb: 'pull',
    summary: 'Download the recorded images missing from this machine and put them in data/.',
    transfer: pullData,
  }),
  {
    name: 'data verify',
    summary:
      'Check every object in the local cache (and with --remote, on the storage remote) and repair damaged ones.',
    help:
      'Like an fsck: reads and hashes each stored object. With --repair, a damaged cache copy is restored from ' +
      'the good file in data/ or from the remote ' +
      '(the configured one, even without --remote; a damaged folder list is rebuilt from data/ when it matches data.dvc), ' +
      'and a damaged copy on the remote is replaced by the cache copy once that hashes right. Exits with an error while ' +
      'damage remains.',
    options: {
      remote: {
        type: 'boolean',
        description:
          'Also read and hash every object data.dvc needs on the storage remote (downloads them all), and the ' +
          'registered model versions’ files.',
      },
      repair: { type: 'boolean', description: 'Restore damaged objects from data/, the remote or the cache.' },
      jobs: jobsOption,
    },
    async run(ctx, { values }) {
      // Stopped by Ctrl-C, it says how far it got and that nothing is lost.
      const where = {};
      const quiet = sayWhenStopped({ log: ctx.log, where });
      let failed: unknown;
      const { verifyData } = await import('./verify.ts');
      const result = await verifyData({
        root: ctx.ws.root,
        log: ctx.log,
        remote: values.remote === true,
        repair: values.repair === true,
        jobs: jobsOf(values),
        where,
      })
        .catch((error: unknown) => {
          // The registered model files are checked all the same; data.dvc's damage is said after them.
          if (values.remote !== true || !isVitrineError(error, 'DATA_CORRUPT')) throw error;
          failed = error;
          return null;
        })
        .finally(quiet);
      // The registered model versions' files and evidence live on the same remote, which "models push --files" fills.
      const registered =
        values.remote === true ? await verifyRegisteredFiles(ctx, values.repair === true, jobsOf(values)) : null;
      if (failed) throw failed;
      if (ctx.json) ctx.out(`${JSON.stringify({ ...result, ...(registered ? { registered } : {}) })}\n`);
      const problems = registered ? registered.problems.length : 0;
      return problems > 0 ? 1 : undefined;
    },
  },
  {
    name: 'data checkout',
    summary: 'Make data/ match data.dvc again, from the local cache.',
    options: { force: { type: 'boolean', description: 'Also remove files that data.dvc does not list.' } },
    async run(ctx, { values }) {
      // It writes data/: not while a run reads it (it waits, as a second run does).
      const result = await underRunLock(ctx, () =>
        checkoutData({ root: ctx.ws.root, log: ctx.log, force: values.force === true }),
      );
      if (ctx.json) ctx.out(`${JSON.stringify(result)}\n`);
    },
  },
  {
    name: 'data restore',
    summary: 'Put one file of data/ back from the local cache, by its MD5 (as import’s advice gives it).',
    args: '<file>',
    help:
      'The data cache keeps every version of a file that "data add" or import stored, under its MD5. This copies ' +
      'the one given with --from over the file (checked against the MD5 first); then run "npx vitrine data add" ' +
      'to record it. Import names the command for a photograph changed by hand that it replaced.\n' +
      'Example: vitrine data restore --from 2b3232cd593cd955a5043952da6404c0 data/images/A1.jpg',
    options: {
      from: { type: 'string', description: 'The MD5 of the version to put back (32 characters, 0-9 and a-f).' },
    },
    async run(ctx, { values, positionals }) {
      const md5 = values.from as string | undefined;
      if (!md5) {
        ctx.log.error(
          'Give the MD5 of the version to put back with --from, e.g. "npx vitrine data restore --from ' +
            '2b3232cd593cd955a5043952da6404c0 data/images/A1.jpg".',
        );
        return 2;
      }
      const { restoreFromCache } = await import('./restore.ts');
      // It writes data/: not while a run reads it (it waits, as a second run does).
      const result = await underRunLock(ctx, () =>
        restoreFromCache({
          root: ctx.ws.root,
          data: ctx.ws.data,
          cwd: ctx.cwd,
          md5,
          file: positionals[0]!,
          log: ctx.log,
        }),
      );
      if (ctx.json) ctx.out(`${JSON.stringify(result)}\n`);
    },
  },
  {
    name: 'data merge',
    summary: 'Finish a git merge that stopped on a conflict in data.dvc: keep both branches’ photographs.',
    help:
      'When two branches each recorded data/ (two people adding photographs at once), merging one into the other ' +
      'stops on a conflict in data.dvc. This compares both branches’ records, file by file, with the commit they ' +
      'started from, as DVC’s merge driver does: what either branch added, removed or changed is kept, data/ is ' +
      'filled (fetching the other branch’s photographs from the remote when needed) and data.dvc is written. Then ' +
      'commit it. A file both branches changed, each in its own way, stops it, naming the file, until --keep says ' +
      'which version to keep. Run again before the merge is committed, it says what is left to do. A rebase ' +
      '(git pull --rebase) is not a merge: give it up (git rebase --abort) and pull with --no-rebase first.',
    options: {
      keep: {
        type: 'string',
        description: 'For files both branches changed differently: "ours" (this branch’s) or "theirs" (the other’s).',
      },
    },
    async run(ctx, { values }) {
      const keep = values.keep as string | undefined;
      if (keep !== undefined && keep !== 'ours' && keep !== 'theirs')
        throw new VitrineError('CLI_USAGE', `--keep "${keep}" is not allowed: give ours or theirs.`, {
          option: 'keep',
          value: keep,
        });
      const { mergeData } = await import('./merge.ts');
      // It writes data/: not while a run reads it (it waits, as a second run does).
      const result = await underRunLock(ctx, () => mergeData({ root: ctx.ws.root, log: ctx.log, keep }));
      if (ctx.json) ctx.out(`${JSON.stringify(result)}\n`);
    },
  },
  {
    name: 'data gc',
    summary: 'Remove from the local cache the images and folder lists no version on this computer uses.',
    help:
      'Like "dvc gc --workspace --all-branches --not-in-remote": earlier versions of data/ (images since removed from the ' +
      'collection included) stay in .dvc/cache until this removes them. Keeps everything data.dvc (and any other .dvc ' +
      'file) needs now, on every local branch and in every stash, so checkout and status work as before, offline; of ' +
      'the rest it removes only what the storage remote holds a copy of, keeping and naming what it does not ' +
      '(removing nothing when the remote cannot be asked). Refuses, removing nothing, when the current folder list ' +
      'is not in the cache.',
    options: {
      'dry-run': { type: 'boolean', description: 'Say what would be removed and freed, removing nothing.' },
      'remove-unpushed': {
        type: 'boolean',
        description:
          'Also remove what the storage remote does not hold, without asking it: those objects are gone for good.',
      },
    },
    async run(ctx, { values }) {
      // Not while a merge of data.dvc is under way (gcData refuses): "data merge" reads from the cache what gc removes.
      const { gcData } = await import('./gc.ts');
      const result = await gcData({
        root: ctx.ws.root,
        log: ctx.log,
        dryRun: values['dry-run'] === true,
        removeUnpushed: values['remove-unpushed'] === true,
        openRemote,
      });
      if (ctx.json) ctx.out(`${JSON.stringify(result)}\n`);
    },
  },
];
