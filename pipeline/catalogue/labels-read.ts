import { createHash } from 'node:crypto';
import { decodeText, parseLabels, readLabels } from '../collection/index.ts';
import { readBytesAtRef } from '../git/repo.ts';
import type { Logger } from '../log.ts';
import { rel, type Workspace } from '../paths.ts';
import { hashPath, readLock } from '../stages/graph.ts';
import type { LabelLine } from '../types.ts';

/**
 * The lines of the labels.csv the dataset stage read, which lock.json records (its md5) as that stage starts: the
 * file now when it is that one (or lock.json records none), else the version at HEAD when it is. A file changed
 * since (a colleague's edit, a git pull while the run trained) would put every line after an added one one further
 * down, and "Suggest a correction" would open another object's line beside labels from the older file: then the
 * file's lines as they are now, with `lineNumbers` false (links open the file), said once. What is read by object
 * (a staff label outside the vocabulary, whose model guess is held back) still holds. A missing labels.csv throws as
 * readLabels does. HEAD's version is compared by its bytes, as the stage hashed them: as committed, or with CRLF line
 * endings as git on Windows writes it out (core.autocrlf, Git for Windows' default; asCheckedOut).
 */
export async function labelsAsRead({
  ws,
  log,
}: {
  ws: Workspace;
  log: Logger;
}): Promise<{ lines: LabelLine[]; lineNumbers: boolean }> {
  const name = rel(ws, ws.labels);
  const recorded = (await readLock({ file: ws.lock }).catch(() => null))?.stages.dataset?.deps?.paths?.[name];
  const now = await hashPath({ file: ws.labels });
  if (typeof recorded !== 'string' || recorded === now || now === 'absent')
    return { lines: await readLabels({ file: ws.labels }), lineNumbers: true };
  const committed = await readBytesAtRef({ dir: ws.root, ref: 'HEAD', filepath: name }).catch(() => null);
  const read = committed ? asCheckedOut(committed).find((bytes) => md5(bytes) === recorded) : undefined;
  const text = read ? textOf({ bytes: read, file: ws.labels }) : undefined;
  if (text !== undefined) return { lines: parseLabels({ text, file: ws.labels }), lineNumbers: true };
  log.warn(
    `${name} changed after the dataset stage read it (edited, or a git pull, while the run went on), so the ` +
      `catalogue's "Suggest a correction" links open ${name} without a line this time: its lines may now belong ` +
      `to other objects. Run "npx vitrine run" again to bring the catalogue up to date with ${name}.`,
    { file: name },
  );
  return { lines: await readLabels({ file: ws.labels }), lineNumbers: false };
}

function md5(bytes: Uint8Array): string {
  return createHash('md5').update(bytes).digest('hex');
}

/**
 * A committed file's bytes as a checkout may have written them: as they are, and, for a file with LF line endings
 * and no CR, with CRLF ones (git's core.autocrlf or eol=crlf on Windows converts only such a file). Its lines are
 * the same lines either way.
 */
function asCheckedOut(bytes: Uint8Array): Uint8Array[] {
  const text = Buffer.from(bytes);
  if (text.includes(0x0d) || !text.includes(0x0a)) return [bytes];
  return [bytes, Buffer.from(text.toString('latin1').replace(/\n/g, '\r\n'), 'latin1')];
}

/** The text of bytes the dataset stage read; undefined for bytes it would have refused (not UTF-8), never read. */
function textOf({ bytes, file }: { bytes: Uint8Array; file: string }): string | undefined {
  try {
    return decodeText({ bytes, file });
  } catch {
    return undefined;
  }
}
