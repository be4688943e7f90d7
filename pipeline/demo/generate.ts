import { createHash } from 'node:crypto';
import { mkdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { formatLabels, parseLabels, parseObjects, readObjects, writeObjects } from '../collection/index.ts';
import { VitrineError } from '../errors.ts';
import { writeFileAtomic, writeJsonAtomic } from '../fs.ts';
import type { Logger } from '../log.ts';
import type { Params } from '../params.ts';
import type { Workspace } from '../paths.ts';
import { childSeed, type Random, seededRandom } from '../random.ts';
import type { CollectionObject } from '../types.ts';
import { DEMO_TYPES, type DemoStyle, type DemoType, drawObject } from './draw.ts';
import { refuseNonDemoRepository } from './guard.ts';
import { keepAside } from './replaced.ts';

/*
 * The demo collection: a small museum generated deterministically from a seed — drawings of six
 * object types photographed on studio backdrops, a metadata table like a collections management
 * system export, and a labels file in which a few labels are deliberately wrong, so the demo can show
 * a label-correction pull request improving the model.
 */

/** Bump when the drawings or metadata change, so a stale demo is regenerated. */
const GENERATOR_VERSION = 3;

export interface DemoItem {
  object: CollectionObject;
  type: DemoType;
  /** The label staff wrote (sometimes wrong), or null for an unlabelled object. */
  label: string | null;
  style: DemoStyle;
}

/** The demo's objects and labels for these params (no files written). */
export function planDemo({ demo }: { demo: Params['demo'] }): DemoItem[] {
  const random = seededRandom(demo.seed);
  const slots: { type: DemoType; labelled: boolean }[] = [];
  for (const type of DEMO_TYPES) {
    for (let i = 0; i < demo.per_type; i++) slots.push({ type, labelled: true });
    for (let i = 0; i < demo.unlabelled_per_type; i++) slots.push({ type, labelled: false });
  }
  shuffle(slots, random);
  return slots.map((slot, i) => {
    const id = `DM-${String(i + 1).padStart(4, '0')}`;
    const r = seededRandom(childSeed(demo.seed, id));
    let label: string | null = null;
    if (slot.labelled) {
      label = slot.type;
      if (r.chance(demo.wrong_label_rate)) label = r.pick(DEMO_TYPES.filter((t) => t !== slot.type));
    }
    return { object: describe({ id, type: slot.type, random: r }), type: slot.type, label, style: 'studio' };
  });
}

/** Objects added after the first demo, e.g. a new acquisition photographed in a new setup. */
export function planDemoBatch({
  demo,
  batch,
  count,
  style,
}: {
  demo: Params['demo'];
  batch: number;
  count: number;
  style: DemoStyle;
}): DemoItem[] {
  const random = seededRandom(childSeed(demo.seed, `batch-${batch}-${style}`));
  return Array.from({ length: count }, (_, i) => {
    const id = `DM-B${batch}-${String(i + 1).padStart(4, '0')}`;
    const type = random.pick(DEMO_TYPES);
    return { object: describe({ id, type, random: seededRandom(childSeed(demo.seed, id)) }), type, label: null, style };
  });
}

/** The image bytes (JPEG, like a museum's photography) of a demo object. */
export async function renderDemoImage({ item, demo }: { item: DemoItem; demo: Params['demo'] }): Promise<Buffer> {
  const random = seededRandom(childSeed(demo.seed, `image:${item.object.id}`));
  const svg = drawObject({ type: item.type, random, size: demo.image_size, style: item.style });
  return sharp(Buffer.from(svg))
    .flatten({ background: '#808080' })
    .jpeg({ quality: 88, chromaSubsampling: '4:2:0' })
    .toBuffer();
}

export interface DemoResult {
  objects: number;
  labelled: number;
  wrongLabels: number;
  imagesWritten: number;
  /** labels.csv already held other labels (corrected by staff or by --fix-labels), so it was kept. */
  labelsKept: boolean;
}

/**
 * Write the demo collection into `data/` and `labels.csv`. Idempotent: files that already hold the
 * right bytes are left alone (a spec file under `.vitrine/` remembers what was generated). A labels.csv
 * or data/objects.csv is replaced only when it is the demo's own (what the demo last wrote here: the demo
 * settings changed since); objects it drops that it generated itself (a --add batch, other settings) are kept in a
 * copy of the old file, and said. A labels.csv that corrects this demo's labels is kept; one that labels objects
 * the demo does not generate, or an objects.csv with such objects not from the demo itself, makes the demo refuse
 * before it writes anything. Refuses to run in a repository that holds a real collection.
 */
export async function generateDemo({
  ws,
  params,
  log,
}: {
  ws: Workspace;
  params: Params;
  log: Logger;
}): Promise<DemoResult> {
  await refuseNonDemoRepository({ ws, params });
  const items = planDemo({ demo: params.demo });
  const generated = formatLabels({
    labels: items.filter((i) => i.label !== null).map((i) => ({ objectId: i.object.id, label: i.label! })),
  });
  // Everything is decided before anything is written: a refusal changes nothing.
  const dropped = await droppedObjects({ ws, items });
  const current = await readFile(ws.labels, 'utf8').catch(() => null);
  const held = current !== null && current !== generated ? await holdsCorrections({ ws, current, items }) : 'replace';
  const labelsKept = held === 'keep';
  const now = new Date();
  // Labels from a demo with other settings, in a clone with no record of them: replaced, and kept aside first.
  const aside =
    held === 'other-settings' && current !== null
      ? await keepAside({ ws, name: 'labels.csv', text: current, now })
      : null;
  // Objects the demo added itself (a batch, other settings) that these settings do not generate: kept aside too.
  const objectsAside = dropped ? await keepAside({ ws, name: 'objects.csv', text: dropped.text, now }) : null;
  const imagesWritten = await writeImages({ ws, items, demo: params.demo, log });
  await writeObjects({ file: ws.objects, objects: items.map((i) => i.object) });
  await recordObjects({ ws, generated: items.map((i) => i.object.id) });
  if (dropped && objectsAside) {
    const n = dropped.ids.length;
    log.warn(
      `data/objects.csv had ${n} object${n === 1 ? '' : 's'} (e.g. "${dropped.ids[0]}") that these demo settings do ` +
        `not generate, ${madeBy(dropped.ids)}: it is written without them, and the old file is kept in ${objectsAside}.`,
      { file: 'data/objects.csv' },
    );
  }
  if (labelsKept) {
    log.warn(
      'labels.csv differs from the labels the demo generates (corrected with --fix-labels or by hand?): it is kept ' +
        'as it is. To start the demo over with its deliberately wrong labels, delete labels.csv and run "vitrine demo" again.',
      { file: 'labels.csv' },
    );
  } else await writeIfChanged(ws.labels, generated);
  if (aside)
    log.warn(
      'labels.csv held labels of a demo with other settings (most of its lines differ from the labels these settings ' +
        `give the same objects): it is replaced with this demo's labels. The old file is kept in ${aside}.`,
      { file: 'labels.csv' },
    );
  // What the demo generated (never a kept file): a labels.csv still equal to it holds no one's corrections.
  await writeJsonAtomic({ file: labelsRecord(ws), value: { generated: md5Of(generated) } });
  return {
    labelsKept,
    objects: items.length,
    labelled: items.filter((i) => i.label !== null).length,
    wrongLabels: items.filter((i) => i.label !== null && i.label !== i.type).length,
    imagesWritten,
  };
}

const labelsRecord = (ws: Workspace) => path.join(ws.work, 'demo', 'labels.json');
const objectsRecord = (ws: Workspace) => path.join(ws.work, 'demo', 'objects.json');
const md5Of = (text: string) => createHash('md5').update(text).digest('hex');

/** What the demo records of the objects.csv it wrote. */
interface ObjectsRecord {
  /** The file as the demo last wrote it (older records hold only this: the whole file was the demo's). */
  md5: string;
  /** The objects the demo itself wrote (its own and its --add batches): not any someone added by hand. */
  generated?: string[];
}

/** Remember the objects.csv the demo wrote, and which of its objects the demo generated. */
async function recordObjects({ ws, generated }: { ws: Workspace; generated: string[] }): Promise<void> {
  const md5 = md5Of(await readFile(ws.objects, 'utf8'));
  await writeJsonAtomic({ file: objectsRecord(ws), value: { md5, generated } satisfies ObjectsRecord });
}

/** The objects of `text` (data/objects.csv) the demo generated itself, as its record says: none without one. */
async function generatedObjects({
  ws,
  text,
  ids,
}: {
  ws: Workspace;
  text: string;
  ids: string[];
}): Promise<Set<string>> {
  const last = await readJson<ObjectsRecord>(objectsRecord(ws));
  if (last?.generated) return new Set(last.generated);
  return new Set(last?.md5 === md5Of(text) ? ids : []);
}

/** Ids of the objects "vitrine demo --add" generates (DM-B1-0001: batch 1). */
const BATCH_ID = /^DM-B\d+-/;

const LEFT_FROM = 'added by hand or left from a demo with other settings (params.yaml, demo section)';
const ADDED = 'added with "vitrine demo --add"';

/** Where objects the demo does not generate came from, in words: a batch (by its ids), or by hand. */
function leftFrom(ids: string[]): string {
  const batch = ids.filter((id) => BATCH_ID.test(id)).length;
  if (batch === ids.length) return ADDED;
  return batch > 0 ? `${LEFT_FROM}, or ${ADDED} (${batch} of them)` : LEFT_FROM;
}

/** The same for objects the demo generated itself: a batch, or a demo with other settings. */
function madeBy(ids: string[]): string {
  const batch = ids.filter((id) => BATCH_ID.test(id)).length;
  if (batch === ids.length) return ADDED;
  return batch > 0 ? `${batch} of them ${ADDED}` : 'from a demo with other settings';
}

function others(ids: string[]): string {
  return `${ids.length} object${ids.length === 1 ? '' : 's'} that this demo does not generate (e.g. "${ids[0]}")`;
}

/**
 * The objects of data/objects.csv that rewriting it for these settings would drop, with the file's text: null when
 * none would be. Throws when one of them was not generated by the demo itself (added by hand, or in a clone with
 * no record of what the demo wrote): rewriting the file would lose it.
 */
async function droppedObjects({
  ws,
  items,
}: {
  ws: Workspace;
  items: DemoItem[];
}): Promise<{ ids: string[]; text: string } | null> {
  const text = await readFile(ws.objects, 'utf8').catch(() => null);
  if (text === null) return null;
  const planned = new Set(items.map((i) => i.object.id));
  const ids = parseObjects({ text, file: 'data/objects.csv' }).objects.map((o) => o.id);
  const extra = ids.filter((id) => !planned.has(id));
  if (extra.length === 0) return null;
  const generated = await generatedObjects({ ws, text, ids });
  const foreign = extra.filter((id) => !generated.has(id));
  if (foreign.length === 0) return { ids: extra, text };
  throw new VitrineError(
    'DEMO_OBJECTS_OTHER_OBJECTS',
    `data/objects.csv has ${others(foreign)}, ${leftFrom(foreign)}. "vitrine demo" would rewrite the file ` +
      'without them, so it changed nothing. To start the demo over, move data/objects.csv out of data/ to keep ' +
      'what you added, and run "vitrine demo" again.',
    { file: 'data/objects.csv', object: foreign[0] },
  );
}

/**
 * Whether a labels.csv that differs from the generated one holds someone's corrections to this demo (true:
 * keep it). Not when it is what the demo last generated (the demo settings changed since: replace it).
 * Throws when it labels objects this demo does not generate: replacing it would lose those labels.
 */
async function holdsCorrections({
  ws,
  current,
  items,
}: {
  ws: Workspace;
  current: string;
  items: DemoItem[];
}): Promise<'keep' | 'replace' | 'other-settings'> {
  // `generated`, not the `md5` of earlier versions: that one also recorded a kept file, corrections included.
  const last = await readJson<{ generated?: string }>(labelsRecord(ws));
  if (last?.generated === md5Of(current)) return 'replace';
  const lines = parseLabels({ text: current, file: 'labels.csv' });
  if (lines.length === 0) return 'replace'; // No label in it: nothing to lose.
  // An object the demo leaves unlabelled may be labelled by staff: that is a correction too.
  const planned = new Set(items.map((i) => i.object.id));
  const extra = [...new Set(lines.map((l) => l.objectId).filter((id) => !planned.has(id)))];
  if (extra.length === 0) {
    // Corrections change the few deliberately wrong labels; another seed gives most objects another type. So a file
    // most of whose lines differ from these settings' labels is another demo's (a clone has no record to say so).
    const labelOf = new Map(items.map((i) => [i.object.id, i.label]));
    const differ = lines.filter((l) => labelOf.get(l.objectId) !== l.label).length;
    return differ * 2 > lines.length ? 'other-settings' : 'keep';
  }
  throw new VitrineError(
    'DEMO_LABELS_OTHER_OBJECTS',
    `labels.csv labels ${others(extra)}, ${leftFrom(extra)}. "vitrine demo" would replace the file with its own labels ` +
      'and lose yours, so it changed nothing. To start the demo over with its own labels, delete labels.csv ' +
      '(or move it elsewhere) and run "vitrine demo" again.',
    { file: 'labels.csv', object: extra[0] },
  );
}

/** Add a batch of new objects (unlabelled) to the collection, in the studio style or a new one. */
export async function addDemoBatch({
  ws,
  params,
  count,
  style,
  log,
}: {
  ws: Workspace;
  params: Params;
  count: number;
  style: DemoStyle;
  log: Logger;
}): Promise<{ added: string[]; batch: number }> {
  await refuseNonDemoRepository({ ws, params });
  const { objects } = await readObjects({ file: ws.objects });
  const batch = 1 + Math.max(0, ...objects.map((o) => Number(/^DM-B(\d+)-/.exec(o.id)?.[1] ?? 0)));
  const items = planDemoBatch({ demo: params.demo, batch, count, style });
  // What the demo generated stays its own; objects added by hand before the batch stay someone's.
  const ids = objects.map((o) => o.id);
  const text = await readFile(ws.objects, 'utf8');
  const generated = await generatedObjects({ ws, text, ids });
  await writeImages({ ws, items, demo: params.demo, log });
  await writeObjects({ file: ws.objects, objects: [...objects, ...items.map((i) => i.object)] });
  await recordObjects({ ws, generated: [...ids.filter((id) => generated.has(id)), ...items.map((i) => i.object.id)] });
  return { added: items.map((i) => i.object.id), batch };
}

async function writeImages({
  ws,
  items,
  demo,
  log,
}: {
  ws: Workspace;
  items: DemoItem[];
  demo: Params['demo'];
  log: Logger;
}): Promise<number> {
  const specFile = path.join(ws.work, 'demo', 'spec.json');
  const specKey = createHash('md5')
    .update(JSON.stringify({ GENERATOR_VERSION, demo, vips: sharp.versions.vips }))
    .digest('hex');
  const spec = await readJson<{ key: string; files: Record<string, { size: number; mtimeMs: number }> }>(specFile);
  const known = spec?.key === specKey ? spec.files : {};
  const files: Record<string, { size: number; mtimeMs: number }> = { ...known };
  await mkdir(ws.images, { recursive: true });
  const todo: DemoItem[] = [];
  for (const item of items) {
    const file = path.join(ws.data, item.object.image);
    const seen = known[item.object.image];
    const info = await stat(file).catch(() => null);
    if (!seen || !info || info.size !== seen.size || info.mtimeMs !== seen.mtimeMs) todo.push(item);
  }
  if (todo.length === 0) return 0;
  const progress = log.progress('Drawing demo objects', todo.length);
  let written = 0;
  await pool(todo, 4, async (item) => {
    const file = path.join(ws.data, item.object.image);
    const bytes = await renderDemoImage({ item, demo });
    if (await writeIfChanged(file, bytes)) written++;
    const info = await stat(file);
    files[item.object.image] = { size: info.size, mtimeMs: info.mtimeMs };
    progress.tick();
  });
  progress.done();
  await writeJsonAtomic({ file: specFile, value: { key: specKey, files } });
  return written;
}

/** Write only when the bytes differ, so unchanged files keep their mtime (and the hash state stays valid). */
async function writeIfChanged(file: string, data: string | Buffer): Promise<boolean> {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  const current = await readFile(file).catch(() => null);
  if (current && current.equals(bytes)) return false;
  await writeFileAtomic({ file, data: bytes });
  return true;
}

async function readJson<T>(file: string): Promise<T | null> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch {
    return null;
  }
}

