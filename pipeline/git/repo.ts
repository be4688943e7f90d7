import fs from 'node:fs';
import { lstat, readFile, readlink, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import git from 'isomorphic-git';
import nodeHttp from 'isomorphic-git/http/node';
import { diffEntries, exists, type ManifestEntry } from '../data/cache.ts';
import { legacyError, parseDvcFile } from '../data/dvcfile.ts';
import { VitrineError } from '../errors.ts';
import type { Logger } from '../log.ts';

/*
 * pipeline/git/ is the one place Vitrine talks to git: this file (the repository, its refs and files), history.ts
 * (commits, pull-request bases), tags.ts (the registry's tags) and tag-remote.ts (the git program, for pushing them).
 *
 * Git history through isomorphic-git (no git binary needed): files at any ref, and which objects of
 * the data folder changed between two refs — the base and head of a pull request — including on a
 * shallow clone, where the base commit is fetched first.
 */

type HttpClient = Parameters<typeof git.fetch>[0]['http'];

/** What a clone cut short by `git clone --depth` needs, said in every message about missing history. */
export const FETCH_HISTORY =
  'Fetch more history: in the workflow, give actions/checkout "fetch-depth: 0"; on a computer, run "git fetch --unshallow".';

/** Where git keeps a repository's history, as found from its work tree. */
export interface GitLayout {
  /**
   * The git folder: `<dir>/.git`, or the folder a `.git` file names ("gitdir: …"), as in a clone made with
   * `--separate-git-dir`, a submodule or a linked worktree.
   */
  gitdir: string;
  /**
   * A linked worktree's (`git worktree add`) shared git folder, named by `commondir` in its own: the branches, tags and
   * objects are there, HEAD and the index in `gitdir`. Null for a whole repository.
   */
  commondir: string | null;
  /** `objects/info/alternates` when it names object folders the clone borrows (`git clone --shared`, `--reference`). */
  alternates: string | null;
}

/** How git finds the repository of work tree `dir` (null: `dir` has no `.git`). Reads files only; never throws for git. */
export async function gitLayout({ dir }: { dir: string }): Promise<GitLayout | null> {
  const dotgit = path.join(dir, '.git');
  const info = await stat(dotgit).catch(() => null);
  if (!info) return null;
  let gitdir = dotgit;
  let commondir: string | null = null;
  if (info.isFile()) {
    const pointer = /^gitdir:\s*(.+)$/m.exec(await readFile(dotgit, 'utf8').catch(() => ''));
    if (!pointer) return null;
    gitdir = path.resolve(dir, pointer[1]!.trim());
    const common = (await readFile(path.join(gitdir, 'commondir'), 'utf8').catch(() => '')).trim();
    if (common) commondir = path.resolve(gitdir, common);
  }
  const file = path.join(commondir ?? gitdir, 'objects', 'info', 'alternates');
  const borrowed = (await readFile(file, 'utf8').catch(() => ''))
    .split('\n')
    .some((line) => line.trim() !== '' && !line.startsWith('#'));
  return { gitdir, commondir, alternates: borrowed ? file : null };
}

/** What isomorphic-git (the library Vitrine reads and writes git with) cannot read, said once for every message. */
const LIBRARY = 'isomorphic-git, the git library Vitrine reads git with,';

/**
 * The git folder of work tree `dir` (null when it has none), refusing the layouts isomorphic-git would misread as a
 * repository without tags, branches or commits: a linked worktree (GIT_WORKTREE_UNSUPPORTED) and a clone that borrows
 * objects (GIT_ALTERNATES_UNSUPPORTED). A `.git` file naming a whole repository (--separate-git-dir, a submodule) is
 * followed, as isomorphic-git follows it.
 */
export async function gitDir({ dir }: { dir: string }): Promise<string | null> {
  const layout = await gitLayout({ dir });
  if (!layout) return null;
  const { gitdir, commondir, alternates } = layout;
  if (commondir) {
    const main = path.basename(commondir) === '.git' ? path.dirname(commondir) : commondir;
    throw new VitrineError(
      'GIT_WORKTREE_UNSUPPORTED',
      `Vitrine cannot read a git worktree yet: ${dir} is a linked worktree of ${main} (made by "git worktree add"), ` +
        `whose branches, tags and history are kept in ${commondir}, where ${LIBRARY} does not look for them; the ` +
        'model registry and the main branch would seem empty. Run it in a full clone (git clone ' +
        `${main} <folder>), or in ${main} itself. Nothing was changed.`,
      { dir, gitdir, commondir },
    );
  }
  if (alternates)
    throw new VitrineError(
      'GIT_ALTERNATES_UNSUPPORTED',
      `Vitrine cannot read this clone: ${dir} borrows part of its git history from another repository through ` +
        `${alternates} (a clone made with "git clone --shared" or "--reference"), which ${LIBRARY} does not read; ` +
        'the model registry and commits kept there would seem missing. Copy the history into this clone with ' +
        `"git repack -a -d", then remove ${alternates}; or clone again without --shared or --reference. Nothing was changed.`,
      { dir, gitdir, alternates },
    );
  return gitdir;
}

/** True when the clone holds only part of its history (`git clone --depth`, what actions/checkout makes by default). */
export async function isShallow(dir: string): Promise<boolean> {
  // Git lists the commits whose parents were cut off in `shallow`: in the main repository's git folder for a worktree.
  const layout = await gitLayout({ dir });
  if (!layout) return false;
  const text = await readFile(path.join(layout.commondir ?? layout.gitdir, 'shallow'), 'utf8').catch(() => '');
  return text.trim() !== '';
}

/**
 * Read commit `oid`, which `ref` leads to through a child commit. A shallow clone knows such a commit's id
 * (its child names it) but not the commit: say so, rather than let the ref stand for an empty history.
 */
async function readCommitOn({ dir, oid, ref }: { dir: string; oid: string; ref: string }) {
  try {
    return (await git.readCommit({ fs, dir, oid })).commit;
  } catch (error) {
    if ((error as { code?: string }).code !== 'NotFoundError') throw error;
    await gitDir({ dir }); // a layout isomorphic-git misreads is said as such
    const shallow = await isShallow(dir);
    throw new VitrineError(
      'GIT_HISTORY_MISSING',
      shallow
        ? `"${ref}" goes back to commit ${oid.slice(0, 7)}, which this clone does not have: it was made with only ` +
            `the latest history (a shallow clone, as actions/checkout makes by default). ${FETCH_HISTORY}`
        : `"${ref}" goes back to commit ${oid.slice(0, 7)}, which is missing from this repository: it may be ` +
            'damaged. Run "git fsck" to check it, or clone the repository again.',
      { ref, oid, shallow },
      { cause: error },
    );
  }
}

/** The commit a ref names: a full or short SHA, a branch, a tag, `HEAD`, `origin/main`, `HEAD~2`, `main^`… */
export async function resolveCommit({ dir, ref }: { dir: string; ref: string }): Promise<string> {
  // Ancestry suffixes (`~N`, `^`) as git reads them: first parents, counted back from the base ref.
  const ancestry = /^(.+?)((?:~\d*|\^)+)$/.exec(ref);
  if (ancestry) {
    let oid = await resolveCommit({ dir, ref: ancestry[1]! });
    for (const step of ancestry[2]!.match(/~\d*|\^/g)!) {
      const count = step === '^' || step === '~' ? 1 : Number(step.slice(1));
      for (let i = 0; i < count; i++) {
        const commit = await readCommitOn({ dir, oid, ref });
        if (!commit.parent[0])
          throw new VitrineError(
            'GIT_REF_UNKNOWN',
            `"${ref}" goes back further than the history of this repository (it starts at ${oid.slice(0, 7)}).`,
            { ref },
          );
        oid = commit.parent[0];
      }
    }
    // The commit reached is known by its id from its child; a shallow clone may not hold it.
    await readCommitOn({ dir, oid, ref });
    return oid;
  }
  try {
    let oid: string;
    if (/^[0-9a-f]{40}$/i.test(ref)) oid = ref.toLowerCase();
    else if (/^[0-9a-f]{4,39}$/i.test(ref)) {
      oid = await git.resolveRef({ fs, dir, ref }).catch(() => git.expandOid({ fs, dir, oid: ref.toLowerCase() }));
    } else oid = await git.resolveRef({ fs, dir, ref });
    // Peel annotated tags to their commit.
    const { oid: commit } = await git.readCommit({ fs, dir, oid }).catch(async (error) => {
      const tag = await git.readTag({ fs, dir, oid }).catch(() => null);
      if (tag) return git.readCommit({ fs, dir, oid: tag.tag.object });
      throw error;
    });
    return commit;
  } catch (error) {
    if (error instanceof VitrineError) throw error;
    const code = (error as { code?: string }).code;
    if (code === 'NotFoundError') {
      await gitDir({ dir }); // a layout isomorphic-git misreads is said as such, not as an unknown name
      const shallow = await isShallow(dir);
      throw new VitrineError(
        'GIT_REF_UNKNOWN',
        shallow
          ? `Git does not know "${ref}" in this clone, which was made with only the latest history (a shallow ` +
              `clone, as actions/checkout makes by default). ${FETCH_HISTORY}`
          : `Git does not know "${ref}" in this clone: check the name of the branch, tag or commit ` +
              '(a branch that is only on the server needs "git fetch" first).',
        { ref, shallow },
        { cause: error },
      );
    }
    throw error;
  }
}

/** The text of `filepath` at `ref`, or null when the file does not exist there. */
export async function readFileAtRef({
  dir,
  ref,
  filepath,
}: {
  dir: string;
  ref: string;
  filepath: string;
}): Promise<string | null> {
  const bytes = await readBytesAtRef({ dir, ref, filepath });
  return bytes === null ? null : Buffer.from(bytes).toString('utf8');
}

/**
 * The bytes of `filepath` at `ref` as committed (not decoded, line endings as in the commit), or null when the file
 * does not exist there: to compare with a file's md5.
 */
export async function readBytesAtRef({
  dir,
  ref,
  filepath,
}: {
  dir: string;
  ref: string;
  filepath: string;
}): Promise<Uint8Array | null> {
  const oid = await resolveCommit({ dir, ref });
  try {
    const { blob } = await git.readBlob({ fs, dir, oid, filepath: filepath.split(path.sep).join('/') });
    return blob;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'NotFoundError') return null;
    throw error;
  }
}

