import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { assignSlugs } from '../../pipeline/catalogue/derive.ts';
import { numberIndex } from '../../pipeline/catalogue/slug-rules.ts';
import { folioAsF as folioInAddress, numberAsked, numberFound } from '../../site/src/lib/address.ts';
import { apartAsTyped, closestFirst, folioAsF, runTogether, searchedAs } from '../../site/src/lib/number.ts';

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

  // Outside testers: a collection that writes "fols." or "fos." ("MS 123 fols. 4r-5v") was offered nothing for "f.".
  it('offers the folio of a collection that writes “fols.” or “fos.”, typed with another folio’s word', async () => {
    const pick = lookup(['MS 123 fols. 4r-5v', 'MS 9 fos. 4r', 'MS 7 f. 2r']);
    for (const q of [
      'MS 123 f. 4r-5v',
      'MS 123 fol. 4r-5v',
      'MS 123 folio 4r-5v',
      'MS 123 fols. 4r-5v',
      'ms 123 ff. 4r-5v',
    ]) {
      expect(await pick(q), q).toBe('MS 123 fols. 4r-5v');
    }
    for (const q of ['MS 9 f. 4r', 'MS 9 fo. 4r', 'MS 9 fol. 4r', 'MS 9 fos. 4r'])
      expect(await pick(q), q).toBe('MS 9 fos. 4r');
    for (const q of ['MS 7 fols. 2r', 'MS 7 fos. 2r']) expect(await pick(q), q).toBe('MS 7 f. 2r');
    expect(await pick('MS 9 fos. 5r')).toBeNull();
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

describe('a lookup that reads several pieces of the index on a slow link', () => {
  /** A site serving the number index of `ids`, each piece answered `delay` ms after it is asked. */
  async function slow(ids: string[], delay: number) {
    const slugs = assignSlugs({ ids, previous: new Map() });
    const pieces = numberIndex(ids.map((id, i) => ({ id, slug: slugs[i]! })));
    let open = 0;
    let most = 0;
    const server = createServer((req: IncomingMessage, res) => {
      open++;
      most = Math.max(most, open);
      setTimeout(() => {
        open--;
        const piece = pieces.get(/\/data\/numbers\/([0-9a-f]{2})\.json$/.exec(req.url ?? '')?.[1] ?? '');
        if (!piece) res.writeHead(404).end();
        else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(piece));
      }, delay);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return {
      base: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
      most: () => most,
      close: () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    };
  }

  it('gives each piece its own time, and asks for the pieces it may need together', async () => {
    // Each piece answers in 600 ms, well within the 3 s a piece is given; read one after another, the 5 to 7 pieces
    // of a number among words took longer than 3 s, and everything was given up 3 s after the lookup started.
    const site = await slow(['DM-0006', 'Inv. Nr. 45'], 600);
    try {
      for (const [typed, id] of [
        ['DM 0006 big red amphora', 'DM-0006'],
        ['big red amphora DM 0006', 'DM-0006'],
        ['Inv Nr 45 bowl', 'Inv. Nr. 45'],
      ] as const) {
        const answer = await numberAsked({ typed, base: site.base });
        expect(answer, typed).toEqual({ found: { id, slug: expect.any(String) } });
      }
      expect(site.most()).toBeGreaterThan(1);
    } finally {
      await site.close();
    }
  });

  it('counts a piece’s time from when it is asked for, not from the lookup’s start', async () => {
    // Another count of zeros: its own key’s piece first, then, no id having it, the piece of its key without zeros,
    // asked for when the first has answered (1 s) and answering 2 s after the lookup started, 1 s after it was asked.
    const site = await slow(['PH/1923/0045'], 1000);
    try {
      const answer = await numberAsked({ typed: 'PH/1923/045', base: site.base, stalledMs: 1800 });
      expect(answer).toEqual({ found: { id: 'PH/1923/0045', slug: expect.any(String) } });
    } finally {
      await site.close();
    }
  });
});

describe('numbers typed as separate words', () => {
  it('runs plain numbers together only where the object’s number has punctuation between them', async () => {
    const pick = lookup(['12', '1213', '1887.10', '2019.1.1', 'PH/1923/0045', 'Herb. 1887/1 b']);
    // Two numbers typed with a space, or a fraction, are not one object number.
    for (const q of ['1 2', '12 13', '½', '1/2', '121 3']) expect(await pick(q), q).toBeNull();
    for (const [q, id] of [
      ['1887 10', '1887.10'],
      ['2019 1 1', '2019.1.1'],
      ['PH 1923 45', 'PH/1923/0045'],
      ['ph192345', 'PH/1923/0045'],
      ['Herb 1887 1 b', 'Herb. 1887/1 b'],
      ['188710', '1887.10'],
      ['12', '12'],
      ['1213', '1213'],
    ]) {
      expect(await pick(q!), q).toBe(id);
    }
    // A word of the collection’s numbers before the digits: one number, whatever the spaces.
    expect(await lookup(['DM0006'])('DM 0006')).toBe('DM0006');
    expect(await lookup(['DM0006'])('vase DM 0006')).toBe('DM0006');
    // An object whose number has the punctuation: offered for the numbers typed with a space, or a fraction.
    expect(await lookup(['12', '1-2'])('1 2')).toBe('1-2');
    expect(await lookup(['1/2'])('½')).toBe('1/2');
  });

  it('offers a title’s number with punctuation only when it is an object’s whole number', async () => {
    expect(await lookup(['1887/88'])('Letter 1887/88')).toBe('1887/88');
    expect(await lookup(['1887-88'])('Letter 1887/88')).toBe('1887-88');
    // Not another count of zeros, nor the digits run together.
    expect(await lookup(['1887/8'])('Letter 1887/08')).toBeNull();
    expect(await lookup(['1887/088'])('Letter 1887/88')).toBeNull();
    expect(await lookup(['188788'])('Letter 1887/88')).toBeNull();
    expect(await lookup(['PH/1923/0045'])('photo PH/1923/45')).toBe('PH/1923/0045');
  });
});

describe('numbers typed apart, run together for the results list', () => {
  // An outside tester: "12 13" offered nothing (no object is 12.13) but listed object 1213, searched as "1213".
  it('runs the words together only for an object whose number is apart where they were typed apart', () => {
    for (const [q, id] of [
      ['12 13', '1213'],
      ['121 3', '1213'],
      ['1 2', '12'],
      ['1 2', 'MS 12'],
      ['12 13', 'Box 5/1213'],
      ['2 67', 'DM-0267'],
    ]) {
      expect(runTogether(q!), q).not.toBeNull();
      expect(apartAsTyped(q!, id!), `${q} ${id}`).toBe(false);
    }
    for (const [q, id] of [
      ['12 13', '12.13'],
      ['12 13', 'Box 12/13'],
      ['1 2', '1-2'],
      ['a 2023 1 17 a', 'A.2023.1.17-a'],
      ['a 2023 1 17a', 'A.2023.1.17-a'],
      ['2023 1 17', 'A.2023.1.17-a'],
      ['1923 45', 'PH/1923/0045'],
      ['ph 1923 45', 'PH/1923/0045'],
      ['herb 1887 1 b', 'Herb. 1887/1 b'],
      ['1887 10', '1887.10'],
      ['dm 0267', 'DM0267'],
    ]) {
      expect(apartAsTyped(q!, id!), `${q} ${id}`).toBe(true);
    }
  });
});

describe('a folio typed as “f” without its point', () => {
  it('is read as the collection’s folio word when that finds one object', async () => {
    expect(await lookup(['MS 123 fol. 4r'])('MS 123 f 4r')).toBe('MS 123 fol. 4r');
    expect(await lookup(['MS 123 folio 4r'])('ms 123 f 4r')).toBe('MS 123 folio 4r');
    expect(await lookup(['MS 123 f. 4r'])('MS 123 f 4r')).toBe('MS 123 f. 4r');
    // Two objects so written: no guess; and “f” elsewhere is a letter.
    expect(await lookup(['MS 123 fol. 4r', 'MS 123 folio 4r'])('MS 123 f 4r')).toBeNull();
    expect(await lookup(['MS 123 fol. 4r'])('MS 123 f4r')).toBeNull();
    expect(await lookup(['MS 123 fol. 4r'])('MS f 123 4r')).toBeNull();
    expect(folioAsF('MS 123 f 4r')).toBe('MS 123 f 4r');
  });
});
