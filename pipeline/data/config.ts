import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { VitrineError } from '../errors.ts';
import { isInside, writeFileAtomic } from '../fs.ts';

/*
 * `.dvc/config` and `.dvc/config.local` in DVC's configobj INI dialect:
 *
 *   [core]
 *       remote = storage
 *   ['remote "storage"']
 *       url = ../storage
 *
 * `config.local` (not in git) overrides `config`: credentials belong there. Relative local remote
 * URLs are relative to the `.dvc/` folder, as DVC resolves them.
 */

export interface IniSection {
  name: string;
  entries: [key: string, value: string][];
}

/** Parse configobj-style INI text. Errors name the file and line. */
export function parseIni({ text, file }: { text: string; file: string }): IniSection[] {
  const sections: IniSection[] = [];
  let current: IniSection | undefined;
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
    const header = /^\[\s*(.+?)\s*\]$/.exec(line);
    if (header) {
      current = { name: unquote(header[1]), entries: [] };
      sections.push(current);
      return;
    }
    const kv = /^([^=]+?)\s*=\s*(.*)$/.exec(line);
    if (!kv || !current) {
      throw new VitrineError(
        'DVC_CONFIG_INVALID',
        `${file}:${index + 1}: expected "[section]" or "key = value", found "${line}".`,
        { file, line: index + 1 },
      );
    }
    current.entries.push([kv[1].trim(), unquote(kv[2].replace(/\s+#.*$/, '').trim())]);
  });
  return sections;
}

function unquote(s: string): string {
  if (s.length >= 2 && ((s.startsWith("'") && s.endsWith("'")) || (s.startsWith('"') && s.endsWith('"'))))
    return s.slice(1, -1);
  return s;
}

/** Format sections as DVC (configobj) writes them: four-space indent, names quoted when they hold quotes. */
export function formatIni(sections: IniSection[]): string {
  const lines: string[] = [];
  for (const section of sections) {
    if (section.entries.length === 0) continue;
    lines.push(section.name.includes('"') ? `['${section.name}']` : `[${section.name}]`);
    for (const [key, value] of section.entries) lines.push(`    ${key} = ${value}`);
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}

async function readIni(file: string): Promise<IniSection[]> {
  try {
    return parseIni({
      text: await readFile(file, 'utf8'),
      file: path.basename(path.dirname(file)) + '/' + path.basename(file),
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** A remote as configured, with `url` resolved (local paths made absolute). */
export interface RemoteConfig {
  name: string;
  url: string;
  /** Every option of the `remote "name"` section (endpointurl, access_key_id, region, …). */
  options: Record<string, string>;
}

export interface DvcConfig {
  /** `core.remote`: the default remote's name, if any. */
  defaultRemote?: string;
  remotes: Record<string, RemoteConfig>;
  /** Absolute path of the local cache (`cache.dir`, default `.dvc/cache`). */
  cacheDir: string;
}

/** Read `.dvc/config` merged with `.dvc/config.local`. */
export async function readDvcConfig({ root }: { root: string }): Promise<DvcConfig> {
  const dvcDir = path.join(path.resolve(root), '.dvc');
  const merged = new Map<string, Map<string, string>>();
  for (const file of [path.join(dvcDir, 'config'), path.join(dvcDir, 'config.local')]) {
    for (const section of await readIni(file)) {
      const target = merged.get(section.name) ?? new Map<string, string>();
      for (const [k, v] of section.entries) target.set(k, v);
      merged.set(section.name, target);
    }
  }
  const remotes: Record<string, RemoteConfig> = {};
  for (const [name, entries] of merged) {
    const m = /^remote\s+"(.+)"$/.exec(name);
    if (!m) continue;
    const options = Object.fromEntries(entries);
    const url = options.url ?? '';
    remotes[m[1]] = { name: m[1], url: isUrl(url) || url === '' ? url : path.resolve(dvcDir, url), options };
  }
  const cacheDirRaw = merged.get('cache')?.get('dir');
  return {
    defaultRemote: merged.get('core')?.get('remote'),
    remotes,
    cacheDir: cacheDirRaw ? path.resolve(dvcDir, cacheDirRaw) : path.join(dvcDir, 'cache'),
  };
}

/** True for `scheme://…` URLs (s3://, gs://, …) as opposed to local paths. */
export function isUrl(url: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(url) && !/^file:\/\//i.test(url);
}

/**
 * Set keys in `.dvc/config` (or `.dvc/config.local`), keeping everything else as it was. config.local holds the
 * remote's keys: it is written readable by its owner only, as the AWS CLI writes its credentials (tester T4).
 */
export async function setDvcConfig({
  root,
  local = false,
  values,
}: {
  root: string;
  local?: boolean;
  values: { section: string; key: string; value: string }[];
}): Promise<void> {
  const file = path.join(path.resolve(root), '.dvc', local ? 'config.local' : 'config');
  const sections = await readIni(file);
  for (const { section, key, value } of values) {
    let target = sections.find((s) => s.name === section);
    if (!target) {
      target = { name: section, entries: [] };
      sections.push(target);
    }
    const entry = target.entries.find(([k]) => k === key);
    if (entry) entry[1] = value;
    else target.entries.push([key, value]);
  }
  await writeFileAtomic({ file, data: formatIni(sections), ownerOnly: local });
}

/** Remove remote `name` from `.dvc/config`, like `dvc remote remove NAME`, keeping everything else as it was. */
export async function removeDvcRemote({ root, name }: { root: string; name: string }): Promise<void> {
  const file = path.join(path.resolve(root), '.dvc', 'config');
  const sections = await readIni(file);
  const kept = sections.filter((s) => s.name !== `remote "${name}"`);
  if (kept.length !== sections.length) await writeFileAtomic({ file, data: formatIni(kept) });
}

/**
 * Copy remote `from`'s settings to a new remote `to`, each file's to the same file (its keys stay in config.local,
 * never committed): how "data init" keeps the old server of a remote it points at another one (reviewer V17).
 */
export async function copyDvcRemote({ root, from, to }: { root: string; from: string; to: string }): Promise<void> {
  for (const local of [false, true]) {
    const file = path.join(path.resolve(root), '.dvc', local ? 'config.local' : 'config');
    const sections = await readIni(file);
    const source = sections.find((s) => s.name === `remote "${from}"`);
    if (!source) continue;
    const kept = sections.filter((s) => s.name !== `remote "${to}"`);
    kept.push({ name: `remote "${to}"`, entries: source.entries.map(([k, v]) => [k, v] as [string, string]) });
    await writeFileAtomic({ file, data: formatIni(kept), ownerOnly: local });
  }
}

/** What `dvc init` writes to `.dvc/.gitignore`. */
export const DVC_GITIGNORE = '/config.local\n/tmp\n/cache\n';

/** What `dvc init` writes to `.dvcignore`. */
export const DVCIGNORE =
  '# Add patterns of files dvc should ignore, which could improve\n# the performance. Learn more at\n# ' +
  'https://dvc.org/doc/user-guide/dvcignore\n';

/**
 * A folder remote outside the repository whose parent folder is missing: refused, not made with its parents. A typo in
 * a share's path, or a share that is not mounted (/mnt/share/vitrine with no /mnt/share), would otherwise put the only
 * copy of the images on this computer's own disk without a word (an outside tester). A folder inside the repository
 * (the default, .vitrine-remote) is made as before. `url` is a folder relative to `root`, or an s3:// address.
 */
export async function remoteParentMissing({
  root,
  url,
}: {
  root: string;
  url: string;
}): Promise<VitrineError | undefined> {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return undefined;
  const absRoot = path.resolve(root);
  const folder = path.resolve(absRoot, url);
  if (folder === absRoot || isInside(absRoot, folder)) return undefined;
  const { stat } = await import('node:fs/promises');
  const parent = path.dirname(folder);
  if (await stat(parent).catch(() => undefined)) return undefined;
  return new VitrineError(
    'REMOTE_FOLDER_MISSING',
    `The data remote's folder ${folder} cannot be made: the folder it would go in, ${parent}, does not exist. ` +
      'If it is a network share or a drive, it is not mounted (or its path has a typo): mount it, or correct the ' +
      `path, then run the command again. If it is meant to be new, make it first (mkdir -p ${parent}). Nothing was ` +
      'written.',
    { dir: parent, url },
  );
}

/**
 * Whether the folder a new remote folder was made in (outside the repository) held nothing else and is on the same
 * disk as the folder above it: what a share's mount point is while the share is not mounted (/mnt/share), where the
 * images would go to this computer's own disk (a reviewer). A mounted share is a disk of its own.
 */
async function emptyMountPoint({ root, folder }: { root: string; folder: string }): Promise<boolean> {
  if (folder === root || isInside(root, folder)) return false;
  const { readdir, stat } = await import('node:fs/promises');
  const parent = path.dirname(folder);
  const above = path.dirname(parent);
  if (above === parent) return false;
  const others = (await readdir(parent).catch(() => ['?'])).filter((n) => n !== path.basename(folder));
  if (others.length > 0) return false;
  const [a, b] = await Promise.all([stat(parent).catch(() => null), stat(above).catch(() => null)]);
  return a !== null && b !== null && a.dev === b.dev;
}

/**
 * Make `root` a DVC repository with a default remote, like `dvc init` + `dvc remote add -d NAME URL`.
 * A local `remoteUrl` may be absolute (written as it is) or relative to `root` (written relative to `.dvc/`), as DVC
 * does.
 * Re-running it only updates the remote. A local remote's folder is made here, and only here (push and pull
 * refuse a missing one: most often a share that is not mounted); `createdFolder` is set when it was new.
 */
export async function initData({
  root,
  remoteName = 'local',
  remoteUrl,
}: {
  root: string;
  remoteName?: string;
  remoteUrl: string;
}): Promise<{
  createdFolder?: string;
  /** The folder the new remote folder was made in held nothing and is no mounted disk: a share not mounted? */
  emptyParent?: string;
  replaced?: { name: string; url?: string };
}> {
  const absRoot = path.resolve(root);
  const dvcDir = path.join(absRoot, '.dvc');
  if (!/^[A-Za-z0-9_.-]+$/.test(remoteName)) {
    throw new VitrineError(
      'DVC_REMOTE_NAME',
      `The remote name "${remoteName}" is not allowed: use letters, digits, "-", "_" or ".".`,
      { remote: remoteName },
    );
  }
  const { mkdir, writeFile, access } = await import('node:fs/promises');
  // The remote's folder first: one that cannot be made (no permission) leaves the config as it was.
  const folder = /^[a-z][a-z0-9+.-]*:\/\//i.test(remoteUrl) ? undefined : path.resolve(absRoot, remoteUrl);
  const missing = await remoteParentMissing({ root: absRoot, url: remoteUrl });
  if (missing) throw missing;
  const createdFolder = folder ? await mkdir(folder, { recursive: true }) : undefined;
  await mkdir(dvcDir, { recursive: true });
  const ensure = async (file: string, text: string) => {
    try {
      await access(file);
    } catch {
      await writeFile(file, text);
    }
  };
  await ensure(path.join(dvcDir, '.gitignore'), DVC_GITIGNORE);
  await ensure(path.join(absRoot, '.dvcignore'), DVCIGNORE);
  await ensure(path.join(dvcDir, 'config'), '');
  // An absolute folder stays absolute, as DVC keeps it (a tester: /mnt/collection-store/vitrine was written
  // ../../mnt/…, which a clone elsewhere, the runner's, read as another folder); a relative one is kept relative.
  const url = isUrl(remoteUrl)
    ? remoteUrl
    : path.isAbsolute(remoteUrl)
      ? path.normalize(remoteUrl)
      : path.relative(dvcDir, path.resolve(absRoot, remoteUrl)).split(path.sep).join('/') || '.';
  // The default until now, when this changes it (another remote, or this one moved): the images sent so far are there.
  const before = await readDvcConfig({ root: absRoot });
  const old = before.defaultRemote;
  // A folder's url comes back absolute.
  const oldUrl = old ? before.remotes[old]?.url || undefined : undefined;
  const newUrl = isUrl(url) ? url : path.resolve(dvcDir, url);
  const replaced = old && (old !== remoteName || (oldUrl !== undefined && oldUrl !== newUrl)) ? old : undefined;
  await setDvcConfig({
    root: absRoot,
    values: [
      { section: 'core', key: 'remote', value: remoteName },
      { section: `remote "${remoteName}"`, key: 'url', value: url },
    ],
  });
  return {
    ...(createdFolder && folder ? { createdFolder: folder } : {}),
    ...(createdFolder && folder && (await emptyMountPoint({ root: absRoot, folder }))
      ? { emptyParent: path.dirname(folder) }
      : {}),
    // A folder's url as data init is given it (from the repository), not as .dvc/config keeps it (from .dvc).
    ...(replaced
      ? {
          replaced: {
            name: replaced,
            ...(oldUrl === undefined
              ? {}
              : { url: isUrl(oldUrl) ? oldUrl : shownFolder(path.relative(absRoot, oldUrl)) }),
          },
        }
      : {}),
  };
}

/** A folder relative to the repository as typed: "../storage", "." for the repository itself. */
function shownFolder(relative: string): string {
  return relative.split(path.sep).join('/') || '.';
}

/** The warning for a remote folder made in an empty folder that is no mounted disk (emptyMountPoint). */
export function emptyParentWords({ folder, parent }: { folder: string; parent: string }): string {
  return (
    `${parent}, where the data remote's folder was made, was empty and is not a mounted disk. If a network share or ` +
    `a drive should be mounted there, it is not, and the images would go to this computer's own disk: mount it, ` +
    `remove ${folder}, and run the command again. If ${parent} is meant to hold the images, nothing is wrong.`
  );
}
