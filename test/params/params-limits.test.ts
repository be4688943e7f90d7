import { describe, expect, it } from 'vitest';
import { paramsTexts } from '../fixtures/params-file.ts';

/*
 * Security tester: a pull request's params.yaml with a 20,000-label collection.vocabulary (460 KB), beside 1,000
 * labels.csv lines outside it, kept the runner busy for 3½ minutes at 3 GB. The vocabulary now has a ceiling.
 */

const { load, errorOf } = paramsTexts({ prefix: 'vitrine-params-limits-' });

const labels = (n: number) => Array.from({ length: n }, (_, i) => `label-${i}`);

describe('params.yaml limits', () => {
  it('a vocabulary of 20,000 labels is refused in plain words, without printing the whole list', async () => {
    const message = await errorOf(`collection:\n  vocabulary: [${labels(20_000).join(', ')}]\n`);
    expect(message).toContain('"collection.vocabulary"');
    expect(message).toContain('expected at most 1,000 items');
    expect(message).toContain('more classes needs far more photographs');
    expect(message.length).toBeLessThan(1_000);
  });

  it('a vocabulary of 1,000 labels is still accepted', async () => {
    const params = await load(`collection:\n  name: Test Museum\n  vocabulary: [${labels(1_000).join(', ')}]\n`);
    expect(params.collection.vocabulary).toHaveLength(1_000);
  });

  // A label of thousands of characters (a paste gone wrong) is refused in labels.csv and at import: in the vocabulary
  // too, whose labels name the model's classes. Failed before.
  it('a label over 100 bytes in the vocabulary is refused, naming its line and showing how it begins', async () => {
    const long = `Vessel ${'with a long description '.repeat(20)}`.trim();
    const message = await errorOf(`collection:\n  name: T\n  vocabulary: [coin, "${long}"]\n`);
    expect(message).toContain('"collection.vocabulary.1"');
    expect(message).toContain('is "Vessel with a long description with a long description');
    expect(message).toContain('not one 486 characters long (486 bytes in UTF-8; at most 100): a text pasted in');
    expect(message.length).toBeLessThan(1_000);
    const label = 'é'.repeat(50);
    expect((await load(`collection:\n  name: T\n  vocabulary: [coin, ${label}]\n`)).collection.vocabulary[1]).toBe(
      label,
    );
  });

  it('report.max_label_changes above 1,000 is refused, saying why', async () => {
    const message = await errorOf('report:\n  max_label_changes: 1000000\n');
    expect(message).toContain('"report.max_label_changes" is 1000000, expected at most 1,000');
    expect(message).toContain('comment holds 65,536 characters');
    expect((await load('report:\n  max_label_changes: 1000\n')).report.max_label_changes).toBe(1_000);
  });
});
