import { mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { main } from '../../pipeline/cli.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { smallExport, vitrineIn } from '../fixtures/cli-run.ts';
import { tempDir } from '../fixtures/temp.ts';

/*
 * vitrine init proposed, for params.yaml’s vocabulary, an export’s label with a character pasted in with it: a
 * direction mark before a Latin word ("\u200eStatuary") or a joiner between Latin letters ("Jewel\u200dlery"), each
 * printing as the word without it, went into params.yaml as it was; "Pottery\u200b" on a few rows was counted apart
 * from "Pottery", which was then left out for too few objects. Such a label is now counted and proposed without the
 * character, and the rows that hold it are named with the character by its code and said to delete it in the export,
 * as the dataset stage says of labels.csv. A joiner inside a Persian word is the word’s own and is kept. Failed first.
 */

const PERSIAN = 'کتاب\u200cخانه';

describe('an export whose labels hold characters pasted in with them', () => {
  it('has each label proposed without them, and their rows named with the character by its code', async () => {
    const root = await tempDir('vitrine-init-pasted-labels-');
    const rows = [
      ...Array.from({ length: 20 }, (_, i) => [`P${i + 1}`, `p${i + 1}.jpg`, 'Pottery']),
      ...Array.from({ length: 6 }, (_, i) => [`Q${i + 1}`, `q${i + 1}.jpg`, 'Pottery\u200b']),
      ...Array.from({ length: 25 }, (_, i) => [`S${i + 1}`, `s${i + 1}.jpg`, '\u200eStatuary']),
      ...Array.from({ length: 25 }, (_, i) => [`J${i + 1}`, `j${i + 1}.jpg`, 'Jewel\u200dlery']),
      ...Array.from({ length: 25 }, (_, i) => [`K${i + 1}`, `k${i + 1}.jpg`, PERSIAN]),
      ...Array.from({ length: 25 }, (_, i) => [`V${i + 1}`, `v${i + 1}.jpg`, 'Vase']),
    ];
    const { csv, images } = await smallExport({ dir: path.join(root, 'export'), rows });
    const museum = path.join(root, 'museum');
    await mkdir(museum);
    const { code, said } = await vitrineIn({ args: ['init', '--from', csv, '--images', images, '--yes'], cwd: museum });
    expect(code, said).toBe(0);
    const params = parse(await readFile(path.join(museum, 'params.yaml'), 'utf8'));
    expect(params.collection.vocabulary).toEqual(['Pottery', 'Statuary', 'Jewellery', PERSIAN, 'Vase']);
    expect(said).not.toMatch(/[\u200b\u200e]|l\u200dl/);
    expect(said).toContain(`Vocabulary: [Pottery, Statuary, Jewellery, "${PERSIAN}", Vase]`);
    expect(said).toContain(
      '  "Pottery<U+200B>" (6 rows, on lines 22, 23, 24, 25, 26 and 1 more of objects.csv) has a character that ' +
        'does not show (U+200B, a zero-width space, written here as its code): counted as "Pottery". Delete it in ' +
        'the collections system and export again',
    );
    expect(said).toContain(
      '  "<U+200E>Statuary" (25 rows, on lines 28, 29, 30, 31, 32 and 20 more of objects.csv) has a character that ' +
        'does not show (U+200E, a left-to-right mark, written here as its code): counted as "Statuary".',
    );
    expect(said).toContain('  "Jewel<U+200D>lery" (25 rows, on lines 53, 54');
    expect(said).not.toContain(`"${PERSIAN}" (25 rows`);
  });
});

describe('a label whose pasted character stands beside a space, or is all the cell holds', () => {
  // "Pottery \u200b" kept its space through the CSV trim (the character stood behind it) and was proposed as
  // "Pottery ", "\u200e Statuary" as " Statuary", a cell of only "\u200b" as "": init then stopped on the
  // params.yaml it had written itself (review V5; failed before the fix).
  it('proposes the label trimmed, and a cell with nothing else as no label, so init finishes', async () => {
    const root = await tempDir('vitrine-init-pasted-space-');
    const rows = [
      ...Array.from({ length: 25 }, (_, i) => [`P${i + 1}`, `p${i + 1}.jpg`, 'Pottery \u200b']),
      ...Array.from({ length: 25 }, (_, i) => [`S${i + 1}`, `s${i + 1}.jpg`, '\u200e Statuary']),
      ...Array.from({ length: 25 }, (_, i) => [`Z${i + 1}`, `z${i + 1}.jpg`, '\u200b']),
      ...Array.from({ length: 25 }, (_, i) => [`V${i + 1}`, `v${i + 1}.jpg`, 'Vase']),
    ];
    const { csv, images } = await smallExport({ dir: path.join(root, 'export'), rows });
    const museum = path.join(root, 'museum');
    await mkdir(museum);
    const { code, said } = await vitrineIn({ args: ['init', '--from', csv, '--images', images, '--yes'], cwd: museum });
    expect(code, said).toBe(0);
    const params = parse(await readFile(path.join(museum, 'params.yaml'), 'utf8'));
    expect([...params.collection.vocabulary].sort()).toEqual(['Pottery', 'Statuary', 'Vase']);
  });
});

describe('a label with a character pasted in, too few to propose', () => {
  // It was said as left out on purpose, "kept, not learned": once it had enough, "add it to collection.vocabulary",
  // which refuses it. Left out under its name without the character, counted with it; its lines are said to correct.
  it('is left out once, without the character, and its lines are still said to correct', async () => {
    const root = await tempDir('vitrine-init-pasted-left-out-');
    const rows = [
      ...Array.from({ length: 25 }, (_, i) => [`S${i + 1}`, `s${i + 1}.jpg`, 'Statuary']),
      ...Array.from({ length: 25 }, (_, i) => [`V${i + 1}`, `v${i + 1}.jpg`, 'Vase']),
      ...Array.from({ length: 3 }, (_, i) => [`P${i + 1}`, `p${i + 1}.jpg`, 'Pottery']),
      ...Array.from({ length: 4 }, (_, i) => [`Q${i + 1}`, `q${i + 1}.jpg`, 'Pottery\u200b']),
    ];
    const { csv, images } = await smallExport({ dir: path.join(root, 'export'), rows });
    const museum = path.join(root, 'museum');
    await mkdir(museum);
    const { code, said } = await vitrineIn({ args: ['init', '--from', csv, '--images', images, '--yes'], cwd: museum });
    expect(code, said).toBe(0);
    expect(said).toContain('left out of the vocabulary, with fewer than 25 objects each: Pottery.');
    expect(await readFile(path.join(museum, 'params.yaml'), 'utf8')).toContain(
      'Left out, with fewer than 25 ' + 'objects each: Pottery (7).',
    );
    expect(said).toMatch(/^info: 3 objects keep their labels in labels\.csv.*: Pottery \(3\) has too few/m);
    expect(said).not.toMatch(/keep their labels.*Pottery<U\+200B>/);
    expect(said).toContain(
      '"Pottery<U+200B>" has a character that does not show (U+200B, a zero-width space, written here as its code), ' +
        'which params.yaml refuses in a label: delete it on lines 5, 6, 7, 8 of labels.csv.',
    );
    expect(said).not.toMatch(/Pottery<U\+200B> \(4\) has too few/);
  });
});

describe('a vocabulary typed for init with a character pasted in', () => {
  // It was refused as a line of params.yaml init had written ("params.yaml:14: …"), the option unnamed.
  it('is refused as --vocabulary, the character by its code, before anything is written', async () => {
    const root = await tempDir('vitrine-init-pasted-vocabulary-');
    const rows = [
      ...Array.from({ length: 26 }, (_, i) => [`P${i + 1}`, `p${i + 1}.jpg`, 'Pottery']),
      ...Array.from({ length: 25 }, (_, i) => [`V${i + 1}`, `v${i + 1}.jpg`, 'Vase']),
    ];
    const { csv, images } = await smallExport({ dir: path.join(root, 'export'), rows });
    const museum = path.join(root, 'museum');
    await mkdir(museum);
    const args = ['init', '--from', csv, '--images', images, '--yes', '--vocabulary', 'Pottery\u200b, Vase'];
    const { code, said } = await vitrineIn({ args, cwd: museum });
    expect(code).not.toBe(0);
    expect(said).toContain(
      '--vocabulary: "Pottery<U+200B>" has a character that does not show (U+200B, a zero-width space, written here ' +
        'as its code), which params.yaml refuses in a label: delete it. Nothing was written.',
    );
    expect(said).not.toContain('params.yaml:');
    expect(await readdir(museum)).toEqual([]);
  });

  it('typed at the question, is said so and asked again, the label without it offered', async () => {
    const root = await tempDir('vitrine-init-pasted-answer-');
    const rows = [
      ...Array.from({ length: 26 }, (_, i) => [`P${i + 1}`, `p${i + 1}.jpg`, 'Pottery']),
      ...Array.from({ length: 25 }, (_, i) => [`V${i + 1}`, `v${i + 1}.jpg`, 'Vase']),
    ];
    const { csv, images } = await smallExport({ dir: path.join(root, 'export'), rows });
    const museum = path.join(root, 'museum');
    await mkdir(museum);
    let questions = '';
    const code = await main(['init', '--from', csv, '--images', images], {
      cwd: museum,
      env: {},
      stdout: () => {},
      log: memoryLogger(),
      interactive: true,
      stdin: Readable.from(['\n\u200ePottery, Vase\n\n\n\n\n\n\n']),
      prompts: new Writable({ write: (chunk, _, done) => done(void (questions += chunk)) }),
    });
    expect(code, questions).toBe(0);
    expect(questions).toContain(
      '  "<U+200E>Pottery" has a character that does not show (U+200E, a left-to-right mark, written here as its ' +
        'code), which params.yaml refuses in a label: delete it.\nVocabulary, comma-separated [Pottery, Vase]',
    );
    const params = parse(await readFile(path.join(museum, 'params.yaml'), 'utf8'));
    expect(params.collection.vocabulary).toEqual(['Pottery', 'Vase']);
  });
});
