import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { clip, type Logger } from '../log.ts';
import { rel, type Workspace } from '../paths.ts';
import { assignSlugs, plainSlug, reservedSlug, SLUG } from './derive.ts';
import { readJsonOrNull } from './read.ts';
import { folderKey, hashedSlug } from './slug-rules.ts';

/*
 * The address (objects/<slug>/) each object keeps from one build to the next. The catalogue's build and the
 * report's links read them the same way: the addresses the last build saved beside the caches (CI keeps
 * .vitrine/cache between runs, not catalogue.json), else those in the last catalogue.json, then assignSlugs.
 * Kept apart from data.ts so the report does not load the whole build.
 */

/** Where the last build saved each id's address (`{ about, ids, slugs }`; the site publishes a copy). */
export function savedAddressesFile(ws: Workspace): string {
  return path.join(ws.cache, 'catalogue-slugs.json');
}

/**
 * Each id's address (ids in dataset order), keeping the one it had in the last build. Saved addresses that give one
 * address to two objects (Vitrine never saves that: a file changed by hand, or damaged) are settled, never in silence
 * (`log`): the object that had it in the last catalogue.json keeps it, else the one whose number makes it, else none.
 * A saved file that cannot be used (emptied, cut short, damaged) is not silent either.
 */
export async function keptAddresses({
  ws,
  ids,
  log,
  read,
}: {
  ws: Workspace;
  ids: string[];
  log?: Logger;
  /** The saved addresses, when the caller read them already (savedAddresses). */
  read?: SavedAddresses | null;
}): Promise<string[]> {
  const catalogueFile = path.join(ws.catalogue, 'catalogue.json');
  const file = read === undefined ? await savedAddresses(savedAddressesFile(ws)) : read;
  const saved = file?.slugs;
  if (!saved) {
    const last = await previousSlugs(catalogueFile);
    const problem = log ? await unusableProblem(savedAddressesFile(ws)) : null;
    if (problem) log?.warn(unusableWords({ ws, problem, catalogue: last.size > 0 ? rel(ws, catalogueFile) : null }));
    return assignSlugs({ ids, previous: last });
  }
  // The addresses of objects that left keep the pages that say so: no new number takes them (but their own).
  const present = new Set(ids);
  const kept = [
    ...(file?.left ?? []).filter((l) => !present.has(l.id)).map((l) => l.slug),
    // And of those leaving now (leftObjects gives each a page).
    ...[...saved].filter(([id]) => !present.has(id)).map(([, slug]) => slug),
  ];
  const shared = sharedAddresses({ saved, ids });
  if (shared.length === 0) return assignSlugs({ ids, previous: saved, kept });
  const last = await previousSlugs(catalogueFile);
  const previous = new Map(saved);
  const settled = shared.map(({ address, holders }) => {
    const key = folderKey(address);
    const had = holders.filter((id) => folderKey(last.get(id) ?? '') === key);
    const own = holders.filter((id) => ownAddress(id, address));
    const keeper = had.length === 1 ? had[0] : own.length === 1 ? own[0] : undefined;
    for (const id of holders) {
      if (id === keeper) continue;
      // The others: the address the last catalogue gave them, else one worked out again (assignSlugs).
      const before = last.get(id);
      if (before !== undefined && folderKey(before) !== key) previous.set(id, before);
      else previous.delete(id);
    }
    return { address, holders, keeper, why: had.length === 1 ? ('last' as const) : ('own' as const) };
  });
  const slugs = assignSlugs({ ids, previous, kept });
  const slugOf = new Map(ids.map((id, i) => [id, slugs[i]!]));
  // The file is named in the words (not as the message's place too: it was said twice).
  log?.warn(sharedAddressesWords({ file: rel(ws, savedAddressesFile(ws)), settled, slugOf }));
  return slugs;
}

/** What is wrong with a saved addresses file there is but that cannot be read as one; null when there is none. */
async function unusableProblem(file: string): Promise<string | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    return code === 'ENOENT' ? null : `it cannot be read (${code || (error as Error).message})`;
  }
  // The words --check-addresses says of the same file.
  const checked = checkAddresses(text);
  return 'problem' in checked ? checked.problem : null;
}

