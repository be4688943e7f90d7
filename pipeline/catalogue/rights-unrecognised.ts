import { quoted } from '../log.ts';
import { compareIdsNaturally } from '../natural-order.ts';
import type { DatasetObject } from '../types.ts';
import type { ImageRule, Withheld } from './image-rules.ts';
import { fieldText } from './plain-text.ts';
import { rightsOf } from './rights.ts';

/*
 * The rights texts Vitrine does not recognise whose photographs are shown in full (catalogue.images.unknown: full, the
 * default), named with their objects: counted only, a maintainer could not see that "Rights TBC" or "Urheberrecht
 * vorbehalten" is among them (tester T3, F4). Said by `vitrine init`, by every catalogue build and in the pull request's
 * report (task R9). Shown in full by mistake is the museum's legal risk: the texts are named so that one that is not
 * open can be corrected.
 */

/** How many texts are named, the most common first; the rest are counted. */
const TEXTS_NAMED = 5;
/** How many objects are named for each text. */
const IDS_NAMED = 3;

/**
 * What to say of the objects whose rights text is not recognised (`recognised` false, the text not empty) and whose
 * photograph is shown in full: each text once, with its count and its first objects in natural order ("EG-1"), the
 * most common texts first, the rest counted. "" when there are none. `id` is how an object is named: its number, or
 * a line of the export. `noun` is what they are: objects (a catalogue build) or rows (init, which reads an export).
 */
export function unrecognisedShownInFull({
  objects,
  noun = 'object',
}: {
  objects: Iterable<{ id: string; text: string; recognised: boolean; shown: ImageRule }>;
  noun?: 'object' | 'row';
}): string {
  const byText = new Map<string, string[]>();
  let n = 0;
  for (const o of objects) {
    if (o.recognised || o.shown !== 'full' || !o.text.trim()) continue;
    n++;
    const ids = byText.get(o.text);
    if (ids) ids.push(o.id);
    else byText.set(o.text, [o.id]);
  }
  if (n === 0) return '';
  const texts = [...byText].sort((a, b) => b[1].length - a[1].length);
  const named = texts.slice(0, TEXTS_NAMED).map(([text, ids]) => {
    const first = [...ids].sort(compareIdsNaturally).slice(0, IDS_NAMED);
    const more = ids.length > IDS_NAMED ? ` and ${(ids.length - IDS_NAMED).toLocaleString('en')} more` : '';
    return `${quoted(text)} (${ids.length.toLocaleString('en')}: ${first.join(', ')}${more})`;
  });
  const rest = texts.slice(TEXTS_NAMED);
  const restObjects = rest.reduce((sum, [, ids]) => sum + ids.length, 0);
  if (rest.length)
    named.push(
      `${rest.length.toLocaleString('en')} more ${rest.length === 1 ? 'text' : 'texts'} ` +
        `(${restObjects.toLocaleString('en')} ${restObjects === 1 ? noun : `${noun}s`})`,
    );
  const list = named.length > 1 ? `${named.slice(0, -1).join(', ')} and ${named.at(-1)}` : named[0];
  const one = n === 1;
  return (
    `${one ? `1 ${noun} has` : `${n.toLocaleString('en')} ${noun}s have`} a rights text Vitrine does not recognise, ` +
    `and ${one ? 'its photograph is' : 'their photographs are'} shown in full (catalogue.images.unknown: full): ` +
    `${list}. If ${one ? 'it is' : 'they are'} not open, correct the rights field in the export ` +
    '(docs/catalogue.md, "Rights", lists the texts Vitrine reads), or set catalogue.images.unknown to thumbnail or ' +
    'none in params.yaml to show such photographs small or not at all.'
  );
}

/**
 * unrecognisedShownInFull for a dataset's objects (dataset.json), with what the catalogue shows of each photograph
 * (`withheld`: datasetPhotographRules' map, null or absent when shown in full). Only objects with a photograph count:
 * one not photographed shows nothing. Said by each catalogue build and in the pull request's report.
 */
export function datasetUnrecognisedShownInFull({
  objects,
  withheld,
}: {
  objects: readonly Pick<DatasetObject, 'id' | 'rights' | 'image' | 'thumbnails'>[];
  withheld: ReadonlyMap<string, Withheld | null>;
}): string {
  const recognised = new Map<string, boolean>();
  return unrecognisedShownInFull({
    objects: objects
      .filter((o) => o.thumbnails?.length || o.image)
      .map((o) => {
        const text = fieldText(o.rights ?? '');
        let known = recognised.get(text);
        if (known === undefined) recognised.set(text, (known = rightsOf(text).uri !== null));
        return { id: o.id, text, recognised: known, shown: withheld.get(o.id)?.shown ?? 'full' };
      }),
  });
}
