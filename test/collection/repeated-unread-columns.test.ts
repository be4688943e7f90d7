import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import { importCollection } from '../../pipeline/collection/import.ts';
import { parseLabels } from '../../pipeline/collection/index.ts';
import { isVitrineError } from '../../pipeline/errors.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';

/*
 * Collection-system exports often repeat a header nobody uses ("Notes" twice). Only a column Vitrine reads
 * (mapped to a field, guessed for one, or in import.keep) named twice is refused; any other is left out with
 * one warning. Vitrine's own files (labels.csv, data/objects.csv) still refuse any repeat.
 */

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-unread-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]);
const NOTES =
  'id,image,title,type,Notes,Notes\n' +
  ['A', 'B', 'C', 'D', 'E', 'F']
    .map((id, i) => `${id},${id}.jpg,Thing ${id},${i % 2 ? 'vase' : 'bowl'},x,y`)
    .join('\n') +
  '\n';

async function exportFolder(name: string, text: string) {
  const dir = path.join(root, name, 'export');
  await mkdir(dir, { recursive: true });
  for (const id of ['A', 'B', 'C', 'D', 'E', 'F'])
    await writeFile(path.join(dir, `${id}.jpg`), Buffer.concat([JPEG, Buffer.from(id)]));
  await writeFile(path.join(dir, 'objects.csv'), text);
  return { file: path.join(dir, 'objects.csv'), dir };
}

const WARNING =
  'the export names the column "Notes" twice (columns 5 and 6); Vitrine does not read it, so it is left out';

describe('a repeated column Vitrine does not read', () => {
  it('import goes on, with one warning naming it, and leaves the column out', async () => {
    const { file, dir } = await exportFolder('import', NOTES);
    const ws = workspace(path.join(root, 'import', 'repo'));
    const params = defaultParams();
    params.import.columns.label = 'type';
    const log = memoryLogger();
    const result = await importCollection({ ws, params, metadata: file, images: dir, log });
    expect(result.objects).toBe(6);
    const warnings = log.lines.filter((l) => l.message.includes('"Notes"'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.level).toBe('warn');
    expect(warnings[0]!.message).toContain(WARNING);
    expect(await readFile(path.join(ws.root, 'data', 'objects.csv'), 'utf8')).not.toContain('Notes');
  });

  for (const [how, set] of [
    ['mapped to a field', (p: ReturnType<typeof defaultParams>) => void (p.import.columns.description = 'Notes')],
    ['named in import.keep', (p: ReturnType<typeof defaultParams>) => void p.import.keep.push('Notes')],
  ] as const) {
    it(`import refuses it when it is ${how}`, async () => {
      const { file, dir } = await exportFolder(`refuse-${how}`, NOTES);
      const ws = workspace(path.join(root, `refuse-${how}`, 'repo'));
      const params = defaultParams();
      set(params);
      const error = await importCollection({ ws, params, metadata: file, images: dir, log: memoryLogger() }).catch(
        (e: unknown) => e,
      );
      expect(isVitrineError(error, 'CSV_COLUMNS')).toBe(true);
      expect((error as Error).message).toContain(
        'objects.csv:1: the header names the column "Notes" twice, columns 5 and 6',
      );
    });
  }

  it('init --from imports it (the guess passes over "Notes", which looks like a description) with one warning', async () => {
    const { file } = await exportFolder('init', NOTES);
    const museum = path.join(root, 'init', 'museum');
    await mkdir(museum, { recursive: true });
    const log = memoryLogger();
    const code = await main(['init', '--from', file], {
      cwd: museum,
      env: {},
      stdout: () => {},
      log,
      interactive: false,
    });
    const messages = log.lines.map((l) => l.message);
    expect(code, messages.join('\n')).toBe(0);
    expect(messages.filter((m) => m.includes('"Notes"'))).toHaveLength(1);
    expect(messages.join('\n')).toContain(WARNING);
    const params = await readFile(path.join(museum, 'params.yaml'), 'utf8');
    expect(params).not.toContain('Notes');
  });

  it('init refuses a repeated column it would guess as the label, naming it, and writes nothing', async () => {
    const { file } = await exportFolder('init-label', NOTES.replace('type,Notes,Notes', 'type,type,Notes'));
    const museum = path.join(root, 'init-label', 'museum');
    await mkdir(museum, { recursive: true });
    const log = memoryLogger();
    const code = await main(['init', '--from', file], {
      cwd: museum,
      env: {},
      stdout: () => {},
      log,
      interactive: false,
    });
    expect(code).not.toBe(0);
    expect(log.lines.map((l) => l.message).join('\n')).toContain(
      'the header names the column "type" twice, columns 4 and 5',
    );
    expect(await readdir(museum)).toEqual([]);
  });

  it('init refuses --column naming a repeated column, and writes nothing', async () => {
    const { file } = await exportFolder('init-column', NOTES);
    const museum = path.join(root, 'init-column', 'museum');
    await mkdir(museum, { recursive: true });
    const log = memoryLogger();
    const argv = ['init', '--from', file, '--column', 'description=Notes'];
    const code = await main(argv, { cwd: museum, env: {}, stdout: () => {}, log, interactive: false });
    expect(code).not.toBe(0);
    expect(log.lines.map((l) => l.message).join('\n')).toContain('the header names the column "Notes" twice');
    expect(await readdir(museum)).toEqual([]);
  });

  it('labels.csv refuses a repeated column even when Vitrine does not read it', () => {
    expect(() => parseLabels({ text: 'object_id,label,note,note\nA,vase,,\n', file: 'labels.csv' })).toThrow(
      'labels.csv:1: the header names the column "note" twice',
    );
  });
});
