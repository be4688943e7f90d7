import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { md5 } from '../../site/src/lib/address.ts';

/*
 * The 404 page offers the page of the object number typed in a printed address ("objects/DM-0267/"). When a
 * look-alike holds the plain address ("DM 0267" at dm-0267), the typed id's own page is at "<slug>-<md5 8>": the
 * page computes that md5 in the browser (no md5 in Web Crypto). Its md5 must be node's, for any id.
 */

describe("the 404 page's md5 (site/src/lib/address.ts, shared with the search page)", () => {
  it("is node's md5 of the id's UTF-8 bytes", () => {
    const ids = [
      '',
      'a',
      'DM-0267',
      'DM 0267',
      'collection.json',
      'é 中 🏺',
      'x'.repeat(55),
      'y'.repeat(56),
      'z'.repeat(64),
      'w'.repeat(300),
    ];
    for (const id of ids) expect(md5(id), id).toBe(createHash('md5').update(id).digest('hex'));
  });
});
