import { readlinkSync, realpathSync } from 'node:fs';
import path from 'node:path';

/* Where a symbolic link in the data folder leads, in words for the people who made it. */

/**
 * Words for a link inside the data folder `dir` that leads back into it: to a folder the link is in (a loop, as
 * "ln -s . data/images/loop" makes: the folder inside itself, without end) or to another folder of data/ (its
 * files twice). The fix is to delete the link, never to move anything (a cache there would be inside data/).
 * Undefined for a link that leads out of data/, or whose target cannot be found.
 */
export function linkBackInto({ dir, link, target }: { dir: string; link: string; target: string }): string | undefined {
  let realDir: string;
  let realTo: string;
  let realParent: string;
  try {
    realDir = realpathSync(dir);
    realTo = realpathSync(link);
    realParent = realpathSync(path.dirname(link));
  } catch {
    return undefined;
  }
  const name = `${target}/${path.relative(dir, link).split(path.sep).join('/')}`;
  const to = readlinkSync(link);
  const shownFolder = (real: string) => {
    const relpath = path.relative(realDir, real).split(path.sep).join('/');
    return relpath === '' ? `${target}/` : `${target}/${relpath}`;
  };
  // The folder the link is in, or one above it: reading through the link comes back to the link, again and again.
  const loop = realParent === realTo || inside(realTo, realParent) !== undefined;
  if (!loop && inside(realDir, realTo) === undefined) return undefined;
  const shown = inside(realDir, realTo) !== undefined || realTo === realDir ? shownFolder(realTo) : realTo;
  const what = loop
    ? `makes a link loop: it leads back to ${realTo === realParent ? 'the folder it is in' : 'a folder it is in'} ` +
      `(${shown}), so ${target}/ would hold itself without end`
    : `leads to another folder of ${target}/ (${shown}), so its files would be read twice`;
  return (
    `${name} is a symbolic link (to ${to}) that ${what}. Vitrine does not read folders through links, so ` +
    `nothing was changed. Delete the link ${name} (only the link goes: the files it leads to stay where they ` +
    'are), then run the command again.'
  );
}

/** The relpath of `to` inside `folder`, or undefined when it is not inside. */
export function inside(folder: string, to: string): string | undefined {
  const rel = path.relative(folder, to);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : undefined;
}
