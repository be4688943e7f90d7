import type { DatasetObject } from '../types.ts';
import { fieldText } from './plain-text.ts';
import { type Rights, rightsOf } from './rights.ts';
import { laterInSentence } from './rights-doubts.ts';
import { markReadings } from './unseen-marks.ts';

/*
 * What the public site shows of an object's photograph, by its rights (catalogue.images in params.yaml), as museum
 * collection sites do: a work in copyright gets a small picture only, or none ("not shown for copyright reasons"),
 * with its record published all the same. The model still reads every photograph: only the site's files change.
 */

/** What the site shows of a photograph: every size with deep zoom and IIIF, one small picture, or none. */
export type ImageRule = 'full' | 'thumbnail' | 'none';

/** Why a photograph is shown small or not at all. */
export type WithheldReason = 'in-copyright' | 'rights-unknown' | 'not-for-publication';

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

/**
 * Words of a rights text that forbid putting the photograph online: "Do not publish online", "Must not be published",
 * "Not for public display", "Culturally sensitive", "Secret/sacred", "Embargoed until 2030", "Internal use only",
 * "Access restricted", and the same in German, French, Spanish, Italian and Dutch ("Nur für den internen Gebrauch",
 * "Usage interne uniquement", "Solo para uso interno"). Read on the text in lower case with
 * hyphens, slashes and "&" as spaces and ’ as '. Not "restrictions" ("No known copyright restrictions" and "No
 * Copyright - Contractual Restrictions" are open statements), nor a gallery note ("Not displayed in gallery").
 */
const NOT_FOR_PUBLICATION = new RegExp(
  [
    "\\b(?:do not|don't|dont|never|please do not)\\s+(?:publish|display|show|share|post|put)\\b",
    '\\b(?:must|may|should|can|shall) ?not be (?:published|displayed|shown|put online|made public|shared)\\b',
    '\\bnot to be (?:\\w+ (?:or|and) )?(?:published|displayed|shown|put online|made public|shared)\\b',
    '\\bnot for (?:public|online|web|internet|general)?\\s*(?:display|publication|release|viewing)\\b',
    '\\bnot for (?:the )?(?:public|web|internet)\\b',
    '\\b(?:publication|publishing|web use|online use|display|online display|online publication)\\s*:?\\s*(?:is )?' +
      '(?:not permitted|not allowed|prohibited|forbidden)\\b',
    '\\binternal use only\\b',
    '\\bstaff only\\b',
    '\\bculturally (?:sensitive|restricted)\\b',
    '\\b(?:sacred (?:and |or )?secret|secret (?:and |or )?sacred)\\b',
    '(?<!\\b(?:formerly|previously|no longer|not) )\\bconfidential\\b',
    '^restricted(?: access)?\\.?$',
    '\\b(?:access restricted|restricted access)\\b',
    '\\bwithheld (?:at the request|from (?:publication|display|the public))\\b',
    '\\bnicht (?:veröffentlichen|zur veröffentlichung|online stellen)\\b',
    '\\bkeine (?:online )?veröffentlichung\\b',
    '\\bveröffentlichung (?:nicht (?:gestattet|erlaubt)|untersagt|verboten)\\b',
    '\\bne pas (?:diffuser|publier|afficher|exposer)\\b',
    '\\b(?:diffusion|publication) (?:interdite|non autorisée)\\b',
    '\\bno publicar\\b',
    '\\bprohibida (?:su )?(?:publicación|difusión)\\b',
    '\\bnon (?:pubblicare|diffondere)\\b',
    '\\bniet (?:publiceren|openbaar maken)\\b',
    // "Internal use only" in German, French, Spanish, Italian and Dutch (helper R9).
    '\\bnur (?:für den (?:internen|dienstlichen) gebrauch|intern|zur internen (?:verwendung|nutzung))\\b',
    '\\b(?:usage interne (?:uniquement|seulement)|réservé à un usage interne)\\b',
    // Not \b before a word that starts with an accent: with the u flag, \b knows ASCII letters only.
    '(?<!\\p{L})(?:solo|sólo|únicamente|exclusivamente) para uso interno\\b',
    '\\b(?:solo per uso interno|ad uso interno|esclusivamente per uso interno)\\b',
    '\\b(?:alleen|uitsluitend) voor intern gebruik\\b',
  ].join('|'),
  'u',
);

/** An embargo in force ("Embargoed until 2030", "Under embargo"), not one denied or over ("no embargo", "lifted"). */
const EMBARGO = /\b(?:embargo|embargoed)\b/u;
const EMBARGO_DENIED = /\b(?:no|not|no longer|without)\s+(?:\w+\s+)?embargo/u;

/** An embargo said to be over: denied ("no embargo"), or lifted, ended, expired or over later in its sentence. */
function embargoOver(t: string): boolean {
  return EMBARGO_DENIED.test(t) || laterInSentence(t, /\bembargo(?:ed)?\b/u, /\b(?:lifted|ended|expired|over)\b/gu);
}

