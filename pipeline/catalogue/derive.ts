import { createHash } from 'node:crypto';
import { parseDate, type YearRange } from './dates.ts';
import { makerUnknown } from './maker-unknown.ts';
import { shownTitle } from './shown-title.ts';
import { folderKey, hashedSlug, plainAddress, reservedSlug, SLUG } from './slug-rules.ts';

export { reservedSlug, SLUG };

/*
 * Small pure helpers that turn pipeline data into what visitors browse by: URL-safe slugs, a period
 * bucket from a free-text date, GitHub edit links.
 */

/**
 * The object's value in the type facet (browse, the object pages' search filter, the counts): its staff label; a
 * label that is a slip for a type of the vocabulary (labelMeant) counts as that type, not as a type of its own.
 */
export function typeFacet(o: { label: string | null; labelMeant?: string | null }): string {
  return o.labelMeant ?? o.label ?? 'Not labelled yet';
}

/**
 * A URL-safe page slug for an object id; `taken` keeps slugs unique (a short hash is appended on a clash). It holds
 * the slugs given so far as folderKey makes them (the slugs themselves, for those in a-z, 0-9, ".", "_" and "-").
 */
export function slugFor({ id, taken }: { id: string; taken: Set<string> }): string {
  const base = plainSlug(id);
  // Two ids that slugify alike ("A/1" and "a-1") must not share a page: the later one gets a hash.
  const free = (s: string) => !taken.has(folderKey(s)) && !reservedSlug(s);
  const hashed = hashedSlug(base, createHash('md5').update(id).digest('hex').slice(0, 8));
  let slug = free(base) ? base : hashed;
  // An id spelled like another's hashed address ("a-1-0cc175b9"): a counter, so no two objects share a folder.
  for (let n = 2; !free(slug); n++) slug = `${hashed}-${n}`;
  taken.add(folderKey(slug));
  return slug;
}

/** The address an id gets when no other id has it: lower case, runs of other characters turned into "-". */
export function plainSlug(id: string): string {
  return plainAddress(id) || 'object';
}

/**
 * The page slug of each id, in order. An id keeps the slug it had in the previous catalogue, so its
 * address is permanent: a newcomer that slugifies alike ("DM 0267" beside "DM-0267") gets the hashed
 * form, never the incumbent's. Without a previous slug, the first id in order gets the plain form. The address of
 * an object that left (`kept`) is not given to a new id either: its page says where the object went.
 */
export function assignSlugs({
  ids,
  previous,
  kept = [],
}: {
  ids: string[];
  previous: Map<string, string>;
  /** Addresses no new id may take: those of objects that left, whose pages say so (addresses.ts LeftObject). */
  kept?: string[];
}): string[] {
  const taken = new Set<string>();
  const slugs: (string | undefined)[] = ids.map((id) => {
    const s = previous.get(id);
    if (s === undefined || !SLUG.test(s) || reservedSlug(s) || taken.has(folderKey(s))) return undefined;
    taken.add(folderKey(s));
    return s;
  });
  for (const s of kept) taken.add(folderKey(s));
  return ids.map((id, i) => slugs[i] ?? slugFor({ id, taken }));
}

/** The date facet's buckets, oldest first; "Undated" when no year can be read. */
export const DATE_BUCKETS = [
  'Before 1000 BCE',
  '1000–1 BCE',
  '1–999 CE',
  '1000–1499',
  '1500–1699',
  '1700–1799',
  '1800–1899',
  '1900–1949',
  '1950 and later',
  'Undated',
] as const;

/** An approximate year from a museum's free-text date (the middle of its range); negative is BCE. */
export function yearOf(date: string, periods: [string, YearRange][] = []): number | null {
  const range = parseDate({ text: date, periods });
  return range ? Math.round((range.start + range.end) / 2) : null;
}

/** The date facet bucket for a free-text date, by the middle of its range. */
export function dateBucket(date: string, periods: [string, YearRange][] = []): string {
  return bucketOfRange(parseDate({ text: date, periods }));
}

/** The date facet bucket of a range already read (the catalogue reads each date once). */
export function bucketOfRange(range: YearRange | null): string {
  const y = range ? Math.round((range.start + range.end) / 2) : null;
  if (y === null) return 'Undated';
  if (y <= -1000) return 'Before 1000 BCE';
  if (y < 0) return '1000–1 BCE';
  if (y < 1000) return '1–999 CE';
  if (y < 1500) return '1000–1499';
  if (y < 1700) return '1500–1699';
  if (y < 1800) return '1700–1799';
  if (y < 1900) return '1800–1899';
  if (y < 1950) return '1900–1949';
  return '1950 and later';
}

/** GitHub's edit page of labels.csv at an object's line, or the file when the object has no line yet. */
export function suggestUrl({
  repository,
  branch,
  line,
  file = 'labels.csv',
}: {
  repository: string;
  branch: string;
  line: number | null;
  file?: string;
}): string | null {
  if (!/^[\w.-]+\/[\w.-]+$/.test(repository)) return null;
  const base = `https://github.com/${repository}/edit/${branch.split('/').map(encodeURIComponent).join('/')}/${file}`;
  return line === null ? base : `${base}#L${line}`;
}

/**
 * The line of labels.csv that gives an object a type, with `type` standing for it ("ODD 13,<type>"): the object
 * number quoted as a CSV cell when it has a comma, a quote or a line break in it.
 */
export function labelsLineFor(id: string, type = '<type>'): string {
  const cell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return `${cell(id)},${cell(type)}`;
}

/** A slug for a colour name ("Burnt sienna" → "burnt-sienna"). */
export function nameSlug(name: string): string {
  return (
    name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'colour'
  );
}

/** Text alternative of an object's photograph from its metadata. */
export function altText({
  title,
  maker,
  date,
  label,
}: {
  title: string;
  maker: string;
  date: string;
  label: string | null;
}): string {
  // The title as cards and headings show it: a title pasted by accident can run to megabytes (shown-title.ts). An
  // untitled object is "an object labelled Statuary", read aloud mid-sentence (not "A Statuary": an outside tester).
  const what = shownTitle(title) || (label ? `an object labelled ${label}` : 'an object');
  // Not "by unbekannt": a maker not known in any language the page's JSON-LD knows (maker-unknown.ts).
  const who = maker && !makerUnknown(maker) ? `, by ${maker}` : '';
  const when = date ? `, ${date}` : '';
  return `Photograph of ${what}${who}${when}`;
}
