import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../pipeline/log.ts';
import { validateParams } from '../../pipeline/params.ts';
import { buildReport } from '../../pipeline/report/index.ts';
import { hiddenCharacter, visibleLabel } from '../../pipeline/report/invisible.ts';
import { demoObjects, makeRepo } from './fixture.ts';

/*
 * A Persian label, "کتاب\u200cخانه" (library: the zero-width non-joiner keeps "کتاب" from joining "خانه", as Persian is
 * written), is taken by params.yaml as it is, but the comment showed it as "کتاب⟨zero-width non-joiner⟩خانه" and said
 * to delete that character, as if it were pasted junk. A joiner between letters of a script written with joiners, or
 * inside an emoji, is the label’s own text; a zero-width space, or a joiner at an end, is still named. Failed before
 * the fix.
 */

const PERSIAN = 'کتاب\u200cخانه';
const objects = demoObjects();
const correct = Object.fromEntries(objects.map((o) => [o.id, o.label]));

const rowOf = (markdown: string, id: string) => markdown.split('\n').find((l) => l.startsWith('|') && l.includes(id))!;

describe('a joiner inside a Persian word in the pull-request comment', () => {
  it('is shown as it is, and the line is said to be outside the vocabulary, not to hold an invisible character', async () => {
    const { ws } = await makeRepo({ objects, base: correct, head: { ...correct, 'DM-0002': PERSIAN } });
    const params = validateParams({ raw: { train: { epochs: 60 } } });
    const { markdown } = await buildReport({ ws, params, base: 'main', log: silentLogger });
    const row = rowOf(markdown, 'DM-0002');
    expect(row).toContain(`| ${PERSIAN} | "${PERSIAN}" is not one of the collection's labels: the line was skipped |`);
    expect(markdown).not.toContain('zero-width non-joiner');
  });

  it('is shown as it is in any label, in the vocabulary or not; one at an end or a zero-width space is named', () => {
    expect(visibleLabel(PERSIAN)).toBe(PERSIAN);
    expect(visibleLabel('👩\u200d💻')).toBe('👩\u200d💻');
    expect(hiddenCharacter({ label: PERSIAN, quote: (s) => `"${s}"` })).toBeUndefined();
    expect(visibleLabel(`${PERSIAN}\u200c`)).toBe(`${PERSIAN}⟨zero-width non-joiner⟩`);
    expect(visibleLabel('co\u200cin')).toBe('co⟨zero-width non-joiner⟩in');
    expect(hiddenCharacter({ label: `${PERSIAN}\u200b`, quote: (s) => `"${s}"` })?.words).toBe(
      `it contains an invisible character (zero-width space, U+200B) after "${PERSIAN}"`,
    );
  });
});
