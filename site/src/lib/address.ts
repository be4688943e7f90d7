/*
 * An object's page address from its object number, in the browser, as the pipeline makes it
 * (the rules of pipeline/catalogue/slug-rules.ts, which derive.ts slugFor uses too): the 404 page turns a typed
 * address into the page's; the search page finds an object number typed into its box in the number index the
 * build publishes (data/numbers/), by the piece its number key falls in (slug-rules.ts: the rules the pipeline
 * writes the index by). The md5 is written here: derive.ts uses Node's crypto; test/site/object-number-search.test.ts
 * checks that both give the same answers.
 */
import {
  hashedSlug,
  type NumberFound,
  type NumberPiece,
  numberDateKey,
  numberKey,
  numberPiece,
  numberTyped,
  paddingAsideKey,
  plainAddress,
} from '../../../pipeline/catalogue/slug-rules.ts';

export { type NumberFound, type NumberPiece, numberTyped };

/**
 * lib/number.ts folioAsF, copied (what it reads as a folio's word, and why, is said there): imported from there,
 * number.ts would be a module shared with the 404 page's script, and the search page's script would load it as a file
 * of its own instead of going into the page (issue 16; test/site/library-search.test.ts and number-lookup.test.ts
 * check that the two read every folio alike).
 */
export function folioAsF(words: string): string {
  return words.replace(/(?<=\p{N}[,;]?\s+)(?:(?:folios?|fols?|ff)(?:\.|(?=\s))|fos?\.|f[°º]\.?)(?=\s*\p{N})/giu, 'f.');
}

/**
 * How collections write a folio's word in their numbers, most often first ("MS 123 f. 4r", "MS 123 fol. 4r"…); the
 * plural of a range of folios too ("MS 123 fols. 4r-5v", "fos. 4r": offered nothing when typed with "f.").
 */
const FOLIO_WORDS = ['f.', 'fol.', 'fo.', 'folio', 'ff.', 'fols.', 'fos.'];

/** A folio's word as folioAsF reads it: "f." between a number and the folio. */
const FOLIO_READ = /(?<=\p{N}[,;]?\s+)f\.(?=\s*\p{N})/giu;

/** "f" without its point, a word of its own between a number and a folio ("MS 123 f 4r"). */
const BARE_F = /(?<=\p{N}[,;]?\s+)f(?=\s+\p{N})/giu;

/** The address an id gets when no other id has it ("DM 0267" → "dm-0267"), or "" when nothing of it is left. */
export const addressOf = plainAddress;

/**
 * The piece of the object-number index (data/numbers/<piece>.json) where a typed number is looked up ("DM0267",
 * "dm-0267", "DM_0267": the same piece), or null when it leaves no key: numberTyped then finds it in that piece.
 */
export function numberPieceOf(typed: string): string | null {
  const key = numberKey(typed.trim());
  return key ? numberPiece(key) : null;
}

/**
 * The object whose number was typed, looked up in the object-number index, whose pieces `piece` reads (null when a
 * piece is not there): by the typed number's key, else, when no id has that key, by its key with its zeros set aside
 * ("PH/1923/045" → "ph192345", as "PH/1923/45"): a number typed with another count of zeros than its object's found
 * nothing (an outside tester). Two ids alike once their zeros are set aside: neither. Numbers typed apart ("1887 10",
 * "1/2", "½") are one object's number only where it has punctuation between them ("1887.10"), never run together
 * ("1 2" offered object 12, "12 13" object 1213: a reviewer). When no id has the whole typed text's key: the number
 * with its folio's word read as "f." ("MS 123 fol. 4r"), else the one number typed among ordinary words ("DM-0006
 * vase").
 * The pieces the lookup may need are asked for together, each once: by their keys at once, then, when no id has the
 * whole text's key, by their keys with zeros set aside (read one after another, the 5 to 7 pieces of "DM 0006 big red
 * amphora" took longer than the lookup is given on a slow link: a reviewer).
 */
