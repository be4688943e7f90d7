import { compareIdsNaturally } from '../natural-order.ts';
import { stagesSentence } from '../registry/words.ts';
import { percentApart } from '../report/markdown.ts';
import { LABEL_ISSUE_MIN } from '../review/label-issue.ts';
import { alikeBand, alikeGroupWords } from '../review/look-alike.ts';
import type { Catalogue, CatalogueObject } from './schema.ts';
import { shownTitle } from './shown-title.ts';

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
  /** The object number: folios of one manuscript share a title, their numbers tell their cards apart. */
  number: string;
  maker: string;
  date: string;
  alt: string;
  /** Smallest derivative, or null when there is no image. */
  thumb: { webp: string; jpeg: string; width: number; height: number } | null;
  /** A second line, e.g. "Model says mask (62%)". */
  note?: string;
  /**
   * The photograph is not shown because of its rights (catalogue.images: none), or because its rights text says not to
   * publish it ('not-for-publication'): the card says so.
   */
  withheld?: true | 'not-for-publication';
}

export function cardOf(o: CatalogueObject, note?: string): Card {
  const t = o.images[0] ?? null;
  return {
    slug: o.slug,
    // Cut at a word: a card names the object, its page gives the whole title (shown-title.ts).
    title: shownTitle(o.title),
    number: o.id,
    maker: o.maker,
    date: o.date,
    alt: o.alt,
    thumb: t ? { webp: t.webp, jpeg: t.jpeg, width: t.width, height: t.height } : null,
    note,
    ...(o.withheld?.shown === 'none' && {
      withheld: o.withheld.reason === 'not-for-publication' ? ('not-for-publication' as const) : (true as const),
    }),
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
  const out: ObjectPageProps[] = [];
  eachObjectPageProps(catalogue, (p) => out.push(p));
  return out;
}

/** `objectPageProps`, each page's props handed to `each` as they are made rather than kept in a list. */
export function eachObjectPageProps(catalogue: Catalogue, each: (props: ObjectPageProps, index: number) => void): void {
  const carded = new Set(catalogue.models.map((m) => m.version));
  const byId = new Map(catalogue.objects.map((o) => [o.id, o]));
  catalogue.objects.forEach((object, index) =>
    each(
      {
        object,
        hasCard: object.annotation ? carded.has(object.annotation.modelVersion) : false,
        similar: similarCards(object, (id) => {
          const alike = byId.get(id);
          return alike ? cardOf(alike) : null;
        }),
      },
      index,
    ),
  );
}

/**
 * The "More like this" cards of `object`, from the cards of its look-alikes (`cardOfId`: null for an id no object has).
 * A photograph its rights text says not to publish ("Do not publish online", "Secret/sacred") is not shown through
 * others either: its page lists no look-alikes (their pictures show what it looks like), and no page lists it as one
 * (a public tester). One held back for copyright is: how a work looks is not what its copyright protects.
 */
export function similarCards(object: CatalogueObject, cardOfId: (id: string) => Card | null): Card[] {
  if (object.withheld?.reason === 'not-for-publication') return [];
  return object.similar.flatMap((id) => {
    const card = cardOfId(id);
    return card && card.withheld !== 'not-for-publication' ? [card] : [];
  });
}

/**
 * `JSON.stringify(props)` made from its object's JSON, `objectText` (`JSON.stringify(props.object)`),
 * which the catalogue data step has in hand as the bytes it wrote.
 */
export function objectPagePropsText(props: ObjectPageProps, objectText: string): string {
  return `{"object":${objectText},"hasCard":${JSON.stringify(props.hasCard)},"similar":${JSON.stringify(props.similar)}}`;
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
    // The menu's "Review queue" (catalogue.review_queue: 0 leaves it out); only then, so other sites' keys stay.
    ...(catalogue.reviewQueuePublic === false ? { reviewQueuePublic: false } : {}),
    // Every page's lang (catalogue.language); only when not English, so other sites' keys stay.
    ...(catalogue.language && catalogue.language !== 'en' ? { language: catalogue.language } : {}),
  };
}

/** One entry of the render plan: the page's address and where its props are. */
export interface PlannedPage {
  slug: string;
  chunk: number;
  index: number;
}

/**
 * The object pages Astro is to render: props in chunk files of `chunkSize` pages, read one at a time;
 * and the listing pages it is to render (by file), with their number of cards a page.
 */
