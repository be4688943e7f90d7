import { readFile } from 'node:fs/promises';
import {
  type CardList,
  LISTING_PAGE_SIZE,
  listingFile,
  type ObjectPageProps,
  objectPageProps,
  type PlannedPage,
  type RenderPlan,
} from '../../../pipeline/catalogue/pages.ts';
import { type Catalogue, catalogueObjectSchema, catalogueSchema } from '../../../pipeline/catalogue/schema.ts';
import { withoutGuess } from './no-prediction.ts';

export {
  allObjectsList,
  type Card,
  cardOf,
  familyLists,
  groupAlike,
  percent,
  percentApart,
  photographAlike,
  type ReviewProps,
  reviewList,
  reviewSummary,
  slugify,
  stageWords,
  swatchLists,
} from '../../../pipeline/catalogue/pages.ts';
export { noPrediction } from './no-prediction.ts';

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
    return checked(file, JSON.parse(await readFile(file, 'utf8')) as Catalogue);
  })();
  return loaded;
}

/**
 * The catalogue checked against its schema, object by object, each object replaced by its checked copy
 * as it goes: the schema's copy of a whole catalogue held it twice (hundreds of MB at 100,000 objects).
 */
function checked(file: string, catalogue: Catalogue): Catalogue {
  const fail = (issues: { path: PropertyKey[]; message: string }[]) =>
    new Error(
      `${file} does not match the catalogue schema: ${issues
        .slice(0, 3)
        .map((i) => `${i.path.join('.')}: ${i.message}`)
        .join('; ')}`,
    );
  const { objects } = catalogue;
  if (!Array.isArray(objects)) {
    const whole = catalogueSchema.safeParse(catalogue);
    if (!whole.success) throw fail(whole.error.issues);
    return whole.data;
  }
  const rest = catalogueSchema.safeParse({ ...catalogue, objects: [] });
  const issues = rest.success ? [] : [...rest.error.issues];
  for (let i = 0; i < objects.length && issues.length < 3; i++) {
    const one = catalogueObjectSchema.safeParse(objects[i]);
    if (one.success) objects[i] = one.data;
    else issues.push(...one.error.issues.map((issue) => ({ ...issue, path: ['objects', i, ...issue.path] })));
  }
  if (issues.length > 0 || !rest.success) throw fail(issues);
  return { ...rest.data, objects };
}

/** The render plan, and the chunk of object pages' props being rendered (read once each). */
let plan: Promise<RenderPlan> | null = null;
let chunkRead: { file: string; pages: Promise<ObjectPageProps[]> } | null = null;

/**
 * The object pages to render: those of the plan named by VITRINE_OBJECT_PAGES (the pipeline leaves
 * out the pages it kept from an earlier build), else every object (e.g. under `astro dev`).
 */
export async function objectPages(): Promise<PlannedPage[]> {
  const file = process.env.VITRINE_OBJECT_PAGES;
  if (file) return (await readPlan(file)).pages;
  const all = objectPageProps(await loadCatalogue());
  chunkRead = { file: '', pages: Promise.resolve(all) };
  return all.map((p, index) => ({ slug: p.object.slug, chunk: -1, index }));
}

function readPlan(file: string): Promise<RenderPlan> {
  plan ??= readFile(file, 'utf8').then((text) => JSON.parse(text) as RenderPlan);
  return plan;
}

/** The props of one planned object page. Pages render in plan order, so one chunk is held at a time. */
export async function objectPage({ chunk, index }: { chunk: number; index: number }): Promise<ObjectPageProps> {
  const file = process.env.VITRINE_OBJECT_PAGES;
  if (file && chunk >= 0) {
    const chunkFile = (await readPlan(file)).chunks[chunk]!;
    if (chunkRead?.file !== chunkFile)
      chunkRead = {
        file: chunkFile,
        pages: readFile(chunkFile, 'utf8').then((text) => JSON.parse(text) as ObjectPageProps[]),
      };
  }
  const page = (await chunkRead?.pages)?.[index];
  if (!page) throw new Error(`Object page ${chunk}/${index} is not in the render plan`);
  return page;
}

