import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import { guessColumns } from '../../pipeline/init/mapping.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { copyEgyptExport } from '../cli/egypt-export.ts';

/*
 * A tester's export had the columns Dating and Institution: init mapped neither ("date (none)", "department
 * (none)"), said nothing about them, and every object's date and holding museum were missing from the catalogue.
 * Now "dating" and "institution" are guessed, and init names the export's columns it leaves unused, with how to
 * map or keep one, before anything is written.
 */

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-init-unused-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const HEADER = ['Object Number', 'Image File', 'Classification', 'Title', 'Dating', 'Material', 'Institution'];

describe('export columns init does not use', () => {
  it('guesses Dating as the date and Institution as the department', () => {
    const guess = guessColumns({ header: HEADER, rows: [] });
    expect(guess.columns.date).toBe('Dating');
    expect(guess.columns.department).toBe('Institution');
  });

  it('are named after the mapping, with how to map or keep one', async () => {
    // The tester's header, on the Egyptian export's rows, with two columns no field takes.
    const { dir, rows } = await copyEgyptExport({ dir: path.join(root, 'export'), pick: 2 });
    const csv = path.join(dir, 'objects.csv');
    const header = [...HEADER, 'Shelf Mark', 'Loan Status'];
    // id, file, label, title, date, medium, museum (the Egyptian export's order: id,file,label,title,artist,date,medium,…).
    const picked = rows.map((r) => [r[0]!, r[1]!, r[2]!, r[3]!, r[5]!, r[6]!, r[9]!, 'B-12', 'none']);
    await writeFile(csv, stringify([header, ...picked]));
    const museum = path.join(root, 'museum');
    await mkdir(museum);
    const log = memoryLogger();
    const code = await main(['init', '--from', csv, '--yes'], {
      cwd: museum,
      env: {},
      stdout: () => {},
      log,
      interactive: false,
    });
    const messages = log.lines.map((l) => `${l.level}: ${l.message}`).join('\n');
    expect(code, messages).toBe(0);
    expect(messages).toMatch(/date +← Dating/);
    expect(messages).toMatch(/department +← Institution/);
    expect(messages).toContain('not used: Shelf Mark, Loan Status');
    expect(messages).toMatch(/--column <field>="Shelf Mark"/);
    expect(messages).toContain('import.keep');
    // Said with the mapping, before what init wrote.
    expect(messages.indexOf('not used:')).toBeLessThan(messages.indexOf('Wrote '));
    const params = await readFile(path.join(museum, 'params.yaml'), 'utf8');
    expect(params).toMatch(/date: Dating/);
    expect(params).toMatch(/department: Institution/);
  }, 60_000);
});

// An outside tester’s export of 2,000 columns no field takes: all 2,000 names were printed on one line.
describe('a great many unused columns', () => {
  it('are named up to ten, then counted ("and 1,990 more")', async () => {
    const { describeUnused } = await import('../../pipeline/init/mapping.ts');
    const guess = guessColumns({ header: HEADER, rows: [] });
    const extra = Array.from({ length: 2000 }, (_, i) => `Extra ${i + 1}`);
    const words = describeUnused({ header: [...HEADER, ...extra], columns: guess.columns, keep: [] });
    const unused = HEADER.filter((h) => !Object.values(guess.columns).includes(h));
    const total = unused.length + extra.length;
    expect(words).toContain(`and ${(total - 10).toLocaleString('en')} more`);
    expect(words).not.toContain('Extra 11,');
    expect(words).not.toContain('Extra 2000');
    expect(words.split('\n')[0]!.length).toBeLessThan(400);
  });
});