/** A setting of a repository's own config (`remote.origin.url`), found by its work tree or its git folder. */
export async function repositorySetting({
  where,
  setting,
}: {
  where: { dir: string } | { gitdir: string };
  setting: string;
}): Promise<unknown> {
  return git.getConfig({ fs, ...where, path: setting });
}

/** `git init` (on `branch`) when `dir` is not a repository yet, then `git add` of each of `files` that exists. */
export async function stageFiles({
  dir,
  branch,
  files,
}: {
  dir: string;
  branch: string;
  files: string[];
}): Promise<void> {
  if (!(await exists(path.join(dir, '.git')))) await git.init({ fs, dir, defaultBranch: branch });
  for (const filepath of [...new Set(files)])
    if (await exists(path.join(dir, filepath))) await git.add({ fs, dir, filepath });
}

/**
 * The files git tracks (in its index: committed, or added since) that are `path` or under it (relative to the work
 * tree, with /; a folder ends with /). None outside a repository, or in one with nothing added yet.
 */
export async function trackedUnder({ dir, path: under }: { dir: string; path: string }): Promise<string[]> {
  if (!(await gitDir({ dir }))) return [];
  const files = await git.listFiles({ fs, dir }).catch((error: { code?: string }) => {
    if (error.code === 'NotFoundError') return [];
    throw error;
  });
  return under.endsWith('/') ? files.filter((f) => f.startsWith(under)) : files.filter((f) => f === under);
}

