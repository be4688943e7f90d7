import { rm } from 'node:fs/promises';
import path from 'node:path';
import { VitrineError } from '../errors.ts';
import { checkedOutBranch } from '../git/history.ts';
import {
  deleteLocalTags,
  fetchTags,
  localModelTags,
  pushTagsAtomic,
  registryHeadRef,
  remoteModelTags,
  remoteRegistryHead,
  type TagMap,
} from '../git/tag-remote.ts';
import { readTagEvents } from '../git/tags.ts';
import { type Logger, oneLine } from '../log.ts';
import { workspace } from '../paths.ts';
import { promote } from '../stages/promote.ts';
import type { StageContext } from '../stages/stage.ts';
import type { PredictObjects } from './annotate.ts';
import { parseGtoTag } from './gto.ts';
import { rollbackAndPublish } from './publish.ts';
import { stageNoun } from './words.ts';

/*
 * Pushing the registry's tags from a CI runner. Two runners may write the model's tags at once (two promotions, or
 * a promotion and a rollback, which queue apart): both take the same next number and `#N` counter from the tags
 * they cloned. Whichever pushes second finds tags on the remote it did not build on. Its own were never seen by
 * anyone, so they are dropped, the remote's are fetched, and the promotion or rollback is done again on top of them
 * (the next number, the next counter), then pushed: as if the two had run one after the other, in push order.
 * Two runs that read the remote at the same moment may push tags of different names (a rollback's `#prod!#6` and
 * `#prod#7`, another's `#prod#6`), which git would all accept: so each push also moves the model's head ref
 * (registryHeadRef) from the value it read, in the same atomic push, and only the first of them lands.
 */

/** What to do again when another run's tags landed first, and in what words to say what it did. */
export interface Retry {
  /** Runs the promotion or rollback again on the tags now in the clone; returns what it did, in plain words. */
  run: () => Promise<string>;
}

/** How many times a push is tried, each after doing the work again on the tags that landed meanwhile. */
export const PUSH_ATTEMPTS = 5;

/**
 * Push model `name`'s tags (only those: `name@…`, `name#…`) to `remote` in one atomic push. When the remote holds
 * tags of the model that this clone does not (another run pushed first), this clone's unpushed tags are deleted,
 * the remote's fetched, `retry` run and the push tried again, up to `attempts` times. Without `retry` that is
 * TAGS_REMOTE_MOVED. A remote that cannot be read is TAGS_REMOTE_UNREACHABLE, a push refused for any other reason
 * (rights, a protected tag, a hook) TAGS_PUSH_REFUSED: neither is tried again. `env` is given to git (PATH, HOME,
 * the credentials a workflow passes in GIT_CONFIG_*).
 */
