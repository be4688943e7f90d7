import type { Command, CommandContext } from '../cli/command.ts';
import { underRunLock } from '../cli/run-lock.ts';
import { terminalSafe } from '../cli/shown.ts';
import { loadParams } from '../params.ts';
import { listWords } from '../words.ts';
import { formatRollback, formatVersionDetail, formatVersionList } from './format.ts';
import type { Retry } from './push.ts';
import { listVersions, showVersion } from './registry.ts';

/**
 * `vitrine models list | show | rollback | push`: the model registry kept in git tags. A rollback's and a push's
 * code (the catalogue's annotations, the remotes) is imported as they run: `models list` need not load it.
 */
export const registryCommands: Command[] = [
  {
    name: 'models list',
    summary: 'List the registered model versions and which one is in production.',
    help:
      'Each merged pull request that passed its checks registers a model version (a git tag such ' +
      'as\ncollection-classifier@v1.2.0). Example: vitrine models list --json',
    async run(ctx) {
      const params = await loadParams({ file: ctx.ws.params });
      const versions = await listVersions({ ws: ctx.ws, params });
      if (ctx.json) ctx.out(`${JSON.stringify({ model: params.registry.model_name, versions }, null, 2)}\n`);
      // What the tags say is anyone's words (a tag pushed by hand, a tagger's name): shown escaped, as names are.
      else ctx.out(terminalSafe(formatVersionList({ name: params.registry.model_name, versions })));
      return 0;
    },
  },
  {
    name: 'models show',
    summary: 'Show one model version: its figures, what it was trained on and its files.',
    args: '<version>',
    help: 'The version is a number such as v1.2.0, or a stage such as prod. Example: vitrine models show prod',
    async run(ctx, { positionals }) {
      const wanted = positionals[0] ?? 'prod';
      const params = await loadParams({ file: ctx.ws.params });
      const record = await showVersion({ ws: ctx.ws, params, version: wanted });
      if (ctx.json) ctx.out(`${JSON.stringify(record, null, 2)}\n`);
      else ctx.out(terminalSafe(formatVersionDetail({ record })));
      return 0;
    },
  },
  {
    name: 'models rollback',
    summary: 'Put an earlier model version back in production and re-annotate the collection with it.',
    args: '<version>',
    options: {
      reason: { type: 'string', description: 'Why, in a few words (kept in the tag message).' },
    },
    help:
      'Adds a new prod tag (collection-classifier#prod#N) pointing at that version, restores its ' +
      'files\nfrom the data remote when this machine lacks them, and rewrites the annotations the ' +
      'catalogue is built from.\nThe public site changes only when the catalogue is built and published ' +
      'again.\nPush the new tags afterwards (vitrine models push --retry rollback:<version>).\n' +
      'Example: vitrine models rollback v1.1.0 --reason "misreads masks"',
    async run(ctx, { values, positionals }) {
      const wanted = positionals[0];
      if (!wanted) {
        ctx.log.error(
          'Say which version to put back, e.g. "vitrine models rollback v1.1.0" (see "vitrine models list").',
        );
        return 2;
      }
      const params = await loadParams({ file: ctx.ws.params });
      const { rollbackAndPublish } = await import('./publish.ts');
      // It rewrites what a run writes (.vitrine/registry, the prod tag): a run going on would build its catalogue
      // from one production model while the tags name another.
      const result = await underRunLock(ctx, () =>
        rollbackAndPublish({
          ws: ctx.ws,
          params,
          version: wanted,
          reason: typeof values.reason === 'string' ? values.reason : '',
          clock: ctx.clock,
          log: ctx.log,
          env: ctx.env,
        }),
      );
      if (ctx.json) ctx.out(`${JSON.stringify(result, null, 2)}\n`);
      else
        ctx.out(
          formatRollback({
            result,
            inWorkflow: ctx.env.GITHUB_ACTIONS === 'true',
            reason: typeof values.reason === 'string' ? values.reason : '',
          }),
        );
      return 0;
    },
  },
  {
    name: 'models push',
    summary: 'Push the model registry’s tags to the git remote, all or none; after another run’s, do the work again.',
    options: {
      remote: { type: 'string', description: 'The git remote to push to.', default: 'origin' },
      retry: {
        type: 'string',
        description:
          'When another run pushed tags first: "promote" promotes again, "rollback:<version>" rolls back again.',
      },
      reason: { type: 'string', description: 'With --retry rollback:<version>: why, as given to the rollback.' },
      files: {
        type: 'boolean',
        description:
          'Instead of the tags: send every registered version’s model files and evidence to the data remote ' +
          'where it lacks them (after the bucket was lost), from the copies on this machine.',
      },
    },
    help:
      'Pushes only the model’s tags (collection-classifier@…, collection-classifier#…) in one atomic push.\n' +
      'When another run (another runner) pushed tags of the model first, this clone’s tags were made without\n' +
      'them: with --retry, they are dropped, the remote’s fetched, the promotion or rollback done again on top\n' +
      '(the next version number) and pushed; without it, nothing is pushed. A remote that cannot be reached or\n' +
      'refuses the push fails at once. Example: vitrine models push --retry rollback:v1.1.0 --reason "misreads masks"\n' +
      'With --files, it sends the registered versions’ files to the data remote instead: data push sends only\n' +
      'data.dvc’s objects. Example: vitrine models push --files',
    async run(ctx, { values }) {
      if (values.files === true) return await pushFilesCommand(ctx);
      const retryWord = typeof values.retry === 'string' ? values.retry : undefined;
      const rollbackTo = /^rollback:(.+)$/.exec(retryWord ?? '')?.[1]?.trim();
      if (retryWord !== undefined && retryWord !== 'promote' && !rollbackTo) {
        ctx.log.error(
          `--retry is "${retryWord}", expected "promote" or "rollback:<version>" (e.g. --retry rollback:v1.1.0).`,
        );
        return 2;
      }
      const reason = typeof values.reason === 'string' ? values.reason : undefined;
      if (reason !== undefined && !rollbackTo) {
        ctx.log.error('--reason goes with --retry rollback:<version>: it is the reason the rollback keeps in its tag.');
        return 2;
      }
      const params = await loadParams({ file: ctx.ws.params });
      const { promotionRetry, pushRegistryTags, rollbackRetry } = await import('./push.ts');
      const stage = { ws: ctx.ws, params, log: ctx.log, clock: ctx.clock, env: ctx.env };
      const push = (retry?: Retry) =>
        pushRegistryTags({
          dir: ctx.ws.root,
          name: params.registry.model_name,
          remote: typeof values.remote === 'string' ? values.remote : 'origin',
          env: ctx.env,
          log: ctx.log,
          retry,
        });
      // Doing the work again rewrites what a run writes (.vitrine/registry, the tags): one at a time, as a rollback.
      const result =
        retryWord === undefined
          ? await push()
          : await underRunLock(ctx, () =>
              push(
                rollbackTo
                  ? rollbackRetry({ ctx: stage, version: rollbackTo, reason: reason ?? '' })
                  : promotionRetry({ ctx: stage }),
              ),
            );
      if (ctx.json) ctx.out(`${JSON.stringify(result, null, 2)}\n`);
      return 0;
    },
  },
];