/**
 * Make `branch` the repository's branch when it has no commit yet (git init names it master on most machines,
 * GitHub names a new repository's first branch main, and the workflows run on one named branch). What it found:
 * `renamedFrom` when it renamed the unborn branch, `other` when HEAD is on another branch with commits, or on an
 * unborn one beside a `branch` that has commits (left as it is).
 */
export async function nameFirstBranch({
  dir,
  branch,
}: {
  dir: string;
  branch: string;
}): Promise<{ renamedFrom?: string; other?: string }> {
  if (!(await exists(path.join(dir, '.git')))) return {};
  const current = await git.currentBranch({ fs, dir, fullname: false }).catch(() => undefined);
  if (!current || current === branch) return {};
  if ((await headCommit({ dir })) !== null) return { other: current };
  // An orphan branch beside a branch of that name with commits: HEAD moved there would make the first commit
  // delete that branch's files (a reviewer).
  const taken = await git.resolveRef({ fs, dir, ref: `refs/heads/${branch}` }).then(
    () => true,
    () => false,
  );
  if (taken) return { other: current };
  await git.writeRef({ fs, dir, ref: 'HEAD', value: `refs/heads/${branch}`, symbolic: true, force: true });
  return { renamedFrom: current };
}

/** The commit HEAD points at, or null in a repository without commits. */
export async function headCommit({ dir }: { dir: string }): Promise<string | null> {
  try {
    return await git.resolveRef({ fs, dir, ref: 'HEAD' });
  } catch (error) {
    if ((error as { code?: string }).code !== 'NotFoundError') throw error;
    await gitDir({ dir }); // a worktree's HEAD is not that of a repository without commits
    return null;
  }
}

