import path from 'node:path';
import { shownName } from '../cli/shown.ts';

/*
 * Files a computer's own system leaves in any folder it shows (macOS Finder's .DS_Store, Windows Explorer's
 * Thumbs.db and desktop.ini), and the lock files office programs leave beside a file they have open: never part of
 * a collection, yet a data/ that holds one is not what data.dvc records.
 * DVC has no rule of its own for them (it records them like any file): a `.dvcignore` line leaves them out for
 * both DVC and Vitrine. What is said names the files and the lines to add.
 */

/** Lower-case names, as Windows compares them; the .dvcignore line is the name as found. */
const SYSTEM_NAMES = new Set(['.ds_store', 'thumbs.db', 'ehthumbs.db', 'desktop.ini', '.directory', '.localized']);

/** The extensions of files an office program locks while open (Excel, Word, LibreOffice, a text editor). */
const OFFICE_EXTENSION = /\.(csv|tsv|txt|xlsx?|xlsm|xlsb|docx?|docm|pptx?|od[stp]|rtf)$/i;

/** The `.dvcignore` line that leaves out a file of this name, or undefined when it is not a system file. */
function ignoreLine(name: string): string | undefined {
  if (SYSTEM_NAMES.has(name.toLowerCase())) return name;
  // macOS keeps a file's extra attributes in "._<name>" beside it on disks that cannot hold them.
  if (name.startsWith('._')) return '._*';
  // The lock file of a file open in Excel or Word ("~$objects.csv"), or in LibreOffice (".~lock.objects.csv#").
  // A photograph named so stays one (reviewer V13): only a document's, spreadsheet's or text's lock file is one.
  if (name.startsWith('~$') && OFFICE_EXTENSION.test(name)) return `~$*${path.posix.extname(name)}`;
  if (/^\.~lock\..+#$/.test(name)) return '.~lock.*#';
  return undefined;
}

/** Of `relpaths` (inside the data folder, forward slashes), those the computer's system made. */
export function systemFiles(relpaths: readonly string[]): string[] {
  return relpaths.filter((relpath) => ignoreLine(path.posix.basename(relpath)) !== undefined);
}

/**
 * What to do about system files in `<target>/` (relpaths inside it), in plain words: delete them, or add the
 * `.dvcignore` lines that leave them out for good. Empty when there are none.
 */
export function systemFilesAdvice({ files, target = 'data' }: { files: readonly string[]; target?: string }): string {
  const found = systemFiles(files);
  if (found.length === 0) return '';
  const shown = found.slice(0, 3).map((f) => shownName(`${target}/${f}`));
  const lines = [...new Set(found.map((f) => ignoreLine(path.posix.basename(f))!))];
  const one = found.length === 1;
  return (
    `${shown.join(', ')}${found.length > 3 ? ` and ${found.length - 3} more` : ''} ${one ? 'is a file' : 'are files'} ` +
    "the computer's system or an office program makes (macOS Finder, Windows Explorer, Excel's lock files), not " +
    'part of the collection. Delete ' +
    `${one ? 'it' : 'them'}, or leave such files out for good: add the line${lines.length === 1 ? '' : 's'} ` +
    `${lines.map((l) => `"${l}"`).join(' and ')} to the file .dvcignore in the repository's top folder (one name a ` +
    'line; DVC reads it too) and commit .dvcignore.'
  );
}
