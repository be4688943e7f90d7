import type { Rights } from './rights.ts';

/*
 * What the public site shows of an object's photograph, by its rights (catalogue.images in params.yaml), as museum
 * collection sites do: a work in copyright gets a small picture only, or none ("not shown for copyright reasons"),
 * with its record published all the same. The model still reads every photograph: only the site's files change.
 */

/** What the site shows of a photograph: every size with deep zoom and IIIF, one small picture, or none. */
export type ImageRule = 'full' | 'thumbnail' | 'none';

/** Why a photograph is shown small or not at all. */
export type WithheldReason = 'in-copyright' | 'rights-unknown';

/** catalogue.images in params.yaml. */
export interface ImageRules {
  in_copyright: ImageRule;
  unknown: ImageRule;
  thumbnail_max: number;
}

/** How the site shows one object's photograph; null when it is shown in full. */
export interface Withheld {
  shown: Exclude<ImageRule, 'full'>;
  reason: WithheldReason;
}

/** rightsstatements.org In Copyright statements: InC, InC-EDU, InC-NC, InC-RUU, InC-OW-EU. */
const IN_COPYRIGHT = /^https?:\/\/rightsstatements\.org\/vocab\/InC(-[A-Z-]+)?\/1\.0\/$/;
/** Copyright Not Evaluated and Copyright Undetermined: nobody has said yet. */
const NOT_KNOWN = /^https?:\/\/rightsstatements\.org\/vocab\/(CNE|UND)\/1\.0\/$/;

/** Which rule of catalogue.images an object's rights fall under: in copyright, unknown, or neither (open). */
export function rightsGroup(rights: Pick<Rights, 'uri'>): 'in_copyright' | 'unknown' | 'open' {
  if (rights.uri === null || NOT_KNOWN.test(rights.uri)) return 'unknown';
  return IN_COPYRIGHT.test(rights.uri) ? 'in_copyright' : 'open';
}

/** How the site shows the photograph of an object with these rights: null for in full. */
export function withheldOf({ rights, rules }: { rights: Pick<Rights, 'uri'>; rules: ImageRules }): Withheld | null {
  const group = rightsGroup(rights);
  if (group === 'open') return null;
  const shown = rules[group];
  if (shown === 'full') return null;
  return { shown, reason: group === 'in_copyright' ? 'in-copyright' : 'rights-unknown' };
}