async function pool<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

function shuffle<T>(items: T[], random: Random): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random.next() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
}

// --- Metadata, in the manner of a collections management system export -----------------------

const PLACES = [
  'Kyoto',
  'Rouen',
  'Delft',
  'the Thames',
  'Naples',
  'Bergen',
  'Valparaíso',
  'Sintra',
  'Lake Biwa',
  'Whitby',
];
const ARTISTS = ['Hana Mori', 'Jean Duval', 'Emil Kraus', 'Sofía Herrera', 'Ada Lindqvist', 'Kofi Mensah'];
/**
 * Coins whose ruler, mint and date agree (a "Solidus of the Tang court, c. 124 BCE" undermines the demo
 * for anyone who knows coins). Years before the common era are negative.
 */
const COINS: {
  denomination: string;
  media: string[];
  rulers: { name: string; mint: string; from: number; to: number }[];
}[] = [
  {
    denomination: 'Tetradrachm',
    media: ['Silver'],
    rulers: [
      { name: 'Alexander III', mint: 'Amphipolis', from: -336, to: -323 },
      { name: 'Ptolemy I', mint: 'Alexandria', from: -305, to: -283 },
    ],
  },
  { denomination: 'Denarius', media: ['Silver'], rulers: [{ name: 'Augustus', mint: 'Lugdunum', from: -15, to: 14 }] },
  {
    denomination: 'Solidus',
    media: ['Gold'],
    rulers: [{ name: 'Constantine', mint: 'Constantinople', from: 330, to: 337 }],
  },
  {
    denomination: 'Cash Coin',
    media: ['Bronze', 'Copper alloy'],
    rulers: [{ name: 'the Tang court', mint: 'Chang’an', from: 621, to: 907 }],
  },
  {
    denomination: 'Penny',
    media: ['Silver'],
    rulers: [{ name: 'Offa of Mercia', mint: 'London', from: 757, to: 796 }],
  },
  {
    denomination: 'Stater',
    media: ['Electrum', 'Gold'],
    rulers: [{ name: 'Croesus', mint: 'Sardis', from: -561, to: -546 }],
  },
];
const DONORS = [
  'Mr. and Mrs. Harold Pike',
  'the Weston Family',
  'Dr. Amara Osei',
  'Eleanor B. Marsh',
  'the Friends of the Museum',
];