async function hasCommit(dir: string, oid: string): Promise<boolean> {
  try {
    await git.readCommit({ fs, dir, oid });
    return true;
  } catch {
    return false;
  }
}

/**
 * Make sure commit `oid` is in the clone, fetching deeper history of `ref` (or every branch) from
 * `remote` until it is — what a shallow CI checkout needs before comparing a pull request with its
 * base. Returns whether anything was fetched.
 */
export async function ensureCommit({
  dir,
  oid,
  remote = 'origin',
  ref,
  url,
  http = nodeHttp,
  headers,
  depths = [1, 10, 100, 1000, 100000],
  log,
}: {
  dir: string;
  oid: string;
  /** Remote name in .git/config. */
  remote?: string;
  /** Branch known to contain the commit (e.g. the pull request's base branch); default: all branches. */
  ref?: string;
  /** Fetch from this URL instead of the remote's. */
  url?: string;
  /** isomorphic-git HTTP client (default: Node's). */
  http?: HttpClient;
  /** Extra HTTP headers, e.g. an Authorization header in CI. */
  headers?: Record<string, string>;
  /** Depths tried in turn. */
  depths?: number[];
  log?: Logger;
}): Promise<{ fetched: boolean }> {
  if (await hasCommit(dir, oid)) return { fetched: false };
  for (const depth of depths) {
    log?.debug(`fetching ${ref ?? 'all branches'} from ${url ?? remote} with depth ${depth} to find ${oid}`);
    try {
      await git.fetch({
        fs,
        http,
        dir,
        ...(url ? { url } : { remote }),
        ...(ref ? { ref, singleBranch: true } : { singleBranch: false }),
        depth,
        tags: false,
        // isomorphic-git adds protocol headers to the object it is given: hand it a copy each time.
        ...(headers ? { headers: { ...headers } } : {}),
      });
    } catch (error) {
      throw new VitrineError(
        'GIT_FETCH_FAILED',
        `Could not fetch history from "${url ?? remote}" to find commit ${oid}: ${(error as Error).message}`,
        { oid, remote: url ?? remote },
        { cause: error },
      );
    }
    if (await hasCommit(dir, oid)) return { fetched: true };
  }
  throw new VitrineError(
    'GIT_COMMIT_MISSING',
    `Commit ${oid} is not in the history of ${ref ?? 'any branch'} on "${url ?? remote}".`,
    { oid, ref },
  );
}

/** The entries of a folder list (a `.dir` object) by its md5: the caller's to find, in the cache or on a remote. */
export type FolderList = (md5: string) => Promise<ManifestEntry[]>;

async function manifestAt({
  root,
  ref,
  folderList,
}: {
  root: string;
  ref: string;
  folderList: FolderList;
}): Promise<{ md5: string | null; entries: ManifestEntry[] }> {
  const text = await readFileAtRef({ dir: root, ref, filepath: 'data.dvc' });
  if (text === null) return { md5: null, entries: [] };
  const parsed = parseDvcFile({ text, file: `data.dvc at ${ref}` });
  if (parsed.legacy) throw legacyError(`data.dvc at ${ref}`);
  const md5 = parsed.outs[0].md5;
  return { md5, entries: await folderList(md5) };
}

