import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { assignSlugs } from '../../pipeline/catalogue/derive.ts';
import { numberIndex } from '../../pipeline/catalogue/slug-rules.ts';
import { folioAsF as folioInAddress, numberAsked, numberFound } from '../../site/src/lib/address.ts';
import { closestFirst, folioAsF, searchedAs } from '../../site/src/lib/number.ts';

/*
 * The object-number lookup the search page (its worker) and the 404 page share (lib/address.ts), and the order the
 * search page gives the objects of a number no object has (lib/number.ts), without a browser. Outside testers:
 * "Plate 3" went to object 3 and "folk art 12" to object 0012 (a title's number); "vase DM 0006" offered nothing;
 * "MS 123 folio 4r" was not read as "f.", "12 fo3" was read as "12 f.3"; a collection writing "fol." got no "Go to
 * object" for "f."; the closest number was looked for among the first 12 objects only; a stalled piece of the index
 * left the 404 page waiting for ever.
 */

/** numberFound over an index of `ids`, as the pages read it. */
function lookup(ids: string[]) {
  const slugs = assignSlugs({ ids, previous: new Map() });
  const pieces = numberIndex(ids.map((id, i) => ({ id, slug: slugs[i]! })));
  return async (typed: string) => (await numberFound(typed, async (name) => pieces.get(name) ?? null))?.id ?? null;
}

describe('a number typed among words', () => {
  it('offers no plain number among the words of a title, only a number typed alone', async () => {
    const pick = lookup(['3', '0012', '12', '1887']);
    expect(await pick('Plate 3')).toBeNull();
    expect(await pick('folk art 12')).toBeNull();
    expect(await pick('view of Paris 1887')).toBeNull();
    expect(await pick('3 plate')).toBeNull();
    // The number alone is the query: its object.
    expect(await pick('3')).toBe('3');
    expect(await pick('12')).toBe('12');
    expect(await lookup(['0012'])('12')).toBe('0012');
  });

  it('offers a number of letters and digits among words, and one split over two words after a word', async () => {
    const pick = lookup(['DM-0006', 'DM-00061', 'Study 12', '12', 'Inv. Nr. 45', 'Box 4 vase', '4']);
    for (const q of ['DM-0006 vase', 'vase DM-0006', 'vase DM-0006 jug', 'DM 0006', 'vase DM 0006', 'DM 0006 vase']) {
      expect(await pick(q), q).toBe('DM-0006');
    }
    expect(await pick('vase dm 6')).toBe('DM-0006');
    expect(await pick('jug vase DM 0006 lid')).toBe('DM-0006');
    // The collection’s own prefix before a plain number: that number, not the plain one.
    expect(await pick('Study 12 cloud')).toBe('Study 12');
    expect(await pick('cloud Study 12')).toBe('Study 12');
    expect(await pick('cloud 12')).toBeNull();
    expect(await pick('bowl Inv. Nr. 45')).toBe('Inv. Nr. 45');
    expect(await pick('Box 4 vase')).toBe('Box 4 vase');
    // Two numbers, or a lone letter beside the number: none.
    expect(await pick('DM-0006 12')).toBeNull();
    expect(await pick('DM 0006 DM 00061')).toBeNull();
    expect(await pick('DM-0006 b')).toBeNull();
    // Two numbers as long, each another object’s: neither.
    expect(await lookup(['Box 4', '4 vase'])('Box 4 vase')).toBeNull();
    // A prefix no object has: none.
    expect(await pick('vase XY 0006')).toBeNull();
  });
});