/** Plain words for saved addresses that cannot be used: what this build does instead, what it means, the fix. */
function unusableWords({ ws, problem, catalogue }: { ws: Workspace; problem: string; catalogue: string | null }) {
  const file = rel(ws, savedAddressesFile(ws));
  const instead = catalogue
    ? `This build takes the addresses from the last catalogue (${catalogue}) instead, but the pages kept for ` +
      'objects that left the catalogue are lost (their old links and QR codes find no page), and any object it ' +
      'does not list gets its address worked out again.'
    : "With no last catalogue to read them from, every object's web address is worked out again from its number.";
  return (
    `The saved object addresses (${file}) cannot be used: ${problem}. ${instead} Where object numbers look alike ` +
    '(DM 0267 and DM-0267), an object can take the address another had, and printed labels and QR codes then ' +
    'open the wrong page. To keep the published addresses: download data/addresses.json from the published ' +
    `site, check it with "npx vitrine catalogue --check-addresses addresses.json", save it as ${file} and build ` +
    'again (docs/security-addresses.md, "An object keeps its web address").'
  );
}

/** The saved addresses that two or more of the ids have (one folder on Windows or macOS counts as one), in order. */
function sharedAddresses({ saved, ids }: { saved: Map<string, string>; ids: string[] }) {
  const byKey = new Map<string, { address: string; holders: string[] }>();
  for (const id of new Set(ids)) {
    const address = saved.get(id);
    // An address the build would not keep anyway (assignSlugs) is taken by no one.
    if (address === undefined || !SLUG.test(address) || reservedSlug(address)) continue;
    const group = byKey.get(folderKey(address));
    if (group) group.holders.push(id);
    else byKey.set(folderKey(address), { address, holders: [id] });
  }
  return [...byKey.values()].filter((g) => g.holders.length > 1);
}

/** Whether an address is one Vitrine gives this id by its number: the plain one, or the one with its code. */
function ownAddress(id: string, address: string): boolean {
  const hashed = hashedSlug(plainSlug(id), createHash('md5').update(id).digest('hex').slice(0, 8));
  return address === plainSlug(id) || address === hashed || address.startsWith(`${hashed}-`);
}

function sharedAddressesWords({
  file,
  settled,
  slugOf,
}: {
  file: string;
  settled: { address: string; holders: string[]; keeper: string | undefined; why: 'last' | 'own' }[];
  slugOf: Map<string, string>;
}): string {
  const page = (slug: string) => `objects/${slug}/`;
  const names = (ids: string[]) => `${ids.slice(0, -1).join(', ')} and ${ids.at(-1)}`;
  const groups = settled.slice(0, 5).map(({ address, holders, keeper, why }) => {
    const shown = holders.map((id) => clip(id));
    const given = `${page(address)} to ${names(shown)}`;
    if (keeper === undefined)
      return {
        given,
        said:
          `For ${page(address)}, Vitrine cannot tell which of them had it, so ` +
          `${holders.length === 2 ? 'neither' : 'none of them'} keeps it: ` +
          `${holders.map((id, i) => `${clip(id)}${i === 0 ? ' is' : ''} at ${page(slugOf.get(id)!)}`).join(', ')}.`,
      };
    const others = holders.filter((id) => id !== keeper);
    return {
      given,
      said:
        `${clip(keeper)} keeps ${page(slugOf.get(keeper)!)}, ` +
        `${why === 'last' ? 'its address in the last catalogue' : 'the address its number makes'}; ` +
        `${others.map((id, i) => `${clip(id)}${i === 0 ? ' is' : ''} at ${page(slugOf.get(id)!)}`).join(', ')}.`,
    };
  });
  const more = settled.length > 5 ? ` (and ${settled.length - 5} more such addresses)` : '';
  const two = settled.length === 1 && settled[0]!.holders.length === 2 ? 'two objects' : 'several objects';
  return (
    `The saved object addresses (${file}) gave one page address to ${two}: ${groups.map((g) => g.given).join('; ')}` +
    `${more}. Vitrine never saves that: the file was changed by hand or damaged. ` +
    `${groups.map((g) => g.said).join(' ')} ` +
    'Check that printed labels and QR codes of these objects open their pages on the published site.'
  );
}

export const ADDRESSES_ABOUT =
  'The web address (objects/<slug>/) of each object id, kept so an object keeps its address.';

