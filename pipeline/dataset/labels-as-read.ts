import { createHash } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { decodeText, parseLabels } from '../collection/index.ts';
import { tempName } from '../data/temp.ts';
import { VitrineError } from '../errors.ts';
import { writeFileAtomic } from '../fs.ts';
import { readBytesAtRef } from '../git/repo.ts';
import { rel, type Workspace } from '../paths.ts';
import { hashPath, readLock } from '../stages/graph.ts';
import type { LabelLine } from '../types.ts';
import { refuseLinkedFile } from './linked-file.ts';

/*
 * The dataset stage reads labels.csv once, and the model learns those labels; lock.json records their md5. A stage
 * after it (evaluate, report, promote's annotations) that read labels.csv again would read it as it is then: a
 * colleague's edit saved while the run trained (or between stages run one by one) was reported as a change the
 * model learnt, and one it had learnt, undone since, went unsaid. So the dataset stage keeps a copy of the bytes it
 * read beside dataset.json, and the later stages read that: the labels every part of a run speaks of are one set.
 */

/** The copy of labels.csv as the dataset stage read it, beside dataset.json. */
export function labelsReadFile(ws: Workspace): string {
  return path.join(ws.dataset, 'labels-read.csv');
}

/** Keep the bytes of labels.csv the dataset stage read (null: there was none), for the stages after it. */
export async function keepLabelsRead({ ws, bytes }: { ws: Workspace; bytes: Uint8Array | null }): Promise<void> {
  if (bytes === null) await rm(labelsReadFile(ws), { force: true });
  else await writeFileAtomic({ file: labelsReadFile(ws), data: bytes, temp: tempName });
}

export interface LabelsAsRead {
  /** labels.csv's text as the dataset stage read it; null: there was no labels.csv then. */
  text: string | null;
  /** labels.csv is not that file now: edited, pulled or checked out since the dataset stage read it. */
  changed: boolean;
}

/**
 * labels.csv as the dataset stage read it: the file now when it is that one (by md5, as lock.json records it; or
 * lock.json records none, from before it did), else the copy the stage kept, else labels.csv at HEAD when its bytes
 * are those (as committed, or with CRLF line endings as a Windows checkout writes them). Bytes that are not UTF-8 are
 * never the file read (the dataset stage refuses such a file), whatever their md5; a labels.csv that is a symbolic
 * link is refused (LABELS_LINK), as that stage refuses it. LABELS_CHANGED_SINCE_READ when none is: the labels the
 * model learnt are gone from this copy of the repository, and a stage that read labels.csv as it is now would speak
 * of other labels than the model's. Used by every stage after the dataset stage: evaluate, report, promote's
 * annotations and the catalogue.
 */
export async function labelsTextAsRead({ ws }: { ws: Workspace }): Promise<LabelsAsRead> {
  const name = rel(ws, ws.labels);
  await refuseLinkedFile({ file: ws.labels, name });
  const recorded = (await readLock({ file: ws.lock }).catch(() => null))?.stages.dataset?.deps?.paths?.[name];
  const now = await hashPath({ file: ws.labels });
  if (typeof recorded !== 'string' || recorded === now) return { text: await textNow(ws), changed: false };
  if (recorded === 'absent') return { text: null, changed: true };
  const kept = await readFile(labelsReadFile(ws)).catch(() => null);
  const committed = await readBytesAtRef({ dir: ws.root, ref: 'HEAD', filepath: name }).catch(() => null);
  const candidates = [...(kept ? [kept] : []), ...(committed ? asCheckedOut(committed) : [])];
  for (const bytes of candidates) {
    const text = md5(bytes) === recorded ? textOf({ bytes, file: name }) : undefined;
    if (text !== undefined) return { text, changed: true };
  }
  throw new VitrineError(
    'LABELS_CHANGED_SINCE_READ',
    `${name} changed after the dataset stage read it (edited, or a git pull, while the run went on), and the ` +
      `labels that stage read are not kept here, so which labels the model learnt cannot be told. Run "npx vitrine ` +
      `run" again: it reads ${name} as it is now, and trains and reports on that.`,
    { file: name },
  );
}

/** The lines of labelsTextAsRead's text (none when there was no labels.csv), named as labels.csv. */
export async function labelLinesAsRead({ ws }: { ws: Workspace }): Promise<{ lines: LabelLine[]; changed: boolean }> {
  const { text, changed } = await labelsTextAsRead({ ws });
  return { lines: text === null ? [] : parseLabels({ text, file: rel(ws, ws.labels) }), changed };
}

async function textNow(ws: Workspace): Promise<string | null> {
  const bytes = await readFile(ws.labels).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  return bytes === null ? null : decodeText({ bytes, file: rel(ws, ws.labels) });
}

function md5(bytes: Uint8Array): string {
  return createHash('md5').update(bytes).digest('hex');
}

/**
 * A committed file's bytes as a checkout may have written them: as they are, and, for a file with LF line endings
 * and no CR, with CRLF ones (git's core.autocrlf or eol=crlf on Windows converts only such a file).
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
