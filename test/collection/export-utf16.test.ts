import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import { importCollection } from '../../pipeline/collection/import.ts';
import { decodeText, readLabels, readObjects } from '../../pipeline/collection/index.ts';
import { isVitrineError } from '../../pipeline/errors.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams, type Params } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { copyEgyptExport } from '../cli/egypt-export.ts';

/*
 * An outside tester gave `vitrine init --from export.txt` an export Excel saved as "Unicode Text" (UTF-16 little
 * endian with a byte-order mark, cells separated by tabs): it was refused, with "save it as UTF-8, or edit it on
 * GitHub", and an export is not on GitHub. A UTF-16 file with its byte-order mark says which encoding it is, so
 * init and import read it (little or big endian, tabs or commas, as Excel's "CSV UTF-16"). A file still refused
 * (UTF-16 without the mark, UTF-32) is named with how to save it as UTF-8, and nothing about GitHub.
 */

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-export-utf16-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const BOM = { le: Buffer.from([0xff, 0xfe]), be: Buffer.from([0xfe, 0xff]) };

/** `text` in UTF-16, big endian when `be`, with its byte-order mark unless `bom` is false. */
function utf16(text: string, { be = false, bom = true }: { be?: boolean; bom?: boolean } = {}): Buffer {
  const le = Buffer.from(text, 'utf16le');
  const bytes = be ? Buffer.from(le).swap16() : le;
  return bom ? Buffer.concat([be ? BOM.be : BOM.le, bytes]) : bytes;
}