/** The addresses the last build saved beside the caches; null when there are none (or they cannot be read). */
export async function savedSlugs(file: string): Promise<Map<string, string> | null> {
  return (await savedAddresses(file))?.slugs ?? null;
}

/**
 * An object that left the catalogue (its row taken out of the export, or renumbered): its address keeps a page that
 * says so, kept out of search, listings and the sitemap, and no other object takes the address while it has it.
 */
export interface LeftObject {
  id: string;
  slug: string;
  /** The number it is catalogued as now (the same photograph under a new number), else null. */
  now: string | null;
}

/**
 * What the last build saved of each object's address (savedAddressesFile), and of the objects that left. Published
 * (data/addresses.json) without the photographs' checksums: a copy restored from it tells no renumbered object.
 */
export interface SavedAddresses {
  slugs: Map<string, string>;
  /** Each object's photograph, by its checksum (md5; none, or not known: ''): a renumbered one is the same photograph. */
  photos: Map<string, string>;
  left: LeftObject[];
}

/** The addresses the last build saved, with what it knew of each object; null when there are none (or unreadable). */
export async function savedAddresses(file: string): Promise<SavedAddresses | null> {
  const saved = (await readJsonOrNull({ file }).catch(() => null)) as Record<string, unknown> | null;
  const { ids, slugs, photos, left } = saved ?? {};
  if (!Array.isArray(ids) || !Array.isArray(slugs) || ids.length !== slugs.length) return null;
  // Files saved before these were kept, and the published copy, have none: read as not known.
  const known = Array.isArray(photos) && photos.length === ids.length;
  return {
    slugs: new Map(ids.map((id, i) => [String(id), String(slugs[i])])),
    photos: new Map(known ? ids.map((id, i) => [String(id), typeof photos[i] === 'string' ? photos[i] : '']) : []),
    left: Array.isArray(left) ? left.flatMap(leftEntry) : [],
  };
}

/** One entry of a saved file's `left`, when it is one (an address the build would give no object is left out). */
function leftEntry(x: unknown): LeftObject[] {
  const { id, slug, now } = (x !== null && typeof x === 'object' ? x : {}) as Record<string, unknown>;
  if (typeof id !== 'string' || id === '' || typeof slug !== 'string' || !SLUG.test(slug) || reservedSlug(slug))
    return [];
  return [{ id, slug, now: typeof now === 'string' ? now : null }];
}

/**
 * The objects that have left the catalogue, whose addresses keep a page: those the last build had that this one has
 * not, and those that had left before it, unless their number is back (it has its own page again) or another object
 * holds the address (a file changed by hand). An object that left is renumbered when exactly one object new to this
 * build has its photograph (the same checksum) and no other that left had it; a photograph shared by objects (a
 * stand-in "no image" picture has no checksum here) says nothing. A new number that has left too is followed.
 */
export function leftObjects({
  saved,
  objects,
}: {
  saved: SavedAddresses | null;
  /** This build's objects: each one's address and photograph checksum ('' for none). */
  objects: { id: string; slug: string; photo: string }[];
}): LeftObject[] {
  if (!saved) return [];
  const here = new Set(objects.map((o) => o.id));
  const held = new Set(objects.map((o) => folderKey(o.slug)));
  const gone = [...saved.slugs].filter(([id]) => !here.has(id));
  const newNumber = renumbered({
    before: [...saved.slugs.keys()].map((id) => ({ id, photo: saved.photos.get(id) ?? '' })),
    now: objects,
  });
  const left = new Map<string, LeftObject>();
  for (const l of saved.left) if (!here.has(l.id) && !held.has(folderKey(l.slug))) left.set(l.id, { ...l });
  for (const [id, slug] of gone) {
    if (held.has(folderKey(slug)) || !SLUG.test(slug) || reservedSlug(slug)) continue;
    left.set(id, { id, slug, now: newNumber.get(id) ?? null });
  }
  // A number that has left in turn: its own new number, else none (a few steps at most; a loop ends the chain).
  for (const l of left.values()) {
    const seen = new Set([l.id]);
    while (l.now !== null && !here.has(l.now)) {
      const next = seen.has(l.now) ? undefined : left.get(l.now);
      seen.add(l.now);
      l.now = next?.now ?? null;
    }
  }
  return [...left.values()];
}

