import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import { decodeText, readLabels } from '../../pipeline/collection/index.ts';
import { readLabelsChecked } from '../../pipeline/dataset/validate.ts';
import { isVitrineError } from '../../pipeline/errors.ts';
import { memoryLogger } from '../../pipeline/log.ts';

/*
 * A tester gave `vitrine init --from` and `vitrine import` files that are not CSV: an Excel workbook was said to
 * have "an invisible NUL character" or be "saved as UTF-32", a JPEG "saved as UTF-16", a PDF was read as a table
 * of 2 objects. Each file is now named for what it is, before its bytes are read as text, with what to do.
 */

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-file-kinds-'));
  await mkdir(path.join(root, 'export/images'), { recursive: true });
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A zip archive of stored (uncompressed) entries, as Excel, LibreOffice and Numbers write them. */
function zip(entries: Record<string, string>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(entries)) {
    const data = Buffer.from(text);
    const nameBytes = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc32(data), 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc32(data), 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(entries).length, 8);
  end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const XLSX = () =>
  zip({
    '[Content_Types].xml': '<?xml version="1.0"?><Types/>',
    '_rels/.rels': '<Relationships/>',
    'xl/workbook.xml': '<workbook><sheets><sheet name="Objekte"/></sheets></workbook>',
    'xl/worksheets/sheet1.xml': '<worksheet>\u0000\u0000\u0000</worksheet>',
  });
const ODS = () =>
  zip({ mimetype: 'application/vnd.oasis.opendocument.spreadsheet', 'content.xml': '<office:document-content/>' });
const NUMBERS = () => zip({ 'Index/Document.iwa': '\u0000\u0001\u0002', 'Metadata/Properties.plist': '<plist/>' });
const ZIP = () => zip({ 'export/objects.csv': 'id,image\nA-1,a.jpg\n' });
const XLS = () =>
  Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(600, 0), Buffer.from('Workbook')]);
const PDF = () => Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer\n%%EOF\n');
const image = (format: 'jpeg' | 'png' | 'gif' | 'tiff' | 'webp') =>
  sharp({ create: { width: 8, height: 8, channels: 3, background: { r: 200, g: 90, b: 30 } } })
    .toFormat(format)
    .toBuffer();

/** Each kind: its file name, its bytes, and what the message must say it is and what to do. */
const KINDS: { name: string; bytes: () => Buffer | Promise<Buffer>; is: RegExp; todo: RegExp }[] = [
  { name: 'objekte.xlsx', bytes: XLSX, is: /objekte\.xlsx is an Excel workbook, not a CSV file/, todo: /CSV UTF-8/ },
  { name: 'objekte.ods', bytes: ODS, is: /is a LibreOffice/, todo: /CSV UTF-8|Text CSV/ },
  { name: 'objekte.numbers', bytes: NUMBERS, is: /is a Numbers spreadsheet/, todo: /Export To > CSV/ },
  { name: 'export.zip', bytes: ZIP, is: /is a zip archive/, todo: /unzip|extract/i },
  { name: 'objekte.xls', bytes: XLS, is: /is an Excel 97-2003 workbook/, todo: /CSV UTF-8/ },
  { name: 'objekte.pdf', bytes: PDF, is: /is a PDF document/, todo: /export .* as CSV/i },
  { name: 'scan.jpg', bytes: () => image('jpeg'), is: /is a JPEG image/, todo: /metadata/ },
  { name: 'scan.png', bytes: () => image('png'), is: /is a PNG image/, todo: /metadata/ },
  { name: 'scan.gif', bytes: () => image('gif'), is: /is a GIF image/, todo: /metadata/ },
  { name: 'scan.tif', bytes: () => image('tiff'), is: /is a TIFF image/, todo: /metadata/ },
  { name: 'scan.webp', bytes: () => image('webp'), is: /is a WebP image/, todo: /metadata/ },
  // A tester's expired login page saved as the export: it "has no rows".
  {
    name: 'objects.csv',
    bytes: () =>
      Buffer.from(
        '<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body><p>Please log in</p></body></html>\n',
      ),
    is: /objects\.csv is a web page \(HTML\), not an export: the download probably failed/,
    todo: /Download the export again/,
  },
];

/** What the tester was told: NUL characters, an encoding, or a table read from the bytes ("2 objects, 1 columns"). */
const WRONG = /NUL|UTF-16|UTF-32|not saved as UTF-8|\d+ objects|columns/;

async function vitrine(args: string[], cwd: string) {
  let stdout = '';
  const log = memoryLogger();
  const code = await main(args, { cwd, env: {}, stdout: (t) => (stdout += t), log, interactive: false });
  return { code, stdout, messages: log.lines.map((l) => `${l.level}: ${l.message}`).join('\n') };
}

describe('a file that is not a CSV, given as the export', () => {
  for (const kind of KINDS)
    it(`${kind.name}: init and import say what the file is, and what to do`, async () => {
      const file = path.join(root, 'export', kind.name);
      await writeFile(file, await kind.bytes());
      const museum = path.join(root, `museum-${kind.name}`);
      await mkdir(museum, { recursive: true });
      const init = await vitrine(['-C', museum, 'init', '--from', file, '--images', 'export/images', '--yes'], root);
      expect(init.code, init.messages).toBe(1);
      expect(init.messages).toMatch(kind.is);
      expect(init.messages).toMatch(kind.todo);
      expect(init.messages.split('\n').find((l) => l.startsWith('error'))).not.toMatch(WRONG);
      await mkdir(path.join(root, 'repo/.git'), { recursive: true });
      const imported = await vitrine(
        ['-C', 'repo', 'import', '--metadata', file, '--images', path.join(root, 'export/images')],
        root,
      );
      expect(imported.code, imported.messages).toBe(1);
      expect(imported.messages).toMatch(kind.is);
      expect(imported.messages).not.toMatch(/NUL|UTF-16|UTF-32/);
    });
});

describe('labels.csv that is not a CSV', () => {
  it('an Excel workbook saved as labels.csv: both readers name it, with what to do', async () => {
    const file = path.join(root, 'labels.csv');
    await writeFile(file, XLSX());
    for (const read of [() => readLabels({ file }), () => readLabelsChecked({ file, name: 'labels.csv' })]) {
      const error = await read().then(
        () => undefined,
        (e: unknown) => e,
      );
      if (!isVitrineError(error)) throw error ?? new Error('no error');
      expect(error.code).toBe('NOT_CSV');
      expect(error.message).toMatch(/labels\.csv is an Excel workbook, not a CSV file/);
      expect(error.message).toMatch(/"CSV UTF-8 \(Comma delimited\)"/);
      expect(error.message).not.toMatch(WRONG);
    }
  });

  it('a CSV whose first cells happen to read "PK", "GIF8" or "%PDF" is read as text', () => {
    for (const text of ['PK,label\nA-1,x\n', 'GIF89,label\n', '%PDF,label\n', 'RIFF,label\n', 'II,label\n'])
      expect(decodeText({ bytes: Buffer.from(text), file: 'export.csv' })).toBe(text);
  });
});
