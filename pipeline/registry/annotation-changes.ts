import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { labelForm } from '../collection/hidden-characters.ts';
import { labelLinesAsRead } from '../dataset/labels-as-read.ts';
import { outsideVocabulary } from '../dataset/outside-vocabulary.ts';
import { readDataset } from '../dataset/read.ts';
import { writeJsonAtomic } from '../fs.ts';
import type { Workspace } from '../paths.ts';
import type { Annotation, Dataset, LabelLine } from '../types.ts';
import { retiredBefore } from './retired-types.ts';

/*
 * What a new production model (a promotion, a rollback) changed of the answers the public sees: the catalogue's
 * "Recent changes" say how many objects' pages now show another type and list the first. The evaluation's changed
 * predictions are the test split's only (a fifth of the labelled objects, none of the unlabelled ones).
 */

/** An object whose shown answer changed: the published type before and after (null: held back for staff). */
export interface AnnotationChange {
  id: string;
  before: string | null;
  after: string | null;
}

export interface AnnotationChanges {
  schema: 'vitrine.annotation-changes/1';
  /** The model that annotated last, and the one whose annotations it replaced. */
  version: string;
  previous: string;
  /** How many objects' shown answer changed; `objects` lists the first LISTED of them. */
  changed: number;
  objects: AnnotationChange[];
}

/** Enough for the home page and a look at the kinds of change; the count is the whole. */
const LISTED = 100;

/** `.vitrine/registry/annotation-changes.json` */
export function annotationChangesFile(ws: Workspace): string {
  return path.join(ws.registry, 'annotation-changes.json');
}

/**
 * The objects whose guess the catalogue never publishes because staff gave them a type outside collection.vocabulary
 * ("Misc": none of these types): outsideVocabulary's rule (dataset/outside-vocabulary.ts), which the catalogue follows.
 */
export function heldForOutsideVocabulary({ dataset, labels }: { dataset: Dataset; labels: LabelLine[] }): Set<string> {
  const outside = outsideVocabulary({ dataset, labels });
  return new Set([...outside].filter(([, o]) => o.held).map(([id]) => id));
}

/**
 * heldForOutsideVocabulary over the workspace's dataset.json and labels.csv; none when either cannot be read (the
 * record is only a summary: its count then includes such objects, as before).
 */
async function heldInWorkspace(ws: Workspace): Promise<Set<string>> {
  let dataset: Dataset;
  try {
    dataset = await readDataset({ ws });
  } catch {
    return new Set();
  }
  if (!(dataset.issues ?? []).some((i) => i.code === 'LABEL_NOT_IN_VOCABULARY')) return new Set();
  try {
    // labels.csv as the dataset stage read it, as dataset.json is: not a line a colleague saved since.
    return heldForOutsideVocabulary({ dataset, labels: (await labelLinesAsRead({ ws })).lines });
  } catch {
    return new Set();
  }
}

/**
 * The objects both annotations hold whose shown answer differs: a type for another first, then guesses newly
 * published, then guesses newly held back; in the collection's order within each. `held`: objects whose guess is
 * never shown whatever it is (heldForOutsideVocabulary), so no change of theirs is one the public sees.
 */
export function changedAnswers({
  before,
  after,
  held = new Set(),
}: {
  before: Annotation[];
  after: Annotation[];
  held?: ReadonlySet<string>;
}): AnnotationChange[] {
  /**
   * What the public sees of an annotation: its type when published, as labels are read (labelForm: an older model's
   * "Epoche:\u00a0Neu" is "Epoche: Neu", as the catalogue shows it), else null (held back).
   */
  const shown = (a: Annotation) =>
    a.published === false || held.has(a.id) ? null : typeof a.label === 'string' ? labelForm(a.label) : a.label;
  const was = new Map(before.map((a) => [a.id, shown(a)]));
  const changes: AnnotationChange[] = [];
  for (const a of after) {
    if (!was.has(a.id)) continue;
    const old = was.get(a.id)!;
    if (old !== shown(a)) changes.push({ id: a.id, before: old, after: shown(a) });
  }
  const order = (c: AnnotationChange) => (c.before !== null && c.after !== null ? 0 : c.after !== null ? 1 : 2);
  return changes.sort((x, y) => order(x) - order(y));
}

