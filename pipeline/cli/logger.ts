import { idInMessages } from '../collection/value-limits.ts';
import { clip, commandSafe, type Logger, linesSaid, type Progress, type Where } from '../log.ts';
import { shownName, terminalSafe } from './shown.ts';

/**
 * An object's id as a log line names it: clipped as messages clip it, each character no id may hold by its code
 * as the messages write it ("DM-<U+202E>0006"; raw, a zero-width space hid, an override showed as "\u202e").
 */
function objectShown(id: string): string {
  return shownName(clip(idInMessages(id)));
}

/**
 * The terminal's logger: messages on stderr (stdout is for results and --json), GitHub annotations
 * when running in Actions, a live progress bar on a terminal and plain periodic lines in CI logs.
 */
export function terminalLogger({
  write = (text: string) => process.stderr.write(text),
  isTTY = Boolean(process.stderr.isTTY),
  githubActions = false,
  verbose = false,
  now = () => performance.now(),
  /** Seconds between progress lines when not on a terminal. */
  every = 15,
}: {
  write?: (text: string) => void;
  isTTY?: boolean;
  githubActions?: boolean;
  verbose?: boolean;
  now?: () => number;
  every?: number;
} = {}): Logger {
  const place = (where: Where | undefined, message: string) => {
    if (!where) return '';
    // Many messages already begin with their place ("data.dvc:2: ..."): say it once. One that begins with
    // another (an image problem, placed on its labels.csv line for the pull request) needs no second place.
    const placed = message.startsWith(where.file ?? '\0') || /^[^\s:]+:\d+: /.test(message);
    // The file and object are names from the collection: shown with their control characters escaped.
    const several = where.lines && new Set(where.lines).size > 1 ? `, ${linesSaid(where.lines)}` : undefined;
    const at = several ?? (where.line ? `:${where.line}` : '');
    const file = where.file && !placed ? `${shownName(where.file)}${at}` : '';
    const parts = [
      file,
      // Ids are clipped as messages clip them (a pasted 5,000-character id is one line's worth, not 5 KB).
      where.object && !message.includes(clip(idInMessages(where.object))) ? `object ${objectShown(where.object)}` : '',
    ].filter(Boolean);
    return parts.length > 0 ? `${parts.join(', ')}: ` : '';
  };
  const annotate = (level: 'warning' | 'error', message: string, where?: Where) => {
    // Workflow commands put the message on the line of the file in the pull request's diff.
    const props = [
      where?.file ? `file=${escapeProperty(shownName(where.file))}` : '',
      where?.line ? `line=${where.line}` : '',
      // Lines in a row are marked together; others from the first on (the message names each).
      where?.line && where.lines && endLine(where.lines) ? `endLine=${endLine(where.lines)}` : '',
    ]
      .filter(Boolean)
      .join(',');
    const object = where?.object ? `object ${objectShown(where.object)}: ` : '';
    write(`::${level}${props ? ` ${props}` : ''}::${escapeData(`${object}${terminalSafe(message)}`)}\n`);
  };
  // A bar drawn in place at a terminal leaves its line open: a message said meanwhile (a warning, "Stopped: Ctrl-C
  // pressed") starts on a line of its own, and the bar is drawn again below it at its next tick.
  const bar = { open: false };
  const line = (text: string) => {
    if (bar.open) write('\n');
    bar.open = false;
    write(text);
  };
  // Messages quote names from the collection: their control characters are escaped before anything is written.
  return {
    // In Actions a line of a message that began with :: would be run as a workflow command.
    info: (message) => line(`${githubActions ? commandSafe(terminalSafe(message)) : terminalSafe(message)}\n`),
    warn: (message, where) =>
      githubActions
        ? annotate('warning', message, where)
        : line(`warning: ${place(where, message)}${terminalSafe(message)}\n`),
    error: (message, where) =>
      githubActions
        ? annotate('error', message, where)
        : line(`error: ${place(where, message)}${terminalSafe(message)}\n`),
    debug: (message) => {
      if (verbose)
        line(githubActions ? `::debug::${escapeData(terminalSafe(message))}\n` : `debug: ${terminalSafe(message)}\n`);
    },
    progress: (label, total) => progressLine({ label: terminalSafe(label), total, write, isTTY, now, every, bar }),
  };
}

function progressLine({
  label,
  total,
  write,
  isTTY,
  now,
  every,
  bar,
}: {
  label: string;
  total: number;
  write: (t: string) => void;
  isTTY: boolean;
  now: () => number;
  every: number;
  /** Whether a bar drawn in place has left the terminal's line open. */
  bar: { open: boolean };
}): Progress {
  const started = now();
  let done = 0;
  let lastDraw = -Infinity;
  const describe = () => {
    const seconds = (now() - started) / 1000;
    const rate = seconds > 0 ? done / seconds : 0;
    const left = rate > 0 ? (total - done) / rate : NaN;
    const pct = total > 0 ? Math.floor((done / total) * 100) : 100;
    return (
      `${label}: ${done}/${total} (${pct}%), ` +
      `${rate.toFixed(1)}/s${Number.isFinite(left) && done < total ? `, about ${formatSeconds(left)} left` : ''}`
    );
  };
  return {
    tick(n = 1) {
      done += n;
      const t = now();
      if (isTTY && t - lastDraw > 100) {
        lastDraw = t;
        const width = 24;
        const filled = total > 0 ? Math.round((done / total) * width) : width;
        write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${describe()}\x1b[K`);
        bar.open = true;
      } else if (!isTTY && t - lastDraw >= every * 1000) {
        if (lastDraw !== -Infinity) write(`${describe()}\n`);
        lastDraw = t;
      }
    },
    done() {
      bar.open = false;
      const seconds = (now() - started) / 1000;
      write(
        `${isTTY ? '\r' : ''}${label}: ${done}/${total} in ` +
          // A rate over less than a second ("1296 in 0 ms, 2949516.8/s") says nothing: only longer steps get one.
          `${formatSeconds(seconds)}${seconds >= 1 ? ` (${(done / seconds).toFixed(1)}/s)` : ''}${isTTY ? '\x1b[K' : ''}\n`,
      );
    },
  };
}

/** "850 ms", "12.3 s", "4 min 05 s" */
export function formatSeconds(seconds: number): string {
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const m = Math.floor(seconds / 60);
  return `${m} min ${String(Math.round(seconds - m * 60)).padStart(2, '0')} s`;
}

function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** The last of several lines in a row (an annotation's endLine); undefined for one line or lines apart. */
function endLine(lines: number[]): number | undefined {
  const sorted = [...new Set(lines)].sort((a, b) => a - b);
  return sorted.length > 1 && sorted.at(-1)! - sorted[0]! === sorted.length - 1 ? sorted.at(-1) : undefined;
}
