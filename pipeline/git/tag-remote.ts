import { execFile } from 'node:child_process';
import { VitrineError } from '../errors.ts';
import { parseGtoTag } from '../registry/gto.ts';

/*
 * The registry's tags on a git remote, through the git program: the one module that runs it. isomorphic-git
 * (tags.ts) writes the tags, but pushes one ref at a time and reads neither ssh remotes nor the credentials a
 * workflow hands git (GIT_CONFIG_* extraheader); `git push --atomic` lands every tag or none.
 */

/** Tag name → object id: the tags of one model, as a clone or a remote holds them. */
export type TagMap = Map<string, string>;

/** What git said when it failed: its exit code and its message. */
interface GitFailure {
  code: number | null;
  stderr: string;
  stdout: string;
}

async function runGit({
  dir,
  args,
  env,
  input,
}: {
  dir: string;
  args: string[];
  env: Record<string, string | undefined>;
  input?: string;
}): Promise<{ ok: true; stdout: string } | ({ ok: false } & GitFailure)> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      args,
      {
        cwd: dir,
        // Never ask for a password: in a workflow nobody answers, and the run would hang until its timeout.
        env: { ...env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' },
        maxBuffer: 64 * 1024 * 1024,
        encoding: 'utf8',
      },
      (error, stdout, stderr) => {
        if (!error) return resolve({ ok: true, stdout });
        const code = (error as { code?: unknown }).code;
        if (code === 'ENOENT')
          return reject(
            new VitrineError(
              'GIT_NOT_FOUND',
              'The git program is not installed (or not on PATH): pushing the model registry’s tags needs it.',
              {},
              { cause: error },
            ),
          );
        resolve({ ok: false, code: typeof code === 'number' ? code : null, stderr, stdout });
      },
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** git's own words from a failure: its `fatal:`/`error:` lines (else its last line), without hints. */
export function gitSaid(failure: GitFailure): string {
  const lines = failure.stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('hint:'));
  const errors = lines.filter((l) => /^(fatal|error|remote):/.test(l)).map((l) => l.replace(/[.:;\s]+$/, ''));
  return (errors.length ? errors : lines.slice(-1)).join('; ').slice(0, 600) || `git exited with code ${failure.code}`;
}

function ofModel(name: string, lines: Iterable<[string, string]>): TagMap {
  const tags: TagMap = new Map();
  for (const [tag, oid] of lines) if (parseGtoTag(tag)?.name === name) tags.set(tag, oid);
  return tags;
}

/** The model's tags in the clone at `dir`. */
export async function localModelTags({
  dir,
  name,
  env,
}: {
  dir: string;
  name: string;
  env: Record<string, string | undefined>;
}): Promise<TagMap> {
  const result = await runGit({
    dir,
    args: ['for-each-ref', '--format=%(objectname) %(refname)', `refs/tags/${name}*`],
    env,
  });
  if (!result.ok)
    throw new VitrineError('GIT_FAILED', `Could not list the tags of this clone: ${gitSaid(result)}`, { dir });
  return ofModel(name, refLines(result.stdout));
}

function* refLines(text: string): Generator<[string, string]> {
  for (const line of text.split('\n')) {
    const match = /^([0-9a-f]{40,64})\s+refs\/tags\/(.+)$/.exec(line.trim());
    if (match && !match[2]!.endsWith('^{}')) yield [match[2]!, match[1]!];
  }
}

/** The model's tags on `remote` (`git ls-remote`); GIT_REMOTE_UNREACHABLE when it cannot be read. */
export async function remoteModelTags({
  dir,
  remote,
  name,
  env,
}: {
  dir: string;
  remote: string;
  name: string;
  env: Record<string, string | undefined>;
}): Promise<TagMap> {
  const result = await runGit({ dir, args: ['ls-remote', '--tags', remote, `refs/tags/${name}*`], env });
  if (!result.ok)
    throw new VitrineError(
      'GIT_REMOTE_UNREACHABLE',
      `Could not read the tags of the git remote "${remote}": ${gitSaid(result)}`,
      { remote, said: gitSaid(result) },
    );
  return ofModel(name, refLines(result.stdout));
}

/**
 * The ref every push of model `name`'s tags moves, in the same atomic push, under a lease: it names the tag object
 * of the push's newest tag. Tags of different names never clash, so two runs that read the remote's tags at the same
 * moment and pushed different ones (a rollback's `#prod!#6`, another's `#prod#6`) both landed; each must also move
 * this one ref from the value it read, and only the first can. Outside `refs/tags/`: GTO, `git fetch --tags` and
 * clones never see it. The suffix keeps `models` and `models/classifier` from clashing as file and folder.
 */
