import type { Catalogue, CatalogueObject } from './schema.ts';

/*
 * Object pages, one per object, are most of a large catalogue. Each page is a pure function of its
 * own props (below), a few collection-wide values its footer shows and the site's sources; so a page
 * whose key (a hash of all that) was built before is reused, and Astro renders only the others.
 * Pure functions over plain data, shared with the site (`site/src/lib/catalogue.ts`).
 */

/** What a result card needs, and nothing more (keeps listing pages' props small). */
export interface Card {
  slug: string;
  title: string;
  maker: string;
  date: string;
  alt: string;
  /** Smallest derivative, or null when there is no image. */
  thumb: { webp: string; jpeg: string; width: number; height: number } | null;
  /** A second line, e.g. "Model says mask (62%)". */
  note?: string;
}

export function cardOf(o: CatalogueObject, note?: string): Card {
  const t = o.images[0] ?? null;
  return {
    slug: o.slug,
    title: o.title,
    maker: o.maker,
    date: o.date,
    alt: o.alt,
    thumb: t ? { webp: t.webp, jpeg: t.jpeg, width: t.width, height: t.height } : null,
    note,
  };
}

/** Everything an object page is given. */
export interface ObjectPageProps {
  object: CatalogueObject;
  hasCard: boolean;
  similar: Card[];
}

/** Each object page's props, in the catalogue's order. */
export function objectPageProps(catalogue: Catalogue): ObjectPageProps[] {
  const carded = new Set(catalogue.models.map((m) => m.version));
  const byId = new Map(catalogue.objects.map((o) => [o.id, o]));
  return catalogue.objects.map((object) => ({
    object,
    hasCard: object.annotation ? carded.has(object.annotation.modelVersion) : false,
    similar: object.similar.flatMap((id) => (byId.has(id) ? [cardOf(byId.get(id)!)] : [])),
  }));
}

/**
 * The collection-wide values every page shows (the layout's title and footer count). No build day:
 * it would make the first build of each day render every object page again (the data page has it).
 */
export function pageGlobals(catalogue: Catalogue): Record<string, unknown> {
  return {
    title: catalogue.title,
    collection: catalogue.collection,
    objects: catalogue.counts.objects,
  };
}

/** One entry of the render plan: the page's address and where its props are. */
export interface PlannedPage {
  slug: string;
  chunk: number;
  index: number;
}

/** The object pages Astro is to render: props in chunk files of `chunkSize` pages, read one at a time. */
export interface RenderPlan {
  chunks: string[];
  pages: PlannedPage[];
}
