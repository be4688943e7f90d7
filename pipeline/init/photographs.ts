import { rightsGroup } from '../catalogue/image-rules.ts';
import { fieldText } from '../catalogue/plain-text.ts';
import { rightsOf } from '../catalogue/rights.ts';
import { defaultParams, type Params } from '../params.ts';

/*
 * What init says of the photographs (D16, an outside tester, a small university gallery): they go on the public web
 * with the catalogue, and nothing said so. The line names how many rows the rights column reads as in copyright or as
 * not known, what catalogue.images (params.yaml) does with them, and how to show a photograph small or not at all.
 */

const RULE_WORDS: Record<'full' | 'thumbnail' | 'none', string> = {
  full: 'shown in full',
  thumbnail: 'shown small only',
  none: 'not shown',
};

const count = (n: number, one: string, many: string) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

/** The lines for the terminal about publishing the photographs, under init's column mapping. */
export function describePhotographs({
  rows,
  column,
  rules = defaultParams().catalogue.images,
}: {
  rows: { cells: Record<string, string> }[];
  /** The export's rights column, "" when none is mapped. */
  column: string;
  /** catalogue.images; the defaults, as init writes no such key. */
  rules?: Params['catalogue']['images'];
}): string {
  const how =
    'To show a photograph small or not at all, set catalogue.images in params.yaml ' +
    '(docs/catalogue.md, "Photographs and copyright").';
  const head =
    'Photographs: the public catalogue publishes each object’s photograph (thumbnails, large pictures, deep zoom, ' +
    `IIIF), but as catalogue.images in params.yaml says: works in copyright are ${RULE_WORDS[rules.in_copyright]}` +
    `${rules.in_copyright === 'thumbnail' ? ` (at most ${rules.thumbnail_max} pixels)` : ''}, ` +
    `works whose rights are not known are ${RULE_WORDS[rules.unknown]}.`;
  if (!column)
    return (
      `${head}\n  No rights column is mapped, so every photograph counts as of unknown rights ` +
      `(${RULE_WORDS[rules.unknown]}): map one with --column rights=<column>. ${how}`
    );
  let inCopyright = 0;
  let unknown = 0;
  const filled = rows.filter((r) => Object.values(r.cells).some((v) => v.trim()));
  for (const r of filled) {
    // As the catalogue reads the cell: entities and markup decoded ("&copy; The Artist" is ©).
    const group = rightsGroup(rightsOf(fieldText(r.cells[column] ?? '')));
    if (group === 'in_copyright') inCopyright++;
    else if (group === 'unknown') unknown++;
  }
  return (
    `${head}\n  In "${column}": ${count(inCopyright, 'row is', 'rows are')} in copyright ` +
    `(${RULE_WORDS[rules.in_copyright]}), ${count(unknown, 'row has', 'rows have')} rights not recorded or not ` +
    `recognised (${RULE_WORDS[rules.unknown]}), of ${count(filled.length, 'row', 'rows')}. ${how}`
  );
}
