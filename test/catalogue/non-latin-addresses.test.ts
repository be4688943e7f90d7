import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkAddresses, previousSlugs } from '../../pipeline/catalogue/addresses.ts';
import { assignSlugs, plainSlug, SLUG } from '../../pipeline/catalogue/derive.ts';
import { manifestOf } from '../../pipeline/catalogue/pictures.ts';
import { type CatalogueObject, catalogueObjectSchema } from '../../pipeline/catalogue/schema.ts';
import {
  hashedSlug,
  numberIndex,
  numberKey,
  numberPiece,
  numberTyped,
  plainAddress,
} from '../../pipeline/catalogue/slug-rules.ts';
import { addressOf } from '../../site/src/lib/address.ts';

/*
 * Object numbers in other scripts than the Latin one: "東博-123", "ОБ-12", "ΑΜ 5", "متحف ٣". Their letters were
 * dropped from the page address: "東博-123" had the page objects/123/ (and "京博-123", the same page with a code
 * added), a number of letters only ("東博") objects/object-<code>/. The address keeps them now, lower case and
 * NFC-normalised; the browser percent-encodes them, as on every site with such addresses. The address of a number
 * in Latin letters is what it always was: published links must not break.
 */

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('the address of an object number in another script', () => {
  it('keeps its letters and digits, lower case', () => {
    expect(plainAddress('東博-123')).toBe('東博-123');
    expect(plainAddress('ОБ-12')).toBe('об-12');
    expect(plainAddress('ΑΜ 5')).toBe('αμ-5');
    expect(plainAddress('متحف ٣')).toBe('متحف-٣');
    expect(plainAddress('東博')).toBe('東博');
    expect(plainAddress('국립-1/2')).toBe('국립-1-2');
    // Latin letters and signs in such a number are written as in any other address.
    expect(plainAddress('Inv. 東博 Nr.12 (Château)')).toBe('inv.-東博-nr.12-chateau');
    // A katakana number with its long-vowel mark, which is a letter of no script of its own.
    expect(plainAddress('アーカイブ-7')).toBe('アーカイブ-7');
  });

  it('is NFC-normalised, so a number typed decomposed or in half-width forms has the same address', () => {
    expect(plainAddress('か\u3099-1')).toBe('が-1');
    expect(plainAddress('ｶﾞ-1')).toBe('ガ-1');
    expect(plainAddress('カ\u3099-1')).toBe('ガ-1');
    expect(plainAddress('Ε\u0301ργο 4')).toBe('έργο-4');
    expect(plainAddress('έργο 4')).toBe(plainAddress('ΈΡΓΟ 4'));
    expect(plainAddress('ОБ-12').normalize('NFC')).toBe(plainAddress('ОБ-12'));
    // Marks that belong to the letter before them stay with it (Arabic vowel signs, Devanagari vowel signs).
    expect(plainAddress('مُتحف 1')).toBe('مُتحف-1');
    expect(plainAddress('संग्रह 5')).toBe('संग्रह-5');
  });

  // Latin letters of their own ("Ł", "ß", "Æ", "Ø") are written in plain letters since (own-letter-addresses.test.ts).
  it('leaves every address of a number in Latin letters as it was', () => {
    const before: Record<string, string> = {
      'DM-0267': 'dm-0267',
      'DM 0267': 'dm-0267',
      'A/1': 'a-1',
      'Łódź 12': 'lodz-12',
      'Château.3': 'chateau.3',
      '1923.45 a-b': '1923.45-a-b',
      '---': '',
      'Straße 5': 'strasse-5',
      'Æbeltoft.1': 'aebeltoft.1',
      'ﬁsh 2': 'fish-2',
      ＡＢ１２: 'ab12',
      'µ-1': '1',
      'Ø 3': 'o-3',
      '½ 1': '1-2-1',
      [`${'x'.repeat(90)}`]: 'x'.repeat(80),
      '  .A..b  ': 'a..b',
      'nul.1': 'nul.1',
      É: 'e',
      naïve_1: 'naive_1',
      'Ⅻ-4': 'xii-4',
      '…': '',
    };
    for (const [id, address] of Object.entries(before)) expect(plainAddress(id), id).toBe(address);
  });

  it('gives two numbers that differ only in their other-script letters two plain addresses', () => {
    const ids = ['東博-123', '京博-123', '123', 'ОБ-12', 'ОБ 12'];
    const slugs = assignSlugs({ ids, previous: new Map() });
    expect(slugs.slice(0, 4)).toEqual(['東博-123', '京博-123', '123', 'об-12']);
    // The look-alike gets the code added, as a Latin look-alike does.
    expect(slugs[4]).toMatch(/^об-12-[0-9a-f]{8}$/);
    // An object already published keeps the address it had, under the old rule too.
    expect(assignSlugs({ ids: ['東博-123'], previous: new Map([['東博-123', '123']]) })).toEqual(['123']);
  });

  it('never gives two objects folders that a case-insensitive file system takes for one', () => {
    // Greek final and medial sigma are one letter to Windows and macOS: "ΟΔΟΣ" → "οδος".
    const slugs = assignSlugs({ ids: ['ΟΔΟΣ', 'οδοσ'], previous: new Map() });
    expect(slugs[0]).toBe('οδος');
    expect(slugs[1]).toMatch(/^οδοσ-[0-9a-f]{8}$/);
  });

  it('stays short enough for a folder name with its code and the build’s ".partial" added (255 bytes)', () => {
    const id = '東'.repeat(120);
    const address = plainAddress(id);
    expect(address.length).toBeGreaterThan(20);
    expect(Buffer.byteLength(address)).toBeLessThanOrEqual(200);
    expect(Buffer.byteLength(`${hashedSlug(address, '0123abcd')}-99.partial`)).toBeLessThan(255);
    // Characters outside the Basic Multilingual Plane are never cut in half.
    const wide = plainAddress('𓀀'.repeat(100));
    expect(wide).toBe('𓀀'.repeat(40));
    expect(wide).not.toMatch(/\p{Cs}/u);
  });

  it('is what the search and 404 pages compute in the browser, and finds the number however it is typed', () => {
    for (const id of ['東博-123', 'ОБ-12', 'ｶﾞ-1']) expect(addressOf(id)).toBe(plainAddress(id));
    expect(numberKey('ОБ 12')).toBe(numberKey('об-12'));
    expect(numberKey('東博123')).toBe(numberKey('東博-123'));
  });

  it('is found by its number typed with Latin digits, a final sigma or without its other-script ending', () => {
    // The key folds digits of every script to 0-9 and a final sigma to σ; the address keeps them as written.
    expect(numberKey('متحف 3')).toBe(numberKey('متحف ٣'));
    expect(numberKey('संग्रह 5')).toBe(numberKey('संग्रह ५'));
    expect(numberKey('αμσ 5')).toBe(numberKey('ΑΜΣ 5'));
    expect(plainAddress('متحف ٣')).toBe('متحف-٣');
    const typed = (number: string, ids: string[]) => {
      const objects = ids.map((id) => ({ id, slug: plainAddress(id) }));
      const pieces = numberIndex(objects);
      const key = numberKey(number);
      return key ? numberTyped(number, pieces.get(numberPiece(key))!) : null;
    };
    expect(typed('متحف 3', ['متحف ٣'])).toEqual({ id: 'متحف ٣', slug: 'متحف-٣' });
    expect(typed('αμσ 5', ['ΑΜΣ 5'])).toEqual({ id: 'ΑΜΣ 5', slug: 'αμς-5' });
    // "Inv. 12α" was found by "Inv. 12" before its address kept the α: it still is, by its old key.
    expect(typed('Inv. 12', ['Inv. 12α'])).toEqual({ id: 'Inv. 12α', slug: plainAddress('Inv. 12α') });
    expect(typed('Inv. 12α', ['Inv. 12α'])).toEqual({ id: 'Inv. 12α', slug: plainAddress('Inv. 12α') });
    // With an "Inv. 12" of its own, that is the one found.
    expect(typed('Inv. 12', ['Inv. 12α', 'Inv. 12'])).toEqual({ id: 'Inv. 12', slug: 'inv.-12' });
  });

  it('is accepted by the catalogue’s schema and the published addresses’ check', () => {
    for (const slug of ['東博-123', 'об-12', 'αμ-5', 'متحف-٣', 'مُتحف-1', 'संग्रह-5', 'dm-0267']) {
      expect(SLUG.test(slug), slug).toBe(true);
      expect(catalogueObjectSchema.shape.slug.safeParse(slug).success, slug).toBe(true);
    }
    for (const slug of ['ОБ-12', 'DM-0267', '-об', '../об', 'об/12', 'об 12', '\u0301об', 'об%2f']) {
      expect(SLUG.test(slug), slug).toBe(false);
      expect(catalogueObjectSchema.shape.slug.safeParse(slug).success, slug).toBe(false);
    }
    expect(checkAddresses(JSON.stringify({ ids: ['東博-123', 'ОБ-12'], slugs: ['東博-123', 'об-12'] }))).toEqual({
      objects: 2,
    });
    const upper = checkAddresses(JSON.stringify({ ids: ['ОБ-12'], slugs: ['ОБ-12'] }));
    expect('problem' in upper && upper.problem).toMatch(/entry 1 of "slugs" is not a page address/);
  });

  it('never begins with a mark, whatever sign begins the number (one bad address stopped the whole build)', () => {
    // NFKC splits the Thai and Lao sara am and the half-width voiced sound marks into a mark and a letter: the
    // address began with the mark, which the schema refused, and the catalogue build stopped for every object.
    expect(plainSlug('\u0e331')).toBe('\u0e321');
    expect(plainSlug('\u0eb31')).toBe('\u0eb21');
    expect(plainSlug('\uff9e東1')).toBe('東1');
    expect(plainSlug('\uff9f東1')).toBe('東1');
    expect(catalogueObjectSchema.shape.slug.safeParse(plainSlug('\u0e331')).success).toBe(true);
  });

  it('matches SLUG for every code point before, inside and after a number', { timeout: 120_000 }, () => {
    const wrong: string[] = [];
    for (let cp = 0x20; cp < 0x30000; cp++) {
      if (cp >= 0xd800 && cp < 0xe000) continue;
      const c = String.fromCodePoint(cp);
      for (const id of [`${c}1`, `1${c}`, `${c}東1`, `東${c}1`, `${c}${c}`]) {
        const slug = plainSlug(id);
        if (!SLUG.test(slug)) wrong.push(`${JSON.stringify(id)} → ${JSON.stringify(slug)}`);
      }
    }
    expect(wrong.slice(0, 20)).toEqual([]);
  });

  it('is read back from the last catalogue as it was written', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-non-latin-'));
    dirs.push(dir);
    const file = path.join(dir, 'catalogue.json');
    const objects = [
      { id: '東博-123', slug: '東博-123' },
      { id: 'ОБ-12', slug: 'об-12' },
      { id: 'DM-0267', slug: 'dm-0267' },
    ];
    await writeFile(file, JSON.stringify({ objects }));
    const slugs = await previousSlugs(file);
    expect(Object.fromEntries(slugs)).toEqual({ '東博-123': '東博-123', 'ОБ-12': 'об-12', 'DM-0267': 'dm-0267' });
  });

  it('is percent-encoded in the URIs of a IIIF manifest, and an address in a-z as it was', () => {
    const manifest = (slug: string) =>
      manifestOf({
        o: {
          id: 'X',
          slug,
          title: 'Tea bowl',
          maker: '',
          date: '',
          medium: '',
          department: '',
          label: null,
          description: '',
          rights: '',
          rightsStatement: { uri: null, label: '', badge: null, download: false },
          images: [
            { width: 600, height: 400, webp: `iiif/${slug}/large-600.webp`, jpeg: `iiif/${slug}/large-600.jpg` },
          ],
          zoom: { info: `iiif/${slug}/info.json`, width: 600, height: 400 },
        } as unknown as CatalogueObject,
        siteBase: 'https://example.org/collection/',
        collection: 'Example',
      });
    const other = JSON.stringify(manifest('東博-123'));
    expect(other).not.toContain('東博');
    expect(other).toContain('"id":"https://example.org/collection/iiif/%E6%9D%B1%E5%8D%9A-123/manifest.json"');
    expect(other).toContain('"id":"https://example.org/collection/objects/%E6%9D%B1%E5%8D%9A-123/"');
    expect(other).toContain('"id":"https://example.org/collection/iiif/%E6%9D%B1%E5%8D%9A-123","type":"ImageService3"');
    const latin = JSON.stringify(manifest('dm-0267.a_b'));
    expect(latin).toContain('"id":"https://example.org/collection/iiif/dm-0267.a_b/manifest.json"');
    expect(latin).not.toContain('%');
  });
});
