import { WINDOWS_DEVICE } from '../windows-names.ts';

/*
 * The rules that make an object's page address from its number, without Node imports: the pipeline
 * (derive.ts slugFor) and the site's pages in the browser (site/src/lib/address.ts: the 404 and search
 * pages) use the same ones, so a typed number finds the page the build made.
 */

/** The address an id gets when no other id has it: lower case, runs of other characters turned into "-"; "" when none is left. */
export function plainAddress(id: string): string {
  return id
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[-._]+|-+$/g, '')
    .slice(0, 80);
}

/**
 * Names an object's folder cannot have: files and work folders the build keeps beside the object folders
 * (iiif/collection.json, the tiles' `<slug>.partial`, temporary `….tmp` files), and names Windows cannot give a
 * folder (CON, nul.txt, com1; a name ending in "."), so the site builds and copies on a Windows runner too.
 */
export function reservedSlug(slug: string): boolean {
  return (
    slug === 'collection.json' ||
    slug.endsWith('.partial') ||
    slug.endsWith('.tmp') ||
    slug.endsWith('.') ||
    WINDOWS_DEVICE.test(slug)
  );
}

/**
 * The address of an id whose plain address another id has: the plain one and a code (the first 8 hex digits of the
 * id's md5). "nul.1-<code>" would still be a Windows device name with an extension: its first dot becomes "_".
 */
export function hashedSlug(base: string, code: string): string {
  const hashed = `${base}-${code}`;
  return reservedSlug(hashed) ? `${base.replace('.', '_')}-${code}` : hashed;
}

/** How many pieces the object-number index is cut into (data/numbers/00.json … ff.json). */
export const NUMBER_PIECES = 256;

/**
 * The piece of the object-number index (data/numbers/<piece>.json) that holds the ids with this plain address:
 * two hex digits of its FNV-1a hash. The search page reads that one piece (a few kB at 100,000 objects) to find
 * the number typed into its box, in any case, and the object's real number and page.
 */
export function numberPiece(address: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < address.length; i++) h = Math.imul(h ^ address.charCodeAt(i), 0x01000193) >>> 0;
  return (h % NUMBER_PIECES).toString(16).padStart(2, '0');
}