export function registryHeadRef(name: string): string {
  return `refs/vitrine/registry/${name}.head`;
}

/** The object the model's head ref names on `remote`, null when it has none (GIT_REMOTE_UNREACHABLE as above). */
export async function remoteRegistryHead({
  dir,
  remote,
  name,
  env,
}: {
  dir: string;
  remote: string;
  name: string;
  env: Record<string, string | undefined>;
}): Promise<string | null> {
  const ref = registryHeadRef(name);
  const result = await runGit({ dir, args: ['ls-remote', remote, ref], env });
  if (!result.ok)
    throw new VitrineError(
      'GIT_REMOTE_UNREACHABLE',
      `Could not read the tags of the git remote "${remote}": ${gitSaid(result)}`,
      { remote, said: gitSaid(result) },
    );
  for (const line of result.stdout.split('\n')) {
    const [oid, refname] = line.trim().split(/\s+/);
    if (refname === ref && oid) return oid;
  }
  return null;
}

/** One tag git refused in a push, and why (git's words: "already exists", "pre-receive hook declined"…). */
export interface Refused {
  tag: string;
  why: string;
}

/**
 * Push `tags` to `remote` in one atomic push (`git push --atomic`): all land or none. With `head`, the same push
 * points `head.ref` at tag `head.tag`'s object, only if the remote's ref still names `head.from` (null: it must not
 * exist), checked by the remote as it updates its refs (`--force-with-lease`). Returns the tags (or ref) refused and
 * git's message when the push failed, null when it succeeded.
 */
export async function pushTagsAtomic({
  dir,
  remote,
  tags,
  head,
  env,
}: {
  dir: string;
  remote: string;
  tags: string[];
  head?: { ref: string; tag: string; from: string | null };
  env: Record<string, string | undefined>;
}): Promise<{ refused: Refused[]; said: string } | null> {
  const refspecs = tags.map((tag) => `refs/tags/${tag}:refs/tags/${tag}`);
  const lease: string[] = [];
  if (head) {
    refspecs.push(`refs/tags/${head.tag}:${head.ref}`);
    lease.push(`--force-with-lease=${head.ref}:${head.from ?? ''}`);
  }
  const result = await runGit({ dir, args: ['push', '--atomic', '--porcelain', ...lease, remote, ...refspecs], env });
  if (result.ok) return null;
  const refused: Refused[] = [];
  for (const line of result.stdout.split('\n')) {
    // `!	refs/tags/x:refs/tags/x	[rejected] (already exists)`; the head ref's line names it, not the tag.
    const match = /^!\trefs\/tags\/([^:]+):(\S+)\t(.*)$/.exec(line);
    if (!match) continue;
    const why = match[3]!.replace(/^\[|\]/g, '').trim();
    refused.push({ tag: match[2]!.startsWith('refs/tags/') ? match[1]! : match[2]!, why });
  }
  return { refused, said: gitSaid(result) };
}

/** Fetch `tags` from `remote`, replacing local tags of the same names. */
export async function fetchTags({
  dir,
  remote,
  tags,
  env,
}: {
  dir: string;
  remote: string;
  tags: string[];
  env: Record<string, string | undefined>;
}): Promise<void> {
  if (tags.length === 0) return;
  const refspecs = tags.map((tag) => `+refs/tags/${tag}:refs/tags/${tag}`);
  const result = await runGit({ dir, args: ['fetch', '--quiet', '--no-tags', remote, ...refspecs], env });
  if (!result.ok)
    throw new VitrineError(
      'GIT_REMOTE_UNREACHABLE',
      `Could not fetch the model’s tags from the git remote "${remote}": ${gitSaid(result)}`,
      { remote, said: gitSaid(result) },
    );
}

/**
 * Delete local tags, each only if it still names the object given (`git update-ref --stdin`, one transaction):
 * a tag rewritten meanwhile is left alone and the whole deletion fails.
 */
export async function deleteLocalTags({
  dir,
  tags,
  env,
}: {
  dir: string;
  tags: TagMap;
  env: Record<string, string | undefined>;
}): Promise<void> {
  if (tags.size === 0) return;
  const input = [...tags].map(([tag, oid]) => `delete refs/tags/${tag} ${oid}\n`).join('');
  const result = await runGit({ dir, args: ['update-ref', '--stdin'], env, input });
  if (!result.ok)
    throw new VitrineError('GIT_FAILED', `Could not remove this clone’s unpushed tags: ${gitSaid(result)}`, {
      tags: [...tags.keys()],
    });
}
