import { createReadStream } from 'node:fs';
import path from 'node:path';
import type { Workspace } from '../paths.ts';
import { assignSlugs, SLUG } from './derive.ts';
import { readJsonOrNull } from './read.ts';

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

/** Each id's address (ids in dataset order), keeping the one it had in the last build. */
export async function keptAddresses({ ws, ids }: { ws: Workspace; ids: string[] }): Promise<string[]> {
  const previous =
    (await savedSlugs(savedAddressesFile(ws))) ?? (await previousSlugs(path.join(ws.catalogue, 'catalogue.json')));
  return assignSlugs({ ids, previous });
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
 * download cut short, would otherwise be kept as the addresses and read as none. The words of a problem never
 * quote the file's bytes (they go into workflow messages).
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
  for (const [i, id] of ids.entries()) {
    if (typeof id !== 'string' || id === '') return { problem: `entry ${i + 1} of "ids" is not an object number` };
    if (seen.has(id)) return { problem: `entry ${i + 1} of "ids" repeats an earlier object number` };
    seen.add(id);
    const slug = slugs[i] as unknown;
    if (typeof slug !== 'string' || !SLUG.test(slug))
      return {
        problem: `entry ${i + 1} of "slugs" is not a page address (lower-case letters, digits, ".", "_" and "-")`,
      };
  }
  return { objects: ids.length };
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