function describe({ id, type, random: r }: { id: string; type: DemoType; random: Random }): CollectionObject {
  const base = { id, maker: '', description: '', image: `images/${id}.jpg`, extra: {} as Record<string, string> };
  const credit = r.pick([
    `Gift of ${r.pick(DONORS)}`,
    'Purchase, Acquisitions Fund',
    `Bequest of ${r.pick(DONORS)}`,
    'Museum Purchase',
  ]);
  const rights = r.chance(0.8) ? 'Public domain' : r.chance(0.5) ? 'CC0 1.0' : 'In copyright — educational use only';
  const bce = (lo: number, hi: number) => `c. ${r.int(lo, hi)} BCE`;
  switch (type) {
    case 'vessel': {
      const form = r.pick(['Amphora', 'Storage Jar', 'Bowl', 'Lekythos', 'Ewer', 'Vase', 'Jar with Lid']);
      const deco = r.pick([
        'with Meander Band',
        'with Painted Bands',
        'with Two Handles',
        'with "Fish" & Waves',
        'with Incised Decoration',
      ]);
      return {
        ...base,
        title: `${form} ${deco}`,
        maker: 'Unknown maker',
        date: r.chance(0.5) ? bce(300, 700) : `${r.int(11, 18)}th century`,
        department: r.pick(['Ancient Mediterranean', 'Asian Art', 'Decorative Arts']),
        medium: r.pick(['Earthenware', 'Terracotta with slip', 'Stoneware, celadon glaze', 'Porcelain']),
        creditLine: credit,
        rights,
        description: `A ${form.toLowerCase()} ${deco.toLowerCase()}, shaped on the wheel.`,
      };
    }
    case 'coin': {
      // As many draws as before (pick, pick, chance, int), so the rest of the demo is drawn the same.
      const coin = r.pick(COINS);
      const denom = coin.denomination;
      const { name: ruler, mint, from, to } = r.pick(coin.rulers);
      const circa = r.chance(0.6);
      const year = r.int(from, to) || 1;
      return {
        ...base,
        title: `${denom} of ${ruler}`,
        maker: `Mint of ${mint}`,
        date: `${circa ? 'c. ' : ''}${Math.abs(year)} ${year < 0 ? 'BCE' : 'CE'}`,
        department: 'Coins and Medals',
        medium: r.pick(coin.media),
        creditLine: credit,
        rights,
        description: `Struck ${denom.toLowerCase()} bearing the emblem of ${ruler}.`,
      };
    }
    case 'textile': {
      const form = r.pick(['Tapestry Fragment', 'Woven Panel', 'Sash', 'Shawl', 'Rug', 'Hanging']);
      const motif = r.pick(['Stripes', 'Lozenges', 'Checks', 'Stepped Pattern']);
      return {
        ...base,
        title: `${form} with ${motif}`,
        maker: r.pick(['Unknown weaver', 'Workshop of the Guild of Weavers']),
        date: `${r.int(1600, 1920)}`,
        department: 'Textiles',
        medium: r.pick(['Wool', 'Silk and wool', 'Cotton, plain weave', 'Linen']),
        creditLine: credit,
        rights,
        description: `${form} woven with ${motif.toLowerCase()}, with a knotted fringe.`,
      };
    }
    case 'print': {
      const scene = `${r.pick(['View of', 'Landscape near', 'Evening at', 'Study of', 'Harbour at'])} ${r.pick(PLACES)}`;
      const year = r.int(1780, 1935);
      return {
        ...base,
        title: r.chance(0.1) ? `${scene} | proof state` : scene,
        maker: r.pick(ARTISTS),
        date: `${year}`,
        department: 'Prints and Drawings',
        medium: r.pick(['Etching', 'Woodblock print', 'Lithograph', 'Engraving']),
        creditLine: credit,
        rights: year > 1900 && r.chance(0.5) ? 'In copyright — educational use only' : rights,
        description: `${scene}, printed on laid paper.`,
      };
    }
    case 'mask': {
      const form = r.pick(['Dance Mask', 'Helmet Mask', 'Face Mask', 'Ceremonial Mask']);
      return {
        ...base,
        title: form,
        maker: 'Unknown carver',
        date: `${r.int(18, 20)}th century`,
        department: r.pick(['Arts of Africa', 'Arts of the Americas', 'Asian Art', 'Oceania']),
        medium: r.pick(['Wood, pigment', 'Wood, kaolin, fibre', 'Lacquered wood', 'Papier-mâché']),
        creditLine: credit,
        rights,
        description: `${form} with painted features, worn in performance.`,
      };
    }
    case 'figurine': {
      const form = r.pick([
        'Standing Figure',
        'Figure of a Dancer',
        'Votive Figure',
        'Seated Deity',
        'Attendant Figure',
      ]);
      return {
        ...base,
        title: form,
        maker: 'Unknown maker',
        date: r.chance(0.5) ? bce(500, 2000) : `${r.int(8, 16)}th century`,
        department: r.pick(['Ancient Mediterranean', 'Arts of Africa', 'Asian Art']),
        medium: r.pick(['Terracotta', 'Bronze', 'Limestone', 'Wood']),
        creditLine: credit,
        rights,
        description: `${form} on a low base.`,
      };
    }
  }
}