/**
 * Which files of the data folder (relpaths inside data/) were added, removed or modified between
 * `base` and `head`, from the `.dir` manifests data.dvc records at each ref, which `folderList` reads
 * (folderLists in data/ops.ts: the local cache, else the remote). Passed in, so that this module talks
 * to git only and what bundles it (the data-cache action) does not carry the storage clients.
 */
export async function dataDiff({
  root,
  base,
  head,
  log,
  folderList,
}: {
  root: string;
  base: string;
  head: string;
  log: Logger;
  folderList: FolderList;
}): Promise<{ added: string[]; removed: string[]; modified: string[] }> {
  const before = await manifestAt({ root, ref: base, folderList });
  const after = await manifestAt({ root, ref: head, folderList });
  if (before.md5 === after.md5) return { added: [], removed: [], modified: [] };
  const diff = diffEntries(before.entries, after.entries);
  log.debug(`data diff ${base}..${head}: +${diff.added.length} -${diff.removed.length} ~${diff.modified.length}`);
  return diff;
}

/** The git tree entry of `filepath` (posix) in `commit`: its mode (120000 for a symbolic link) and blob; null if absent. */
async function treeEntry({ dir, commit, filepath }: { dir: string; commit: string; filepath: string }) {
  const parent = path.posix.dirname(filepath);
  try {
    const { tree } = await git.readTree({ fs, dir, oid: commit, ...(parent === '.' ? {} : { filepath: parent }) });
    const entry = tree.find((e) => e.path === path.posix.basename(filepath) && e.type === 'blob');
    if (!entry) return null;
    return { mode: entry.mode, blob: Buffer.from((await git.readBlob({ fs, dir, oid: entry.oid })).blob) };
  } catch (error) {
    if ((error as { code?: string }).code === 'NotFoundError') return null;
    throw error;
  }
}

/** The environment git would run with: where it finds the user's and the system's config. */
export type GitEnv = Record<string, string | undefined>;

/**
 * A `core.<key>` setting as git reads it: the repository's config, else the user's, else the system's, found through
 * the run's `env` (GIT_CONFIG_GLOBAL, XDG_CONFIG_HOME, HOME…), as git run in that environment would.
 */
