import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
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
  /^# Written by vitrine init from the workflow of Vitrine (\S+) \(sha256 ([0-9a-f]{12}) of the lines below\)\.\n#[^\n]*\n/;

/** A workflow's text as Vitrine writes it: the header comment, then the template's lines. */
export function markedWorkflow({ body, version }: { body: string; version: string }): string {
  return (
    `# Written by vitrine init from the workflow of Vitrine ${version} (sha256 ${bodyHash(body)} of the lines below).\n` +
    '# npx vitrine init --update-workflows replaces it with a newer Vitrine’s, unless it was edited here.\n' +
    body
  );
}

/** What a workflow file says of itself: the Vitrine that wrote it, and whether its lines are still as written. */
export function workflowMark(text: string): { version: string; untouched: boolean } | undefined {
  const unix = text.replace(/\r\n/g, '\n');
  const m = HEADER.exec(unix);
  if (!m) return undefined;
  return { version: m[1]!, untouched: bodyHash(unix.slice(m[0].length)) === m[2] };
}

function bodyHash(body: string): string {
  return createHash('sha256').update(body.replace(/\r\n/g, '\n')).digest('hex').slice(0, 12);
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
  await mkdir(to, { recursive: true });
  const version = await packageVersion();
  const written: string[] = [];
  const kept: string[] = [];
  for (const { file, text } of await templates()) {
    const target = path.join(to, file);
    if (await stat(target).catch(() => undefined)) {
      kept.push(`.github/workflows/${file}`);
      continue;
    }
    await writeFileAtomic({ file: target, data: markedWorkflow({ body: pointed({ text, ref }), version }) });
    written.push(`.github/workflows/${file}`);
  }
  return { written, kept };
}

export interface WorkflowUpdate {
  /** Rewritten to the current templates: as an earlier Vitrine wrote them, or edited here and replaced by force. */
  replaced: string[];
  /** Templates the repository did not have. */
  added: string[];
  /** Already as the current templates. */
  current: string[];
  /**
   * Not as any Vitrine wrote them: edited here ("edited"), or without the mark of the Vitrine that wrote them
   * ("unmarked": written by an init before the mark, or by hand). Left as they are, unless replaced by force.
   */
  edited: { file: string; why: 'edited' | 'unmarked' }[];
}

/**
 * `vitrine init --update-workflows`: the repository's copies of Vitrine's workflows rewritten to this Vitrine's
 * templates. A file as an earlier Vitrine wrote it is replaced; one edited since, or with no mark of the Vitrine
 * that wrote it (init before the mark), is left as it is unless `force`. Other workflows are not touched.
 */
export async function updateWorkflows({
  root,
  ref,
  force = false,
}: {
  root: string;
  ref?: string;
  force?: boolean;
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
  const to = path.join(root, '.github', 'workflows');
  await mkdir(to, { recursive: true });
  const version = await packageVersion();
  const result: WorkflowUpdate = { replaced: [], added: [], current: [], edited: [] };
  const writes: { target: string; data: string }[] = [];
  let history: Map<string, string[]> | undefined;
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
  for (const { file, text } of await templates()) {
    const name = `.github/workflows/${file}`;
    const target = path.join(to, file);
    const body = pointed({ text, ref });
    const data = markedWorkflow({ body, version });
    const now = (await readFile(target, 'utf8').catch(() => undefined))?.replace(/\r\n/g, '\n');
    if (now === undefined) {
      result.added.push(name);
      writes.push({ target, data });
      continue;
    }
    const mark = workflowMark(now);
    if (now.slice(HEADER.exec(now)?.[0].length ?? 0) === body) {
      // The same lines: only the mark is written (again), naming this Vitrine.
      result.current.push(name);
      if (now !== data) writes.push({ target, data });
      continue;
    }
    // A file from before the mark: as an earlier Vitrine wrote it when its lines are one of the template's earlier
    // texts, pointed where this file points (Vitrine's own history, read only when needed).
    history ??= !mark ? await folderHistory({ dir: PACKAGE_ROOT, folder: '.github/workflows' }) : undefined;
    const earlier =
      !mark && (history?.get(file) ?? []).some((old) => pointed({ text: old, ref: pointsAt(now) }) === now);
    if (!mark?.untouched && !earlier) result.edited.push({ file: name, why: mark ? 'edited' : 'unmarked' });
    if (mark?.untouched || earlier || force) {
      result.replaced.push(name);
      writes.push({ target, data });
    }
  }
  for (const w of writes) await writeFileAtomic({ file: w.target, data: w.data });
  return result;
}
