import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCatalogueData } from '../../pipeline/catalogue/index.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { writeAnnotations } from '../../pipeline/registry/annotate.ts';
import type { Annotation } from '../../pipeline/types.ts';
import { tempDir } from '../fixtures/temp.ts';
import { writeFixture } from '../site/fixture.ts';

/*
 * Tester C: a new model in production changed the answer shown on 20 objects’ pages, and the home page’s “Recent
 * changes” listed one: it listed the evaluation’s changed test-set predictions only (a fifth of the labelled objects,
 * none of the unlabelled). The annotating step now records what the new model changed of every answer the public
 * sees, and the recent changes say how many and list the first.
 */

const ids = Array.from({ length: 10 }, (_, i) => `A-${i + 1}`);
const annotation = (id: string, modelVersion: string, label: string, published = true): Annotation => ({
  id,
  label,
  confidence: 0.9,
  top: [{ label, p: 0.9 }],
  modelVersion,
  humanLabel: null,
  agrees: null,
  published,
});

async function promoted() {
  const root = await tempDir('vitrine-recent-annotations-');
  await writeFixture({
    root,
    objects: ids.map((id) => ({ id, title: `Object ${id}`, label: null, image: null })),
    labels: ['coin', 'vase'],
  });
  const ws = workspace(root);
  const log = memoryLogger();
  // v1.0.0 annotated the collection: every object a coin, A-10's guess held back.
  await writeAnnotations({
    ws,
    log,
    annotations: ids.map((id) => annotation(id, 'v1.0.0', 'coin', id !== 'A-10')),
  });
  return { root, ws, log };
}

describe('what a new production model changed of the answers the public sees', () => {
  it('is recorded when another model annotates, and listed in the recent changes with its count', async () => {
    const { ws, log } = await promoted();
    // v1.1.0 (the fixture’s production version): 6 objects now vases, A-10 now published, A-9 now held back.
    const after = ids.map((id, i) =>
      i < 6 ? annotation(id, 'v1.1.0', 'vase') : annotation(id, 'v1.1.0', 'coin', id !== 'A-9'),
    );
    await writeAnnotations({ ws, log, annotations: after });
    const changes = JSON.parse(await readFile(path.join(ws.registry, 'annotation-changes.json'), 'utf8'));
    expect([changes.version, changes.previous, changes.changed]).toEqual(['v1.1.0', 'v1.0.0', 8]);
    // Annotating again with the same model (a new object, a label fixed) keeps the record of what it changed.
    await writeAnnotations({ ws, log, annotations: after });
    const again = JSON.parse(await readFile(path.join(ws.registry, 'annotation-changes.json'), 'utf8'));
    expect(again.changed).toBe(8);

    const { catalogue } = await buildCatalogueData({ ws, params: defaultParams(), log: memoryLogger() });
    const texts = catalogue.recent.map((r) => r.text);
    // Right under the version’s registration, before older entries.
    expect(texts.slice(0, 3)).toEqual([
      'Model v1.1.0 registered (in production)',
      'Model v1.1.0 changed the type shown for 8 objects',
      'Object A-1: the model now says “vase” where it said “coin”',
    ]);
    expect(texts).toContain('Object A-1: the model now says “vase” where it said “coin”');
    expect(texts.filter((t) => t.startsWith('Object ')).length).toBe(5);
    // The test set’s changed predictions are not listed beside them (they are among these).
    expect(texts.some((t) => t.includes('the new model says'))).toBe(false);
  });

  it('words a guess newly published and one newly held back for staff', async () => {
    const { ws, log } = await promoted();
    await writeAnnotations({
      ws,
      log,
      annotations: ids.map((id) => annotation(id, 'v1.1.0', 'coin', id !== 'A-9')),
    });
    const { catalogue } = await buildCatalogueData({ ws, params: defaultParams(), log: memoryLogger() });
    const texts = catalogue.recent.map((r) => r.text);
    expect(texts).toContain('Model v1.1.0 changed the type shown for 2 objects');
    expect(texts).toContain('Object A-10: the model now says “coin” (its guess waited for staff before)');
    expect(texts).toContain('Object A-9: the model’s guess now waits for staff (it said “coin”)');
  });

  // The reviewer: a damaged record stopped the catalogue (“did not expect … reading 'toLocaleString'”).
  it('leaves out a damaged record with a warning, and says nothing of a model that changed no answer', async () => {
    const { ws } = await promoted();
    const file = path.join(ws.registry, 'annotation-changes.json');
    for (const text of [
      '{"schema":"vitrine.annotation-changes/1","version":"v1.1.0","previous":"v1.0.0","objects":[{"id":"A-2"}]}',
      '{"version":',
    ]) {
      await writeFile(file, text);
      const log = memoryLogger();
      const { catalogue } = await buildCatalogueData({ ws, params: defaultParams(), log });
      expect(catalogue.recent.some((r) => r.text.includes('changed the type shown'))).toBe(false);
      expect(log.lines.map((l) => l.message).join('\n')).toContain('annotation-changes.json is damaged');
    }
    await writeFile(file, JSON.stringify({ version: 'v1.1.0', previous: 'v1.0.0', changed: 0, objects: [] }));
    const { catalogue } = await buildCatalogueData({ ws, params: defaultParams(), log: memoryLogger() });
    expect(catalogue.recent.some((r) => r.text.includes('changed the type shown'))).toBe(false);
  });
});