export async function numberFound(
  typed: string,
  piece: (name: string) => Promise<NumberPiece | null>,
): Promise<NumberFound | null> {
  const asked = new Map<string, Promise<NumberPiece | null>>();
  const read = (name: string) => {
    let reading = asked.get(name);
    if (!reading) {
      reading = piece(name);
      // Asked for ahead and maybe never waited for (the whole number was found first): its failure is no one's.
      reading.catch(() => undefined);
      asked.set(name, reading);
    }
    return reading;
  };
  const text = typed.trim();
  // A folio's word typed otherwise than its collection writes it ("MS 123 fol. 4r" for "MS 123 f. 4r", "MS 123 f. 4r"
  // or "MS 123 folio 4r" for "MS 123 fol. 4r": it offered nothing): read as "f." (lib/number.ts folioAsF), then as the
  // other ways a collection writes it, each looked up at once.
  const spelt = spellings(folioAsF(text), FOLIO_READ).filter((other) => numberKey(other) !== numberKey(text));
  // "f" without its point between a number and a folio ("MS 123 f 4r" for "MS 123 fol. 4r"): a folio's word too, but
  // a letter may be a number's part, so only when one object is found so.
  const bare = spellings(text, BARE_F).filter((other) => numberKey(other) !== numberKey(text));
  const among = amongWords(text);
  // Each by its key at once, and by its key with its zeros set aside once the whole text's key is no id's: a number
  // found by its own key (the most often typed) costs one piece, as before.
  const others = [text, ...spelt, ...bare, ...among.map(({ run }) => run)];
  const ahead = (key: (text: string) => string) => {
    for (const other of others) if (key(other)) void read(numberPiece(key(other)));
  };
  ahead(numberKey);
  const whole = await numberLookup(text, read, () => ahead(paddingAsideKey));
  if (whole.listed) return whole.found;
  for (const found of await Promise.all(spelt.map((other) => numberLookup(other, read)))) {
    if (found.listed) return found.found;
  }
  const folios = (await Promise.all(bare.map((other) => numberLookup(other, read)))).filter((f) => f.listed);
  if (folios.length > 0) {
    const ids = new Set(folios.map((f) => f.found?.id ?? null));
    return ids.size === 1 ? folios[0]!.found : null;
  }
  let size = 0;
  let found: NumberFound | null = null;
  for (const { run, words } of among) {
    if (size > words) break;
    const looked = await numberLookup(run, read);
    if (!looked.listed) continue;
    // A number of digits and punctuation among words ("Letter 1887/88") may be a title's: its object only when it is
    // that object's whole number ("1887/88", "1887-88"), not one of another count of zeros ("1887/8" for "1887/08").
    if (!/\p{L}/u.test(run) && (looked.found === null || runsOf(looked.found.id) !== runsOf(run))) continue;
    // Two runs as long with another object each (or one naming no one object): no guess.
    if (size === words && (found === null || looked.found === null || looked.found.id !== found.id)) return null;
    size = words;
    found = looked.found;
  }
  return found;
}

/** `text` with each match of `word` written as each of FOLIO_WORDS, each once. */
function spellings(text: string, word: RegExp): string[] {
  return [...new Set(FOLIO_WORDS.map((spelling) => text.replace(word, spelling)))];
}

/** A number's letters and digits, lowercased, its punctuation and spaces as one space ("1887/88" → "1887 88"). */
function runsOf(text: string): string {
  return text
    .normalize('NFC')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .join(' ');
}

/**
 * The runs of `text`'s words with its one number in them that numberFound looks up, the longest first, with their
 * count of words; none when `text` is not one number among ordinary words.
 * One number among ordinary words ("DM-0006 vase", "vase DM-0006"): its object, as "DM-0006 -vase" offers it (an
 * outside tester); split over the word before it too ("vase DM 0006", "cloud Study 12": the collection's own prefix).
 * Ordinary: letters alone, two or more (a lone letter after a number is its part: "1887/13 b"). None when two words
 * have a digit. Never a plain number alone among words ("Plate 3", "folk art 12", "Paris 1887": a title's number, not
 * object 3 or 0012; an outside tester): only typed alone, or after the words of its prefix. The longest number the
 * words hold wins ("Study 12 cloud": Study 12, not 12); two as long, each another object ("Box 4 vase" when "Box 4"
 * and "4 vase" are numbers): neither.
 */