describe('a folio’s word', () => {
  it('reads “folio” and “fo.” as “f.”, and no word run into its digits', () => {
    for (const w of ['folio', 'Folio', 'folios', 'fo.', 'fos.', 'fol.', 'fol', 'ff.', 'ff', 'f°', 'fols.']) {
      expect(folioAsF(`MS 123 ${w} 4r`), w).toBe('MS 123 f. 4r');
    }
    expect(folioAsF('MS 123, fol.4r')).toBe('MS 123, f.4r');
    expect(folioAsF('MS 123 f°4r')).toBe('MS 123 f.4r');
    // "fo" without its point is no folio ("FO 371": the Foreign Office’s records); nor a word run into the digits.
    for (const q of ['12 fo3', '12 fo 3', '12 fol3', '12 ff3', '12 folio3', 'MS 123 folios', '1887 fold 4']) {
      expect(folioAsF(q), q).toBe(q);
    }
    expect(searchedAs('12 fo3')).toBe('12 fo3');
    const all = ['MS 123 folio 4r', 'MS 123 fos. 4r', '12 fo3', '12 fo 3', '12 fol3', 'MS 123 f°4r', 'MS 123 fo. 4r'];
    for (const q of all) expect(folioInAddress(q), q).toBe(folioAsF(q));
  });

  it('offers the folio of a collection that writes “fol.”, typed with “f.”, “folio” or “fo.”', async () => {
    const pick = lookup(['MS 123 fol. 4r', 'MS 123 fol. 4v', 'MS 7 f. 2r', 'MS 8 folio 1', 'MS 9 fo. 3']);
    for (const q of ['MS 123 f. 4r', 'MS 123 folio 4r', 'ms 123 fo. 4r', 'MS 123 fol 4r', 'MS 123 ff. 4r']) {
      expect(await pick(q), q).toBe('MS 123 fol. 4r');
    }
    for (const q of ['MS 7 fol. 2r', 'MS 7 folio 2r']) expect(await pick(q), q).toBe('MS 7 f. 2r');
    expect(await pick('MS 8 f. 1')).toBe('MS 8 folio 1');
    expect(await pick('MS 9 fol. 3')).toBe('MS 9 fo. 3');
    expect(await pick('MS 123 f. 5r')).toBeNull();
  });
});

describe('the closest number first', () => {
  it('finds the closest number however far down the results it is, reading no more than it needs', async () => {
    // Pagefind's order: twelve numbers two characters longer than "188710", then the closest, then objects dated so.
    const numbers = [
      ...Array.from({ length: 12 }, (_, i) => `Herb. 1887/10${10 + i} b`),
      'Herb. 1887/109 b',
      ...Array.from({ length: 30 }, (_, i) => `L.${i}`),
    ];
    const read: string[] = [];
    const numberOf = async (n: string) => {
      read.push(n);
      return n;
    };
    const ordered = await closestFirst({ results: numbers, number: '188710', numberOf });
    expect(ordered[0]).toBe('Herb. 1887/109 b');
    expect(ordered.slice(1, 13)).toEqual(numbers.slice(0, 12));
    expect(ordered).toHaveLength(numbers.length);
    // A whole batch of objects not found by their number: none after it is read.
    expect(read.length).toBeLessThanOrEqual(36);
    expect(new Set(ordered).size).toBe(numbers.length);
  });

  it('keeps Pagefind’s order among numbers as close, and for objects not found by their number', async () => {
    const numbers = ['L.1', 'Herb. 1887/1000 b', 'Herb. 1887/109 b', 'L.2', 'Herb. 1887/108 b'];
    const ordered = await closestFirst({ results: numbers, number: '188710', numberOf: async (n) => n });
    expect(ordered).toEqual(['Herb. 1887/109 b', 'Herb. 1887/108 b', 'Herb. 1887/1000 b', 'L.1', 'L.2']);
  });
});

describe('a piece of the number index that does not answer', () => {
  /** A server whose number pieces never answer (`body`: their headers are sent, the body never ends). */
  async function stalling({ body = false }: { body?: boolean } = {}) {
    const closed: string[] = [];
    const server = createServer((req: IncomingMessage, res) => {
      req.socket.on('close', () => closed.push(req.url ?? ''));
      if (body) res.writeHead(200, { 'content-type': 'application/json' }).write('{"dm0006": [');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    return {
      base,
      closed,
      close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
  }

  it('is given up, its request cancelled, and the lookup answers nothing', async () => {
    for (const body of [false, true]) {
      const site = await stalling({ body });
      try {
        const answer = await numberAsked({ typed: 'DM-0006', base: site.base, stalledMs: 200 });
        expect(answer.found, String(body)).toBeNull();
        expect(answer.error, String(body)).toMatch(/did not answer/);
        await expect.poll(() => site.closed.some((u) => u.includes('/data/numbers/')), { timeout: 5000 }).toBe(true);
      } finally {
        await site.close();
      }
    }
  });

  it('is given up at the whole lookup’s limit too', async () => {
    const site = await stalling();
    try {
      const answer = await numberAsked({ typed: 'DM-0006', base: site.base, stalledMs: 60_000, wholeMs: 200 });
      expect(answer.found).toBeNull();
      expect(answer.error).toMatch(/did not answer/);
      await expect.poll(() => site.closed.length > 0, { timeout: 5000 }).toBe(true);
    } finally {
      await site.close();
    }
  });
});
