import type { Command } from '../cli/command.ts';
import { underRunLock } from '../cli/run-lock.ts';
import { loadParams } from '../params.ts';
import { formatRollback, formatVersionDetail, formatVersionList } from './format.ts';
import { rollbackAndPublish } from './publish.ts';
import { listVersions, showVersion } from './registry.ts';

/** `vitrine models list | show | rollback`: the model registry kept in git tags. */
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
      else ctx.out(formatVersionList({ name: params.registry.model_name, versions }));
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
      else ctx.out(formatVersionDetail({ record }));
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
      'again.\nPush the new tag afterwards (git push --tags). Example: vitrine models rollback ' +
      'v1.1.0 --reason "misreads masks"',
    async run(ctx, { values, positionals }) {
      const wanted = positionals[0];
      if (!wanted) {
        ctx.log.error(
          'Say which version to put back, e.g. "vitrine models rollback v1.1.0" (see "vitrine models list").',
        );
        return 2;
      }
      const params = await loadParams({ file: ctx.ws.params });
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
      else ctx.out(formatRollback({ result, inWorkflow: ctx.env.GITHUB_ACTIONS === 'true' }));
      return 0;
    },
  },
];
