import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import git from 'isomorphic-git';
import nodeHttp from 'isomorphic-git/http/node';
import { isVitrineError, messageOf, VitrineError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { NoBaseCode } from '../report/types.ts';
import { ensureCommit, readFileAtRef, resolveCommit as resolveRef } from './repo.ts';

/*
 * The git reading the report, the registry's lineage and the monitor need, over repo.ts: the base of a pull request
 * (which a CI checkout only has as `origin/<branch>`, or not at all when it is shallow, so it is
 * fetched), files at a commit, and the last commit that touched labels.csv.
 */

/**
 * Resolve a branch, tag or commit. HEAD (and FETCH_HEAD, ORIG_HEAD, MERGE_HEAD), a full `refs/...` name and a full
 * 40-digit commit id are taken as they are, as git takes them: every clone has an `origin/HEAD`, which is not this
 * checkout's HEAD. Any other name is a branch first (local, then `origin/<name>` as a CI checkout has it); git's own
 * order would take a tag of that name, or a commit the name looks like, which anyone who can push a tag or a commit
 * could make stand for the base branch. An ancestry suffix (`~2`, `^`) applies to the name it follows.
 */
export async function resolveCommit({ dir, ref }: { dir: string; ref: string }): Promise<string> {
  const [, name = ref, suffix = ''] = /^(.+?)((?:~\d*|\^)*)$/.exec(ref) ?? [];
  const exact =
    /^[0-9a-f]{40}$/i.test(name) || /^(HEAD|FETCH_HEAD|ORIG_HEAD|MERGE_HEAD)$/.test(name) || name.startsWith('refs/');
  const candidates = exact ? [ref] : [`refs/heads/${name}${suffix}`, `refs/remotes/origin/${name}${suffix}`, ref];
  for (const candidate of candidates) {
    try {
      return await resolveRef({ dir, ref: candidate });
    } catch (error) {
      if (!isVitrineError(error, 'GIT_REF_UNKNOWN')) throw error;
    }
  }
  throw new VitrineError(
    'GIT_REF_UNKNOWN',
    `The git reference "${ref}" was not found in ${dir}. In CI, fetch the base branch (actions/checkout with fetch-depth: 0).`,
    { ref, dir },
  );
}

/** A file's text at a commit, or null when the file does not exist there. */
export async function readTextAtCommit({
  dir,
  commit,
  filepath,
}: {
  dir: string;
  commit: string;
  filepath: string;
}): Promise<string | null> {
  return readFileAtRef({ dir, ref: commit, filepath });
}

/**
 * A file's text at a commit, following symbolic links that stay inside the repository (as a checkout of that commit
 * would read it); null when there is no such file. A link that leaves the repository, a loop or a folder fails:
 * its text is not in the commit.
 */
export async function readFileFollowingLinks({
  dir,
  commit,
  filepath,
}: {
  dir: string;
  commit: string;
  filepath: string;
}): Promise<string | null> {
  let at = filepath.split(path.sep).join('/');
  for (let hop = 0; hop < 8; hop++) {
    const parent = path.posix.dirname(at);
    const name = path.posix.basename(at);
    let entries: Awaited<ReturnType<typeof git.readTree>>['tree'];
    try {
      entries = (await git.readTree({ fs, dir, oid: commit, ...(parent === '.' ? {} : { filepath: parent }) })).tree;
    } catch (error) {
      if ((error as { code?: string }).code === 'NotFoundError') return null;
      throw error;
    }
    const entry = entries.find((e) => e.path === name);
    if (!entry) return null;
    const { blob } = entry.type === 'blob' ? await git.readBlob({ fs, dir, oid: entry.oid }) : { blob: null };
    if (entry.mode === '120000' && blob) {
      const target = Buffer.from(blob).toString('utf8');
      const next = path.posix.normalize(path.posix.join(parent, target));
      if (path.posix.isAbsolute(target) || next === '..' || next.startsWith('../'))
        throw new VitrineError(
          'GIT_LINK_OUTSIDE',
          `${filepath} is a symbolic link to "${target}", outside the repository, so its text is not in the commit.`,
          { filepath, target },
        );
      at = next;
      continue;
    }
    if (!blob)
      throw new VitrineError('GIT_NOT_A_FILE', `${at} is a folder or a submodule in the commit, not a file.`, {
        filepath: at,
      });
    return Buffer.from(blob).toString('utf8');
  }
  throw new VitrineError('GIT_LINK_LOOP', `${filepath} is a symbolic link that leads to more links, never to a file.`, {
    filepath,
  });
}

/**
 * Files under `folders` (".github", "actions", "pipeline") that `head` changed since it left `base` (their merge
 * base; the base itself when they share none), sorted. Only the
 * subtrees whose ids differ are read, so a large collection's data costs nothing here. At most `max` paths.
 */
export async function changedFiles({
  dir,
  base,
  head,
  folders,
  max = 50,
}: {
  dir: string;
  base: string;
  head: string;
  folders: readonly string[];
  max?: number;
}): Promise<string[]> {
  const found: string[] = [];
  const entries = async (oid: string | undefined) =>
    oid ? new Map((await git.readTree({ fs, dir, oid })).tree.map((e) => [e.path, e])) : new Map();
  const walk = async (a: string | undefined, b: string | undefined, prefix: string): Promise<void> => {
    const [ea, eb] = [await entries(a), await entries(b)];
    for (const name of [...new Set([...ea.keys(), ...eb.keys()])].sort()) {
      if (found.length >= max) return;
      const [x, y] = [ea.get(name), eb.get(name)];
      if (x?.oid === y?.oid && x?.mode === y?.mode) continue;
      const at = prefix ? `${prefix}/${name}` : name;
      if (!prefix && !folders.includes(name)) continue;
      if (x?.type === 'tree' || y?.type === 'tree')
        await walk(x?.type === 'tree' ? x.oid : undefined, y?.type === 'tree' ? y.oid : undefined, at);
      // A file on either side (added, removed, changed, or turned into a folder).
      if ((x && x.type !== 'tree') || (y && y.type !== 'tree')) found.push(at);
    }
  };
  const tree = async (commit: string) => (await git.readCommit({ fs, dir, oid: commit })).commit.tree;
  // What the pull request changed: from where it left the base (as GitHub's diff shows), not from the base's
  // tip, which may have moved on with code of its own since.
  const [since] = await git.findMergeBase({ fs, dir, oids: [base, head] }).catch(() => [] as string[]);
  await walk(await tree(since ?? base), await tree(head), '');
  return found;
}

/** A commit's message, its parents (the first is the branch it was made on) and when it was committed (ISO). */
export async function readCommitSummary({
  dir,
  commit,
}: {
  dir: string;
  commit: string;
}): Promise<{ message: string; parents: string[]; committedAt: string }> {
  const { commit: c } = await git.readCommit({ fs, dir, oid: commit });
  return { message: c.message, parents: c.parent, committedAt: new Date(c.committer.timestamp * 1000).toISOString() };
}

/** The newest commit reachable from `ref` that changed `filepath` (looks back `depth` commits), or null. */
export async function lastCommitTouching({
  dir,
  ref,
  filepath,
  depth = 200,
}: {
  dir: string;
  ref: string;
  filepath: string;
  depth?: number;
}): Promise<string | null> {
  try {
    const entries = await git.log({ fs, dir, ref, filepath, depth });
    return entries[0]?.oid ?? null;
  } catch {
    // A shallow clone or a file with no history: the lineage just says "unknown".
    return null;
  }
}

type HttpClient = Parameters<typeof git.fetch>[0]['http'];

/**
 * The Authorization header git over HTTPS accepts for a GitHub token (as actions/checkout sends
 * it), or no headers without a token.
 */
export function gitAuthHeaders({ token }: { token?: string }): Record<string, string> | undefined {
  if (!token) return undefined;
  return { Authorization: `Basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}` };
}

/**
 * Fetch the base of a pull request into a clone that does not have it (a shallow CI checkout):
 * asks `remote` which commit the branch or tag `ref` names, then fetches just enough history to
 * hold it (ensureCommit). A full 40-character commit id is fetched from every branch. Returns the
 * commit; fails with REPORT_BASE_FETCH_FAILED and the reason in plain words.
 */
export async function fetchBase({
  dir,
  ref,
  remote = 'origin',
  headers,
  http = nodeHttp,
  log,
}: {
  dir: string;
  ref: string;
  remote?: string;
  /** HTTP headers for the remote, e.g. from gitAuthHeaders. */
  headers?: Record<string, string>;
  /** isomorphic-git HTTP client (default: Node's). */
  http?: HttpClient;
  log?: Logger;
}): Promise<{ commit: string }> {
  const fail = (reason: string, cause?: unknown): never => {
    throw new VitrineError(
      'REPORT_BASE_FETCH_FAILED',
      `Could not fetch the base "${ref}" from the remote "${remote}": ${redact(reason, headers)}`,
      { ref, remote, reason: redact(reason, headers) },
      { cause },
    );
  };
  if (/^[0-9a-f]{40}$/i.test(ref)) {
    const oid = ref.toLowerCase();
    try {
      await ensureCommit({ dir, oid, remote, headers: headers && { ...headers }, http, log });
    } catch (error) {
      fail(messageOf(error), error);
    }
    return { commit: oid };
  }
  if (/^[0-9a-f]{4,39}$/i.test(ref))
    fail('a shortened commit id cannot be fetched; give the full 40-character id or a branch name.');
  const url = await git.getConfig({ fs, dir, path: `remote.${remote}.url` }).catch(() => undefined);
  if (typeof url !== 'string' || !url) return fail(`this clone has no remote called "${remote}" to fetch it from.`);
  // "origin/main", "refs/heads/main" and "main" all name the branch main.
  const name = ref
    .replace(new RegExp(`^(refs/remotes/)?${escapeRegExp(remote)}/`), '')
    .replace(/^refs\/(heads|tags)\//, '');
  let found: { ref: string; oid: string } | undefined;
  try {
    for (const prefix of [`refs/heads/${name}`, `refs/tags/${name}`]) {
      // A copy each time: isomorphic-git adds its own headers (Git-Protocol) to the object it is
      // given, and a protocol-2 header left over breaks the protocol-1 fetch that follows.
      const refs = await git.listServerRefs({ http, url, prefix, headers: { ...headers }, peelTags: true });
      const exact = refs.find((r) => r.ref === prefix);
      // An annotated tag is peeled to its commit.
      if (exact) {
        found = { ref: prefix, oid: exact.peeled ?? exact.oid };
        break;
      }
    }
  } catch (error) {
    fail(describeHttpError(error), error);
  }
  if (!found) return fail(`there is no branch or tag called "${name}" there.`);
  try {
    await ensureCommit({ dir, oid: found.oid, remote, ref: found.ref, headers: headers && { ...headers }, http, log });
  } catch (error) {
    fail(messageOf(error), error);
  }
  log?.info(`Fetched the base ${name} (commit ${found.oid.slice(0, 12)}) from ${remote}: this clone did not have it.`);
  return { commit: found.oid };
}

/** isomorphic-git's HTTP errors say "HTTP Error: 403 Forbidden"; add what that usually means. */
function describeHttpError(error: unknown): string {
  const status = (error as { data?: { statusCode?: number } }).data?.statusCode;
  const message = messageOf(error);
  if (status === 401 || status === 403)
    return `${message} (the remote refused access: the token is missing or cannot read this repository).`;
  if (status === 404)
    return `${message} (no repository at that address, or it is private and the token cannot read it).`;
  return message;
}

/** Keep secrets out of messages: header values and passwords in URLs. */
function redact(text: string, headers: Record<string, string> | undefined): string {
  let out = text.replace(/\/\/[^/@\s]+@/g, '//');
  for (const value of Object.values(headers ?? {})) {
    if (!value) continue;
    out = out.replaceAll(value, '***');
    const secret = value.split(' ').pop();
    if (secret && secret.length >= 8) out = out.replaceAll(secret, '***');
  }
  return out;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The branch checked out, or, on a detached checkout in GitHub Actions (a workflow's checkout of a branch), the
 * branch the workflow runs on; null when neither says (a bare commit, a tag).
 */
export async function checkedOutBranch({
  dir,
  env,
}: {
  dir: string;
  env: Record<string, string | undefined>;
}): Promise<string | null> {
  const current = await git.currentBranch({ fs, dir, fullname: false }).catch(() => undefined);
  if (current) return current;
  return env.GITHUB_REF_TYPE === 'branch' || env.GITHUB_REF?.startsWith('refs/heads/')
    ? (env.GITHUB_REF_NAME ?? null)
    : null;
}

/**
 * The tip of `branch`: the local branch, or origin's when it is ahead of it. A staff member who runs
 * "git fetch" and rebases on origin/main without updating their own main has a stale local main, and a branch
 * point found from it would count colleagues' merged changes as the branch's own (a reviewer).
 */
async function newestTip({ dir, branch }: { dir: string; branch: string }): Promise<string> {
  const local = await resolveCommit({ dir, ref: branch });
  const remote = await resolveRef({ dir, ref: `refs/remotes/origin/${branch}` }).catch(() => null);
  if (!remote || remote === local) return local;
  const ahead = await git.isDescendent({ fs, dir, oid: remote, ancestor: local, depth: -1 }).catch(() => false);
  return ahead ? remote : local;
}

/**
 * True when `commit` has `ancestor` in its history and is not `ancestor` itself. False when either is not in
 * this clone: a commit whose history cannot be read is not counted newer.
 */
export async function isDescendant({
  dir,
  commit,
  ancestor,
}: {
  dir: string;
  commit: string;
  ancestor: string;
}): Promise<boolean> {
  if (commit === ancestor) return false;
  return git.isDescendent({ fs, dir, oid: commit, ancestor, depth: -1 }).catch(() => false);
}

/**
 * `commit` and every commit in its history, in one walk (a commit a shallow clone lacks ends its line). Cheaper than
 * asking isDescendant once per commit when most are old: promotion checks every registered version.
 */
export async function historyOf({ dir, commit }: { dir: string; commit: string }): Promise<Set<string>> {
  const cache = {};
  const seen = new Set<string>();
  const next = [commit];
  while (next.length > 0) {
    const oid = next.pop()!;
    if (seen.has(oid)) continue;
    seen.add(oid);
    const read = await git.readCommit({ fs, dir, oid, cache }).catch(() => undefined);
    if (read) next.push(...read.commit.parent);
  }
  return seen;
}

/** The commit two commits last had in common (git merge-base), or null when their histories never met. */
export async function mergeBase({ dir, a, b }: { dir: string; a: string; b: string }): Promise<string | null> {
  const [base] = await git.findMergeBase({ fs, dir, oids: [a, b] });
  return base ?? null;
}

/** `code` says why there is no branch point (NoBaseCode); `reason` says it in plain words. */
export type BranchPoint =
  | { commit: string; reason?: undefined; code?: undefined }
  | { commit: null; reason: string; code: NoBaseCode };

/**
 * Where the checked-out branch left `branch` (the merge-base of HEAD and `branch`, also found as
 * `origin/<branch>`): the base a branch's report compares with when no pull request names one.
 * Null, with the reason in plain words, when HEAD is on `branch` itself or in its history, when the
 * clone does not have `branch`, or when the history is too short to find the point (a shallow clone).
 */
export async function branchPoint({ dir, branch }: { dir: string; branch: string }): Promise<BranchPoint> {
  const current = await git.currentBranch({ fs, dir, fullname: false }).catch(() => undefined);
  if (current === branch) return { commit: null, code: 'on-branch', reason: `this run is on ${branch} itself` };
  let head: string;
  let tip: string;
  try {
    head = await resolveCommit({ dir, ref: 'HEAD' });
    tip = await newestTip({ dir, branch });
  } catch (error) {
    if (!isVitrineError(error, 'GIT_REF_UNKNOWN')) throw error;
    return {
      commit: null,
      code: 'no-branch',
      reason: `this copy of the repository has no branch ${branch} to compare with`,
    };
  }
  let bases: string[] = [];
  try {
    bases = await git.findMergeBase({ fs, dir, oids: [head, tip] });
  } catch {
    // A shallow clone stops before the branches meet.
  }
  const base = bases[0];
  if (!base) {
    return {
      commit: null,
      code: 'short-history',
      reason: `the history in this copy of the repository does not reach the point where this branch left ${branch}`,
    };
  }
  if (base === head) return { commit: null, code: 'merged', reason: `this commit is already part of ${branch}` };
  return { commit: base };
}

/**
 * Every text `folder`'s files have had in the commits reachable from HEAD (each text once, newest first), by file
 * name; an empty map when `dir` is no git repository, git is not installed, or the history cannot be read (a shallow
 * clone reads as far as it goes). Through the git program: isomorphic-git took minutes over Vitrine's history. For
 * `vitrine init --update-workflows`: a museum's workflow as some earlier Vitrine wrote it.
 */
export async function folderHistory({ dir, folder }: { dir: string; folder: string }): Promise<Map<string, string[]>> {
  const texts = new Map<string, string[]>();
  const run = (args: string[]) =>
    new Promise<string>((resolve, reject) =>
      execFile('git', ['-C', dir, ...args], { maxBuffer: 64 * 1024 * 1024 }, (error, stdout) =>
        error ? reject(error) : resolve(stdout),
      ),
    );
  let raw: string;
  try {
    raw = await run(['log', '--format=', '--raw', '--no-abbrev', '--no-renames', '--', folder]);
  } catch {
    return texts;
  }
  const seen = new Set<string>();
  for (const line of raw.split('\n')) {
    // ":100644 100644 <old> <new> M\t<path>": the text after the change; a deletion's is all zeros.
    const m = /^:\d+ \d+ [0-9a-f]+ ([0-9a-f]+) \w+\t(.+)$/.exec(line);
    if (!m || /^0+$/.test(m[1]!) || seen.has(m[1]!)) continue;
    seen.add(m[1]!);
    const name = path.posix.relative(folder, m[2]!);
    if (name.includes('/')) continue;
    const text = await run(['cat-file', 'blob', m[1]!]).catch(() => undefined);
    if (text !== undefined) texts.set(name, [...(texts.get(name) ?? []), text]);
  }
  return texts;
}

/** A commit of `fileHistory`: its first parent and subject line. */
export interface FileCommit {
  commit: string;
  parent: string;
  subject: string;
}

/**
 * The last `depth` commits reachable from HEAD that changed `file` (a path from `dir`), newest first, leaving out a
 * root commit (it has no parent to compare with). Through the git program, as folderHistory; throws when `dir` is no
 * repository or git is not installed.
 */
export async function fileHistory({
  dir,
  file,
  depth,
}: {
  dir: string;
  file: string;
  depth: number;
}): Promise<FileCommit[]> {
  const log = await gitProgram({ dir, args: ['log', `-n${depth}`, '--format=%H%x00%P%x00%s', '--', file] });
  return log
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split('\u0000'))
    .filter(([, parents]) => parents)
    .map(([commit, parents, subject]) => ({ commit: commit!, parent: parents!.split(' ')[0]!, subject: subject! }));
}

/**
 * The text of `file` (a path from `dir`, which may be a folder inside the repository) at `commit`; null when the
 * commit has no such file or git cannot read it.
 */
export async function fileAtCommit({ dir, commit, file }: { dir: string; commit: string; file: string }) {
  // "<commit>:./<file>": the path from `dir`, not from the repository's top.
  return gitProgram({ dir, args: ['show', `${commit}:./${file}`] }).catch(() => null);
}

function gitProgram({ dir, args }: { dir: string; args: string[] }): Promise<string> {
  return new Promise<string>((resolve, reject) =>
    execFile('git', ['-C', dir, ...args], { maxBuffer: 256 * 1024 * 1024 }, (error, stdout) =>
      error ? reject(error) : resolve(stdout),
    ),
  );
}

/** A version of the repository that `data gc` must not take the images of: a local branch, HEAD or a stash. */
export interface KeptVersion {
  /** How a person names it: a branch name, "HEAD" or "stash@{n}". */
  name: string;
  commit: string;
  /** Its `.dvc` files (paths from `dir`, forward slashes) and their text at that commit. */
  dvcFiles: { file: string; text: string }[];
}

/**
 * The `.dvc` files of every local branch tip, HEAD and each stash (what git keeps that a checkout can bring back),
 * read with the git program; empty when `dir` is not in a git repository or git cannot be run. `skip(path)` leaves
 * out files gc never reads (inside .dvc/, node_modules/…).
 */
export async function dvcFilesOfLocalVersions({
  dir,
  skip = () => false,
}: {
  dir: string;
  skip?: (file: string) => boolean;
}): Promise<KeptVersion[]> {
  const refs = await gitProgram({
    dir,
    args: ['for-each-ref', '--format=%(objectname) %(refname:short)', 'refs/heads'],
  })
    .then((out) => out.split('\n').filter(Boolean))
    .catch(() => null);
  if (refs === null) return [];
  const named: { name: string; commit: string }[] = refs.map((line) => {
    const space = line.indexOf(' ');
    return { commit: line.slice(0, space), name: line.slice(space + 1) };
  });
  const head = (await gitProgram({ dir, args: ['rev-parse', '--verify', '-q', 'HEAD'] }).catch(() => '')).trim();
  if (head) named.push({ name: 'HEAD', commit: head });
  const stashes = await gitProgram({ dir, args: ['log', '-g', '--format=%H', 'refs/stash', '--'] }).catch(() => '');
  stashes
    .split('\n')
    .filter(Boolean)
    .forEach((commit, i) => named.push({ name: `stash@{${i}}`, commit }));
  const versions: KeptVersion[] = [];
  const seen = new Map<string, KeptVersion>();
  for (const { name, commit } of named) {
    const known = seen.get(commit);
    if (known) {
      versions.push({ ...known, name });
      continue;
    }
    const listed = await gitProgram({ dir, args: ['ls-tree', '-r', '-z', '--name-only', commit] }).catch(() => '');
    const files = listed.split('\0').filter((f) => f.endsWith('.dvc') && !skip(f));
    const dvcFiles: { file: string; text: string }[] = [];
    for (const file of files) {
      const text = await fileAtCommit({ dir, commit, file });
      if (text !== null) dvcFiles.push({ file, text });
    }
    const version = { name, commit, dvcFiles };
    seen.set(commit, version);
    versions.push(version);
  }
  return versions;
}

/** One text a file has had in the history, with the refs that lead to a commit recording it. */
export interface RecordedText {
  text: string;
  /** Full ref names ("refs/heads/idea", "refs/tags/…", "refs/remotes/origin/main", "refs/stash"), one or more. */
  refs: string[];
  /** Recorded only by the stash ("git stash"): a change set aside, never committed to any branch or tag. */
  stashOnly: boolean;
}

/**
 * Every text `file` (a path from the repository's top) has had in any commit a ref leads to (branches, tags,
 * remote-tracking branches, the stash), each once with the refs that record it, and whether the clone is shallow.
 * For `data push --all`: every version of data/ a checkout could bring back. Empty when `dir` is no repository or git
 * cannot be run. Through the git program (folderHistory says why); `--full-history` and the merges' changes from their
 * first parent, so a branch whose data.dvc a merge dropped, or a data.dvc a merge wrote, is not left out.
 */
export async function fileTextsInHistory({
  dir,
  file,
}: {
  dir: string;
  file: string;
}): Promise<{ texts: RecordedText[]; shallow: boolean }> {
  const args = ['log', '--full-history', '--diff-merges=first-parent', '--raw', '--no-abbrev', '--no-renames'];
  // The stash apart: a version only it records is one set aside, which a push need not carry (reviewer V17).
  const refs = new Map<string, Set<string>>();
  for (const which of [
    ['--source', '--exclude=refs/stash', '--all'],
    ['refs/stash', '--not', '--exclude=refs/stash', '--all'],
  ]) {
    const raw = await gitProgram({ dir, args: [...args, '--format=%x00%S', ...which, '--', `:/${file}`] }).catch(
      () => '',
    );
    let ref = 'refs/stash';
    for (const line of raw.split('\n')) {
      if (line.startsWith('\0')) ref = line.slice(1).trim() || ref;
      // ":100644 100644 <old> <new> M\t<path>": the text after the change; a deletion's is all zeros.
      const m = /^:\d+ \d+ [0-9a-f]+ ([0-9a-f]+) \w+\t/.exec(line);
      if (!m || /^0+$/.test(m[1]!)) continue;
      const held = refs.get(m[1]!) ?? new Set<string>();
      held.add(ref);
      refs.set(m[1]!, held);
    }
  }
  const texts: RecordedText[] = [];
  for (const [blob, held] of refs) {
    const text = await gitProgram({ dir, args: ['cat-file', 'blob', blob] }).catch(() => undefined);
    const stashOnly = [...held].every((r) => r === 'refs/stash');
    if (text !== undefined) texts.push({ text, refs: [...held], stashOnly });
  }
  const shallow = (await gitProgram({ dir, args: ['rev-parse', '--is-shallow-repository'] }).catch(() => '')).trim();
  return { texts, shallow: shallow === 'true' };
}

/**
 * What a clone may lack of the history `data push --all` reads, from cheap local checks only: cut short by `--depth`
 * (`shallow`), no tag at all though a remote is set to fetch none (`tagless`: `--no-tags`) or only some branches
 * (`narrow`: `--single-branch`, which `--depth` implies). The remotes' names, for the commands to fetch the rest.
 */
export async function historyGaps({
  dir,
}: {
  dir: string;
}): Promise<{ shallow: boolean; tags: boolean; narrow: string[]; tagless: string[] }> {
  const ask = (args: string[]) => gitProgram({ dir, args }).catch(() => '');
  const shallow = (await ask(['rev-parse', '--is-shallow-repository'])).trim() === 'true';
  const tags = (await ask(['for-each-ref', '--count=1', '--format=%(refname)', 'refs/tags'])).trim() !== '';
  const fetches = new Map<string, string[]>();
  const tagless: string[] = [];
  for (const line of (await ask(['config', '--get-regexp', '^remote\\..*\\.(fetch|tagopt)$'])).split('\n')) {
    const m = /^remote\.(.+)\.(fetch|tagopt) (.*)$/.exec(line.trim());
    if (!m) continue;
    if (m[2] === 'tagopt') {
      if (m[3] === '--no-tags') tagless.push(m[1]!);
    } else fetches.set(m[1]!, [...(fetches.get(m[1]!) ?? []), m[3]!]);
  }
  const narrow = [...fetches].filter(([, specs]) => !specs.some((s) => s.includes('refs/heads/*'))).map(([r]) => r);
  return { shallow, tags, narrow, tagless };
}
