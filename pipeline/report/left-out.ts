import type { DatasetObject, LeftOut, Metrics, ModelInfo } from '../types.ts';
import { attribute, code, link, safeUrl, shorten, table, text } from './markdown.ts';
import type { CatalogueLinks } from './mislabelled.ts';

/*
 * Objects whose image the backbone gave no usable numbers for are left out of training and of the
 * scores (pipeline/model/left-out.ts). The run log names them, but staff read the pull request: the
 * report says it there, with what to do, next to the scores the objects are missing from.
 */

/** Objects named in the report; the rest are counted. */
const SHOWN = 20;

/** The objects left out by evaluate (metrics.json) and train (model-info.json), as one list. */
export function leftOutObjects({
  metrics,
  model,
}: {
  metrics: Pick<Metrics, 'leftOut'>;
  model: Pick<ModelInfo, 'leftOut'> | null;
}): { objects: number; ids: string[]; exact: boolean; where: string[] } | null {
  const stages = [
    { leftOut: metrics.leftOut, where: 'the scores' },
    { leftOut: model?.leftOut, where: 'training' },
  ].filter((s): s is { leftOut: LeftOut; where: string } => (s.leftOut?.objects ?? 0) > 0);
  if (stages.length === 0) return null;
  const union = [...new Set(stages.flatMap((s) => s.leftOut.ids))];
  // The report names as many as one file does.
  const ids = union.slice(0, SHOWN);
  const where = stages.map((s) => s.where);
  if (stages.length === 1) return { objects: stages[0]!.leftOut.objects, ids, exact: true, where };
  // Each file names at most 20: with every one named the union is exact, else at least the larger count.
  const whole = stages.every((s) => s.leftOut.ids.length >= s.leftOut.objects);
  const objects = whole ? union.length : Math.max(union.length, ...stages.map((s) => s.leftOut.objects));
  return { objects, ids, exact: whole, where };
}

/**
 * "2 objects were left out: the model could not read their images (DM-0001, DM-0009). …" with each
 * object's image file, linked to the catalogue (a table of thumbnails when it has them). '' when none.
 */
export function leftOutSection({
  metrics,
  model,
  objectOf,
  links,
}: {
  metrics: Pick<Metrics, 'leftOut'>;
  model: Pick<ModelInfo, 'leftOut'> | null;
  objectOf: (id: string) => Pick<DatasetObject, 'title' | 'image'> | undefined;
  links: CatalogueLinks;
}): string {
  const left = leftOutObjects({ metrics, model });
  if (!left) return '';
  const one = left.objects === 1;
  const name = (id: string) => {
    const { pageUrl } = links(id);
    const image = objectOf(id)?.image;
    return `${pageUrl ? link(id, pageUrl) : text(id)}${image ? ` (${code(`data/${image}`)})` : ''}`;
  };
  const more = left.objects - left.ids.length;
  const rest = more > 0 ? ` and ${left.exact ? '' : 'at least '}${more} more` : '';
  // With thumbnails the objects are a table below the sentence; without, the sentence names them.
  const pictured = left.ids.some((id) => links(id).thumbnailUrl);
  const named = pictured
    ? `listed below${more > 0 ? `: the first ${left.ids.length}` : ''}`
    : `${left.ids.map(name).join(', ')}${rest}`;
  const count = `${left.exact ? '' : 'At least '}${left.objects} ${one ? 'object was' : 'objects were'}`;
  const counts =
    left.where.length === 1
      ? `${one ? 'It does' : 'They do'} not count in ${left.where[0]}.`
      : `${one ? 'It counts' : 'They count'} in neither ${left.where.join(' nor ')}.`;
  const them = one ? 'it' : 'them';
  const sentence =
    `⚠️ ${count} left out: the model could not read ${one ? 'its image' : 'their images'} (${named}). ${counts} ` +
    `Open ${one ? 'that image' : 'those images'}, save ${them} again or replace ${them}; the next run takes ${them} in.`;
  if (!pictured) return sentence;
  const rows = left.ids.map((id) => {
    const { thumbnailUrl, pageUrl } = links(id);
    const src = thumbnailUrl ? safeUrl(thumbnailUrl) : null;
    const title = shorten(objectOf(id)?.title ?? '');
    const image = objectOf(id)?.image;
    return [
      src ? `<img src="${attribute(src)}" alt="${attribute(title || id)}" width="64">` : '',
      pageUrl ? link(id, pageUrl) : text(id),
      text(title),
      image ? code(`data/${image}`) : '',
    ];
  });
  return `${sentence}\n\n${table({ header: ['', 'Object', 'Title', 'Image file'], rows })}`;
}
