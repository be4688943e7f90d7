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

/** A small synthetic shared catalogue: 12 objects, `label` and `museum` as given per row. */
async function exportWith(name: string, rows: { label: string; museum: string; type: string }[]) {
  const dir = path.join(root, name, 'export');
  await mkdir(path.join(dir, 'images'), { recursive: true });
  const lines = rows.map((r, i) => [
    `O-${i + 1}`,
    `images/O-${i + 1}.jpg`,
    r.label,
    `Object ${i + 1}`,
    r.museum,
    r.type,
  ]);
  for (const [id] of lines)
    await writeFile(path.join(dir, 'images', `${id}.jpg`), Buffer.concat([JPEG, Buffer.from(id!)]));
  const csv = path.join(dir, 'metadata.csv');
  await writeFile(csv, stringify([['id', 'file', 'label', 'title', 'museum', 'object_type'], ...lines]));
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
});