/**
 * The objects renumbered between two versions of the collection, by their old number: the new one. An object that
 * leaves is renumbered when exactly one object has its photograph now (the same checksum), that one is new, and no
 * other object had it before. Counted over every object, then and now, not only those that leave and arrive: a
 * photograph an object that stays shares, or is given, names no new number (reviewers V17, V18). '' is no photograph.
 * The catalogue's pages and the pull request's report both tell renumbered objects with it, so they agree.
 */
export function renumbered({
  before,
  now,
}: {
  before: { id: string; photo: string }[];
  now: { id: string; photo: string }[];
}): Map<string, string> {
  const count = (list: { photo: string }[]) => {
    const n = new Map<string, number>();
    for (const { photo } of list) if (photo) n.set(photo, (n.get(photo) ?? 0) + 1);
    return n;
  };
  const [thenWith, nowWith] = [count(before), count(now)];
  const was = new Set(before.map((o) => o.id));
  const here = new Set(now.map((o) => o.id));
  // The one object with each photograph now, when it is new (one that stays may have taken the photograph).
  const arrived = new Map(now.filter((o) => o.photo && !was.has(o.id)).map((o) => [o.photo, o.id]));
  const found = new Map<string, string>();
  for (const { id, photo } of before) {
    if (here.has(id) || !photo || thenWith.get(photo) !== 1 || nowWith.get(photo) !== 1) continue;
    const to = arrived.get(photo);
    if (to !== undefined) found.set(id, to);
  }
  return found;
}

/**
 * Whether a file offered as the addresses a catalogue published (its data/addresses.json, which the catalogue
 * action reads back when the Actions cache lost them) is one: a web page a host sends for a missing file, or a
 * download cut short, would otherwise be kept as the addresses and read as none; so would a file changed by hand or
 * damaged that gives one address to two objects, or an object a name the build keeps for its own files (Vitrine saves
 * neither). The words of a problem never quote the file's bytes (they go into workflow messages), but for an address
 * that passed the check and object numbers of letters, digits and a few signs (safeId).
 */
export function checkAddresses(text: string): { objects: number } | { problem: string } {
  if (text.trim() === '') return { problem: 'it is empty' };
  if (/^\s*</.test(text))
    return { problem: 'it is a web page (HTML), not JSON: the address leads to a page of the host, not to the file' };
  let saved: unknown;
  try {
    saved = JSON.parse(text);
  } catch {
    return { problem: 'it is not valid JSON (cut short, or another kind of file)' };
  }
  const { ids, slugs } = (saved !== null && typeof saved === 'object' ? saved : {}) as {
    ids?: unknown;
    slugs?: unknown;
  };
  if (!Array.isArray(ids) || !Array.isArray(slugs))
    return { problem: 'it is JSON, but without the "ids" and "slugs" lists a catalogue writes' };
  if (ids.length !== slugs.length)
    return { problem: `its "ids" and "slugs" lists differ in length (${ids.length} and ${slugs.length})` };
  const seen = new Set<string>();
  // Each address (as one folder on Windows or macOS holds it) and the entry that has it.
  const holder = new Map<string, number>();
  for (const [i, id] of ids.entries()) {
    if (typeof id !== 'string' || id === '') return { problem: `entry ${i + 1} of "ids" is not an object number` };
    if (seen.has(id)) return { problem: `entry ${i + 1} of "ids" repeats an earlier object number` };
    seen.add(id);
    const slug = slugs[i] as unknown;
    if (typeof slug !== 'string' || !SLUG.test(slug))
      return {
        problem: `entry ${i + 1} of "slugs" is not a page address (lower-case letters, digits, ".", "_" and "-")`,
      };
    // The build's own files (iiif/collection.json, tiles' <slug>.partial, ….tmp): never an object's, in any version.
    // Windows device names ("con") and a final "." are taken: a Vitrine older than its rule for them gave them.
    if (slug === 'collection.json' || slug.endsWith('.partial') || slug.endsWith('.tmp'))
      return {
        problem:
          `entry ${i + 1} of "slugs" is ${slug.length <= 80 ? slug : 'a name'}, a name the catalogue keeps for its ` +
          'own files: Vitrine never gives it to an object (the file was changed or damaged)',
      };
    const first = holder.get(folderKey(slug));
    if (first !== undefined) {
      const a = safeId(ids[first] as string);
      const b = safeId(id);
      const named = a && b ? ` (${a} and ${b})` : '';
      return {
        problem:
          `entries ${first + 1} and ${i + 1} of "ids"${named} have one page address` +
          `${slug.length <= 80 ? `, objects/${slug}/` : ''}: Vitrine never gives two objects one address (the file ` +
          'was changed or damaged)',
      };
    }
    holder.set(folderKey(slug), i);
  }
  const { photos, titles, left } = saved as Record<string, unknown>;
  for (const [name, list] of [
    ['photos', photos],
    ['titles', titles],
  ] as const)
    if (list !== undefined && (!Array.isArray(list) || list.length !== ids.length))
      return { problem: `its "${name}" list is not one entry for each object number` };
  if (left === undefined) return { objects: ids.length };
  if (!Array.isArray(left)) return { problem: 'its "left" entry is not a list' };
  // The objects that left keep their pages: each address one page's, never an object's of the catalogue too.
  for (const [i, entry] of left.entries()) {
    const [one] = leftEntry(entry);
    const at = `entry ${i + 1} of "left"`;
    if (!one) return { problem: `${at} is not an object number and a page address a catalogue writes` };
    if (seen.has(one.id)) return { problem: `${at} names an object number that is in "ids" too` };
    seen.add(one.id);
    if (holder.has(folderKey(one.slug)))
      return {
        problem:
          `${at} has a page address${one.slug.length <= 80 ? `, objects/${one.slug}/,` : ''} that another entry ` +
          'has too: Vitrine never gives two objects one address (the file was changed or damaged)',
      };
    holder.set(folderKey(one.slug), ids.length + i);
  }
  return { objects: ids.length };
}

