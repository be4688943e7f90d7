/**
 * How pipeline code talks to people. The pipeline never prints: it is handed a Logger. The CLI's
 * logger writes to the terminal (and GitHub annotations in Actions); tests collect the lines.
 */

/** Where a message points: a file (root-relative), a line in it, an object id. */
export interface Where {
  file?: string;
  line?: number;
  object?: string;
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
 * A value cut to `max` characters with "…" for a message: a label or id pasted by mistake can run to thousands of
 * characters, and printed whole (often several times) it buries the message. Cut by code points, so half an emoji
 * or hieroglyph is never left (shown as "\uFFFD").
 */
export function clip(text: string, max = 80): string {
  const characters = Array.from(text);
  return characters.length <= max ? text : `${characters.slice(0, max).join('')}…`;
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