export interface RenderPlan {
  chunks: string[];
  pages: PlannedPage[];
  listings?: { pageSize: number; render: string[] };
}

/*
 * Listing pages (every object, the review queue, a colour family, a swatch: 8,000 pages at 100,000
 * objects) show cards page by page. A page is a pure function of its cards, its number, the number
 * of pages and cards of its list (the pager), its list's own props, the collection-wide values and
 * the site's sources; so it is kept by a key over all that, as object pages are. The lists are made
 * here, once for the pages' keys (plan.ts) and once by the site's routes, from the same catalogue.
 */

/** Cards a listing page shows. */
export const LISTING_PAGE_SIZE = 48;

/** A list of cards shown page by page in `folder` of the site (`all/`, `colours/red/`…). */
export interface CardList<P extends Record<string, unknown> = Record<string, unknown>> {
  folder: string;
  /** The route's parameters besides the page number. */
  params: Record<string, string>;
  /** What every page of the list shows besides its cards. */
  props: P;
  cards: Card[];
}

/** Every object, in the catalogue's order (`all/`). */
export function allObjectsList(catalogue: Catalogue): CardList<Record<string, never>> {
  // In the natural order of numbers (A.2023.1.2-a before A.2023.1.10-a), as the public pages through them.
  const objects = [...catalogue.objects].sort((a, b) => compareIdsNaturally(a.id, b.id));
  return { folder: 'all/', params: {}, props: {}, cards: objects.map((o) => cardOf(o)) };
}

/** Why an object is in the review queue, as its card says it: one reason, said once. */
export type ReviewKind =
  | 'photo'
  | 'staff-label'
  | 'label'
  | 'disagrees'
  | 'not-sure'
  | 'not-published'
  | 'unfamiliar'
  | 'least-confident';

/**
 * Where a model version is used, as its page's first line says it: "In production: its predictions are the ones
 * shown on object pages." (a tester read "Stage: prod"). Stage names other than prod and staging are the museum's own.
 */
export function stageWords(stages: string[], current: boolean): string {
  const shown = current ? ': its predictions are the ones shown on object pages.' : '.';
  if (stages.includes('prod')) return `In production${shown}`;
  // Staging said what it is for, right after it: the public does not know the word.
  const named = stagesSentence(stages).replace(/\bin staging\b/i, (s) => `${s} (being tried before production)`);
  if (stages.length) return `${named}${shown}`;
  return current ? 'Its predictions are the ones shown on object pages.' : 'Not in production.';
}

/**
 * A label the catalogue says "may be wrong" of, rather than "is worth a second look": the check of every label
 * flagged it, and the model shown does not agree with it. An outside tester: a curator's label for a marble statue
 * was "may be wrong" beside "Agrees with the staff label" on its page (the model shown learnt that very label).
 */
export function labelDoubted(a: { agrees?: boolean | null; labelIssue?: { flagged?: boolean } | null }): boolean {
  return a.labelIssue?.flagged !== false && a.agrees !== true;
}

/** A label issue the catalogue questions: flagged by the check of every label, or scored at LABEL_ISSUE_MIN or more. */
export function labelMayBeWrong(issue: { flagged: boolean; score: number } | null | undefined): boolean {
  return !!issue && (issue.flagged || issue.score >= LABEL_ISSUE_MIN);
}

/** The kind of reason an object is in the review queue for (null: not in it). */
export function reviewKind(o: CatalogueObject): ReviewKind | null {
  if (o.needsReview && o.reviewReason === 'photo-unusable') return 'photo';
  if (o.needsReview && o.reviewReason === 'staff-label') return 'staff-label';
  if (!o.needsReview || !o.annotation) return null;
  if (o.reviewReason === 'label-issue') return 'label';
  if (o.reviewReason === 'disagrees') return 'disagrees';
  if (o.reviewReason === 'waiting') return heldBackKind(o.annotation);
  return 'least-confident';
}

/** Why a guess is held back for staff, as the Predicted type filter tells them apart (predictedFilter). */
function heldBackKind(a: { unfamiliar?: true; noThreshold?: true }): ReviewKind {
  return a.unfamiliar ? 'unfamiliar' : a.noThreshold ? 'not-published' : 'not-sure';
}

const plural = (n: number, one: string, many: string) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

