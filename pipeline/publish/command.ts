import type { Command } from '../cli/command.ts';
import { sayWhenStopped, underRunLock } from '../cli/run-lock.ts';
import { loadParams } from '../params.ts';
import { checkPublishTarget, publishSite } from './s3.ts';
import { publishSettings } from './settings.ts';

/*
 * `vitrine publish`: send the built catalogue (.vitrine/site/) to the bucket named in params.yaml.
 */

export const publishCommands: Command[] = [
  {
    name: 'publish',
    summary: 'Upload the built catalogue to an S3-compatible bucket (catalogue.publish: s3).',
    help:
      'Sends .vitrine/site/ to catalogue.s3.bucket under catalogue.s3.prefix: only files whose content changed, ' +
      'new files before the pages that use them, and files the new build no longer has are deleted last. ' +
      'A site built for another catalogue.base or catalogue.site is refused, and so is one whose build did not finish ' +
      'or that .vitrine/lock.json does not record: run "npx vitrine run catalogue" first. It waits for a run going on, ' +
      'and a run waits for it.\n' +
      'Keys: VITRINE_PUBLISH_ACCESS_KEY_ID and VITRINE_PUBLISH_SECRET_ACCESS_KEY, or AWS_ACCESS_KEY_ID and ' +
      'AWS_SECRET_ACCESS_KEY, or catalogue.s3.credentials_remote. See docs/scale.md.\n' +
      'Example: npx vitrine publish --dry-run',
    options: {
      'dry-run': { type: 'boolean', description: 'Say what would be uploaded and deleted; change nothing.' },
      check: {
        type: 'boolean',
        description:
          'Only check that the bucket can be reached and that the key may list, write, read and delete there; ' +
          'needs no built site.',
      },
    },
    async run(ctx, { values }) {
      const params = await loadParams({ file: ctx.ws.params });
      const target = await publishSettings({ params, env: ctx.env, root: ctx.ws.root });
      // Asked before anything changes (rollback.yml, before the tag moves): no site is read or sent.
      const actor = ctx.env.GITHUB_ACTOR;
      if (values.check === true) return checkPublishTarget({ target, log: ctx.log, actor });
      const dryRun = values['dry-run'] === true;
      const upload = async () => {
        // A site built for another base path would link every page to the old place; one whose build did not
        // finish may mix two builds. Checked once the run lock is held: a build going on has finished by then.
        // Imported here: the built site's checks load the catalogue stage's code, which --check does not need.
        const { checkBuiltSite } = await import('./built.ts');
        await checkBuiltSite({ ws: ctx.ws, params, env: ctx.env, log: ctx.log, clock: ctx.clock });
        // Stopped by Ctrl-C, it says what visitors see at that moment and to run it again.
        const where = {};
        const quiet = sayWhenStopped({ log: ctx.log, where });
        return publishSite({ site: ctx.ws.site, target, log: ctx.log, dryRun, where, actor }).finally(quiet);
      };
      // The whole upload holds the run lock: a catalogue build placing its pages meanwhile would have some of them
      // sent beside files of the build before. A run waits for a publish, a publish for a run; a dry run changes
      // nothing and waits for nobody.
      const result = dryRun ? await upload() : await underRunLock(ctx, upload);
      if (ctx.json) ctx.out(`${JSON.stringify(result)}\n`);
    },
  },
];