export async function pushRegistryTags({
  dir,
  name,
  remote = 'origin',
  env,
  log,
  retry,
  attempts = PUSH_ATTEMPTS,
}: {
  dir: string;
  name: string;
  remote?: string;
  env: Record<string, string | undefined>;
  log: Logger;
  retry?: Retry;
  attempts?: number;
}): Promise<{ pushed: string[]; retried: number }> {
  const git = { dir, remote, name, env };
  let story = '';
  let retried = 0;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const local = await localModelTags(git);
    const { head, tags: onRemote } = await readRemote(git);
    const { landed, unpushed } = compare({ local, onRemote });
    if (landed.length === 0) {
      if (unpushed.size === 0) {
        log.info(story ? `${story}: nothing is left to push.` : `The tags of ${name} on "${remote}" are up to date.`);
        return { pushed: [], retried };
      }
      const tags = [...unpushed.keys()];
      log.debug(`pushing ${tags.join(', ')} to ${remote} (attempt ${attempt})`);
      const failed = await pushTagsAtomic({
        ...git,
        tags,
        head: { ref: registryHeadRef(name), tag: newest(tags), from: head },
      });
      if (!failed) {
        log.info(
          story ? `${story} and pushed.` : `Pushed ${tags.length} tag${plural(tags)} of ${name} to "${remote}".`,
        );
        return { pushed: tags, retried };
      }
      // Refused: by a run that pushed in between (tried again below), or for good (rights, a protected tag, a hook).
      const now = await readRemote(git);
      if (now.head === head && compare({ local, onRemote: now.tags }).landed.length === 0)
        throw new VitrineError(
          'TAGS_PUSH_REFUSED',
          `The git remote "${remote}" refused the model’s tags (${refusedWords(failed)}). Nothing was pushed (all or ` +
            'none) and it is not tried again: check that this token or account may push tags there (in a workflow, ' +
            '"permissions: contents: write"; a rule protecting tags must let it). The tags stay in this clone; ' +
            'push them with "vitrine models push" once it may.',
          { remote, refused: failed.refused, said: failed.said },
        );
      log.debug(`push refused (${refusedWords(failed)}): another run pushed meanwhile`);
      continue;
    }
    if (!retry && unpushed.size === 0) {
      log.info(
        `Nothing of this clone’s to push: "${remote}" has tags of ${name} this clone lacks (${landed.join(', ')}); ` +
          '"git fetch --tags" fetches them.',
      );
      return { pushed: [], retried };
    }
    if (!retry)
      throw new VitrineError(
        'TAGS_REMOTE_MOVED',
        `Another run pushed tags of ${name} to "${remote}" that this clone does not have (${landed.join(', ')}), ` +
          'so its own were not pushed: they were made without those. After a promotion, run "vitrine models push ' +
          '--retry promote"; after a rollback, "vitrine models push --retry rollback:<version>": either does the ' +
          'work again on top of the other run’s tags, then pushes.',
        { remote, landed, unpushed: [...unpushed.keys()] },
      );
    if (unpushed.size) log.debug(`removing this clone’s unpushed tags: ${[...unpushed.keys()].join(', ')}`);
    await deleteLocalTags({ dir, tags: unpushed, env });
    await fetchTags({ ...git, tags: landed }).catch((error: unknown) => {
      throw unreachable({ remote, error });
    });
    const others = (await landedWords({ dir, name, landed })) || `pushed ${landed.join(', ')}`;
    // The record of what the public sees is this run's dropped attempt's: written again from the tags that landed
    // (restoreRegistryRecord), so what the redone work changes is told against what was published.
    await rm(path.join(workspace(dir).registry, 'annotations.json'), { force: true });
    const did = await retry.run();
    retried++;
    story = `Another run ${others} first; ${did}`;
  }
  throw new VitrineError(
    'TAGS_PUSH_BUSY',
    `Could not push the tags of ${name} to "${remote}": other runs kept pushing first (${attempts} attempts). ` +
      'Run the same command again.',
    { remote, attempts },
  );
}

/**
 * The remote's head ref, then its tags; a remote that cannot be read is said once, in words a maintainer can act on.
 * The head is read first, in a call of its own: a push that moved it after that read makes this run's push fail,
 * and one that moved it before has its tags (written in the same transaction) in the read that follows.
 */
async function readRemote(git: {
  dir: string;
  remote: string;
  name: string;
  env: Record<string, string | undefined>;
}): Promise<{ head: string | null; tags: TagMap }> {
  try {
    const head = await remoteRegistryHead(git);
    return { head, tags: await remoteModelTags(git) };
  } catch (error) {
    throw unreachable({ remote: git.remote, error });
  }
}

function unreachable({ remote, error }: { remote: string; error: unknown }): unknown {
  if (!(error instanceof VitrineError) || error.code !== 'GIT_REMOTE_UNREACHABLE') return error;
  return new VitrineError(
    'TAGS_REMOTE_UNREACHABLE',
    `${error.message}. Nothing was pushed and it is not tried again: check the remote’s address ("git remote -v") ` +
      'and that this token or account may read and push there. The tags stay in this clone; push them with ' +
      '"vitrine models push" once the remote can be reached.',
    { remote, said: error.data.said },
    { cause: error },
  );
}

/** Which of the remote's tags this clone lacks (or holds otherwise), and which of its own the remote lacks. */
function compare({ local, onRemote }: { local: TagMap; onRemote: TagMap }): { landed: string[]; unpushed: TagMap } {
  const landed = [...onRemote].filter(([tag, oid]) => local.get(tag) !== oid).map(([tag]) => tag);
  const unpushed: TagMap = new Map([...local].filter(([tag, oid]) => onRemote.get(tag) !== oid));
  return { landed, unpushed };
}

