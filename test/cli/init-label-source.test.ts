import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import { memoryLogger } from '../../pipeline/log.ts';

/*
 * Tester, 2026-12-02 #3: on a shared catalogue whose "label" column is the holding museum (five-museums: every
 * label goes with one value of "museum"), init proposed it as the object type without a word. It now warns that
 * the column looks like the holding museum or source, and how to choose another label column.
 */

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-init-label-source-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]);
const MUSEUMS: Record<string, string> = { aic: 'Art Institute', cma: 'Cleveland Museum', nga: 'National Gallery' };

/**
 * A small synthetic shared catalogue: 12 objects, `label` and `museum` as given per row, under the headers given
 * (label, museum by default) and with ids `id(i)` (O-1, O-2, … by default).
 */
async function exportWith(
  name: string,
  rows: { label: string; museum: string; type: string }[],
  headers: { label?: string; museum?: string; id?: (i: number, label: string) => string } = {},
) {
  const id = headers.id ?? ((i: number) => `O-${i + 1}`);
  const dir = path.join(root, name, 'export');
  await mkdir(path.join(dir, 'images'), { recursive: true });
  const lines = rows.map((r, i) => [
    id(i, r.label),
    `images/${id(i, r.label)}.jpg`,
    r.label,
    `Object ${i + 1}`,
    r.museum,
    r.type,
  ]);
  for (const [id] of lines)
    await writeFile(path.join(dir, 'images', `${id}.jpg`), Buffer.concat([JPEG, Buffer.from(id!)]));
  const csv = path.join(dir, 'metadata.csv');
  await writeFile(
    csv,
    stringify([['id', 'file', headers.label ?? 'label', 'title', headers.museum ?? 'museum', 'object_type'], ...lines]),
  );
  const museum = path.join(root, name, 'museum');
  await mkdir(museum, { recursive: true });
  return { csv, museum };
}

async function init(args: string[], cwd: string) {
  const log = memoryLogger();
  const code = await main(['init', ...args], { cwd, env: {}, stdout: () => {}, log, interactive: false });
  return { code, log };
}

const TYPES = ['vase', 'coin', 'mask', 'vase'];

describe('vitrine init on a label column that is the holding museum', () => {
  it('warns that the column looks like the museum or source, not an object type, and how to choose another', async () => {
    const keys = Object.keys(MUSEUMS);
    const rows = Array.from({ length: 12 }, (_, i) => {
      const key = keys[i % 3]!;
      return { label: key, museum: MUSEUMS[key]!, type: TYPES[i % 4]! };
    });
    const { csv, museum } = await exportWith('museum-label', rows);
    const { code, log } = await init(['--from', csv], museum);
    expect(code, log.lines.map((l) => l.message).join('\n')).toBe(0);
    const warnings = log.lines.filter((l) => l.level === 'warn' && l.message.includes('holding museum'));
    expect(warnings).toHaveLength(1);
    const message = warnings[0]!.message;
    expect(message).toMatch(/^The label column "label" looks like the holding museum or source, not an object type/);
    expect(message).toContain('"museum"');
    expect(message).toContain('aic = Art Institute');
    expect(message).toContain('--column label=object_type');
  });

  it('says nothing when the labels vary within each museum', async () => {
    const keys = Object.keys(MUSEUMS);
    const rows = Array.from({ length: 12 }, (_, i) => ({
      label: TYPES[i % 4]!,
      museum: MUSEUMS[keys[i % 3]!]!,
      type: TYPES[i % 4]!,
    }));
    const { csv, museum } = await exportWith('type-label', rows);
    const { code, log } = await init(['--from', csv], museum);
    expect(code, log.lines.map((l) => l.message).join('\n')).toBe(0);
    expect(log.lines.filter((l) => l.message.includes('holding museum'))).toEqual([]);
  });

  /*
   * Tester T2 (7 December 2026): a small German museum whose departments go one per object type (the coin room
   * holds the coins) was told its object-type column "looks like the holding museum or source". A department
   * that sorts objects by type is how many small museums are organised: only a column naming institutions, or a
   * label that repeats the object numbers' source prefix, is the shared catalogue's mistake.
   */
  it('says nothing when a small museum has one department per object type', async () => {
    const rooms: Record<string, string> = {
      Münze: 'Münzkabinett',
      Skulptur: 'Skulpturensammlung',
      Gemälde: 'Gemäldegalerie',
    };
    const types = Object.keys(rooms);
    const rows = Array.from({ length: 12 }, (_, i) => {
      const type = types[i % 3]!;
      return { label: type, museum: rooms[type]!, type };
    });
    for (const [label, museum] of [
      ['Objektart', 'Abteilung'],
      ['label', 'department'],
      ['category', 'collection'],
    ] as const) {
      const { csv, museum: folder } = await exportWith(`rooms-${museum}`, rows, { label, museum });
      const { code, log } = await init(['--from', csv], folder);
      expect(code, log.lines.map((l) => l.message).join('\n')).toBe(0);
      expect(log.lines.filter((l) => l.message.includes('holding museum'))).toEqual([]);
    }
  });

  it('still warns when a department or collection column names the institutions, or the label is the source prefix', async () => {
    const keys = Object.keys(MUSEUMS);
    const rows = Array.from({ length: 12 }, (_, i) => {
      const key = keys[i % 3]!;
      return { label: key, museum: MUSEUMS[key]!, type: TYPES[i % 4]! };
    });
    for (const museum of ['department', 'collection']) {
      const { csv, museum: folder } = await exportWith(`named-${museum}`, rows, { museum });
      const { log } = await init(['--from', csv], folder);
      const warnings = log.lines.filter((l) => l.level === 'warn' && l.message.includes('holding museum'));
      expect(warnings.map((w) => w.message)).toEqual([expect.stringContaining(`"${museum}"`)]);
    }
    // Codes in a collection column, not names: the ids begin with the label (five-museums: artic_28560, "artic").
    const coded = rows.map((r) => ({ ...r, museum: r.label.toUpperCase() }));
    const { csv, museum: folder } = await exportWith('coded', coded, {
      museum: 'collection',
      id: (i, label) => `${label}_${1000 + i}`,
    });
    const { log } = await init(['--from', csv], folder);
    expect(log.lines.filter((l) => l.level === 'warn' && l.message.includes('holding museum'))).toHaveLength(1);
  });
});