/**
 * What the review queue holds, in words the home page and the review queue both give: "45 objects to review: 21 staff
 * labels that may be wrong, 7 of the 12 guesses not sure enough to publish, …". Made from the queue's own cards, with
 * the collection's total of a kind when the queue holds fewer (its limit, or an object counted under another reason):
 * the Predicted type filter's counts are those totals, and so is the evaluate stage's count of labels that may be wrong
 * (the summary's "may be wrong" and "worth a second look" together) once its model is in production (on a branch,
 * the catalogue shows production's judgement, evaluate the branch's).
 */
export function reviewSummary(catalogue: Catalogue): string {
  return reviewTally(catalogue).summary;
}

/** The summary, and whether it gives a total the queue holds fewer of (its page then says why). */
export function reviewTally(catalogue: Catalogue): { summary: string; partial: boolean } {
  // A label the check questions is one that "may be wrong", or (the model shown agrees with it: labelDoubted) one
  // "worth a second look", as its card and page say: counted apart, in those words.
  type Tally = ReviewKind | 'second-look';
  const labelKind = (a: CatalogueObject['annotation']): Tally => (a && !labelDoubted(a) ? 'second-look' : 'label');
  const counts = new Map<Tally, number>();
  // Of the kinds an object's own page and the Predicted type filter also show, how many the collection holds in
  // all: the queue keeps at most catalogue.review_queue of them and counts an object once, under its first reason.
  const inAll = new Map<Tally, number>();
  let total = 0;
  for (const o of catalogue.objects) {
    const reason = reviewKind(o);
    const a = o.annotation;
    const kind: Tally | null = reason === 'label' ? labelKind(a) : reason;
    const eligible = a && !o.photoProblem && !o.labelMeant && !o.labelLinesDisagree;
    // A guess held back whose label may be wrong is in the queue as a label, and in the filter as held back.
    const also: Tally[] = !a
      ? []
      : [
          ...(eligible && labelMayBeWrong(a.labelIssue) ? [labelKind(a)] : []),
          // Held back for a staff type outside the vocabulary: no one's to review (data.ts heldForOutside).
          // Nor a guess of a type the vocabulary no longer has (retired-type.ts).
          ...(a.published || a.outsideVocabulary || a.retiredType ? [] : [heldBackKind(a)]),
        ];
    for (const k of also) inAll.set(k, (inAll.get(k) ?? 0) + 1);
    if (!kind) continue;
    total++;
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  const n = (kind: Tally) => counts.get(kind) ?? 0;
  // "2 of the 3 staff labels that may be wrong" when the collection has more of that kind than the queue shows.
  let partial = false;
  // Said whenever the collection has some, even none of them in the queue (its limit: "0 of the 13 …").
  const some = (kind: Tally, one: string, many: string) => {
    const all = Math.max(inAll.get(kind) ?? 0, n(kind));
    if (all === n(kind)) return n(kind) > 0 && plural(n(kind), one, many);
    partial = true;
    return `${n(kind).toLocaleString('en')} of the ${plural(all, one, many)}`;
  };
  const parts = [
    n('photo') && plural(n('photo'), 'photograph that cannot be used', 'photographs that cannot be used'),
    n('staff-label') && plural(n('staff-label'), 'staff label to correct', 'staff labels to correct'),
    some('label', 'staff label that may be wrong', 'staff labels that may be wrong'),
    some('second-look', 'staff label worth a second look', 'staff labels worth a second look'),
    // Not counted with those: the evaluate stage's check of every label did not question them (its count is theirs).
    n('disagrees') &&
      plural(n('disagrees'), 'staff label the model disagrees with', 'staff labels the model disagrees with'),
    some('not-sure', 'guess not sure enough to publish', 'guesses not sure enough to publish'),
    // The filter's "Not published: model not yet reliable on this type": no confidence of these types is published yet.
    some(
      'not-published',
      'guess of a type the model publishes no guess of yet',
      'guesses of types the model publishes no guess of yet',
    ),
    some(
      'unfamiliar',
      'photograph unlike those the model learned from',
      'photographs unlike those the model learned from',
    ),
    n('least-confident') && `${n('least-confident').toLocaleString('en')} of the least confident published guesses`,
  ].filter(Boolean);
  const summary = `${plural(total, 'object', 'objects')} to review${parts.length ? `: ${parts.join(', ')}` : ''}`;
  return { summary, partial };
}

/** Objects whose photograph cannot be used, shown as a group of their own at the top of the review queue. */
export const SHOWN_PHOTO_PROBLEMS = 48;

/** What the review queue's pages show besides its cards. */
export type ReviewProps = {
  canSuggest: boolean;
  summary: string;
  /** The summary gives a kind's total the queue holds fewer of ("2 of the 3 …"). */
  partial: boolean;
  /** Objects whose photograph cannot be used (at most SHOWN_PHOTO_PROBLEMS), each card saying why. */
  photos: Card[];
  /**
   * Each picture given to many objects (catalogue object `standIn`), once: how many share it, its file, and cards of
   * a few of them (the labelled first). Not in the queue: the model checks none of their labels.
   */
  standIns: { objects: number; file: string; cards: Card[] }[];
  /** The file of each of those photographs, for the part of the page for staff (none: its path is not known). */
  /** `inExport`: the file as the export names it, which import refused (not in the data folder). */
  /** `fromExport`: a file in the data folder that import stored from the export (fixed there, imported again). */
  /** `changedSinceImport`: one import stored, changed in the data folder since (imported again, or checked out). */
  photoFiles: {
    id: string;
    title: string;
    file: string;
    inExport?: true;
    fromExport?: true;
    changedSinceImport?: true;
  }[];
  /** How many more such objects there are. */
  morePhotos: number;
  /**
   * Where the files of all such objects come from, for what the page tells staff to do: `export` counts files
   * import refused or stored from the export (the fix is in the export, imported again), `data` the others (the fix
   * is in the data folder), `changed` those import stored that were changed in the data folder since (the fix is to
   * import again, or check the data folder out).
   */
  photoSources: { export: number; data: number; changed: number };
  /** Staff labels changed since the model was trained (annotation `labelChanged`): not judged by that model. */
  changedLabels: number;
};

/**
 * The review queue, in its order, each card saying why the object is there (`review/`); the objects whose photograph
 * cannot be used are a short group of their own, in the props, with their files for staff apart (the cards are read
 * by the public).
 */
export function reviewList(catalogue: Catalogue): CardList<ReviewProps> {
  const byId = new Map(catalogue.objects.map((o) => [o.id, o]));
  const broken = catalogue.reviewQueue.flatMap((id) => {
    const o = byId.get(id);
    return o?.photoProblem && reviewKind(o) === 'photo' ? [o] : [];
  });
  const shown = broken.slice(0, SHOWN_PHOTO_PROBLEMS);
  const photos = shown.map((o) => {
    const { reason } = o.photoProblem!;
    return cardOf(o, `${reason.charAt(0).toUpperCase()}${reason.slice(1)}`);
  });
  const photoFiles = shown.flatMap((o) => {
    const { file, exportFile, fromExport, changedSinceImport } = o.photoProblem!;
    const title = shownTitle(o.title);
    if (file)
      return [
        { id: o.id, title, file, ...(fromExport && { fromExport }), ...(changedSinceImport && { changedSinceImport }) },
      ];
    return exportFile ? [{ id: o.id, title, file: exportFile, inExport: true as const }] : [];
  });
  const cards = catalogue.reviewQueue.flatMap((id) => {
    const o = byId.get(id);
    if (o && reviewKind(o) === 'staff-label')
      return [
        cardOf(
          o,
          o.labelMeant
            ? `Staff label “${o.label}” is spelt differently from the type “${o.labelMeant}”: waiting for staff`
            : 'Given different labels by staff: waiting for staff to keep one',
        ),
      ];
    if (!o?.annotation || reviewKind(o) === 'photo') return [];
    const a = o.annotation;
    const kind = reviewKind(o);
    const group = a.labelIssue?.lookAlikes?.map((l) => `${l.id} (“${l.label}”)`);
    const note =
      o.reviewReason === 'label-issue' && group
        ? // One of three or more look-alikes (review/look-alike.ts): one entry each, naming the others.
          `Label “${o.label}”; these ${group.length + 1} objects have ${groupAlike(a.labelIssue!.lookAlikes!)} but ` +
          `different labels: this one, ${group.slice(0, -1).join(', ')} and ${group.at(-1)}; at least one of the ` +
          'labels is probably wrong'
        : o.reviewReason === 'label-issue' && a.labelIssue?.lookAlike
          ? // One of a look-alike pair (review/look-alike.ts): not an accusation of this label alone.
            `Label “${o.label}”; ${a.labelIssue.lookAlike.id} has ${photographAlike(a.labelIssue.lookAlike)} and the label ` +
            `“${a.labelIssue.lookAlike.label}”: at least one of the two labels is probably wrong`
          : o.reviewReason === 'label-issue'
            ? // The score ranks the list; it is not a probability, so no percentage is shown for it.
              `Label “${o.label}” ${labelDoubted(a) ? 'may be wrong' : 'is worth a second look'}` +
              `${a.labelIssue?.suggested ? `; perhaps “${a.labelIssue.suggested}”` : ''}`
            : o.reviewReason === 'disagrees'
              ? `Label “${o.label}”, model says “${a.label}” (${percent(a.confidence)})`
              : kind === 'unfamiliar'
                ? // Its confidence says little on such a picture (often near 100%): no figure, and not "not sure".
                  'Photograph unlike those the model learned from: waiting for staff'
                : kind === 'not-published'
                  ? // No confidence would do: not "not sure" beside what is often a high figure. The filter's words.
                    `Not published: model not yet reliable on this type (best guess “${a.label}”, ` +
                    `${percent(a.confidence)})`
                  : kind === 'not-sure'
                    ? // With the digits that tell it from the threshold it missed (the model page says that one).
                      `Not sure: waiting for staff (best guess “${a.label}”, ${
                        a.needed && a.needed.threshold < 1
                          ? percentApart(a.confidence, a.needed.threshold)[0]
                          : percent(a.confidence)
                      })`
                    : // Published, so sure enough: among the least confident of those, not "unsure" (often at 90% or more).
                      `Among the least confident published guesses: “${a.label}”, ${percent(a.confidence)}`;
    return [cardOf(o, note)];
  });
  // Object pages have a "Suggest a correction" link only when the museum's GitHub repository is known.
  const canSuggest = catalogue.objects.some((o) => o.suggestUrl !== null);
  const { summary, partial } = reviewTally(catalogue);
  const morePhotos = broken.length - photos.length;
  const exported = broken.filter(({ photoProblem: p }) => p!.fromExport || (!p!.file && p!.exportFile !== undefined));
  const changed = broken.filter(({ photoProblem: p }) => p!.changedSinceImport).length;
  const photoSources = { export: exported.length, data: broken.length - exported.length - changed, changed };
  const changedLabels = catalogue.objects.filter((o) => o.annotation?.labelChanged).length;
  // One picture given to many objects (a “no image” card): one entry, not as many suspects (task F1).
  const sharing = new Map<string, CatalogueObject[]>();
  for (const o of catalogue.objects) {
    if (!o.standIn) continue;
    const group = sharing.get(o.standIn.image);
    if (group) group.push(o);
    else sharing.set(o.standIn.image, [o]);
  }
  const standIns = [...sharing].map(([file, group]) => ({
    objects: group[0]!.standIn!.objects,
    file,
    cards: [...group]
      .sort((a, b) => Number(b.label !== null) - Number(a.label !== null))
      .slice(0, 3)
      .map((o) => cardOf(o)),
  }));
  return {
    folder: 'review/',
    params: {},
    props: { canSuggest, summary, partial, photos, standIns, photoFiles, morePhotos, photoSources, changedLabels },
    cards,
  };
}

/** One list a colour family, the objects where it is most prominent first (`colours/<family>/`). */
export function familyLists(catalogue: Catalogue): CardList<{ family: string }>[] {
  return catalogue.counts.byFamily.map((f) => {
    const share = (o: CatalogueObject) =>
      o.colours.filter((c) => c.family === f.value).reduce((s, c) => s + c.share, 0);
    const objects = catalogue.objects
      .filter((o) => o.colours.some((c) => c.family === f.value))
      .map((o) => ({ o, s: share(o) }))
      .sort((a, b) => b.s - a.s);
    const slug = slugify(f.value);
    return {
      folder: `colours/${slug}/`,
      params: { family: slug },
      props: { family: f.value },
      cards: objects.map(({ o }) => cardOf(o)),
    };
  });
}

/** One list a swatch (colour name), the objects where it is most prominent first (`colours/swatch/<slug>/`). */
export function swatchLists(catalogue: Catalogue): CardList<{ name: string; hex: string; family: string }>[] {
  const bySlug = new Map<
    string,
    { name: string; hex: string; family: string; cards: { card: Card; share: number }[]; seen: Set<string> }
  >();
  for (const o of catalogue.objects) {
    for (const c of o.colours) {
      const entry = bySlug.get(c.slug) ?? { name: c.name, hex: c.hex, family: c.family, cards: [], seen: new Set() };
      // An object once per swatch (its first colour of that name); a set, as scanning the cards was quadratic.
      if (!entry.seen.has(o.slug)) {
        entry.seen.add(o.slug);
        entry.cards.push({ card: cardOf(o), share: c.share });
      }
      bySlug.set(c.slug, entry);
    }
  }
  return [...bySlug].map(([slug, s]) => ({
    folder: `colours/swatch/${slug}/`,
    params: { slug },
    props: { name: s.name, hex: s.hex, family: s.family },
    cards: s.cards.sort((a, b) => b.share - a.share).map((x) => x.card),
  }));
}

/** Every list of cards the site shows page by page, made one kind at a time (`each`), so only one is held. */
export function eachCardList(catalogue: Catalogue, each: (list: CardList) => void): void {
  each(allObjectsList(catalogue));
  // catalogue.review_queue: 0 keeps the queue for staff: no page of it is built (the site's review page says none).
  if (catalogue.reviewQueuePublic !== false) each(reviewList(catalogue));
  for (const list of familyLists(catalogue)) each(list);
  for (const list of swatchLists(catalogue)) each(list);
}

/** The file of page `n` (from 1) of the list in `folder`: `all/index.html`, `all/2/index.html` (Astro's `paginate`). */
export function listingFile(folder: string, n: number): string {
  return `${folder}${n > 1 ? `${n}/` : ''}index.html`;
}

/**
 * The pages of a list, each with what its HTML is made from besides the site and the collection-wide
 * values: its cards, its number, its list's number of pages and cards (the pager, whose links follow
 * from the folder and the numbers) and its list's props.
 */
export function listingPages(list: CardList, pageSize: number): { file: string; content: unknown }[] {
  const total = list.cards.length;
  const lastPage = Math.max(1, Math.ceil(total / pageSize));
  return Array.from({ length: lastPage }, (_, i) => ({
    file: listingFile(list.folder, i + 1),
    content: {
      file: listingFile(list.folder, i + 1),
      size: pageSize,
      currentPage: i + 1,
      lastPage,
      total,
      props: list.props,
      cards: list.cards.slice(i * pageSize, (i + 1) * pageSize),
    },
  }));
}

/**
 * "0.8123" → "81%". A share that rounds to certain or to nothing without being it takes the decimals that say so, as
 * percentApart says one share alone: 0.997 is "99.7%", not "100%" (a page said "Reliefs (100% sure), but the model
 * is not yet reliable enough").
 */
export function percent(x: number, digits = 0): string {
  if (!Number.isFinite(x)) return '–';
  const shown = Number((x * 100).toFixed(digits));
  if ((shown === 100 && x < 1) || (shown === 0 && x > 0)) return percentApart(x)[0];
  // Not "-0%" for a share a hair below nothing.
  return `${(shown === 0 ? 0 : shown).toFixed(digits)}%`;
}

// Two figures said side by side ("61.7% sure, below the 62.0% this museum asks for"): the report's helper, one for all.
export { percentApart };

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

/**
 * How alike a look-alike's photograph is to this object's, after "has" (review/look-alike.ts's bands): "almost
 * certainly the same photograph (or a copy of it)", "a very similar photograph, perhaps of the same object
 * photographed twice,", "a similar photograph"; "a very similar photograph" in annotations written before the
 * similarity was recorded.
 */
export function photographAlike({ similarity }: { similarity?: number }): string {
  if (similarity === undefined) return 'a very similar photograph';
  const band = alikeBand(similarity);
  return band === 'same'
    ? 'almost certainly the same photograph (or a copy of it)'
    : band === 'very'
      ? 'a very similar photograph, perhaps of the same object photographed twice,'
      : 'a similar photograph';
}

/**
 * How alike a group of look-alikes' photographs are, after "These 3 objects have", by the least similarity this object
 * has to the others (each page knows its own); "very similar photographs" in annotations written before it was recorded.
 */
export function groupAlike(others: { similarity?: number }[]): string {
  const known = others.map((o) => o.similarity).filter((s) => s !== undefined);
  return known.length < others.length ? 'very similar photographs' : alikeGroupWords(Math.min(...known));
}
