import { describe, expect, it } from 'vitest';
import { checkAddresses, leftObjects, type SavedAddresses } from '../../pipeline/catalogue/addresses.ts';
import { numberIndex } from '../../pipeline/catalogue/slug-rules.ts';
import { numberFound } from '../../site/src/lib/address.ts';

/*
 * The addresses of objects that left the catalogue (docs/security-addresses.md): which are kept, which name a new
 * number, and the check of a published data/addresses.json that holds them.
 */

const saved = (entries: [string, string, string][], left: SavedAddresses['left'] = []): SavedAddresses => ({
  slugs: new Map(entries.map(([id, slug]) => [id, slug])),
  photos: new Map(entries.map(([id, , photo]) => [id, photo])),
  left,
});

describe('objects that left the catalogue', () => {
  it('a shared photograph, or one an object already had, names no new number; a number back takes its page back', () => {
    const last = saved(
      [
        ['A-1', 'a-1', 'p1'],
        ['A-2', 'a-2', 'p2'],
        ['A-3', 'a-3', 'p2'],
        ['A-4', 'a-4', 'p4'],
      ],
      [{ id: 'OLD-1', slug: 'old-1', now: 'A-4' }],
    );
    const left = leftObjects({
      saved: last,
      objects: [
        { id: 'A-4', slug: 'a-4', photo: 'p4' },
        { id: 'B-2', slug: 'b-2', photo: 'p2' },
        { id: 'B-1', slug: 'b-1', photo: 'p1' },
      ],
    });
    expect(left).toEqual([
      { id: 'OLD-1', slug: 'old-1', now: 'A-4' },
      { id: 'A-1', slug: 'a-1', now: 'B-1' },
      { id: 'A-2', slug: 'a-2', now: null },
      { id: 'A-3', slug: 'a-3', now: null },
    ]);
    // OLD-1 is back under its own number; A-4 leaves for C-4, and OLD-1 would follow it.
    const next = leftObjects({
      saved: saved([['A-4', 'a-4', 'p4']], [{ id: 'OLD-2', slug: 'old-2', now: 'A-4' }]),
      objects: [{ id: 'C-4', slug: 'c-4', photo: 'p4' }],
    });
    expect(next.map((l) => [l.id, l.now])).toEqual([
      ['OLD-2', 'C-4'],
      ['A-4', 'C-4'],
    ]);
  });

  // Reviewer V17 (MED): C-1, C-2 and C-3 share one set photograph; C-3 left and C-4 came with it. Only objects that
  // left and came were counted, so C-3's page said "now catalogued as C-4" though C-1 and C-2 have it too.
  it('a photograph an object that stays shares names no new number either', () => {
    const left = leftObjects({
      saved: saved([
        ['C-1', 'c-1', 'set'],
        ['C-2', 'c-2', 'set'],
        ['C-3', 'c-3', 'set'],
      ]),
      objects: [
        { id: 'C-1', slug: 'c-1', photo: 'set' },
        { id: 'C-2', slug: 'c-2', photo: 'set' },
        { id: 'C-4', slug: 'c-4', photo: 'set' },
      ],
    });
    expect(left).toEqual([{ id: 'C-3', slug: 'c-3', now: null }]);
  });

  it('the address check refuses a page address of an object that left which an object also has', () => {
    const file = (left: unknown[]) =>
      JSON.stringify({ ids: ['A-1'], slugs: ['a-1'], photos: ['p'], titles: ['t'], left });
    expect(checkAddresses(file([{ id: 'A-0', slug: 'a-0', title: 'x', now: null }]))).toEqual({ objects: 1 });
    expect(checkAddresses(file([{ id: 'A-0', slug: 'a-1' }]))).toMatchObject({
      problem: expect.stringContaining('objects/a-1/'),
    });
    expect(checkAddresses(file([{ id: 'A-1', slug: 'a-9' }]))).toMatchObject({
      problem: expect.stringContaining('in "ids" too'),
    });
    expect(checkAddresses(file([{ id: 'A-0', slug: 'collection.json' }]))).toHaveProperty('problem');
    expect(checkAddresses(JSON.stringify({ ids: ['A-1'], slugs: ['a-1'], photos: [] }))).toHaveProperty('problem');
  });

  it('the number index offers an object that left for its own number only, an object of the catalogue first', async () => {
    const pieces = numberIndex([
      { id: 'DM 0004', slug: 'dm-0004-d480a90b' },
      { id: 'DM-0004', slug: 'dm-0004', left: { now: null } },
      { id: 'DM-0011', slug: 'dm-0011', left: { now: 'DM-1011' } },
    ]);
    const found = (typed: string) => numberFound(typed, async (name) => pieces.get(name) ?? null);
    expect(await found('DM-0004')).toEqual({ id: 'DM-0004', slug: 'dm-0004', left: { now: null } });
    expect(await found('dm-0004')).toMatchObject({ id: 'DM-0004' });
    expect(await found('DM 0004')).toEqual({ id: 'DM 0004', slug: 'dm-0004-d480a90b' });
    // Typed without its punctuation: either might be meant, and the object of the catalogue is offered.
    expect(await found('DM0004')).toMatchObject({ id: 'DM 0004' });
    expect(await found('DM-0011')).toEqual({ id: 'DM-0011', slug: 'dm-0011', left: { now: 'DM-1011' } });
  });
});
