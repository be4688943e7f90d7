import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../pipeline/log.ts';
import { validateParams } from '../../pipeline/params.ts';
import { buildReport } from '../../pipeline/report/index.ts';
import { COMMENT_ROOM, shorten } from '../../pipeline/report/markdown.ts';
import type { Metrics } from '../../pipeline/types.ts';
import { demoObjects, makeRepo, type ObjectSpec, writeStageOutputs } from './fixture.ts';

/*
 * Long text in a report: a 12,800-character title, and more label changes than a comment holds.
 * GitHub cuts comments at 65,536 characters; the verdict, the gate and the scores must stay.
 */

const objects = demoObjects();
const correct = Object.fromEntries(objects.map((o) => [o.id, o.label]));

describe('a report with long titles and many changes', () => {
  it('cuts a long title between whole characters, never inside a hieroglyph or an emoji', () => {
    for (const pad of [37, 38, 39]) {
      const cut = shorten(`${'a'.repeat(pad)}${'𓀀'.repeat(100)}`);
      // No half of a character (a lone UTF-16 surrogate) is left.
      expect(cut).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
      expect(Array.from(cut)).toHaveLength(80);
    }
  });

  it('shortens a very long title in every table and alt text', async () => {
    const title = `Fragment of a relief ${'with a very long description '.repeat(460)}`;
    expect(title.length).toBeGreaterThan(12_800);
    const long = objects.map((o) => (o.id === 'DM-0008' ? { ...o, title } : o));
    const { ws } = await makeRepo({ objects: long, base: { ...correct, 'DM-0008': 'vessel' }, head: correct });
    const m = { checked: 36, candidates: 1, confident: 0, top: [] } as NonNullable<Metrics['mislabelled']>;
    m.top = [{ id: 'DM-0008', label: 'figurine', suggested: 'vessel', score: 0.9, confidence: 0.9, confident: false }];
    await writeStageOutputs({ ws, objects: long, head: correct, metrics: { mislabelled: m } });
    const params = validateParams({
      raw: { train: { epochs: 60 }, report: { catalogue_url: 'https://museum.example.org/catalogue/' } },
    });
    // A published catalogue, so the title also goes into the thumbnails' alt text.
    const fetch = (async () => new Response('', { status: 200 })) as typeof globalThis.fetch;
    const { markdown, fullMarkdown } = await buildReport({ ws, params, base: 'main', log: silentLogger, fetch });
    expect(fullMarkdown.length).toBeLessThan(12_000);
    const rows = markdown.split('\n').filter((l) => l.includes('DM-0008'));
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row).toContain('| Fragment of a relief with a very long description with a very long description… |');
      expect(row.length).toBeLessThan(1200);
    }
  });

  it('lists fewer label changes rather than lose the scores, and stays under the comment limit', async () => {
    const many: ObjectSpec[] = Array.from({ length: 1500 }, (_, i) => ({
      id: `LG-${String(i).padStart(5, '0')}`,
      title: `A long title for object ${i} `.repeat(4),
      label: ['coin', 'mask'][i % 2]!,
      split: 'train',
    }));
    const all = [...objects, ...many];
    const head = { ...correct, ...Object.fromEntries(many.map((o) => [o.id, o.label])) };
    const before = { ...correct, ...Object.fromEntries(many.map((o) => [o.id, 'vessel'])) };
    const { ws } = await makeRepo({ objects: all, base: before, head });
    await writeStageOutputs({ ws, objects: all, head });
    const params = validateParams({ raw: { train: { epochs: 60 }, report: { max_label_changes: 1000 } } });
    const { markdown, fullMarkdown } = await buildReport({ ws, params, base: 'main', log: silentLogger });
    expect(fullMarkdown).toContain('LG-00999');
    expect(markdown.length).toBeLessThanOrEqual(COMMENT_ROOM);
    expect(markdown.split('\n')[0]).toContain('Better: the labels and the photographs agree better');
    for (const section of [
      '### Promotion gate',
      '### Label changes in this pull request',
      '### Scores',
      '### Per label',
    ])
      expect(markdown, section).toContain(section);
    expect(markdown).toMatch(
      /…and [\d,]+ more \(the comment has room for the first [\d,]+; report-full\.md among the run's files/,
    );
  });
});