/**
 * An object number quoted for a problem, when it is one that can be shown as it is, on one line, without doubt
 * (letters, digits, spaces and a few signs; at most 40 characters): the words go into workflow messages.
 */
function safeId(id: string): string | null {
  return /^[\p{L}\p{N}][\p{L}\p{N}\p{M} ._/#()-]{0,39}$/u.test(id) ? `"${id}"` : null;
}

/**
 * The slug of each object id in the last catalogue written (none when there is none). Only the pairs
 * are read, streamed: each object is written starting `{"id":…,"slug":…`, and that text cannot occur
 * inside a JSON string (its quotes are escaped), so no parse of a file of 100+ MB is needed.
 */
export async function previousSlugs(file: string): Promise<Map<string, string>> {
  const slugs = new Map<string, string>();
  const open = Buffer.from('{"id":"');
  const middle = Buffer.from('","slug":"');
  let rest = Buffer.alloc(0);
  try {
    // Bytes, not text: finding the pairs in bytes costs a fraction of decoding 100+ MB.
    for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
      const buf = rest.length ? Buffer.concat([rest, chunk as Buffer]) : (chunk as Buffer);
      let keep = Math.max(0, buf.length - open.length);
      for (let at = buf.indexOf(open); at >= 0; at = buf.indexOf(open, at + 1)) {
        const mid = buf.indexOf(middle, at + open.length - 1);
        const end = mid < 0 ? -1 : buf.indexOf(34 /* " */, mid + middle.length);
        // Cut by the chunk's end: read again with the next chunk (an id is at most a few KB). An open far from the
        // end with no slug after it (an unfamiliar entry's "slug":null) is not cut: the opens near the end must still
        // be read. No later open has a slug either, so go straight to those.
        if (end < 0) {
          if (buf.length - at < 16_384) {
            keep = at;
            break;
          }
          at = Math.max(at, buf.length - 16_384 - 1);
          continue;
        }
        if (mid - at > 16_384) continue;
        try {
          // A valid JSON string only when the id ends there (an id's own quotes are escaped).
          const id = JSON.parse(buf.toString('utf8', at + open.length - 1, mid + 1)) as string;
          // UTF-8: the address of a number in another script keeps its letters ("東博-123").
          slugs.set(id, buf.toString('utf8', mid + middle.length, end));
        } catch {}
      }
      rest = Buffer.from(buf.subarray(keep));
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return slugs;
}