async function coreSetting({ dir, key, env }: { dir: string; key: string; env: GitEnv }): Promise<string | undefined> {
  const local = await git.getConfig({ fs, dir, path: `core.${key}` }).catch(() => undefined);
  if (local !== undefined && local !== null) return String(local);
  const home = env.HOME || os.homedir();
  // As git: GIT_CONFIG_GLOBAL replaces both user files; GIT_CONFIG_NOSYSTEM is a yes/no ("0" and "false" are no).
  const noSystem = !/^(|0|false|no|off)$/i.test((env.GIT_CONFIG_NOSYSTEM ?? '').trim());
  const files = [
    ...(env.GIT_CONFIG_GLOBAL !== undefined
      ? [env.GIT_CONFIG_GLOBAL]
      : [path.join(home, '.gitconfig'), path.join(env.XDG_CONFIG_HOME || path.join(home, '.config'), 'git', 'config')]),
    ...(noSystem
      ? []
      : [
          env.GIT_CONFIG_SYSTEM ?? '/etc/gitconfig',
          // Git for Windows keeps core.autocrlf=true here.
          ...(process.platform === 'win32'
            ? [path.join(env.ProgramFiles ?? 'C:\\Program Files', 'Git', 'etc', 'gitconfig')]
            : []),
        ]),
  ];
  for (const file of files) {
    let section = '';
    let value: string | undefined;
    for (const line of (await readFile(file, 'utf8').catch(() => '')).split(/\r?\n/)) {
      const header = /^\s*\[([^\]\s"]+)[^\]]*\]/.exec(line);
      if (header) section = header[1]!.toLowerCase();
      const setting = /^\s*([A-Za-z][\w-]*)\s*(?:=\s*(.*?))?\s*$/.exec(header ? line.slice(header[0].length) : line);
      if (section === 'core' && setting && setting[1]!.toLowerCase() === key.toLowerCase())
        // A comment after the value ("true ; Git for Windows") is not part of it; a quoted value keeps its own.
        value = (setting[2] ?? 'true')
          .replace(/^("[^"]*"|[^;#]*).*$/, '$1')
          .trim()
          .replace(/^"(.*)"$/, '$1');
    }
    if (value !== undefined) return value;
  }
  return undefined;
}

/** A .gitattributes pattern (gitignore-like) as a test of a posix path. */
function attributePattern(pattern: string): (filepath: string) => boolean {
  const anchored = pattern.includes('/');
  const source = pattern
    .replace(/^\//, '')
    .split(/(\*\*\/|\*\*|\*|\?)/)
    .map((part) =>
      part === '**/'
        ? '(?:.*/)?'
        : part === '**'
          ? '.*'
          : part === '*'
            ? '[^/]*'
            : part === '?'
              ? '[^/]'
              : part.replace(/[.+^${}()|[\]\\]/g, '\\$&'),
    )
    .join('');
  const regex = new RegExp(`^${source}$`);
  return (filepath) => regex.test(anchored ? filepath : path.posix.basename(filepath));
}

/**
 * Whether git converts `filepath`'s line ends between work tree and repository: "text" (set, auto, or an eol given) in
 * .gitattributes or .git/info/attributes, else core.autocrlf true or input. `binary` and `-text` turn it off.
 * Only the work tree's top .gitattributes is read: the files compared here are at the top.
 */
async function convertsLineEnds({
  dir,
  filepath,
  env,
}: {
  dir: string;
  filepath: string;
  env: GitEnv;
}): Promise<boolean | 'auto'> {
  const gitdir = (await gitDir({ dir })) ?? path.join(dir, '.git');
  let text: boolean | 'auto' | undefined;
  for (const file of [path.join(dir, '.gitattributes'), path.join(gitdir, 'info', 'attributes')]) {
    for (const line of (await readFile(file, 'utf8').catch(() => '')).split(/\r?\n/)) {
      const [pattern, ...attributes] = line.trim().split(/\s+/);
      if (!pattern || pattern.startsWith('#') || !attributePattern(pattern)(filepath)) continue;
      for (const attribute of attributes) {
        if (attribute === 'text' || attribute.startsWith('eol=') || attribute === 'crlf') text = true;
        else if (attribute === 'text=auto') text = 'auto';
        else if (attribute === '-text' || attribute === 'binary' || attribute === '-crlf') text = false;
        else if (attribute === '!text') text = undefined;
      }
    }
  }
  if (text !== undefined) return text;
  const autocrlf = (await coreSetting({ dir, key: 'autocrlf', env }))?.toLowerCase();
  return autocrlf === 'true' || autocrlf === 'input' || autocrlf === 'yes' || autocrlf === 'on' || autocrlf === '1'
    ? 'auto'
    : false;
}

/**
 * Is the work tree's `filepath` what commit `ref` holds, as "git status" judges it? A symbolic link is its target (a
 * link's blob is the path it points to, and git with core.symlinks=false writes that path into a plain file); a file
 * git converts on checkout (core.autocrlf true or input, .gitattributes text or eol) is the same when it equals the
 * blob once its CRLF line ends are made LF. Absent from both is the same.
 */
export async function sameAsCommitted({
  dir,
  ref,
  filepath,
  env,
}: {
  dir: string;
  ref: string;
  filepath: string;
  env: GitEnv;
}): Promise<boolean> {
  const commit = await resolveCommit({ dir, ref });
  const posix = filepath.split(path.sep).join('/');
  const entry = await treeEntry({ dir, commit, filepath: posix });
  const file = path.join(dir, filepath);
  const info = await lstat(file).catch(() => null);
  if (!entry || !info) return !entry && !info;
  const link = entry.mode === '120000';
  if (info.isSymbolicLink()) return link && (await readlink(file, 'utf8')) === entry.blob.toString('utf8');
  if (!info.isFile()) return false;
  const now = await readFile(file);
  if (link) return (await coreSetting({ dir, key: 'symlinks', env })) === 'false' && now.equals(entry.blob);
  if (now.equals(entry.blob)) return true;
  const converts = await convertsLineEnds({ dir, filepath: posix, env });
  // Git leaves what looks binary (a NUL byte) alone unless told it is text, and a blob committed with CRLF as it is.
  if (!converts || (converts === 'auto' && now.includes(0)) || entry.blob.includes('\r\n')) return false;
  return Buffer.from(now.toString('latin1').replace(/\r\n/g, '\n'), 'latin1').equals(entry.blob);
}
