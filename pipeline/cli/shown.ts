import { escapedControl, oneLine } from '../log.ts';

/*
 * Names from the collection (file names above all: anyone who can put a file in data/ chooses them) reach the
 * terminal inside messages. A name may hold control characters: an escape sequence that recolours, hides or rewrites
 * what is on the screen, a carriage return or line break that fakes a line of its own. What the CLI prints shows
 * them as visible escapes ("\u001b", "\n"), as JSON writes them. In GitHub Actions, commandSafe (pipeline/log.ts)
 * is applied after this, for the workflow commands the runner reads.
 */

/** Control characters in a message (not line breaks or tabs: the message's own; right-to-left marks may be in titles). */
const IN_MESSAGES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** A file name (or any one-line value) as the terminal shows it: every control character written as an escape. */
export function shownName(name: string): string {
  return oneLine(name);
}

/**
 * A message as the terminal shows it: its line breaks and tabs kept ("\r\n" read as "\n"), every other control
 * character written as an escape, so a name quoted in it cannot send the terminal a command or rewrite a line.
 */
export function terminalSafe(message: string): string {
  return message.replace(/\r\n/g, '\n').replace(IN_MESSAGES, escapedControl);
}
