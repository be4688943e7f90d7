import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLabels } from '../../pipeline/collection/index.ts';
import { isVitrineError } from '../../pipeline/errors.ts';
import type { Params } from '../../pipeline/params.ts';
import { caseFolders, exportFolder, importExport, initFrom } from './repeated-fixture.ts';

/*
 * Collection-system exports often repeat a header nobody uses ("Notes" twice). Only a column Vitrine reads
 * (mapped to a field, guessed for one, or in import.keep) named twice is refused; any other is left out with
 * one warning. Vitrine's own files (labels.csv, data/objects.csv) still refuse any repeat.
 */

const { folder } = caseFolders('vitrine-unread-');
const ids = ['A', 'B', 'C', 'D', 'E', 'F'];
const images = ids.map((id) => `${id}.jpg`);
const NOTES =
  'id,image,title,type,Notes,Notes\n' +
  ids.map((id, i) => `${id},${id}.jpg,Thing ${id},${i % 2 ? 'vase' : 'bowl'},x,y`).join('\n') +
  '\n';

const WARNING =
  'the export names the column "Notes" twice (columns 5 and 6); Vitrine does not read it, so it is left out';

describe('a repeated column Vitrine does not read', () => {
  it('import goes on, with one warning naming it, and leaves the column out', async () => {
    const at = folder('import');
    const run = await importExport({
      at,
      export: await exportFolder({ at, text: NOTES, images }),
      edit: (p) => void (p.import.columns.label = 'type'),
    });
    const result = 'result' in run ? run.result : undefined;
    expect(result?.objects).toBe(6);
    const warnings = run.log.lines.filter((l) => l.message.includes('"Notes"'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.level).toBe('warn');
    expect(warnings[0]!.message).toContain(WARNING);
    expect(await readFile(path.join(run.root, 'data', 'objects.csv'), 'utf8')).not.toContain('Notes');
  });

  for (const [how, edit] of [
    ['mapped to a field', (p: Params) => void (p.import.columns.description = 'Notes')],
    ['named in import.keep', (p: Params) => void p.import.keep.push('Notes')],
  ] as const) {
    it(`import refuses it when it is ${how}`, async () => {
      const at = folder(`refuse-${how}`);
      const run = await importExport({ at, export: await exportFolder({ at, text: NOTES, images }), edit });
      const error = 'error' in run ? run.error : undefined;
      expect(isVitrineError(error, 'CSV_COLUMNS')).toBe(true);
      expect((error as Error).message).toContain(
        'objects.csv:1: the header names the column "Notes" twice, columns 5 and 6',
      );
    });
  }

  it('init --from imports it (the guess passes over "Notes", which looks like a description) with one warning', async () => {
    const at = folder('init');
    const { file } = await exportFolder({ at, text: NOTES, images });
    const { code, messages, museum } = await initFrom({ at, file });
    expect(code, messages.join('\n')).toBe(0);
    expect(messages.filter((m) => m.includes('"Notes"'))).toHaveLength(1);
    expect(messages.join('\n')).toContain(WARNING);
    const params = await readFile(path.join(museum, 'params.yaml'), 'utf8');
    expect(params).not.toContain('Notes');
  });

  it('init refuses a repeated column it would guess as the label, naming it, and writes nothing', async () => {
    const at = folder('init-label');
    const text = NOTES.replace('type,Notes,Notes', 'type,type,Notes');
    const { file } = await exportFolder({ at, text, images });
    const { code, messages, files } = await initFrom({ at, file });
    expect(code).not.toBe(0);
    expect(messages.join('\n')).toContain('the header names the column "type" twice, columns 4 and 5');
    expect(files).toEqual([]);
  });

  it('init refuses --column naming a repeated column, and writes nothing', async () => {
    const at = folder('init-column');
    const { file } = await exportFolder({ at, text: NOTES, images });
    const { code, messages, files } = await initFrom({ at, file, args: ['--column', 'description=Notes'] });
    expect(code).not.toBe(0);
    expect(messages.join('\n')).toContain('the header names the column "Notes" twice');
    expect(files).toEqual([]);
  });

  it('labels.csv refuses a repeated column even when Vitrine does not read it', () => {
    expect(() => parseLabels({ text: 'object_id,label,note,note\nA,vase,,\n', file: 'labels.csv' })).toThrow(
      'labels.csv:1: the header names the column "note" twice',
    );
  });
});
