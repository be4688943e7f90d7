import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import { setLabelCells } from '../../pipeline/demo/fix-labels.ts';
import { planDemo } from '../../pipeline/demo/generate.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { removeTempDirs, tempDir } from '../dataset/fixtures.ts';

/*
 * `vitrine demo --fix-labels` rewrote a labels.csv staff had edited: the note column was dropped, and the
 * byte-order mark and CRLF line ends Excel writes were lost. It changes only the label cells it corrects.
 */

afterAll(removeTempDirs);

const items = planDemo({ demo: defaultParams().demo }).filter((i) => i.label !== null);
const wrong = items.filter((i) => i.label !== i.type);

/** labels.csv as staff left it (BOM, CRLF, a note column, some quoted cells, newest rows first), with `labelOf`. */
function staffFile(labelOf: (item: (typeof items)[number]) => string): string {
  const rows = [...items].reverse().map((item, n) => {
    const label = labelOf(item);
    if (n % 3 === 0) return `${item.object.id},"${label}","checked, twice"`;
    if (n % 3 === 1) return `${item.object.id},${label},`;
    return `${item.object.id},${label},"seen in ""store"" 2019"`;
  });
  return `\uFEFFobject_id,label,note\r\n${rows.join('\r\n')}\r\nDM-9999,,to check\r\n`;
}

describe('vitrine demo --fix-labels', () => {
  it('changes only the label cells it corrects: note column, BOM, CRLF and quoting stay byte for byte', async () => {
    expect(wrong.length).toBeGreaterThan(5);
    const root = await tempDir();
    const file = path.join(root, 'labels.csv');
    await writeFile(path.join(root, 'params.yaml'), 'demo:\n  seed: 7\n');
    await writeFile(
      file,
      staffFile((i) => i.label!),
    );
    const log = memoryLogger();
    const code = await main(['demo', '--fix-labels'], { cwd: root, env: {}, stdout: () => {}, log });
    expect(log.lines.filter((l) => l.level === 'error')).toEqual([]);
    expect(code).toBe(0);
    expect(await readFile(file, 'utf8')).toBe(staffFile((i) => i.type));
    expect(log.lines.map((l) => l.message)).toContain(
      `Corrected ${wrong.length} labels in labels.csv: ${wrong
        .map((i) => i.object.id)
        .reverse()
        .join(', ')}`,
    );
    // Again: nothing left to correct, and the file is not touched.
    const again = memoryLogger();
    await main(['demo', '--fix-labels'], { cwd: root, env: {}, stdout: () => {}, log: again });
    expect(again.lines.map((l) => l.message)).toContain('No label in labels.csv needed correcting.');
    expect(await readFile(file, 'utf8')).toBe(staffFile((i) => i.type));
  });
});

describe('setting label cells', () => {
  it('keeps a quoted line break, other rows and a row staff corrected differently', () => {
    const text = 'object_id,label,note\r\nA,coin,"two\r\nlines"\r\nB, mask ,x\r\n\r\nC,vessel,y\r\nA,coin,again';
    const labels = new Map([
      ['A', 'mask'],
      ['B', 'print'],
      ['D', 'coin'],
    ]);
    const result = setLabelCells({ text, file: 'labels.csv', labels });
    expect(result.text).toBe(
      'object_id,label,note\r\nA,mask,"two\r\nlines"\r\nB,print,x\r\n\r\nC,vessel,y\r\nA,mask,again',
    );
    expect(result.changed).toEqual(['A', 'B', 'A']);
  });

  it('quotes a label that needs it, and refuses what is not a labels file', () => {
    const labels = new Map([['A', 'coin, silver']]);
    expect(setLabelCells({ text: 'object_id,label\nA,mask\n', file: 'labels.csv', labels }).text).toBe(
      'object_id,label\nA,"coin, silver"\n',
    );
    expect(() => setLabelCells({ text: 'id,label\nA,mask\n', file: 'labels.csv', labels })).toThrow(
      /labels\.csv:1: the first line must be "object_id,label"/,
    );
    expect(() => setLabelCells({ text: 'id;label\nA;mask\n', file: 'labels.csv', labels })).toThrow(
      /labels\.csv is separated by semicolons/,
    );
  });

  it('finds the label cells after accents, emoji and other scripts in the cells before them', () => {
    const text = '\uFEFFobject_id,label,note\r\nÉ-1,vase,"naïve 🏺, ok"\r\n陶-2,"bol",x\r\n';
    const labels = new Map([
      ['É-1', 'bowl'],
      ['陶-2', 'jar'],
    ]);
    expect(setLabelCells({ text, file: 'labels.csv', labels })).toEqual({
      text: '\uFEFFobject_id,label,note\r\nÉ-1,bowl,"naïve 🏺, ok"\r\n陶-2,"jar",x\r\n',
      changed: ['É-1', '陶-2'],
    });
  });
});
