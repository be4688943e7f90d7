/**
 * How pipeline code talks to people. The pipeline never prints: it is handed a Logger. The CLI's
 * logger writes to the terminal (and GitHub annotations in Actions); tests collect the lines.
 */

/** Where a message points: a file (root-relative), a line in it, an object id. */
export interface Where {
  file?: string;
  line?: number;
  /** Every line a message covers when it covers several rows (two links refused together): said with the file. */
  lines?: number[];
  object?: string;
}

/** Lines as a message says them: "lines 136 and 137", "lines 2–5", "lines 2–4, 9 and 12"; "line 7". */
export function linesSaid(lines: number[]): string {
  const sorted = [...new Set(lines)].sort((a, b) => a - b);
  const runs: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    // Two lines in a row are said as two ("136 and 137"); three or more as a range.
    if (j - i >= 2) runs.push(`${sorted[i]}–${sorted[j]}`);
    else for (let k = i; k <= j; k++) runs.push(String(sorted[k]));
    i = j + 1;
  }
  if (runs.length > 8) runs.splice(6, runs.length - 6, '…');
  const said = runs.length === 1 ? runs[0]! : `${runs.slice(0, -1).join(', ')} and ${runs.at(-1)}`;
  return `${sorted.length === 1 ? 'line' : 'lines'} ${said}`;
}

export interface Progress {
  /** Count `n` more items done (default 1). */
  tick(n?: number): void;
  /** The work is over; prints a closing line with the rate. */
  done(): void;
}

export interface Logger {
  info(message: string): void;
  warn(message: string, where?: Where): void;
  error(message: string, where?: Where): void;
  /** Detail for maintainers; hidden unless --verbose. */
  debug(message: string): void;
  /** A long job over `total` items: a live bar on a terminal, periodic plain lines in CI logs. */
  progress(label: string, total: number): Progress;
}

/**
 * A value cut to `max` characters with "…" for a message, on one line (oneLine): a label or id pasted by mistake
 * can run to thousands of characters, and printed whole (often several times) it buries the message. Cut by code
 * points, so half an emoji or hieroglyph is never left (shown as "\uFFFD"). With `escaped: false` (default true)
 * it is only cut, its control characters kept as they are: for text the user copies back into a file.
 */
export function clip(text: string, max = 80, { escaped = true }: { escaped?: boolean } = {}): string {
  const characters = Array.from(text);
  const cut = characters.length <= max ? text : `${characters.slice(0, max).join('')}…`;
  return escaped ? oneLine(cut) : cut;
}

/**
 * `text` (clipped) in quotes: "Print", or “Print, "hand-coloured"” when it holds a straight double quote itself, so
 * that where it ends is plain (a tester read "Print, "hand-coloured"").
 */
export function quoted(text: string, max = 80): string {
  return text.includes('"') ? `“${clip(text, max)}”` : `"${clip(text, max)}"`;
}

/** Control characters (C0, DEL, C1), line and paragraph separators, and the marks that reorder text on screen. */
const NOT_IN_ONE_LINE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** A control character as JSON writes it: "\n", "\u001b". */
export function escapedControl(character: string): string {
  if (character === '\n') return '\\n';
  if (character === '\r') return '\\r';
  if (character === '\t') return '\\t';
  return `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * A value from the collection (a label, an id, a file name) as one line of a message: a line break in a label
 * (a quoted CSV cell may hold one) would otherwise print the rest of it as a line of its own.
 */
export function oneLine(text: string): string {
  return text.replace(NOT_IN_ONE_LINE, escapedControl);
}

/**
 * A message made safe to print where GitHub Actions reads a step's output. The runner takes any line that starts,
 * after white space, with "::" (or the older "##[") as a workflow command: set an output, mask a value, stop
 * commands. Warnings and errors are escaped by the annotation they travel in; an info line is printed as it is, so
 * a label or a file name quoted in one could forge a command. Line breaks stay ("\r" becomes "\n": the runner ends
 * a line there too); a line that would read as a command has its opening escaped the way commands escape data.
 */
export function commandSafe(message: string): string {
  return message
    .replace(/\r\n?/g, '\n')
    .replace(/^((?:[^\S\n]|[\u0085\u180e])*)(::|##\[)/gm, (_, space: string, start: string) =>
      start === '::' ? `${space}%3A%3A` : `${space}##%5B`,
    );
}

/**
 * How far a long piece of work (a push, a pull, a publish) has got, in plain words: the work sets `now` as it
 * goes, and the command says it if the process is stopped (Ctrl-C): what was done, that it is kept, what to run.
 */
export interface Whereabouts {
  now?: () => string;
}

/** A clock passed in so tests can fix time. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A logger that keeps every line: for tests, and for code that reports lines later. */
export function memoryLogger(): Logger & { lines: { level: string; message: string; where?: Where }[] } {
  const lines: { level: string; message: string; where?: Where }[] = [];
  return {
    lines,
    info: (message) => lines.push({ level: 'info', message }),
    warn: (message, where) => lines.push({ level: 'warn', message, where }),
    error: (message, where) => lines.push({ level: 'error', message, where }),
    debug: (message) => lines.push({ level: 'debug', message }),
    progress: (label, total) => {
      let done = 0;
      return {
        tick: (n = 1) => {
          done += n;
        },
        done: () => lines.push({ level: 'info', message: `${label}: ${done}/${total}` }),
      };
    },
  };
}

/** A logger that drops everything. */
export const silentLogger: Logger = {
  info() {},
  warn() {},
  error() {},
  debug() {},
  progress: () => ({ tick() {}, done() {} }),
};
