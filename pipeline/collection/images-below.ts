import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { compareIdsNaturally } from '../natural-order.ts';
import { listWords } from '../words.ts';

/*
 * Images the export names that are not in the images folder as named, found in folders further down. An export often
 * names each photograph by its file name alone ("D_2019_1_1.jpg") while the files sit in folders by year or store
 * (photos/2019/, photos/Réserves/): an outside tester (T6 F5) gave the export's folder as --images and was told only
 * that none of the 136 images was in it. Import looked one folder down; these were two down, and spread over two
 * folders, so that no --images could work, which nothing said. This finds the folders that hold them, by their path as
 * the export writes it (capitals and the encoding of accents aside), for the message to name.
 */

/** Folders and files looked at, at most: a mistaken --images (a home folder) ends the walk. */
const MAX_WALKED = 200_000;

/** Folders never pointed at: a Mac's zip leftovers, a program's packages. Hidden (dot) ones are left out too. */
const SKIPPED = new Set(['__MACOSX', 'node_modules']);

/** A folder under the images folder holding images the export names, as they are named. */
export interface HoldingFolder {
  /** Its path under the images folder, with "/". */
  folder: string;
  /** How many of the named images it holds. */
  count: number;
  /** The first of them: as the export names it, and its path under the images folder. */
  example: { cell: string; file: string };
}

const folded = (name: string) => name.normalize('NFC').toLowerCase();

/** The folders below `imageRoot` that hold the images `cells` name, most first; [] when none does. */
export async function foldersHolding({
  imageRoot,
  cells,
}: {
  imageRoot: string;
  cells: string[];
}): Promise<HoldingFolder[]> {
  // Every file below, by its name folded: a cell's file is one whose path ends with the cell's.
  const byName = new Map<string, string[]>();
  const folders = [''];
  let walked = 0;
  while (folders.length > 0 && walked < MAX_WALKED) {
    const folder = folders.shift()!;
    const entries: Dirent[] = await readdir(path.join(imageRoot, folder), { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (walked++ >= MAX_WALKED) break;
      if (entry.name.startsWith('.') || SKIPPED.has(entry.name)) continue;
      const relative = folder ? `${folder}/${entry.name}` : entry.name;
      if (entry.isDirectory()) folders.push(relative);
      else if (entry.isFile() && folder) {
        const key = folded(entry.name);
        byName.set(key, [...(byName.get(key) ?? []), relative]);
      }
    }
  }
  const holding = new Map<string, HoldingFolder>();
  for (const cell of new Set(cells)) {
    const relative = cell.replace(/\\/g, '/').replace(/^(\.\/)+/, '');
    const segments = relative.split('/');
    const wanted = `/${folded(relative)}`;
    for (const file of byName.get(folded(segments.at(-1)!)) ?? []) {
      if (!`/${folded(file)}`.endsWith(wanted)) continue;
      const folder = file.split('/').slice(0, -segments.length).join('/');
      if (!folder) continue;
      const entry = holding.get(folder) ?? { folder, count: 0, example: { cell, file } };
      entry.count++;
      holding.set(folder, entry);
    }
  }
  return [...holding.values()].sort((a, b) => b.count - a.count || compareIdsNaturally(a.folder, b.folder));
}

/** Folders listed by name, at most. */
const LISTED = 5;

/**
 * What the message about images not in the images folder adds: the folder to give when one holds them, or the
 * folders they are spread over and what to do then. "" when no folder below holds any.
 */
export function foldersHoldingWords({
  imageRoot,
  holding,
  missing,
}: {
  imageRoot: string;
  holding: HoldingFolder[];
  /** How many different images were not found as named. */
  missing: number;
}): string {
  const [first, ...others] = holding;
  if (!first) return '';
  const where = JSON.stringify(path.join(imageRoot, first.folder));
  if (first.count === missing) return ` The first of them, "${first.example.cell}", is in ${where}: give that folder.`;
  if (others.length === 0)
    return (
      ` ${first.count} of them are in ${where} (the first, "${first.example.cell}"), the others in no folder below ` +
      'it: give that folder.'
    );
  const shown = listWords(
    holding.map((h, i) => `"${h.folder}" (${h.count}${i === 0 ? ' of them' : ''})`),
    { max: LISTED },
  );
  return (
    ` They are in folders below it, under the names the export gives: ${shown}; so no one folder holds them all, ` +
    `to give with --images. Write each image's path from ${imageRoot} in the export's image column ` +
    `("${first.example.file}" for "${first.example.cell}"), or copy the images into one folder and give that folder.`
  );
}
