import { slugFor } from '../catalogue/derive.ts';
import type { Dataset, DatasetObject, Metrics } from '../types.ts';
import { attribute, link, num, safeUrl, table, text } from './markdown.ts';

/*
 * The pull-request report's sections that come from cross-validation over every labelled object:
 * objects whose label looks wrong (top 20), and, as they are added, the verdict judged on every
 * labelled object and the estimate on an unseen source. Kept apart from render.ts, which hooks
 * them in where they belong.
 */

/** Thumbnail and page of an object on the published catalogue (null when report.catalogue_url is unset). */
export type CatalogueLinks = (id: string) => { thumbnailUrl: string | null; pageUrl: string | null };

/** "Objects that look mislabelled": the 20 labels most likely wrong, with thumbnails when the catalogue is published. */
export function mislabelledSection({ metrics, links, titleOf }: { metrics: Metrics; links: CatalogueLinks; titleOf: (id: string) => string }): string {
  const m = metrics.mislabelled;
  if (!m) return '';
  const title = '### Objects that look mislabelled';
  if (m.top.length === 0) return `${title}\n\nEach of the ${m.checked} labelled objects was shown to a model trained without it; every one agreed with its label.`;
  const withImages = m.top.some((i) => links(i.id).thumbnailUrl);
  const rows = m.top.map((i) => {
    const { thumbnailUrl, pageUrl } = links(i.id);
    const src = thumbnailUrl ? safeUrl(thumbnailUrl) : null;
    const image = src ? `<img src="${attribute(src)}" alt="${attribute(titleOf(i.id) || i.id)}" width="64">` : '';
    return [
      ...(withImages ? [image] : []),
      pageUrl ? link(i.id, pageUrl) : text(i.id),
      text(titleOf(i.id)),
      text(i.label),
      `${text(i.suggested)} (${Math.round(i.confidence * 100)}% sure)`,
      `${num(i.score, 2)}${i.confident ? ' ⚠️' : ''}`,
    ];
  });
  const header = [...(withImages ? [''] : []), 'Object', 'Title', 'Label', 'The model suggests', 'How likely wrong'];
  const intro =
    `Each of the ${m.checked} labelled objects was shown to a model trained without it (cross-validation). ` +
    `For ${m.candidates} of them it suggests another label; ${m.confident} of those stand out clearly (⚠️, confident learning). ` +
    `The ${Math.min(20, m.top.length)} most likely wrong are below, most likely first: worth a second look, not an automatic change. ` +
    '`npx vitrine review` lists them all.';
  return `${title}\n\n${intro}\n\n${table({ header, rows })}`;
}

/** The sections of this file for renderMarkdown, with catalogue links made the way the report makes them. */
export function reportSections({
  metrics,
  dataset,
  links,
}: {
  metrics: Metrics;
  dataset: Pick<Dataset, 'objects'> | null;
  links: (id: string, slug: string | undefined, object: DatasetObject | undefined) => { thumbnailUrl: string | null; pageUrl: string | null };
}): { afterIntro: string[]; beforeLineage: string[] } {
  const objects = new Map((dataset?.objects ?? []).map((o) => [o.id, o]));
  // The catalogue's page names, made in the same order as the catalogue makes them.
  const taken = new Set<string>();
  const slugOf = new Map((dataset?.objects ?? []).map((o) => [o.id, slugFor({ id: o.id, taken })]));
  const linksOf: CatalogueLinks = (id) => links(id, slugOf.get(id), objects.get(id));
  const titleOf = (id: string) => objects.get(id)?.title ?? '';
  return { afterIntro: [], beforeLineage: [mislabelledSection({ metrics, links: linksOf, titleOf })].filter(Boolean) };
}
