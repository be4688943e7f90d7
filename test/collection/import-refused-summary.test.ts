import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCollection } from '../../pipeline/collection/import.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';

/*
 * Tester T1 (LOW-4): an export whose photographs of two objects became an empty file and a JPEG cut short was
 * imported (import.on_invalid: skip) with "Nothing changed since the last import", though what data/ records of
 * those files changed (so data.dvc did) and the run ended with "error: 2 image files were refused", exit 1. The
 * summary now says what changed: the files refused, by object.
 */

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-import-refused-summary-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]);
const IDS = ['RS-1', 'RS-2', 'RS-3', 'RS-4'];

async function exportOf(name: string, emptied: string[], ids = IDS): Promise<{ csv: string; images: string }> {
  const images = path.join(root, name, 'images');
  await mkdir(images, { recursive: true });
  for (const id of ids)
    await writeFile(path.join(images, `${id}.jpg`), emptied.includes(id) ? '' : Buffer.concat([JPEG, Buffer.from(id)]));
  const csv = path.join(root, name, 'objects.csv');
  await writeFile(csv, stringify([['id', 'image', 'label'], ...ids.map((id) => [id, `${id}.jpg`, 'coin'])]));
  return { csv, images };
}

describe('a re-import whose only change is image files refused', () => {
  it('names the refused files in its summary, not "Nothing changed since the last import"', async () => {
    const ws = workspace(path.join(root, 'repo'));
    const params = defaultParams();
    params.import.on_invalid = 'skip';
    const first = await exportOf('first', []);
    await importCollection({ ws, params, metadata: first.csv, images: first.images, log: memoryLogger() });
    const next = await exportOf('next', ['RS-2', 'RS-4']);
    const log = memoryLogger();
    const result = await importCollection({ ws, params, metadata: next.csv, images: next.images, log });
    expect(result.problems.filter((p) => p.imageRefused).map((p) => p.object)).toEqual(['RS-2', 'RS-4']);
    const said = log.lines.map((l) => l.message).join('\n');
    expect(said).not.toContain('Nothing changed since the last import');
    const summary = log.lines.find((l) => /since the last import/i.test(l.message))?.message ?? '';
    expect(summary).toContain('2 image files the export names were refused (RS-2, RS-4; listed above)');
    expect(summary).toContain('keep the photograph they had');
  });

  it('says only refusals new to this import, in plain grammar, and the same export again leaves data/ as it was', async () => {
    // Reviewer V24 (F4, F5): the same export again said "1 image file … was refused … data/ records the refusal",
    // though data/ was unchanged but for data/.imported-photographs.json, whose "kept" key had moved.
    const ws = workspace(path.join(root, 'again'));
    const params = defaultParams();
    params.import.on_invalid = 'skip';
    const first = await exportOf('again-first', []);
    await importCollection({ ws, params, metadata: first.csv, images: first.images, log: memoryLogger() });
    const ids = [...IDS, 'RS-5'];
    const summaries: string[] = [];
    const folders: Record<string, string>[] = [];
    for (const name of ['again-next', 'again-same', 'again-same-2']) {
      const next = await exportOf(name, ['RS-2', 'RS-5'], ids);
      const log = memoryLogger();
      await importCollection({ ws, params, metadata: next.csv, images: next.images, log });
      summaries.push(log.lines.find((l) => /since the last import/i.test(l.message))?.message ?? '');
      folders.push(await filesOf(ws.data));
    }
    const [news, same, same2] = summaries;
    expect(news).toContain('2 image files the export names were refused (RS-2, RS-5; listed above)');
    expect(news).toContain('1 of their objects keeps the photograph it had, 1 is now without one');
    for (const summary of [same, same2]) {
      expect(summary).not.toMatch(/was refused|were refused|records the refusal/);
      expect(summary).toMatch(/^No object changed since the last import/);
      expect(summary).toContain('1 image file the export names is still refused (RS-2; listed above)');
    }
    expect(folders[1]).toEqual(folders[0]);
    expect(folders[2]).toEqual(folders[0]);
  });

  it('says "still refused" only of the file refused before, not of another file the export names now', async () => {
    // Reviewer V26 (F6): the object kept its photograph last time, its row now names another, empty file.
    const ws = workspace(path.join(root, 'other'));
    const params = defaultParams();
    params.import.on_invalid = 'skip';
    const first = await exportOf('other-first', []);
    await importCollection({ ws, params, metadata: first.csv, images: first.images, log: memoryLogger() });
    const refused = await exportOf('other-refused', ['RS-2']);
    await importCollection({ ws, params, metadata: refused.csv, images: refused.images, log: memoryLogger() });
    const next = await exportOf('other-name', []);
    await writeFile(path.join(next.images, 'RS-2-new.jpg'), '');
    const rows = IDS.map((id) => [id, id === 'RS-2' ? 'RS-2-new.jpg' : `${id}.jpg`, 'coin']);
    await writeFile(next.csv, stringify([['id', 'image', 'label'], ...rows]));
    const log = memoryLogger();
    await importCollection({ ws, params, metadata: next.csv, images: next.images, log });
    const summary = log.lines.find((l) => /since the last import/i.test(l.message))?.message ?? '';
    expect(summary).not.toContain('still refused');
    expect(summary).toContain('1 image file the export names was refused (RS-2; listed above)');
  });
});

/** Each file under `dir` (relative path) with its bytes as text. */
async function filesOf(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true }))
    if (entry.isFile()) {
      const file = path.join(entry.parentPath, entry.name);
      out[path.relative(dir, file)] = (await readFile(file)).toString('base64');
    }
  return out;
}