/** The text as NOT_FOR_PUBLICATION and EMBARGO read it. */
function publicationText(text: string): string {
  return text
    .normalize('NFC')
    .toLowerCase()
    .replace(/[\u2019\u2018`]/g, "'")
    .replace(/[-\u2010-\u2015/&]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Whether a text as publicationText gives it forbids publishing: words that say so, or an embargo in force. */
function forbidsAsRead(t: string): boolean {
  return NOT_FOR_PUBLICATION.test(t) || (EMBARGO.test(t) && !embargoOver(t));
}

/**
 * Whether the museum's rights text says not to put the photograph online at all ("Do not publish online"), in any
 * of the ways its marks no one sees can be read (markReadings in unseen-marks.ts, as rights.ts reads them): a mark
 * never lets a photograph online.
 */
export function forbidsPublication(text: string): boolean {
  return markReadings(text).some((r) => forbidsAsRead(publicationText(r)));
}

/**
 * The year an embargo in force names, the latest if several ("Embargoed until 2001": 2001); null when the text names no
 * embargo in force, or no year after the word. The date is not read to lift the embargo: a photograph under an embargo
 * stays off the site, its date passed or not, until the text is changed (a site that changed by itself on a date would
 * put online what nobody checked, and "until 2001" may be a slip for 2031). The build only says which have passed.
 */
export function embargoYear(text: string): number | null {
  // Read as forbidsPublication reads it (markReadings), the latest year of any reading kept: the warning that a date
  // has passed is then never given for an embargo one reading still holds.
  let latest: number | null = null;
  for (const r of markReadings(text)) {
    const t = publicationText(r);
    const at = t.search(EMBARGO);
    if (at < 0 || embargoOver(t)) continue;
    for (const m of t.slice(at).matchAll(/(?<!\d)(1[89]\d\d|2\d\d\d)(?!\d)/g))
      latest = Math.max(latest ?? 0, Number(m[1]));
  }
  return latest;
}

/**
 * How the site shows the photograph of an object with these rights: null for in full. A text that says not to
 * publish it keeps it off the site whatever catalogue.images says: no setting should put a culturally sensitive or
 * embargoed photograph online (an outside tester's were shown in full as "not recognised").
 */
export function withheldOf({
  rights,
  rules,
}: {
  rights: Pick<Rights, 'uri'> & { text?: string };
  rules: ImageRules;
}): Withheld | null {
  if (rights.text && forbidsPublication(rights.text)) return { shown: 'none', reason: 'not-for-publication' };
  const group = rightsGroup(rights);
  if (group === 'open') return null;
  const shown = rules[group];
  if (shown === 'full') return null;
  return { shown, reason: group === 'in_copyright' ? 'in-copyright' : 'rights-unknown' };
}

const STRICTNESS: Record<ImageRule, number> = { full: 0, thumbnail: 1, none: 2 };

/**
 * catalogue.images per photograph, not per object: objects that share one photograph (the same checksum, original
 * or thumbnail files) all get the strictest rule of their rights, so that an open object cannot publish in full the
 * photograph of one in copyright. `disagree` lists the objects (by id) of each shared photograph whose rights alone
 * would have shown it differently, for the build log. `photograph` is what names an object's photograph (its
 * checksum, its files); an object with none shares nothing.
 */
export function photographRules({
  objects,
  rules,
}: {
  objects: { id: string; rights: Pick<Rights, 'uri'> & { text?: string }; photograph: string[] }[];
  rules: ImageRules;
}): { withheld: Map<string, Withheld | null>; disagree: string[][] } {
  const parent = objects.map((_, i) => i);
  const root = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  const seen = new Map<string, number>();
  for (const [i, o] of objects.entries())
    for (const key of o.photograph) {
      if (!key) continue;
      const other = seen.get(key);
      if (other === undefined) seen.set(key, i);
      else parent[root(i)] = root(other);
    }
  const groups = new Map<number, number[]>();
  for (const i of objects.keys()) {
    const r = root(i);
    const g = groups.get(r);
    if (g) g.push(i);
    else groups.set(r, [i]);
  }
  const withheld = new Map<string, Withheld | null>();
  const disagree: string[][] = [];
  for (const members of groups.values()) {
    const own = members.map((i) => withheldOf({ rights: objects[i]!.rights, rules }));
    let strictest: Withheld | null = null;
    for (const w of own) if (w && STRICTNESS[w.shown] > STRICTNESS[strictest?.shown ?? 'full']) strictest = w;
    if (members.length > 1 && own.some((w) => w?.shown !== strictest?.shown))
      disagree.push(members.map((i) => objects[i]!.id));
    for (const i of members) withheld.set(objects[i]!.id, strictest && { ...strictest });
  }
  return { withheld, disagree };
}

/**
 * catalogue.images for the objects of dataset.json, per photograph (photographRules), their rights read as the object
 * pages read them: what the catalogue shows, and what the PR report says of it. Objects with no photograph (no
 * thumbnails, no image) are left out: nothing of theirs is withheld. A photograph is named by its checksum, its
 * original's file and its thumbnails' files.
 */
export function datasetPhotographRules({
  objects,
  rules,
}: {
  objects: Pick<DatasetObject, 'id' | 'rights' | 'image' | 'imageMd5' | 'thumbnails'>[];
  rules: ImageRules;
}): { withheld: Map<string, Withheld | null>; disagree: string[][] } {
  const read = new Map<string, Pick<Rights, 'uri' | 'text'>>();
  const rightsOfText = (text: string) => {
    let r = read.get(text);
    if (!r) read.set(text, (r = { uri: rightsOf(text).uri, text }));
    return r;
  };
  return photographRules({
    objects: objects
      .filter((o) => o.thumbnails?.length || o.image)
      .map((o) => ({
        id: o.id,
        rights: rightsOfText(fieldText(o.rights ?? '')),
        photograph: [
          o.imageMd5 && `md5:${o.imageMd5}`,
          o.image && `file:${o.image}`,
          ...(o.thumbnails ?? []).map((t) => t.jpeg),
        ],
      })),
    rules,
  });
}
