import { createHash } from 'node:crypto';
import { lstat, mkdir, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { VitrineError } from '../errors.ts';
import { writeFileAtomic } from '../fs.ts';
import { folderHistory } from '../git/history.ts';
import { vitrineCommandLine } from './invocation.ts';

/*
 * Vitrine's workflows in a museum's repository: written by `vitrine init` from the templates in Vitrine's own
 * .github/workflows, and brought up to a newer Vitrine's by `vitrine init --update-workflows`. Each file written
 * starts with a comment naming the Vitrine version and a hash of the lines below it, so that an update can tell a
 * file nobody touched (replaced) from one the museum edited (left alone unless --force).
 */

/** The Vitrine package's own folder (its .github/workflows are the templates). */
const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

const HEADER =
  /^# Written by vitrine init from the workflow of Vitrine (\S+) \(sha256 ([0-9a-f]{12}) of the lines below\)\.\n#([^\n]*)\n/;

/** A workflow's text as Vitrine writes it: the header comment (naming its template), then the template's lines. */
export function markedWorkflow({
  body,
  version,
  template,
}: {
  body: string;
  version: string;
  template?: string;
}): string {
  return (
    `# Written by vitrine init from the workflow of Vitrine ${version} (sha256 ${bodyHash(body)} of the lines below).\n` +
    `#${template ? ` Vitrine’s ${template}:` : ''} npx vitrine init --update-workflows replaces it with a newer ` +
    'Vitrine’s, unless it was edited here.\n' +
    body
  );
}

/** A file's text as compared: without a byte-order mark, with Unix line ends. */
function plain(text: string): string {
  return text.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');
}

/**
 * What a workflow file says of itself: the Vitrine that wrote it, the template it was written from (marks before
 * that have none), and whether its lines are still as written.
 */
export function workflowMark(text: string): { version: string; untouched: boolean; template?: string } | undefined {
  const unix = plain(text);
  const m = HEADER.exec(unix);
  if (!m) return undefined;
  const body = unix.slice(m[0].length);
  // Marks written before the `uses:` refs were left out of the hash hash the lines exactly.
  const untouched = bodyHash(body) === m[2] || exactHash(body) === m[2];
  const template = /^ Vitrine’s ([\w.-]+\.ya?ml):/.exec(m[3]!)?.[1];
  return { version: m[1]!, untouched, ...(template ? { template } : {}) };
}

/**
 * The hash of a workflow's lines, the version after each `uses: …@` left out: a pinned action's commit bumped
 * (Dependabot) is no edit, and the update sets Vitrine's own actions' commit anyway. Nor is the repository of
 * Vitrine's actions part of it: the update leaves that as it is (see `updateWorkflows`).
 */
function bodyHash(body: string): string {
  return exactHash(withoutRefs(body));
}

function exactHash(body: string): string {
  return createHash('sha256').update(plain(body)).digest('hex').slice(0, 12);
}

/**
 * The lines with Vitrine's actions as `./actions/…` (the repository they come from is checked on its own) and every
 * other `uses: x@ref` as `uses: x@`.
 */
function withoutRefs(text: string): string {
  return plain(text)
    .replace(/uses: [\w.-]+\/[\w.-]+\/actions\/([\w-]+)@[^\s#]+/g, 'uses: ./actions/$1')
    .replace(/^([ \t]*-?[ \t]*uses:[ \t]*[^\s@#]+)@[^\s#]*(?:[ \t]+#[^\n]*)?/gm, '$1@');
}

/** -1, 0 or 1 as version `a` is older than, the same as, or newer than `b`; 0 when either is not x.y.z. */
function compareVersions(a: string, b: string): number {
  const parts = (v: string) => /^v?(\d+)\.(\d+)\.(\d+)/.exec(v)?.slice(1).map(Number);
  const [x, y] = [parts(a), parts(b)];
  if (!x || !y) return 0;
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
  return 0;
}

/** A template with its local actions (`./actions/…`) pointed at `owner/repo@ref`, when given. */
function pointed({ text, ref }: { text: string; ref?: string }): string {
  if (!ref) return text;
  const [repository, version = 'main'] = ref.split('@') as [string, string?];
  return text.replace(
    /uses: \.\/actions\/([\w-]+)/g,
    (_, name: string) => `uses: ${repository}/actions/${name}@${version}`,
  );
}

/** The `owner/repo@ref` a workflow's `uses:` lines point Vitrine's actions at; undefined for `./actions/…`. */
function pointsAt(text: string): string | undefined {
  const m = /uses: ([\w.-]+\/[\w.-]+)\/actions\/[\w-]+@(\S+)/.exec(text);
  return m ? `${m[1]}@${m[2]}` : undefined;
}

async function templates(): Promise<{ file: string; text: string }[]> {
  const from = path.join(PACKAGE_ROOT, '.github', 'workflows');
  const files = (await readdir(from).catch(() => [] as string[])).filter((f) => /\.ya?ml$/.test(f)).sort();
  return Promise.all(files.map(async (file) => ({ file, text: await readFile(path.join(from, file), 'utf8') })));
}

async function packageVersion(): Promise<string> {
  return (await vitrineVersion()) ?? 'unknown';
}

/** This Vitrine's version (package.json), or undefined when it cannot be read. */
export async function vitrineVersion(): Promise<string | undefined> {
  return readFile(path.join(PACKAGE_ROOT, 'package.json'), 'utf8').then(
    (text) => (JSON.parse(text) as { version?: string }).version,
    () => undefined,
  );
}

/**
 * True when `root` is itself a copy of Vitrine (GitHub's "Use this template"), whose `./actions/…` work as they are:
 * a composite action installs Vitrine from the folder two levels above it (`npm ci` there), so an actions/ folder
 * copied alone, without Vitrine's package-lock.json, pipeline/ and bin/, makes every workflow fail at its install.
 */
export async function holdsVitrineActions(root: string): Promise<boolean> {
  const there = (file: string) =>
    stat(path.join(root, file)).then(
      () => true,
      () => false,
    );
  const needed = ['actions/setup-data/action.yml', 'package-lock.json', 'bin/vitrine.js', 'pipeline'];
  return (await Promise.all(needed.map(there))).every(Boolean);
}

/** The warning for workflows whose `./actions/…` this repository cannot run, and Vitrine's GitHub copy unknown. */
export async function noActionsWarning({ root }: { root: string }): Promise<string> {
  const update = await vitrineCommandLine({
    root,
    args: 'init --update-workflows --actions <owner>/<repo>@<the 40-character commit>',
  });
  return (
    "The workflows in .github/workflows use Vitrine's actions as ./actions/…, which work only in a copy of " +
    "Vitrine's whole repository (each installs Vitrine from it with npm ci, which needs package-lock.json, " +
    "pipeline/ and bin/: an actions/ folder copied alone makes every workflow fail there). Vitrine's folder is not " +
    'a clone of a GitHub repository (directly or through local clones), so init cannot point them at Vitrine on ' +
    'GitHub by itself. Before pushing to GitHub, put Vitrine on GitHub (fork it, or push its folder to a ' +
    `repository of your organisation), then point the workflows at it: ${update}`
  );
}

/** Vitrine's workflows into a new repository's .github/workflows; a file already there is kept as it is. */
export async function copyWorkflows({
  root,
  ref,
}: {
  root: string;
  /** `owner/repo@ref` of Vitrine's actions; none: `./actions/…` as in the templates. */
  ref?: string;
}): Promise<{ written: string[]; kept: string[] }> {
  const to = path.join(root, '.github', 'workflows');
  await refuseLinkedFolders({ root, update: false });
  await mkdir(to, { recursive: true });
  const version = await packageVersion();
  const written: string[] = [];
  const kept: string[] = [];
  for (const { file, text } of await templates()) {
    const target = path.join(to, file);
    // lstat: a symlink (even one pointing nowhere) is kept, never written through to where it points.
    if (await lstat(target).catch(() => undefined)) {
      kept.push(`.github/workflows/${file}`);
      continue;
    }
    const data = markedWorkflow({ body: pointed({ text, ref }), version, template: file });
    await writeFileAtomic({ file: target, data });
    written.push(`.github/workflows/${file}`);
  }
  return { written, kept };
}

/** .github or .github/workflows as a symlink: refused, as writing there could land outside the repository. */
async function refuseLinkedFolders({ root, update }: { root: string; update: boolean }): Promise<void> {
  for (const folder of ['.github', '.github/workflows']) {
    if (!(await lstat(path.join(root, folder)).catch(() => undefined))?.isSymbolicLink()) continue;
    throw new VitrineError(
      'INIT_UPDATE_NOT_A_FILE',
      `${folder} in ${root} is a symbolic link: Vitrine writes its workflows only into a real folder of the ` +
        `repository. Replace the link with the folder itself, then run this again.` +
        (update ? ' Nothing was changed.' : ' The workflows were not written.'),
      { file: path.join(root, folder) },
    );
  }
}

export interface WorkflowUpdate {
  /** Rewritten to the current templates: as an earlier Vitrine wrote them, or replaced by force. */
  replaced: string[];
  /** Templates the repository did not have, added as asked (`add`). */
  added: string[];
  /** Already as the current templates. */
  current: string[];
  /**
   * Left as they are, unless replaced by force: edited here ("edited"); without the mark of the Vitrine that wrote
   * them ("unmarked": written by an init before the mark, or by hand); pointing at another repository's actions
   * than `ref` ("repository", `uses` and `wanted` naming both); written by a newer Vitrine ("newer", `version`).
   */
  edited: {
    file: string;
    why: 'edited' | 'unmarked' | 'repository' | 'newer';
    uses?: string;
    wanted?: string;
    version?: string;
  }[];
  /** Templates with no copy here under any name (deleted, or new in this Vitrine): added only when asked. */
  missing: string[];
}

/** The repository a workflow's `uses:` lines take Vitrine's actions from: `owner/repo`, or `./actions` (here). */
function repositoryOf(text: string): string {
  return pointsAt(text)?.split('@')[0] ?? './actions';
}

/**
 * `vitrine init --update-workflows`: the repository's copies of Vitrine's workflows rewritten to this Vitrine's
 * templates. A file as an earlier Vitrine wrote it is replaced; one edited since, one with no mark of the Vitrine
 * that wrote it (init before the mark), one whose actions come from another repository than `ref`'s and one a
 * newer Vitrine wrote are left as they are unless `force`. A copy renamed here is updated under its name; a
 * template with no copy is added only when named in `add`. Every file is checked before any is written. Other
 * workflows are not touched.
 */
export async function updateWorkflows({
  root,
  ref,
  force = false,
  add = [],
}: {
  root: string;
  ref?: string;
  force?: boolean;
  /** Templates to add where the repository has no copy of them (`main.yml`). */
  add?: string[];
}): Promise<WorkflowUpdate> {
  if (path.resolve(root) === path.resolve(PACKAGE_ROOT))
    throw new VitrineError(
      'INIT_UPDATE_SELF',
      "This is Vitrine's own folder: its .github/workflows are the templates. Run the update in the museum's " +
        'repository (-C <folder>).',
    );
  if (!(await stat(path.join(root, 'params.yaml')).catch(() => undefined)))
    throw new VitrineError(
      'INIT_UPDATE_NO_REPOSITORY',
      `${root} has no params.yaml: it is not a repository vitrine init set up. Run the update in the museum's ` +
        'repository (or name it with -C). Nothing was changed.',
      { file: path.join(root, 'params.yaml') },
    );
  const version = await packageVersion();
  if (!ref && !(await holdsVitrineActions(root))) {
    // Where the museum's files point at Vitrine on GitHub, the commit of these templates is needed: an older
    // commit's actions with this Vitrine's workflows could take inputs they do not know.
    throw new VitrineError(
      'INIT_UPDATE_NO_ACTIONS',
      'Say which Vitrine on GitHub the workflows use: --actions <owner>/<repo>@<commit>, the commit of this ' +
        `Vitrine (${version}), whose workflows they get. Vitrine's folder is not a clone of a GitHub ` +
        'repository, so init cannot tell by itself. Nothing was changed.',
    );
  }
  const all = await templates();
  const unknown = add.filter((name) => !all.some((t) => t.file === name));
  if (unknown.length)
    throw new VitrineError(
      'INIT_UPDATE_NO_TEMPLATE',
      `${unknown.join(', ')}: not one of Vitrine's workflows (${all.map((t) => t.file).join(', ')}). ` +
        'Nothing was changed.',
    );
  await refuseLinkedFolders({ root, update: true });
  const to = path.join(root, '.github', 'workflows');
  // Every file there, checked before anything is written: a symlink, a folder or an unreadable file stops the update
  // with nothing changed (a write through a symlink could land outside the repository).
  const here = new Map<string, string>();
  const entries = await readdir(to, { withFileTypes: true }).catch(() => []);
  const names = new Set([...entries.map((e) => e.name), ...all.map((t) => t.file)]);
  for (const file of [...names].filter((f) => /\.ya?ml$/.test(f)).sort()) {
    const target = path.join(to, file);
    const info = await lstat(target).catch(() => undefined);
    if (!info) continue;
    const text = info.isFile() ? await readFile(target, 'utf8').catch(() => undefined) : undefined;
    const what = info.isSymbolicLink()
      ? 'a symbolic link'
      : info.isDirectory()
        ? 'a folder'
        : 'not a file Vitrine can read';
    if (text === undefined)
      throw new VitrineError(
        'INIT_UPDATE_NOT_A_FILE',
        `.github/workflows/${file} is ${what}: ` +
          'the update writes only plain files of the repository. Move it away (or make it a plain file), then run ' +
          'this again. Nothing was changed.',
        { file: target },
      );
    here.set(file, plain(text));
  }
  const wanted = ref?.split('@')[0] ?? './actions';
  const result: WorkflowUpdate = { replaced: [], added: [], current: [], edited: [], missing: [] };
  const writes: { target: string; data: string }[] = [];
  let history: Map<string, string[]> | undefined;
  for (const { file, text } of all) {
    const body = pointed({ text, ref });
    const data = markedWorkflow({ body, version, template: file });
    // The copies of this template: files whose mark names it (renamed here), or its own name marked with no other.
    const copies = [...here].filter(([name, now]) => {
      const template = workflowMark(now)?.template;
      return template === file || (name === file && template === undefined);
    });
    if (copies.length === 0) {
      if (add.includes(file)) {
        result.added.push(`.github/workflows/${file}`);
        writes.push({ target: path.join(to, file), data });
      } else result.missing.push(file);
      continue;
    }
    for (const [copy, now] of copies) {
      const name = `.github/workflows/${copy}`;
      const target = path.join(to, copy);
      const mark = workflowMark(now);
      const lines = now.slice(HEADER.exec(now)?.[0].length ?? 0);
      const leave = (e: WorkflowUpdate['edited'][number]) => {
        result.edited.push(e);
        if (!force) return;
        result.replaced.push(name);
        writes.push({ target, data });
      };
      // The repository whose actions run on the museum's runner is the museum's choice: never changed unasked.
      const uses = repositoryOf(lines);
      // GitHub's owner and repository names ignore case: Vitrine-Org/Vitrine is vitrine-org/vitrine (a reviewer).
      if (uses.toLowerCase() !== wanted.toLowerCase()) {
        leave({ file: name, why: 'repository', uses, wanted });
        continue;
      }
      if (mark && compareVersions(mark.version, version) > 0) {
        leave({ file: name, why: 'newer', version: mark.version });
        continue;
      }
      if (lines === body && (!mark || mark.untouched)) {
        // The same lines: only the mark is written (again), naming this Vitrine and its template.
        result.current.push(name);
        if (now !== data) writes.push({ target, data });
        continue;
      }
      // A file from before the mark: as an earlier Vitrine wrote it when its lines are the template's, or one of its
      // earlier texts, pointed where this file points (Vitrine's own history, read only when needed); the version
      // after each `uses: …@` aside.
      const same = (old: string) => withoutRefs(pointed({ text: old, ref: pointsAt(lines) })) === withoutRefs(lines);
      if (!mark && !same(text)) history ??= await folderHistory({ dir: PACKAGE_ROOT, folder: '.github/workflows' });
      const earlier = !mark && (same(text) || (history?.get(file) ?? []).some(same));
      if (mark?.untouched || earlier) {
        result.replaced.push(name);
        writes.push({ target, data });
      } else leave({ file: name, why: mark ? 'edited' : 'unmarked' });
    }
  }
  if (writes.length) await mkdir(to, { recursive: true });
  for (const w of writes) await writeFileAtomic({ file: w.target, data: w.data });
  return result;
}