/** `vitrine models push --files`: the registered versions' files sent again to the data remote that lost them. */
async function pushFilesCommand(ctx: CommandContext): Promise<number> {
  const params = await loadParams({ file: ctx.ws.params });
  const name = params.registry.model_name;
  const [{ openModelRemote }, { lostFileName, sendRegisteredFiles }] = await Promise.all([
    import('./remote.ts'),
    import('./resend.ts'),
  ]);
  const remote = await openModelRemote({ ws: ctx.ws, log: ctx.log });
  const result = await sendRegisteredFiles({ ws: ctx.ws, name, remote, log: ctx.log });
  if (ctx.json) ctx.out(`${JSON.stringify(result, null, 2)}\n`);
  else ctx.log.info(`Registered model files on ${remote.url}: ${result.sent} sent, ${result.present} already there.`);
  if (result.lost.length === 0) return 0;
  const versions = [...new Set(result.lost.map((l) => l.version))];
  ctx.log.error(
    `${result.lost.length} file${result.lost.length === 1 ? '' : 's'} of ${listWords(versions)} ` +
      `${result.lost.length === 1 ? 'is' : 'are'} neither on the data remote nor on this machine ` +
      `(${result.lost.map(lostFileName).join(', ')}). Run "npx vitrine models push --files" ` +
      'on the machine that promoted those versions (its .vitrine folder holds them); without them, their model ' +
      'cards cannot be rebuilt elsewhere and production cannot be rolled back to them.',
  );
  return 1;
}
