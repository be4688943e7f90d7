import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
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
 */
export async function keptAddresses({
  ws,
  ids,
  log,
}: {
  ws: Workspace;
  ids: string[];
  log?: Logger;
}): Promise<string[]> {
  const catalogueFile = path.join(ws.catalogue, 'catalogue.json');
  const saved = await savedSlugs(savedAddressesFile(ws));
  if (!saved) return assignSlugs({ ids, previous: await previousSlugs(catalogueFile) });
  const shared = sharedAddresses({ saved, ids });
  if (shared.length === 0) return assignSlugs({ ids, previous: saved });
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
  const slugs = assignSlugs({ ids, previous });
  const slugOf = new Map(ids.map((id, i) => [id, slugs[i]!]));
  // The file is named in the words (not as the message's place too: it was said twice).
  log?.warn(sharedAddressesWords({ file: rel(ws, savedAddressesFile(ws)), settled, slugOf }));
  return slugs;
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
  const saved = (await readJsonOrNull({ file }).catch(() => null)) as { ids?: unknown; slugs?: unknown } | null;
  const { ids, slugs } = saved ?? {};
  if (!Array.isArray(ids) || !Array.isArray(slugs) || ids.length !== slugs.length) return null;
  return new Map(ids.map((id, i) => [String(id), String(slugs[i])]));
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
