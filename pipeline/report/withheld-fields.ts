import { isWithheldField } from '../dataset/picture-problems.ts';
import type { DatasetIssue } from '../types.ts';
import { text } from './markdown.ts';

/*
 * A field of data/objects.csv far too long (a text pasted into the cell by mistake) is withheld from the catalogue by
 * the dataset stage (OBJECT_FIELD_TOO_LONG, dataset/validate.ts). A labelled object's is annotated on its line of
 * labels.csv; an unlabelled object's was said only in the run's log and counted in the collapsed stage table, so staff
 * never read that a page lost its title or description. The comment says them once, each named.
 */

/** Fields named in the comment; the rest are counted (dataset.json lists them all). */
const SHOWN = 10;

/**
 * The comment's line: how many fields are withheld, of which objects, each with its line, field, length and how it
 * begins (the dataset stage's words, without its advice), then what to do. '' when none is.
 */
export function withheldFieldsSection({
  issues,
  onMain = false,
}: {
  issues: DatasetIssue[];
  onMain?: boolean;
}): string {
  const withheld = issues.filter(isWithheldField);
  const n = withheld.length;
  if (n === 0) return '';
  const objects = new Set(withheld.map((i) => i.object)).size;
  const lines = withheld.slice(0, SHOWN).map((i) => {
    // "data/objects.csv:40: the description of object "X" is 30,021 characters, … It begins "…". The object stays…"
    const said = i.message.replace(/^[^\n]*?:\d+: /, '').replace(/\s*The object stays in the catalogue[\s\S]*$/, '');
    return `- ${text(i.object ?? '')} (line ${i.line ?? '?'} of ${text(i.file)}): ${text(said)}`;
  });
  const more = n > SHOWN ? [`- …and ${n - SHOWN} more (dataset.json in the run's files lists them all)`] : [];
  const one = n === 1;
  return [
    `⚠️ **${n} ${one ? 'field' : 'fields'} of data/objects.csv ${one ? 'is' : 'are'} far too long, and ` +
      `${one ? 'is' : 'are'} withheld from the public catalogue:** a text pasted into ${one ? 'a cell' : 'cells'} by ` +
      `mistake, most likely. ${objects === 1 ? 'The object keeps its' : `The ${objects} objects keep their`} ` +
      `${objects === 1 ? 'page, photograph and label' : 'pages, photographs and labels'}, without ` +
      `${one ? 'that field' : 'those fields'}; the model does not read ${one ? 'it' : 'them'}.`,
    '',
    ...lines,
    ...more,
    '',
    'To fix: correct each in the collections system and import again (or in data/objects.csv, then run ' +
      `\`npx vitrine data add\`), and commit the changed data.dvc ${onMain ? 'in a new pull request' : 'to this pull request'}.`,
  ].join('\n');
}