function amongWords(text: string): { run: string; words: number }[] {
  const words = text.split(/\s+/);
  const numbers = words.flatMap((word, at) => (/\p{N}/u.test(word) ? [at] : []));
  const at = numbers[0];
  if (words.length < 2 || numbers.length !== 1 || at === undefined) return [];
  const ordinary = (word: string) => /^[\p{L}\p{M}'’]{2,}$/u.test(word);
  // Runs of words with the number in them, the longest first: up to two words before it (a prefix: "Inv. Nr. 45")
  // and one after; the whole typed text is looked up before.
  const runs: { run: string; words: number }[] = [];
  for (let size = Math.min(words.length - 1, 4); size >= 1; size--) {
    for (let from = Math.max(0, at - 2); from <= at; from++) {
      const to = from + size;
      if (to <= at || to > Math.min(words.length, at + 2)) continue;
      if (!words.every((word, i) => (i >= from && i < to) || ordinary(word))) continue;
      const run = words.slice(from, to);
      if (run.length === 1 && /^\p{N}+$/u.test(run[0]!)) continue;
      runs.push({ run: run.join(' '), words: size });
    }
  }
  return runs;
}

/** How long a lookup waits for each piece of the index, counted from when that piece is asked for. */
export const STALLED_MS = 3000;

/** How long a lookup may take in all, whatever it waits for (the search page gives its worker as long). */
export const LOOKUP_MS = 10_000;

/**
 * The object whose number was typed (numberFound), its pieces of the index read from the site at `base`
 * (data/numbers/<piece>.json), as the search page's worker and the 404 page ask for it: `found` null when no object
 * has it, or with `error` when the index could not be read. A piece that has not answered `stalledMs` after it was
 * asked for is given up, its request cancelled (a request never ended held a browser test's wait for the network
 * for ever), and the lookup answers; so it does after `wholeMs` whatever it waits for. A stalled piece left the 404
 * page waiting for ever (an outside tester); every piece given up 3 s after the lookup started, the pieces asked for
 * later had less (a reviewer). Once it answers, the pieces still coming are cancelled. A site built before the index
 * was published (no such piece): nothing. The objects that left the catalogue are looked for with `left` only (the
 * 404 page: their pages say where they went), never by the search page, which lists none.
 */
export async function numberAsked({
  typed,
  base,
  left = false,
  stalledMs = STALLED_MS,
  wholeMs = LOOKUP_MS,
}: {
  typed: string;
  base: string;
  left?: boolean;
  stalledMs?: number;
  wholeMs?: number;
}): Promise<{ found: NumberFound | null; error?: string }> {
  const stalled = new Error('The object-number index did not answer');
  const requests = new Set<AbortController>();
  let givenUp = false;
  const giveUp = (request: AbortController) => {
    givenUp = true;
    request.abort(stalled);
  };
  let whole: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    whole = setTimeout(() => {
      for (const request of requests) giveUp(request);
      givenUp = true;
      reject(stalled);
    }, wholeMs);
  });
  try {
    const found = await Promise.race([
      numberFound(typed, async (piece) => {
        const request = new AbortController();
        requests.add(request);
        const timer = setTimeout(() => giveUp(request), stalledMs);
        try {
          const response = await fetch(`${base}data/numbers/${piece}.json`, { signal: request.signal });
          if (response.ok) {
            const piece = (await response.json()) as NumberPiece;
            if (left) return piece;
            const kept: NumberPiece = Object.create(null);
            // Those that left have a third entry (slug-rules.ts NumberPiece).
            for (const [key, ids] of Object.entries(piece))
              kept[key] = Array.isArray(ids) ? ids.filter((entry) => entry.length === 2) : ids;
            return kept;
          }
          await response.body?.cancel();
          return null;
        } finally {
          clearTimeout(timer);
          requests.delete(request);
        }
      }),
      late,
    ]);
    return { found: found && { id: found.id, slug: found.slug, ...(found.left && { left: found.left }) } };
  } catch (error) {
    return { found: null, error: String(givenUp ? stalled : error) };
  } finally {
    clearTimeout(whole);
    // The pieces asked for ahead and not needed: no longer read.
    for (const request of requests) request.abort(new Error('The lookup has answered'));
  }
}

/**
 * Whether a date typed (`typed`: "c.1900", "1887-89", "CA 1900") is, or begins, an object number of the catalogue
 * ("C.1900.1", "1887-89 a"): its key (slug-rules.ts numberDateKey) is looked up in the one piece of the index of such
 * dates the build publishes (data/number-dates/<piece>.json), given up `stalledMs` after it is asked for. A site built
 * before that index (no such piece): no. The search page read the objects found by the date, one fragment each, up
 * to 120, and missed "C.1900.1" among 5,000 chairs titled "Chair, c.1900" (a reviewer).
 */
