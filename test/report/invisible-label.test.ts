import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../pipeline/log.ts';
import { validateParams } from '../../pipeline/params.ts';
import { buildReport } from '../../pipeline/report/index.ts';
import { demoObjects, makeRepo } from './fixture.ts';

/*
 * An outside tester: a staff label "Jewellery" followed by a zero-width space (pasted from a web page) is explained in
 * the dataset log ("contains an invisible character (zero-width space, U+200B)"), but the comment said
 * `"Jewellery" is not one of the collection's labels (did you mean "Jewellery"?)`, which reads as "Jewellery is not
 * Jewellery". The comment shows the character and says what it is, as the dataset log does.
 */

const objects = demoObjects();
const correct = Object.fromEntries(objects.map((o) => [o.id, o.label]));
const params = () => validateParams({ raw: { train: { epochs: 60 } } });

async function reportWith(head: Record<string, string>) {
  const base = { ...correct, 'DM-0002': 'vessel', 'DM-0013': 'vessel' };
  const { ws } = await makeRepo({ objects, base, head: { ...correct, ...head } });
  return (await buildReport({ ws, params: params(), base: 'main', log: silentLogger })).markdown;
}

const rowOf = (markdown: string, id: string) => markdown.split('\n').find((l) => l.startsWith('|') && l.includes(id))!;

describe('a label with an invisible character in the report', () => {
  it('shows the character in the row and names it, as the dataset log does', async () => {
    // DM-0002 is a coin: "coin" + U+200B looks like "coin".
    const markdown = await reportWith({ 'DM-0002': 'coin\u200b' });
    const row = rowOf(markdown, 'DM-0002');
    expect(row).toContain('| vessel | coin⟨zero-width space⟩ |');
    expect(row).toContain(
      '"coin⟨zero-width space⟩" is not one of the collection\'s labels: it contains an invisible character ' +
        '(zero-width space, U+200B) after "coin". Did you mean "coin"? Delete that character on the object\'s line ' +
        'in labels.csv: until then the line is skipped',
    );
    // Never the two labels side by side that print alike.
    expect(markdown).not.toContain('coin\u200b');
    const verdict = markdown.split('\n')[0]!;
    expect(verdict).toContain(
      '(“coin⟨zero-width space⟩”: it contains an invisible character (zero-width space, U+200B) after “coin”; ' +
        'did you mean “coin”?)',
    );
  });

  it('names a soft hyphen inside the label; a no-break space inside it is read as the plain space it looks', async () => {
    // A no-break space at an end is trimmed as the line is read; inside a label it is a plain space, as in params.yaml
    // (test/params/space-like-labels.test.ts): "Epoche:\u00a0Neu" from a word processor is the label "Epoche: Neu".
    const markdown = await reportWith({ 'DM-0002': 'co\u00adin', 'DM-0013': 'ma\u00a0sk' });
    expect(rowOf(markdown, 'DM-0002')).toContain(
      '"co⟨soft hyphen⟩in" is not one of the collection\'s labels: it contains an invisible character ' +
        '(soft hyphen, U+00AD) after "co". Did you mean "coin"?',
    );
    const row = rowOf(markdown, 'DM-0013');
    expect(row).toContain(
      '| ma sk | "ma sk" is not one of the collection\'s labels (did you mean "mask"?): the line was skipped |',
    );
  });

  it('keeps the words of a plain misspelling as they were', async () => {
    const markdown = await reportWith({ 'DM-0002': 'coins' });
    expect(rowOf(markdown, 'DM-0002')).toContain(
      '"coins" is not one of the collection\'s labels (did you mean "coin"?): the line was skipped',
    );
  });
});
