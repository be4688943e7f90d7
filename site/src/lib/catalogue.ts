import { readFile } from 'node:fs/promises';
import { type Catalogue, type CatalogueObject, catalogueSchema } from '../../../pipeline/catalogue/schema.ts';

/*
 * The one place the site reads data: the catalogue file named by VITRINE_CATALOGUE, validated by
 * the schema the pipeline wrote it with. Read once per build; pages receive only what they show.
 */
let loaded: Promise<Catalogue> | null = null;

/** The validated catalogue (cached for the build). */
export function loadCatalogue(): Promise<Catalogue> {
  loaded ??= (async () => {
    const file = process.env.VITRINE_CATALOGUE;
    if (!file)
      throw new Error(
        'VITRINE_CATALOGUE is not set: build the site with `vitrine run` (or set it to a catalogue.json)',
      );
    const parsed = catalogueSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
    if (!parsed.success)
      throw new Error(
        `${file} does not match the catalogue schema: ${parsed.error.issues
          .slice(0, 3)
          .map((i) => `${i.path.join('.')}: ${i.message}`)
          .join('; ')}`,
      );
    return parsed.data;
  })();
  return loaded;
}

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

/** A site-relative path under the base URL. */
export function href(path: string): string {
  const base = import.meta.env.BASE_URL.endsWith('/') ? import.meta.env.BASE_URL : `${import.meta.env.BASE_URL}/`;
  return `${base}${path.replace(/^\/+/, '')}`;
}

/** "0.8123" → "81%". */
export function percent(x: number, digits = 0): string {
  return `${(x * 100).toFixed(digits)}%`;
}

/** A slug for a filter value or family name in URLs. */
export function slugify(value: string): string {
  return (
    value
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'none'
  );
}

/** A year range in words: "2030–1650 BCE", "1900–1932", "30 BCE – 395 CE", "1889". */
export function yearsText({ start, end }: { start: number; end: number }): string {
  const one = (y: number) => (y < 0 ? `${-y} BCE` : y < 1000 ? `${y} CE` : String(y));
  if (start === end) return one(start);
  if (start < 0 && end < 0) return `${-start}–${-end} BCE`;
  if (start >= 1000) return `${start}–${end}`;
  if (start >= 0) return `${start}–${end} CE`;
  return `${one(start)} – ${one(end)}`;
}