export async function numberDateAsked({
  typed,
  base,
  stalledMs = STALLED_MS,
}: {
  typed: string;
  base: string;
  stalledMs?: number;
}): Promise<{ begun: boolean; error?: string }> {
  const key = numberDateKey(typed);
  if (!key) return { begun: false };
  const request = new AbortController();
  const timer = setTimeout(() => request.abort(new Error('The index of dates did not answer')), stalledMs);
  try {
    const response = await fetch(`${base}data/number-dates/${numberPiece(key)}.json`, { signal: request.signal });
    if (!response.ok) {
      await response.body?.cancel();
      return { begun: false };
    }
    const keys = (await response.json()) as unknown;
    return { begun: Array.isArray(keys) && keys.includes(key) };
  } catch (error) {
    return { begun: false, error: String(error) };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * numberFound, and whether any id has the typed number's key (or its key with its zeros set aside) with its digits
 * apart where they were typed apart (spacedAsTyped).
 */
async function numberLookup(
  typed: string,
  piece: (name: string) => Promise<NumberPiece | null>,
  missed: () => void = () => undefined,
): Promise<{ listed: boolean; found: NumberFound | null }> {
  for (const [key, aside] of [
    [numberKey(typed), false],
    [paddingAsideKey(typed), true],
  ] as const) {
    const listed = key ? await piece(numberPiece(key)) : null;
    const ids =
      listed && Object.hasOwn(listed, key) && Array.isArray(listed[key])
        ? listed[key].filter(([id]) => spacedAsTyped(typed, id, { aside }))
        : [];
    if (ids.length === 0) {
      // No id has the typed number's own key: numberFound asks for the pieces it may need next.
      if (!aside) missed();
      continue;
    }
    const only: NumberPiece = Object.create(null);
    only[key] = ids;
    return { listed: true, found: numberTyped(typed, only, { aside }) };
  }
  return { listed: false, found: null };
}

/**
 * Whether `id` has its digits apart wherever `typed` has them apart: "1887 10" and "1887/10" are "1887.10", not
 * "188710"; "1 2" and "½" (a fraction: "1⁄2") are not object 12, nor "12 13" object 1213 (a reviewer). Digits typed
 * together may be apart in the id ("188710" is "1887.10" too). With `aside`, each run of digits without its leading
 * zeros ("PH 1923 045" is "PH/1923/0045").
 */
function spacedAsTyped(typed: string, id: string, { aside }: { aside: boolean }): boolean {
  const digits = (text: string) =>
    (text.normalize('NFKD').match(/\p{Nd}+/gu) ?? []).map((run) => [
      ...(aside ? run.replace(/^0+(?=\p{Nd})/u, '') : run),
    ]);
  const cuts = (runs: string[][]) => {
    let at = 0;
    return runs.map((run) => (at += run.length)).slice(0, -1);
  };
  const [mine, its] = [digits(typed), digits(id)];
  // Digits the key folds otherwise (another count of them): not for this rule to judge.
  if (mine.flat().length !== its.flat().length) return true;
  const apart = new Set(cuts(its));
  return cuts(mine).every((at) => apart.has(at));
}

/**
 * The md5 of an id's UTF-8 bytes, as hex (node's createHash('md5')): an id that slugifies like an object
 * already published ("DM 0267" added after "DM-0267") has its page at "<address>-<first 8 of md5(id)>".
 */
export function md5(text: string): string {
  const bytes = new TextEncoder().encode(text);
  const blocks = ((bytes.length + 8) >>> 6) + 1;
  const words = new Uint32Array(blocks * 16);
  for (let i = 0; i < bytes.length; i++) words[i >> 2]! |= bytes[i]! << ((i % 4) * 8);
  words[bytes.length >> 2]! |= 0x80 << ((bytes.length % 4) * 8);
  words[blocks * 16 - 2] = bytes.length * 8;
  const shifts = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];
  const k = Array.from({ length: 64 }, (_, i) => Math.floor(Math.abs(Math.sin(i + 1)) * 2 ** 32) >>> 0);
  const h = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476];
  for (let at = 0; at < words.length; at += 16) {
    let [a, b, c, d] = h as [number, number, number, number];
    for (let i = 0; i < 64; i++) {
      const round = i >> 4;
      const f = [(b & c) | (~b & d), (d & b) | (~d & c), b ^ c ^ d, c ^ (b | ~d)][round]!;
      const g = [i, (5 * i + 1) % 16, (3 * i + 5) % 16, (7 * i) % 16][round]!;
      const s = shifts[round * 4 + (i % 4)]!;
      const x = (a + f + k[i]! + words[at + g]!) >>> 0;
      [a, d, c, b] = [d, c, b, (b + ((x << s) | (x >>> (32 - s)))) >>> 0];
    }
    [a, b, c, d].forEach((v, i) => (h[i] = (h[i]! + v) >>> 0));
  }
  return h.map((v) => [0, 8, 16, 24].map((n) => ((v >>> n) & 0xff).toString(16).padStart(2, '0')).join('')).join('');
}

/**
 * The pages where the object numbered `id` may be, its own first: the hashed address (only an id that
 * came after a look-alike has one), then the plain one; none when the id leaves no address.
 */
export function pagesOf(id: string): string[] {
  const address = addressOf(id);
  return address ? [hashedSlug(address, md5(id).slice(0, 8)), address] : [];
}
