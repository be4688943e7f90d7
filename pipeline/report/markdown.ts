/*
 * Escaping for GitHub-flavoured Markdown. Everything that comes from the labels file, object
 * metadata or params passes through one of these before it reaches the comment: a title with a `|`
 * must not split a table cell, a label like `<img onerror>` must stay text, and `@someone` or
 * `owner/repo#12` in a description must not notify anybody.
 */

// Control characters (tab, line breaks aside) and bidi controls: none belongs in a comment or a card. One definition
// with the catalogue's (control-characters.ts).
import { MAX_LABEL_BYTES } from '../collection/value-limits.ts';
import { CONTROLS } from '../control-characters.ts';

// Characters with a meaning in Markdown inline syntax; a backslash makes each one literal. `$` too: GitHub typesets
// `$…$` and `$$…$$` as mathematics (a title "Token, US$5–US$10"), and shows `\$` as a dollar sign.
const MARKDOWN_PUNCTUATION = /[\\`*_{}[\]()!|~$]/g;
// Characters that only mean something at the start of a block (heading, list, quote, ordered list). An ordered
// list needs a space or nothing after its "1.": an object number ("1992.19.4") keeps its dot as the register has it.
const BLOCK_START = /^([#+\-=]|\d+(?=[.)](\s|$)))/;

/** Plain text for a Markdown paragraph or table cell: no markup, no HTML, no mentions, one line. */
export function text(value: unknown): string {
  const s = String(value ?? '')
    // One line: a newline would end a table row or start a new block.
    .replace(/[\r\n\u2028\u2029]+/g, ' ')
    // Control characters have no business in a comment; bidi overrides could make text read backwards.
    .replace(CONTROLS, '')
    .trim();
  return (
    s
      .replace(MARKDOWN_PUNCTUATION, (c) => `\\${c}`)
      .replace(BLOCK_START, (m) => (/^\d/.test(m) ? `${m}\\` : `\\${m}`))
      // HTML-significant characters become entities (a backslash does not stop a tag in GFM).
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      // A zero-width space after @ stops mentions and team pings; the text still reads "@name".
      .replace(/@/g, '@\u200b')
      // Likewise for #12, owner/repo#12 and GH-12: GitHub would link them and post "mentioned
      // this" on that issue, in any repository.
      .replace(/#(?=\d)/g, '#\u200b')
      .replace(/\b(gh-)(?=\d)/gi, '$1\u200b')
      // Bare URLs and emails would be autolinked; break the scheme so they stay text.
      .replace(/(https?|ftp|www)([.:])/gi, '$1\u200b$2')
  );
}

/**
 * A title or other free text cut to `max` characters with "…", before escaping (an entity or escape
 * is never cut in half). A museum title can run to thousands of characters; a table cell needs a line.
 */
export function shorten(value: unknown, max = 80): string {
  const s = String(value ?? '')
    .replace(/\s+/g, ' ')
    .trim();
  // By code points, not UTF-16 units: a cut inside a hieroglyph or an emoji would leave half of it (shown as �).
  const characters = Array.from(s);
  return characters.length <= max
    ? s
    : `${characters
        .slice(0, max - 1)
        .join('')
        .trimEnd()}…`;
}

/**
 * The most characters of a label the report shows and report.json keeps: a label of the vocabulary has at most
 * MAX_LABEL_BYTES bytes, so it is never cut; a text pasted into a cell of labels.csv by mistake is (an outside tester's
 * 3,000-character label filled a row of the comment twice, and a fork's report.json holding it was refused whole).
 */
export const LABEL_SHOWN_MAX = MAX_LABEL_BYTES;

/**
 * A label cut to LABEL_SHOWN_MAX characters with "…", before escaping; shorter labels are kept exactly (spaces too:
 * the report names a no-break space in a label). By code points, as shorten() cuts.
 */
export function shortLabel(label: string): string;
export function shortLabel(label: string | null): string | null;
export function shortLabel(label: string | null): string | null {
  if (label === null || label.length <= LABEL_SHOWN_MAX) return label;
  const characters = Array.from(label);
  return characters.length <= LABEL_SHOWN_MAX ? label : `${characters.slice(0, LABEL_SHOWN_MAX - 1).join('')}…`;
}

/**
 * Text for inside an HTML attribute value in double quotes (alt, title). `|` becomes `&#124;`:
 * GitHub splits a table row into cells on `|` before it parses HTML, even inside a tag.
 */
export function attribute(value: unknown): string {
  return String(value ?? '')
    .replace(/[\r\n]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/\|/g, '&#124;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/@/g, '@\u200b');
}

/**
 * A URL safe to put in a link or an image: only http(s), with characters that would end a Markdown
 * link or an HTML attribute percent-encoded. Anything else (javascript:, data:) gives null.
 */
export function safeUrl(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  return url.href.replace(/[()<>"'\s|\\`]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** A Markdown link with escaped text, or the plain text when the URL is not safe. */
export function link(label: unknown, url: string): string {
  const safe = safeUrl(url);
  return safe ? `[${text(label)}](${safe})` : text(label);
}

/**
 * Inline code for identifiers (commit hashes, data hashes, branch names); backticks, newlines and bars removed,
 * and control characters too: a bidi override (U+202E) would make a branch name read backwards.
 */
export function code(value: unknown): string {
  const s = String(value ?? '')
    .replace(/[`\r\n|]/g, '')
    .replace(CONTROLS, '')
    .trim();
  return s ? `\`${s}\`` : '';
}

/** A Markdown table; cells must already be escaped (use `text`). */
export function table({
  header,
  rows,
  align,
}: {
  header: string[];
  rows: string[][];
  align?: ('left' | 'right' | 'center')[];
}): string {
  const rule = header.map((_, i) => {
    const a = align?.[i] ?? 'left';
    return a === 'right' ? '---:' : a === 'center' ? ':---:' : '---';
  });
  const line = (cells: string[]) => `| ${cells.map((c) => c || ' ').join(' | ')} |`;
  return [line(header), line(rule), ...rows.map(line)].join('\n');
}

/**
 * A string safe inside a Mermaid chart's quoted title or axis label. Mermaid runs in GitHub's
 * sandboxed frame, but quotes, brackets or backticks would still break the chart or its code fence.
 */
export function mermaidText(value: unknown): string {
  return (
    String(value ?? '')
      .replace(/[^\p{L}\p{N} ,.\-_/+%&']/gu, ' ')
      .replace(/'/g, '’')
      .replace(/\s+/g, ' ')
      .trim() || '?'
  );
}

/** Format a number with fixed decimals; non-finite values read as "–". */
export function num(value: number | null | undefined, digits = 3): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '–' : value.toFixed(digits);
}

/**
 * Two shares said side by side as whole percentages, with decimals only where rounding would mislead: the decimals
 * it takes to tell the two apart (0.617 below 0.62 read "62% sure, below the 62% this museum asks for": a reviewer),
 * never "100%" for less than certain or "0%" for more than nothing. One share on its own: `percentApart(x)[0]`.
 * Past four decimals ("100.0000%" read as certain; 0.5 and 0.5000001 both read "50.0000%") words say it: "just under
 * 100%", "just over 0%", and of two shares a round figure between them, "50%" and "just over 50%"; two shares with
 * no such figure between them get the decimals it takes.
 * The one helper for this: the report's publication section and the catalogue's object pages both use it.
 */
export function percentApart(x: number, y: number = x): [string, string] {
  return [percentBeside(x, y), percentBeside(y, x)];
}

/** The most decimals a percentage is written with before words say it. */
const PERCENT_DIGITS = 4;

function percentBeside(value: number, other: number): string {
  if (!Number.isFinite(value)) return '–';
  // As a percentage, without the float's noise (0.29 * 100 is 28.999999999999996).
  const percent = (x: number) => Number((x * 100).toFixed(12));
  const v = percent(value);
  const o = Number.isFinite(other) ? percent(other) : v;
  // Certain, or nothing at all, is said as such, whatever the other.
  if (v === 100 || v === 0) return `${v}%`;
  const words = (x: number, digits: number) => x.toFixed(digits);
  const same = (digits: number) => v !== o && words(v, digits) === words(o, digits);
  // Rounded to certain or to nothing when it is neither.
  const extreme = (digits: number) => {
    const w = Number(words(v, digits));
    return (w === 100 && v < 100) || (w === 0 && v > 0);
  };
  const misleading = (digits: number) => extreme(digits) || same(digits);
  let digits = 0;
  while (digits < PERCENT_DIGITS && misleading(digits)) digits++;
  if (!misleading(digits)) return `${words(v, digits)}%`;
  if (same(digits)) {
    // A round figure between the two (at most four decimals): the one at it says it, the other "just over/under" it.
    const [low, high] = v < o ? [v, o] : [o, v];
    for (let d = 0; d <= PERCENT_DIGITS; d++) {
      const at = Math.ceil(Number((low * 10 ** d).toFixed(6))) / 10 ** d;
      // The rounding that strips the float's noise can land a hair below `low`: not between them then.
      if (at < low || at > high) continue;
      const figure = `${words(at, d)}%`;
      return v === at ? figure : v < at ? `just under ${figure}` : `just over ${figure}`;
    }
    // None: the decimals it takes, however many (two thresholds a hair apart), and never certain or nothing.
    let more = PERCENT_DIGITS;
    while (more < 12 && misleading(more)) more++;
    if (!misleading(more)) return `${words(v, more)}%`;
  }
  // Rounded to certain, or to nothing.
  return Number(words(v, digits)) >= 50 ? 'just under 100%' : 'just over 0%';
}

/**
 * A p-value as every text and page writes it: "p = 0.002" (three decimals, as the pull request has always said it),
 * "p < 0.001" below that (0.000 would read as certain), "p = –" when there is none.
 */
export function pValue(p: number | null | undefined): string {
  if (p !== null && p !== undefined && Number.isFinite(p) && p < 0.001) return 'p < 0.001';
  return `p = ${num(p)}`;
}

/** A signed change ("+0.041", "−0.012"); no change is "0.000" (a "±" would read as a range). */
export function signed(value: number | null | undefined, digits = 3): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  const rounded = Number(value.toFixed(digits));
  if (rounded === 0) return (0).toFixed(digits);
  return rounded > 0 ? `+${rounded.toFixed(digits)}` : `−${Math.abs(rounded).toFixed(digits)}`;
}

/**
 * An interval in plain words: "between +0.00 and +0.06" for a change (`signs`), "between 0.85 and
 * 1.00" for a value; just "1.00" when both ends of a value read the same. A bound of a change keeps the side of zero
 * it is on, also when it rounds to 0.00 ("between −0.00 and +0.03": the interval reaches below zero). The ends of a
 * change that differ get the decimals that tell them apart ("between +0.020 and +0.025"); a change with both ends
 * equal has no range, and the caller says so in words (sameInEveryResample).
 */
export function between(
  low: number | null | undefined,
  high: number | null | undefined,
  { digits = 2, signs = true }: { digits?: number; signs?: boolean } = {},
): string {
  const bound = (v: number | null | undefined, d: number) => {
    if (v === null || v === undefined || !Number.isFinite(v)) return '–';
    if (!signs) return v.toFixed(d);
    const magnitude = Math.abs(v).toFixed(d);
    return v < 0 ? `−${magnitude}` : `+${magnitude}`;
  };
  // A tester read "95% range: +0.00" as a range of one value: a change's two ends stay two figures.
  let d = digits;
  while (signs && d < 6 && low !== high && bound(low, d) === bound(high, d)) d++;
  const [from, to] = [bound(low, d), bound(high, d)];
  // "between 1.00 and 1.00" says nothing more than the one figure.
  return from === to ? from : `between ${from} and ${to}`;
}

/**
 * A change whose 95% range has both ends equal (every resample gave the same change, often none at all), in words:
 * "no change in any resample of the test objects", "+0.020 in every resample of …". Null when the ends differ.
 */
export function sameInEveryResample({
  low,
  high,
  of,
}: {
  low: number;
  high: number;
  /** What was resampled, e.g. "the test objects". */
  of: string;
}): string | null {
  if (low !== high || !Number.isFinite(low)) return null;
  return low === 0 ? `no change in any resample of ${of}` : `${signed(low)} in every resample of ${of}`;
}

/** A duration in plain words ("850 ms", "12.3 s", "4 min 05 s"). */
export function duration(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return `${minutes} min ${String(seconds).padStart(2, '0')} s`;
}

/**
 * The longest report a pull-request comment takes: GitHub allows 65,536 characters; the rest is
 * room for the comment's hidden marker and the note a fork's report gets.
 */
export const COMMENT_ROOM = 64_512;

const CUT_NOTE =
  "\n\n…the report is longer than a GitHub comment allows, so it ends here. The whole report is report-full.md among the run's files.\n";

/**
 * Cut a Markdown report to `limit` characters at a line end, with a note saying where the rest is.
 * The cut never lands inside a fenced block, nor between a chart and the end of its section (where
 * the table of its values is): a chart goes whole with its table or not at all. `<details>` blocks
 * the cut leaves open are closed. A report within the limit is returned as it is.
 */
export function fitMarkdown({
  body,
  limit = COMMENT_ROOM,
  note = CUT_NOTE,
}: {
  body: string;
  limit?: number;
  note?: string;
}): string {
  if (body.length <= limit) return body;
  const lines = body.split('\n');
  let inFence = false;
  let chartInSection = false;
  let depth = 0;
  let length = -1;
  let best: { end: number; depth: number } | null = null;
  for (let j = 0; j < lines.length; j++) {
    // Keeping lines[0..j): allowed outside a fence, and after a chart only when a new section starts.
    const line = lines[j]!;
    const sectionStart = line.startsWith('### ') || (depth === 0 && line.startsWith('<details>'));
    if (sectionStart) chartInSection = false;
    if (j > 0 && !inFence && !chartInSection) {
      const closing = '\n\n</details>'.length * depth;
      if (length + closing + note.length <= limit) best = { end: j, depth };
      else break;
    }
    if (/^(```|~~~)/.test(line)) {
      inFence = !inFence;
      if (inFence && /^(```|~~~)\s*mermaid/.test(line)) chartInSection = true;
    }
    if (!inFence)
      depth = Math.max(0, depth + (line.match(/<details>/g)?.length ?? 0) - (line.match(/<\/details>/g)?.length ?? 0));
    length += line.length + 1;
  }
  if (!best) return note.trim().slice(0, limit);
  const head = lines.slice(0, best.end).join('\n').trimEnd();
  return `${head}${'\n\n</details>'.repeat(best.depth)}${note}`;
}
