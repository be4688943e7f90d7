/*
 * Names from the collection (file names above all: anyone who can put a file in data/ chooses them) reach the
 * terminal inside messages. A name may hold control characters: an escape sequence that recolours, hides or rewrites
 * what is on the screen, a carriage return or line break that fakes a line of its own. What the CLI prints shows
 * them as visible escapes ("\u001b", "\n"), as JSON writes them. In GitHub Actions, commandSafe (pipeline/log.ts)
 * is applied after this, for the workflow commands the runner reads.
 */

/** Control characters (C0, DEL, C1), line and paragraph separators, and the marks that reorder text on screen. */
const IN_NAMES = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** The same in a message, but line breaks and tabs are the message's own; right-to-left marks may be in titles. */
const IN_MESSAGES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

function escaped(character: string): string {
  if (character === '\n') return '\\n';
  if (character === '\r') return '\\r';
  if (character === '\t') return '\\t';
  return `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** A file name (or any one-line value) as the terminal shows it: every control character written as an escape. */
export function shownName(name: string): string {
  return name.replace(IN_NAMES, escaped);
}

/**
 * A message as the terminal shows it: its line breaks and tabs kept ("\r\n" read as "\n"), every other control
 * character written as an escape, so a name quoted in it cannot send the terminal a command or rewrite a line.
 */
export function terminalSafe(message: string): string {
  return message.replace(/\r\n/g, '\n').replace(IN_MESSAGES, escaped);
}
