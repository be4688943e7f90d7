import { readFile } from 'node:fs/promises';
import { LABEL_COLUMNS, parseCsv, parseLabels } from '../collection/index.ts';
import { refuseLinkedFile } from '../dataset/linked-file.ts';
import { writeFileAtomic } from '../fs.ts';
import type { Params } from '../params.ts';
import type { Workspace } from '../paths.ts';
import { planDemo } from './generate.ts';

/*
 * `vitrine demo --fix-labels` plays a member of staff correcting labels. The labels.csv it edits may have
 * been edited by people too (a note column, Excel's byte-order mark and CRLF line ends, quoted cells):
 * only the label cells of the rows it corrects change; every other byte stays as it was.
 */

/**
 * Correct the demo's deliberately wrong labels in `labels.csv`, cell by cell. Returns the object ids whose
 * label changed (a row already corrected by hand, or emptied, is left alone).
 */
export async function fixDemoLabels({ ws, params }: { ws: Workspace; params: Params }): Promise<{ fixed: string[] }> {
  const truth = new Map(
    planDemo({ demo: params.demo })
      .filter((i) => i.label !== null && i.label !== i.type)
      .map((i) => [i.object.id, i.type] as const),
  );
  await refuseLinkedFile({ file: ws.labels, name: 'labels.csv' });
  const text = await readFile(ws.labels, 'utf8');
  const { text: corrected, changed } = setLabelCells({ text, file: 'labels.csv', labels: truth });
  if (corrected !== text) await writeFileAtomic({ file: ws.labels, data: corrected });
  return { fixed: changed };
}

/**
 * `text` (a labels file) with the label cell of each row whose object id is in `labels` set to that label,
 * when it holds another one. The collection's own reader checks the file and tells where each label cell
 * stands, so nothing else moves. A quoted cell stays quoted.
 */
export function setLabelCells({
  text,
  file,
  labels,
}: {
  text: string;
  file: string;
  labels: ReadonlyMap<string, string>;
}): { text: string; changed: string[] } {
  // Refuses a file that is not a labels file (header, merge conflict, malformed CSV) with its own message.
  parseLabels({ text, file });
  const edits: { start: number; end: number; cell: string }[] = [];
  const changed: string[] = [];
  for (const { cells, spans } of parseCsv({ text, file, spans: true, required: LABEL_COLUMNS }).rows) {
    const id = cells.object_id ?? '';
    const span = spans?.label;
    const label = labels.get(id);
    if (!span || label === undefined) continue;
    const current = cells.label ?? '';
    if (!current || current === label) continue;
    const quoted = text.slice(span.start, span.end).trim().startsWith('"') || /[",\r\n]|^\s|\s$/.test(label);
    edits.push({ ...span, cell: quoted ? `"${label.replaceAll('"', '""')}"` : label });
    changed.push(id);
  }
  let out = text;
  for (const edit of edits.reverse()) out = out.slice(0, edit.start) + edit.cell + out.slice(edit.end);
  return { text: out, changed };
}