/** Cards a listing page shows: the render plan's number (the pipeline keyed the pages with it), else the default. */
export async function listingPageSize(): Promise<number> {
  const file = process.env.VITRINE_OBJECT_PAGES;
  return (file && (await readPlan(file)).listings?.pageSize) || LISTING_PAGE_SIZE;
}

/**
 * The paths of `list`'s pages (Astro's `paginate`) to render: those the render plan names (the pipeline
 * kept the others from an earlier build, by a key over what they show), else every page.
 */
export async function plannedListing<T extends { props: { page: { currentPage: number } } }>(
  list: CardList,
  paths: T[],
): Promise<T[]> {
  const file = process.env.VITRINE_OBJECT_PAGES;
  const listings = file ? (await readPlan(file)).listings : undefined;
  if (!listings) return paths;
  rendering ??= new Set(listings.render);
  const wanted = rendering;
  return paths.filter((p) => wanted.has(listingFile(list.folder, p.props.page.currentPage)));
}
let rendering: Set<string> | null = null;

/**
 * A listing page's title: "Colour: red, page 2 of 5" (a list of one page: the title alone). Every page's title is
 * its own: the pages of a list once shared one.
 */
export function listTitle(title: string, page: { currentPage: number; lastPage: number }): string {
  return page.lastPage > 1 ? `${title}, page ${page.currentPage} of ${page.lastPage}` : title;
}

/** What a listing page's description says of the page after its list's: " Page 2 of 5." (one page: nothing). */
export function listPageWords(page: { currentPage: number; lastPage: number }): string {
  return page.lastPage > 1 ? ` Page ${page.currentPage} of ${page.lastPage}.` : '';
}

/** "1 object", "106 objects". */
export function objectCount(n: number): string {
  return `${n.toLocaleString('en')} ${n === 1 ? 'object' : 'objects'}`;
}

/** A site-relative path under the base URL. */
export function href(path: string): string {
  const base = import.meta.env.BASE_URL.endsWith('/') ? import.meta.env.BASE_URL : `${import.meta.env.BASE_URL}/`;
  return `${base}${path.replace(/^\/+/, '')}`;
}

/**
 * An object's value under the "Predicted type (model)" filter: its published guess, else why it is held back, as its
 * page says it, so the facet's counts add up to the collection (not-sure guesses had no value of their own).
 */
export function predictedFilter(
  annotation:
    | {
        label: string;
        published: boolean;
        unfamiliar?: true;
        noThreshold?: true;
        outsideVocabulary?: true;
        retiredType?: true;
      }
    | null
    | undefined,
  /** The object: a picture given to many objects has no guess, for its own reason (no-prediction.ts). */
  object?: { standIn: { objects: number } | null },
): string {
  if (!annotation) return withoutGuess(object);
  if (annotation.published) return annotation.label;
  // Staff gave a type the model does not know: its guess is only its nearest type, not a value of this filter.
  if (annotation.outsideVocabulary) return 'Not published: staff gave a type of their own';
  // A type renamed or removed since the model was trained: not one the museum uses, so not a value of this filter.
  if (annotation.retiredType) return 'Not published: a type no longer used';
  if (annotation.unfamiliar) return 'Photograph unlike those the model learned from: waiting for staff';
  // Not "Not published: waiting for staff" beside "Not sure: waiting for staff": an outside tester could not tell
  // the two apart. This one is no guess's doubt: the museum publishes none of this model's guesses of the type.
  return annotation.noThreshold ? 'Not published: model not yet reliable on this type' : 'Not sure: waiting for staff';
}

/**
 * A kept export column's name as a heading the public reads: "source_url" → "Source url". Exports name
 * columns in lower case with underscores; the page keeps the name itself beside it (title attribute).
 */
export function columnLabel(name: string): string {
  const words = name.replace(/_+/g, ' ').replace(/\s+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
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
