import path from 'node:path';
import { type ImageRule, photographRules, rightsGroup, withheldOf } from '../catalogue/image-rules.ts';
import { fieldText } from '../catalogue/plain-text.ts';
import { rightsOf } from '../catalogue/rights.ts';
import { unrecognisedShownInFull } from '../catalogue/rights-unrecognised.ts';
import { cellNames } from '../collection/import.ts';
import { defaultParams, type Params } from '../params.ts';

/*
 * What init says of the photographs (D16, an outside tester, a small university gallery): they go on the public web
 * with the catalogue, and nothing said so. The line names how many rows the rights column reads as in copyright or as
 * not known, what catalogue.images (params.yaml) does with them, and how to show a photograph small or not at all.
 * The photographs are counted as the catalogue would show them (photographRules): one named by several rows follows
 * the strictest of their rights.
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
  image,
  id = '',
  rules = defaultParams().catalogue.images,
}: {
  rows: { line?: number; cells: Record<string, string> }[];
  /** The export's rights column, "" when none is mapped. */
  column: string;
  /** The export's image column. */
  image: string;
  /** The export's object-number column, which names the rows whose rights text is not recognised; else their line. */
  id?: string;
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
  const read = new Map<string, ReturnType<typeof rightsOf>>();
  const objects: Parameters<typeof photographRules>[0]['objects'] = [];
  // Each photographed row as it names itself to the museum, with its rights text.
  const named: { id: string; text: string }[] = [];
  for (const [i, r] of filled.entries()) {
    // As the catalogue reads the cell: entities and markup decoded ("&copy; The Artist" is ©).
    const text = fieldText(r.cells[column] ?? '');
    let rights = read.get(text);
    if (!rights) read.set(text, (rights = rightsOf(text)));
    const group = rightsGroup(rights);
    if (group === 'in_copyright') inCopyright++;
    else if (group === 'unknown') unknown++;
    const photograph = photographKey(r.cells[image] ?? '');
    if (photograph) {
      objects.push({ id: String(i), rights, photograph: [photograph] });
      named.push({ id: (id && r.cells[id]?.trim()) || `line ${r.line ?? i + 2}`, text });
    }
  }
  const { withheld } = photographRules({ objects, rules });
  // The texts not recognised whose photographs would be shown in full, named (tester T3, F4): counted only, the
  // maintainer could not see that "Rights TBC" was among them.
  const unrecognised = unrecognisedShownInFull({
    noun: 'row',
    objects: objects.map((o, k) => ({
      ...named[k]!,
      recognised: o.rights.uri !== null,
      shown: withheld.get(o.id)?.shown ?? 'full',
    })),
  });
  return (
    `${head}\n  In "${column}": ${count(inCopyright, 'row is', 'rows are')} in copyright, ` +
    `${count(unknown, 'row has', 'rows have')} rights not recorded or not recognised, of ` +
    `${count(filled.length, 'row', 'rows')}.${shownWords({ objects, withheld, rules })} ${how}` +
    (unrecognised ? `\n  ${unrecognised}` : '')
  );
}

/**
 * How the catalogue would show the rows' photographs, counted per photograph (a file several rows name is one), by
 * the catalogue's own rule: the strictest rights of the rows that name it (photographRules). "" when none is named.
 */
function shownWords({
  objects,
  withheld,
  rules,
}: {
  objects: Parameters<typeof photographRules>[0]['objects'];
  /** photographRules's answer for them. */
  withheld: ReturnType<typeof photographRules>['withheld'];
  rules: Params['catalogue']['images'];
}): string {
  if (objects.length === 0) return '';
  const shownOf = new Map<string, ImageRule>();
  let stricter = 0;
  for (const o of objects) {
    const shown = withheld.get(o.id)?.shown ?? 'full';
    shownOf.set(o.photograph[0]!, shown);
    if (shown !== (withheldOf({ rights: o.rights, rules })?.shown ?? 'full')) stricter++;
  }
  const counts = (['thumbnail', 'none', 'full'] as const)
    .map((rule) => ({ rule, n: [...shownOf.values()].filter((s) => s === rule).length }))
    .filter((c) => c.n > 0)
    .map((c) => `${c.n.toLocaleString('en')} ${RULE_WORDS[c.rule]}`);
  return (
    ` As the catalogue would show their ${count(shownOf.size, 'photograph', 'photographs')}: ${counts.join(', ')}.` +
    (stricter
      ? ` ${count(stricter, 'row shares its', 'rows share their')} photograph with a row whose rights ask for less to ` +
        'be shown: it is shown as those rights ask.'
      : '')
  );
}

/**
 * What names a row's photograph, as import takes it: the first name of a cell naming several, "/" between folders,
 * capitals and Unicode forms aside (import finds an image whose capitals differ). "" when the row names none.
 */
function photographKey(cell: string): string {
  const name = (cellNames(cell)?.[0] ?? cell.trim()).replace(/\\/g, '/');
  if (!name) return '';
  return `file:${path.posix.normalize(name).replace(/^\.\//, '').normalize('NFC').toLowerCase()}`;
}
