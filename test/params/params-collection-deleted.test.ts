import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import { isVitrineError } from '../../pipeline/errors.ts';
import { paramsProblems } from '../../pipeline/github/guard.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { loadParams } from '../../pipeline/params.ts';

/*
 * A museum’s params.yaml whose whole collection section was deleted took the demo’s name ("Vitrine Demo Museum") and
 * its vocabulary without a word, onto the public catalogue and into training: only a section lacking its name or
 * its vocabulary was refused. A file without the section is how the demo and many small fixtures are written, so
 * the rule is the one the demo’s own guard uses: a params.yaml with import settings (import.metadata or
 * import.images, which `vitrine init` always writes) is a museum’s, and must name its collection. The museum here is
 * made by a real `vitrine init` from a small export, in a real git repository.
 */

let root: string;
let museum: string;
let written: string;

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0]);

async function vitrine(args: string[], cwd: string) {
  const log = memoryLogger();
  let stdout = '';
  const code = await main(args, { cwd, env: {}, stdout: (t) => (stdout += t), log, interactive: false });
  return { code, stdout, messages: log.lines.map((l) => `${l.level}: ${l.message}`).join('\n') };
}

/** `text` without its top-level `collection:` section (the key line and every line under it). */
function withoutCollection(text: string): string {
  const lines = text.split('\n');
  const start = lines.indexOf('collection:');
  let end = start + 1;
  while (end < lines.length && /^(\s|$)/.test(lines[end]!) && !/^$/.test(lines[end]!)) end++;
  return [...lines.slice(0, start), ...lines.slice(end)].join('\n');
}

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-collection-deleted-'));
  const exported = path.join(root, 'export');
  await mkdir(exported);
  const rows = [
    ['C1', 'C1.jpg', 'coin'],
    ['C2', 'C2.jpg', 'coin'],
    ['V1', 'V1.jpg', 'vessel'],
    ['V2', 'V2.jpg', 'vessel'],
  ];
  for (const [id, file] of rows) await writeFile(path.join(exported, file!), Buffer.concat([JPEG, Buffer.from(id!)]));
  await writeFile(path.join(exported, 'objects.csv'), stringify([['id', 'image', 'label'], ...rows]));
  museum = path.join(root, 'museum');
  await mkdir(museum);
  const init = await vitrine(
    ['init', '--from', path.join(exported, 'objects.csv'), '--name', 'T Semi', '--yes'],
    museum,
  );
  expect(init.code, init.messages).toBe(0);
  written = await readFile(path.join(museum, 'params.yaml'), 'utf8');
}, 120_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('a museum’s params.yaml whose collection section was deleted', () => {
  it('is refused, naming the file, the import setting that makes it a museum’s, and the lines to add', async () => {
    expect(written).toMatch(/^collection:$/m);
    const deleted = withoutCollection(written);
    expect(deleted).not.toMatch(/^collection:/m);
    await writeFile(path.join(museum, 'params.yaml'), deleted);
    const error = await loadParams({ file: path.join(museum, 'params.yaml') }).catch((e: unknown) => e);
    expect(isVitrineError(error, 'PARAMS_MISSING')).toBe(true);
    if (!isVitrineError(error)) return;
    const line = deleted.split('\n').findIndex((l) => /^ {2}metadata: /.test(l)) + 1;
    expect(error.message).toMatch(new RegExp(`^params\\.yaml:${line}: there is no collection section`));
    expect(error.message).toContain('import.metadata');
    expect(error.message).toContain('"Vitrine Demo Museum"');
    expect(error.message).toContain('collection:\n  name: Your Museum\n  vocabulary: [coin, mask]');
    expect(error.data).toMatchObject({ file: 'params.yaml', line, missing: ['name', 'vocabulary'] });

    // `vitrine params get` and a run stop rather than print or publish the demo’s name.
    const got = await vitrine(['params', 'get', 'collection.name'], museum);
    expect(got.code).toBe(1);
    expect(got.stdout).not.toContain('Vitrine Demo Museum');
    expect(got.messages).toContain('there is no collection section');
    // The pull-request check refuses it as a run does.
    expect(paramsProblems({ head: deleted, base: written }).join('\n')).toContain('there is no collection section');
  });

  it('is refused when the section is left empty too', async () => {
    await writeFile(path.join(museum, 'params.yaml'), withoutCollection(written).replace(/^/, 'collection: {}\n'));
    const error = await loadParams({ file: path.join(museum, 'params.yaml') }).catch((e: unknown) => e);
    expect(isVitrineError(error, 'PARAMS_MISSING')).toBe(true);
  });

  it('still means the demo’s collection in a params.yaml without import settings', async () => {
    const dir = path.join(root, 'demo-like');
    await mkdir(dir);
    await writeFile(path.join(dir, 'params.yaml'), 'import:\n  metadata: ""\ntrain:\n  epochs: 5\n');
    const params = await loadParams({ file: path.join(dir, 'params.yaml') });
    expect(params.collection.name).toBe('Vitrine Demo Museum');
    // And the file init wrote, whole, is read as written.
    await writeFile(path.join(museum, 'params.yaml'), written);
    expect((await loadParams({ file: path.join(museum, 'params.yaml') })).collection.name).toBe('T Semi');
  });
});