/** Excel's "Unicode Text": tabs between cells, CRLF line ends; a cell with a tab or a quote is quoted. */
function tabbed(rows: string[][]): string {
  const cell = (c: string) => (/[\t"\r\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c);
  return `${rows.map((r) => r.map(cell).join('\t')).join('\r\n')}\r\n`;
}

/** Excel's "CSV": commas between cells. */
function commas(rows: string[][]): string {
  const cell = (c: string) => (/[,"\r\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c);
  return `${rows.map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}

function params(): Params {
  const p = defaultParams();
  p.import.columns = { ...p.import.columns, id: 'id', image: 'file', label: 'label', title: 'title' };
  for (const field of ['maker', 'date', 'department', 'medium', 'credit_line', 'rights', 'description'] as const)
    p.import.columns[field] = '';
  return p;
}

/** Two objects a label of the Egyptian export, with an accent and a title holding a quote, in `dir`. */
async function egypt(dir: string): Promise<string[][]> {
  const { header, rows } = await copyEgyptExport({ dir, pick: 2 });
  rows[0]![3] = `Statuette d’Isis, “Hathor” à l’enfant – ${rows[0]![3]}`;
  rows[1]![3] = `Bead 12" long`;
  return [header, ...rows];
}

describe('an export saved as UTF-16 with its byte-order mark', () => {
  it('vitrine init --from export.txt (Excel "Unicode Text": UTF-16 LE, tabs) reads it and imports every object', async () => {
    const dir = path.join(root, 'init');
    const table = await egypt(path.join(dir, 'export'));
    const txt = path.join(dir, 'export', 'export.txt');
    await writeFile(txt, utf16(tabbed(table)));
    const museum = path.join(dir, 'museum');
    await mkdir(museum);
    const log = memoryLogger();
    const code = await main(['init', '--from', txt, '--images', path.join(dir, 'export'), '--yes'], {
      cwd: museum,
      env: {},
      stdout: () => {},
      log,
      interactive: false,
    });
    const said = log.lines.map((l) => `${l.level}: ${l.message}`).join('\n');
    expect(code, said).toBe(0);
    expect(said).not.toMatch(/UTF-16|UTF-8|edit it on GitHub/);
    const objects = await readFile(path.join(museum, 'data', 'objects.csv'), 'utf8');
    const rows = table.slice(1);
    for (const row of rows) expect(objects).toContain(row[0]);
    expect(objects).toContain(`Statuette d’Isis, “Hathor” à l’enfant`);
    expect(objects).toContain('Bead 12"" long');
    expect(objects).not.toMatch(/\uFEFF|\u0000|\uFFFD/);
  }, 120_000);

  for (const [name, bytes] of [
    ['UTF-16 BE, tabs', (t: string[][]) => utf16(tabbed(t), { be: true })],
    ['Excel "CSV UTF-16" (LE, commas)', (t: string[][]) => utf16(commas(t))],
  ] as const) {
    it(`vitrine import: ${name}, the same objects as the export in UTF-8`, async () => {
      const dir = path.join(root, name.replace(/\W+/g, '-'));
      const table = await egypt(path.join(dir, 'export'));
      const wide = path.join(dir, 'export', 'wide.csv');
      await writeFile(wide, bytes(table));
      const plain = path.join(dir, 'export', 'plain.csv');
      await writeFile(plain, commas(table));
      const images = path.join(dir, 'export');
      const read = async (metadata: string, repo: string) => {
        const ws = workspace(path.join(dir, repo));
        const log = memoryLogger();
        await importCollection({ ws, params: params(), metadata, images, log });
        return readFile(ws.objects, 'utf8');
      };
      const fromWide = await read(wide, 'wide');
      expect(fromWide).toContain('à l’enfant');
      expect(fromWide).toBe(await read(plain, 'plain'));
    }, 60_000);
  }
});

describe('an export Vitrine still cannot read', () => {
  async function refused(file: string, bytes: Buffer): Promise<Error> {
    const dir = path.join(root, 'refused', path.basename(file, path.extname(file)));
    await mkdir(path.join(dir, 'images'), { recursive: true });
    const metadata = path.join(dir, file);
    await writeFile(metadata, bytes);
    const ws = workspace(path.join(dir, 'repo'));
    const run = importCollection({
      ws,
      params: params(),
      metadata,
      images: path.join(dir, 'images'),
      log: memoryLogger(),
    });
    return run.then(
      () => {
        throw new Error('imported');
      },
      (e: Error) => e,
    );
  }
  const text = 'id\tfile\tlabel\ttitle\r\nA-1\ta.jpg\tcoin\tÉcu d’or\r\nA-2\tb.jpg\tcoin\tDenier\r\n'.repeat(3);

  it('UTF-16 without its byte-order mark: named, with how to save it as UTF-8, and no GitHub', async () => {
    const error = await refused('no-mark.txt', utf16(text, { bom: false }));
    expect(isVitrineError(error, 'CSV_UTF16'), String(error)).toBe(true);
    expect(error.message).toContain('no-mark.txt');
    expect(error.message).toContain(`(Excel's "Unicode Text" writes the mark, and is read as it is)`);
    expect(error.message).toMatch(/UTF-16/);
    expect(error.message).toContain('"CSV UTF-8 (Comma delimited)"');
    expect(error.message).not.toMatch(/GitHub/);
  });

  // A reviewer: an export saved as data/objects.csv was told to "run vitrine import again", which writes that name.
  it('an export named data/objects.csv: told as an export, not as the table import writes', async () => {
    await mkdir(path.join(root, 'refused', 'objects', 'data'), { recursive: true });
    const error = await refused('data/objects.csv', utf16(text, { bom: false }));
    expect(isVitrineError(error, 'CSV_UTF16'), String(error)).toBe(true);
    expect(error.message).toContain('UTF-16 without the mark');
    expect(error.message).toContain('or export it again as UTF-8 from the collection system.');
    expect(error.message).not.toContain('vitrine import');
  });

  it('UTF-32 with its mark: the same', async () => {
    const le32 = Buffer.alloc((text.length + 1) * 4);
    [...`\uFEFF${text}`].forEach((c, i) => le32.writeUInt32LE(c.codePointAt(0)!, i * 4));
    const error = await refused('wide32.csv', le32);
    expect(isVitrineError(error, 'CSV_UTF16'), String(error)).toBe(true);
    expect(error.message).toContain('wide32.csv');
    expect(error.message).toMatch(/UTF-32/);
    expect(error.message).toContain('"CSV UTF-8 (Comma delimited)"');
    expect(error.message).not.toMatch(/GitHub/);
  });

  it('labels.csv, kept in git, is still refused in UTF-16 with its mark, and may be edited on GitHub', async () => {
    const file = path.join(root, 'labels.csv');
    await writeFile(file, utf16('object_id,label\r\nA-1,coin\r\n'));
    const error = await readLabels({ file }).then(
      () => new Error('read'),
      (e: Error) => e,
    );
    expect(isVitrineError(error, 'CSV_UTF16'), String(error)).toBe(true);
    expect(error.message).toMatch(/GitHub/);
  });

  // A reviewer: the pull-request check reads params.yaml through decodeText, and was told to save it as "CSV UTF-8"
  // or "export it again from the collection system"; data/objects.csv without the mark read as if the mark would do.
  it('params.yaml in UTF-16: saved again as UTF-8 or edited on GitHub, not as a CSV or an export', () => {
    const error = (() => {
      try {
        decodeText({ bytes: utf16('collection:\n  name: T Semi\n'), file: 'params.yaml' });
      } catch (e) {
        return e as Error;
      }
      return new Error('read');
    })();
    expect(isVitrineError(error, 'CSV_UTF16'), String(error)).toBe(true);
    expect(error.message).toBe(
      'params.yaml is saved as UTF-16 (Excel\'s "Unicode Text"), which Vitrine does not read in params.yaml: save it ' +
        'as UTF-8 (in Notepad: File > Save As, Encoding: UTF-8), or edit it on GitHub.',
    );
  });

  it('data/objects.csv in UTF-16 without the mark: not read, mark or none, and written again by import', async () => {
    const file = path.join(root, 'data', 'objects.csv');
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, utf16('id,image\r\nA-1,images/A-1.jpg\r\n', { bom: false }));
    const error = await readObjects({ file }).then(
      () => new Error('read'),
      (e: Error) => e,
    );
    expect(isVitrineError(error, 'CSV_UTF16'), String(error)).toBe(true);
    expect(error.message).not.toContain('without the mark');
    expect(error.message).toContain('which Vitrine does not read in objects.csv');
    expect(error.message).toContain('or run "vitrine import" again, which writes it.');
  });
});