/**
 * The objects whose earlier guess names a type the vocabulary no longer has (`retired`) and whose new guess is that
 * type's new name: the type most of them are guessed as now, when no earlier guess used it ("vessel" renamed "pot").
 * Any other new guess of theirs is a change of judgement and counted (a reviewer: "vessel" to "coin", or "mask",
 * removed, to "figurine", were left out with the renamed ones).
 */
export function renamedGuesses({
  before,
  after,
  retired,
}: {
  before: Annotation[];
  after: Annotation[];
  retired: ReadonlySet<string>;
}): Set<string> {
  const earlier = new Set(before.map((a) => a.label));
  const now = new Map(after.map((a) => [a.id, a.label]));
  const counts = new Map<string, Map<string, number>>();
  for (const a of before) {
    const label = now.get(a.id);
    if (!retired.has(a.id) || label === undefined) continue;
    const of = counts.get(a.label) ?? new Map<string, number>();
    counts.set(a.label, of.set(label, (of.get(label) ?? 0) + 1));
  }
  const newName = new Map<string, string>();
  for (const [old, of] of counts) {
    const [top] = [...of].sort((x, y) => y[1] - x[1]);
    if (top && !earlier.has(top[0])) newName.set(old, top[0]);
  }
  return new Set(before.filter((a) => retired.has(a.id) && newName.get(a.label) === now.get(a.id)).map((a) => a.id));
}

/**
 * Record what `after` changed when another model wrote `before` (annotating again with the same model keeps the
 * record of its arrival); with nothing before (a fresh clone's restore), no record is left that would name an
 * older change. `before` is 'same model' when the file was written by the model annotating now.
 */
export async function recordAnnotationChanges({
  ws,
  before,
  after,
}: {
  ws: Workspace;
  before: Annotation[] | 'same model' | null;
  after: Annotation[];
}): Promise<void> {
  const file = annotationChangesFile(ws);
  if (before === 'same model') return;
  const version = after[0]?.modelVersion;
  const previous = before?.[0]?.modelVersion;
  if (!version || !previous || !before) {
    await rm(file, { force: true });
    return;
  }
  if (previous === version) return;
  // A guess of a type renamed since, now under its new name, is no judgement the new model changed: left out too.
  const renamed = renamedGuesses({ before, after, retired: await retiredBefore({ ws, before }) });
  const changes = changedAnswers({ before, after, held: new Set([...(await heldInWorkspace(ws)), ...renamed]) });
  const value: AnnotationChanges = {
    schema: 'vitrine.annotation-changes/1',
    version,
    previous,
    changed: changes.length,
    objects: changes.slice(0, LISTED),
  };
  await writeJsonAtomic({ file, value });
}

/**
 * The annotations a file holds before `version` annotates: 'same model' when that version wrote them (told from the
 * first entry, without parsing the whole file: 52 MB at 100,000 objects), null when there are none (or the file is
 * not a list of annotations: the record is only a summary).
 */
export async function previousAnnotations({
  file,
  version,
}: {
  file: string;
  version: string | undefined;
}): Promise<Annotation[] | 'same model' | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return null;
  }
  const first = /"modelVersion"\s*:\s*"((?:[^"\\]|\\.)*)"/.exec(text.slice(0, 65_536));
  if (version && first && JSON.parse(`"${first[1]}"`) === version) return 'same model';
  try {
    const raw = JSON.parse(text) as unknown;
    return Array.isArray(raw) ? (raw as Annotation[]) : null;
  } catch {
    return null;
  }
}

/** The record when it has the shape this module writes, else null (a damaged file is only a summary lost). */
export function checkedChanges(raw: unknown): AnnotationChanges | null {
  if (!raw || typeof raw !== 'object') return null;
  const c = raw as Partial<AnnotationChanges>;
  const named = (x: unknown) => x === null || typeof x === 'string';
  const ok =
    typeof c.version === 'string' &&
    typeof c.changed === 'number' &&
    Number.isInteger(c.changed) &&
    c.changed >= 0 &&
    Array.isArray(c.objects) &&
    c.objects.every((o) => o && typeof o.id === 'string' && named(o.before) && named(o.after));
  return ok ? (c as AnnotationChanges) : null;
}