/** What the other run did, read from the tags it pushed (once fetched): "registered v1.3.0", "rolled production back…". */
async function landedWords({ dir, name, landed }: { dir: string; name: string; landed: string[] }): Promise<string> {
  const events = (await readTagEvents({ dir, name })).filter((e) => landed.includes(e.tag));
  const registered = new Set(events.filter((e) => e.action === 'register').map(versionOf));
  const words: string[] = [];
  for (const e of events) {
    const stage = stageNoun(e.stage ?? '');
    const rollback = e.payload?.rollback === true;
    if (e.action === 'register') words.push(`registered ${versionOf(e)}`);
    else if (e.action === 'deregister') words.push(`withdrew ${versionOf(e)}`);
    else if (e.action === 'deprecate') words.push(`deprecated the model`);
    else if (e.action === 'assign' && rollback) words.push(`rolled ${stage} back to ${versionOf(e)}`);
    else if (e.action === 'assign' && !registered.has(versionOf(e))) words.push(`put ${versionOf(e)} in ${stage}`);
    else if (e.action === 'unassign' && !rollback) words.push(`took ${versionOf(e)} out of ${stage}`);
  }
  return [...new Set(words)].join(' and ');
}

/**
 * The version a stage tag is about (its JSON block says so; GTO's own tags are read by their commit elsewhere), on one
 * line: a tag made by hand says what it likes there, and a line break or an escape sequence is shown escaped, as
 * `models show` shows what the tags say.
 */
function versionOf(e: { version?: string; payload: Record<string, unknown> | null }): string {
  return oneLine(e.version ?? (typeof e.payload?.version === 'string' ? e.payload.version : 'a version'));
}

function refusedWords(failed: { refused: { tag: string; why: string }[]; said: string }): string {
  const own = failed.refused.filter((r) => !/atomic/.test(r.why));
  const first = own.find((r) => !r.tag.startsWith('refs/')) ?? own[0] ?? failed.refused[0];
  if (!first) return `git said: ${failed.said}`;
  if (!first.tag.startsWith('refs/')) return `${first.tag}: ${first.why}`;
  return (
    `${first.tag}: ${first.why}; Vitrine moves this ref in the same push as the tags, so that two runs pushing at ` +
    'once never both land, and the remote must let it'
  );
}

/** The tag the head ref names after a push: the one with the highest `#N` counter (else the first). */
function newest(tags: string[]): string {
  const counter = (tag: string) => parseGtoTag(tag)?.counter ?? -1;
  return tags.reduce((best, tag) => (counter(tag) > counter(best) ? tag : best), tags[0]!);
}

const plural = (list: unknown[]) => (list.length === 1 ? '' : 's');

/**
 * The promotion done again (`vitrine run promote`'s work, on the collection's branch only) after another run's
 * tags landed: the model gets the next number and takes production by promotion's own rules.
 */
export function promotionRetry({ ctx, predict }: { ctx: StageContext; predict?: PredictObjects }): Retry {
  return {
    async run() {
      const main = ctx.params.collection.branch;
      const branch = await checkedOutBranch({ dir: ctx.ws.root, env: ctx.env });
      if (branch !== main)
        throw new VitrineError(
          'PUSH_RETRY_OFF_BRANCH',
          `Another run pushed first, and a promotion is done again on "${main}" only: this clone is on ` +
            `${branch ? `branch "${branch}"` : 'no branch'}. Nothing was pushed.`,
          { branch, main },
        );
      const result = await promote({ ctx, predict });
      if (result.reused) return `${result.version} stands for this run’s model, so nothing new was registered`;
      return `registered again as ${result.version}${result.prod === result.version ? '' : ` (production stays with ${result.prod})`}`;
    },
  };
}

/** The rollback done again after another run's tags landed: the version asked for goes back into production. */
export function rollbackRetry({
  ctx,
  version,
  reason = '',
  predict,
}: {
  ctx: StageContext;
  version: string;
  reason?: string;
  predict?: PredictObjects;
}): Retry {
  return {
    async run() {
      try {
        const result = await rollbackAndPublish({ ...ctx, version, reason, predict });
        return `put ${result.version} back in production again`;
      } catch (error) {
        if (error instanceof VitrineError && error.code === 'ROLLBACK_NOOP')
          return `${version} is in production already, so there was nothing to roll back`;
        throw error;
      }
    },
  };
}
