import type { Rights } from '../../../pipeline/catalogue/rights.ts';

/*
 * Here, not in pipeline/catalogue/rights.ts: the object page uses it, and a page kept from an earlier
 * build is rebuilt when a file under site/ changes (pipeline/catalogue/plan.ts siteFingerprint).
 */
const plain = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');

/**
 * The museum's rights text where it says more than the statement shown for it, else null: "Public
 * domain" beside the Public Domain Mark, or the statement's own address, would say the same thing
 * twice; "CC0 (The Met Open Access)" names a programme the statement does not.
 */
export function rightsNote(rights: Pick<Rights, 'text' | 'uri' | 'label' | 'badge'>): string | null {
  const text = rights.text.trim();
  if (!text || !rights.uri) return text || null;
  if (/^https?:\/\/\S+$/i.test(text)) return null;
  const own = plain(text);
  const said = [rights.label, rights.badge ?? '', rights.uri].map(plain);
  return said.some((s) => s.includes(own)) ? null : text;
}
