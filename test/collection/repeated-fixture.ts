import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import { type ImportResult, importCollection } from '../../pipeline/collection/import.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams, type Params } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';

/*
 * The setup the two repeated-column test files share: an export folder (images and the export file) per case,
 * and import or init run on it, each case in its own folder under one temp dir.
 */

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]);

/** A temp folder for this test file's cases, made before and removed after them. */
export function caseFolders(prefix: string): { folder: (name: string) => string } {
  let root = '';
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), prefix));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });
  return { folder: (name: string) => path.join(root, name) };
}

/** `<case>/export/` with `file` holding `text` and a small JPEG per name in `images`. */
export async function exportFolder({
  at,
  file = 'objects.csv',
  text,
  images,
}: {
  at: string;
  file?: string;
  text: string;
  images: string[];
}): Promise<{ file: string; dir: string }> {
  const dir = path.join(at, 'export');
  await mkdir(dir, { recursive: true });
  for (const image of images) await writeFile(path.join(dir, image), Buffer.concat([JPEG, Buffer.from(image)]));
  await writeFile(path.join(dir, file), text);
  return { file: path.join(dir, file), dir };
}

/** Import the export of `at` into `<case>/repo`: the result, or the error it threw. */
export async function importExport({
  at,
  export: { file, dir },
  edit,
}: {
  at: string;
  export: { file: string; dir: string };
  edit?: (params: Params) => void;
}): Promise<{ root: string; log: ReturnType<typeof memoryLogger> } & ({ result: ImportResult } | { error: unknown })> {
  const params = defaultParams();
  edit?.(params);
  const root = path.join(at, 'repo');
  const log = memoryLogger();
  try {
    const result = await importCollection({ ws: workspace(root), params, metadata: file, images: dir, log });
    return { root, log, result };
  } catch (error) {
    return { root, log, error };
  }
}

/** `vitrine init --from <file> …args` in an empty `<case>/museum`: exit code, every message, the files left. */
export async function initFrom({
  at,
  file,
  args = [],
}: {
  at: string;
  file: string;
  args?: string[];
}): Promise<{ code: number; messages: string[]; museum: string; files: string[] }> {
  const museum = path.join(at, 'museum');
  await mkdir(museum, { recursive: true });
  const log = memoryLogger();
  const code = await main(['init', '--from', file, ...args], {
    cwd: museum,
    env: {},
    stdout: () => {},
    log,
    interactive: false,
  });
  return { code, messages: log.lines.map((l) => l.message), museum, files: await readdir(museum) };
}
