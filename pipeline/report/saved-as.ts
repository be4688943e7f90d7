import { code } from './markdown.ts';

/*
 * A labels.csv saved by Excel ("CSV UTF-8": a byte-order mark and Windows line ends) over one with Unix line ends
 * differs on every line: GitHub's "Files changed" shows the whole file changed, and nothing said why (outside tester
 * T3 F7). The report's table is right; the label section now says why the diff is not, and what keeps it readable.
 */

/** How a file's lines end: Windows (CRLF), Unix (LF), both, or no line break at all. */
export type LineEnds = 'windows' | 'unix' | 'mixed' | 'none';

export interface SavedAs {
  lineEnds: LineEnds;
  /** It starts with a byte-order mark (EF BB BF), as Excel's "CSV UTF-8" writes it. */
  bom: boolean;
}

/** How `bytes` (a file as committed) are saved. */
export function savedAs(bytes: Uint8Array): SavedAs {
  let crlf = 0;
  let lf = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] !== 0x0a) continue;
    if (i > 0 && bytes[i - 1] === 0x0d) crlf++;
    else lf++;
  }
  const lineEnds: LineEnds = crlf && lf ? 'mixed' : crlf ? 'windows' : lf ? 'unix' : 'none';
  return { lineEnds, bom: bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf };
}

/** How labels.csv is saved at the base and in the pull request, when that differs (the report.json field). */
export interface SavedDifferently {
  base: SavedAs;
  head: SavedAs;
  /** The line ends differ (one file's lines all end one way, the other's another): every line shows as changed. */
  everyLine: boolean;
  /** The head's .gitattributes already asks git to convert labels.csv's line ends (`text`, `eol`). */
  converted?: boolean;
}

/**
 * Whether a .gitattributes `text` asks git to convert `file`'s line ends (its own rule or one for `*.csv` or `*`,
 * the last one that names it deciding): git and GitHub Desktop then store it with Unix line ends.
 */
export function convertsLineEnds({ attributes, file }: { attributes: string | null; file: string }): boolean {
  let converts = false;
  for (const line of (attributes ?? '').split(/\r?\n/)) {
    const [pattern, ...rest] = line.trim().split(/\s+/);
    if (!pattern || !['*', '*.csv', file, `/${file}`].includes(pattern)) continue;
    for (const a of rest) {
      if (a === 'text' || a === 'text=auto' || a.startsWith('eol=')) converts = true;
      else if (a === '-text' || a === 'binary' || a === '!text') converts = false;
    }
  }
  return converts;
}

/** The difference between labels.csv at the base and at the head that git's diff shows, or null when none does. */
export function savedDifferently({
  base,
  head,
}: {
  base: Uint8Array | null;
  head: Uint8Array | null;
}): SavedDifferently | null {
  if (!base || !head) return null;
  const [b, h] = [savedAs(base), savedAs(head)];
  // A file of one line, or one with both kinds of line ends, does not show every line as changed for that.
  const everyLine =
    b.lineEnds !== h.lineEnds && b.lineEnds !== 'none' && h.lineEnds !== 'none' && b.lineEnds !== 'mixed';
  if (!everyLine && b.bom === h.bom) return null;
  return { base: b, head: h, everyLine };
}

const ENDS: Record<LineEnds, string> = {
  windows: 'Windows line ends',
  unix: 'Unix line ends',
  mixed: 'Windows and Unix line ends mixed',
  none: 'no line break',
};

/**
 * The label section's words for `saved` (file: labels.csv; base: what the report calls the base, "main"; `changes`:
 * how many labels the table lists): why the pull request's diff shows every line (or its first) as changed, and what
 * keeps it readable, for staff and for the maintainer who can add the .gitattributes line once.
 */
export function savedDifferentlyWords({
  saved,
  file,
  base,
  changes,
}: {
  saved: SavedDifferently;
  file: string;
  base: string;
  changes: number;
}): string {
  const { head } = saved;
  const mark = head.bom && !saved.base.bom;
  const excel = head.lineEnds === 'windows' && head.bom ? ' (as Excel’s “CSV UTF-8” saves it)' : '';
  const how = saved.everyLine
    ? `${ENDS[head.lineEnds]}${mark ? ' and a byte-order mark' : ''}${excel}, where ${base}’s has ` +
      ENDS[saved.base.lineEnds]
    : mark
      ? `a byte-order mark at its start (an invisible mark Excel’s “CSV UTF-8” adds), which ${base}’s has not`
      : `no byte-order mark at its start, where ${base}’s has one (an invisible mark Excel’s “CSV UTF-8” adds)`;
  const shown = `the pull request’s “Files changed” shows ${saved.everyLine ? 'every line' : 'its first line'} as changed`;
  const real =
    changes === 0
      ? 'but no label changed'
      : `but only ${changes} ${changes === 1 ? 'label' : 'labels'} changed: see the table below`;
  const same = 'Vitrine reads the labels the same either way.';
  if (!saved.everyLine) return `⚠️ ${file} was saved with ${how}: ${shown}, ${real}. ${same}`;
  if (saved.converted)
    return (
      `⚠️ ${file} was saved with ${how}: ${shown}, ${real}. ${same} The repository’s ${code('.gitattributes')} ` +
      `asks git to store ${file} with Unix line ends, but this commit was made without git’s conversion (the file ` +
      `uploaded or edited on a website, say): committed with GitHub Desktop or git, it is stored with Unix line ends.`
    );
  const renormalize =
    saved.base.lineEnds === 'windows'
      ? ` As ${base}’s ${file} has Windows line ends, run ${code(`git add --renormalize ${file}`)} once and commit it.`
      : '';
  return (
    `⚠️ ${file} was saved with ${how}: ${shown}, ${real}. ${same} To keep the diff readable, a maintainer can add ` +
    `once a file named ${code('.gitattributes')} at the top of the repository with the line ` +
    `${code(`${file} text eol=lf`)}: git and GitHub Desktop then store ${file} with Unix line ends however the ` +
    `spreadsheet saved it.${renormalize}`
  );
}
