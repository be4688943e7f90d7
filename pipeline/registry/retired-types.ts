import { labelForm } from '../collection/hidden-characters.ts';
import { readDataset } from '../dataset/read.ts';
import type { Workspace } from '../paths.ts';
import type { Annotation } from '../types.ts';

/*
 * A model guesses the types it was trained on. When a type was renamed or removed from collection.vocabulary since
 * (an outside tester: Statuary renamed Sculpture, then a rollback to the version trained before), its guesses name a
 * type the museum no longer uses: published, they read as the model disagreeing with staff ("Statuary" beside the
 * staff label "Sculpture"), and rolling forward again reads as the model changing its mind. They are held back
 * instead, with the reason (`retiredType`), as a guess for an object staff gave a type outside the vocabulary is.
 */

// Compared as labels are read (labelForm: NFC, plain spaces): a model trained on "Epoche:\u00a0Neu" before params.yaml
// read it as "Epoche: Neu" was trained on today's type, not one renamed since.
const nfc = labelForm;

/** The types of `modelLabels` that `vocabulary` no longer has, in the model's order; none when it is empty. */
export function retiredTypes({ modelLabels, vocabulary }: { modelLabels: string[]; vocabulary: string[] }): string[] {
  if (vocabulary.length === 0) return [];
  const today = new Set(vocabulary.map(nfc));
  return modelLabels.filter((l) => !today.has(nfc(l)));
}

/** Whether a guess names a type the vocabulary no longer has (an empty vocabulary: none known, so never). */
export function isRetiredType({ label, vocabulary }: { label: string; vocabulary: ReadonlySet<string> }): boolean {
  return vocabulary.size > 0 && typeof label === 'string' && !vocabulary.has(nfc(label));
}

/** The vocabulary as a set of its labels, written as labels are read (labelForm), for isRetiredType. */
export function vocabularySet(vocabulary: string[] | undefined): Set<string> {
  return new Set((vocabulary ?? []).map(nfc));
}

/**
 * The annotations with a guess of a type the vocabulary no longer has held back (`published` false, `retiredType`);
 * the others as they are.
 */
export function holdRetiredTypes({
  annotations,
  vocabulary,
}: {
  annotations: Annotation[];
  vocabulary: string[] | undefined;
}): Annotation[] {
  const today = vocabularySet(vocabulary);
  return annotations.map((a) => {
    if (!isRetiredType({ label: a.label, vocabulary: today })) return a;
    const { unfamiliar: _u, noThreshold: _n, ...rest } = a;
    return { ...rest, published: false, retiredType: true };
  });
}

/**
 * What a rollback to `version` says when that model was trained on types the vocabulary no longer has: which, what
 * it means for the catalogue, and what to do. Null when it has none.
 */
export function retiredTypesWarning({
  version,
  modelLabels,
  vocabulary,
}: {
  version: string;
  modelLabels: string[];
  vocabulary: string[];
}): string | null {
  const retired = retiredTypes({ modelLabels, vocabulary });
  if (retired.length === 0) return null;
  const quoted = retired.map((l) => `"${l}"`);
  const list = quoted.length === 1 ? quoted[0]! : `${quoted.slice(0, -1).join(', ')} and ${quoted.at(-1)}`;
  const these = retired.length === 1 ? 'this type' : 'these types';
  return (
    `Model version ${version} was trained on ${list}, ${
      retired.length === 1 ? 'which is' : 'which are'
    } not one of the types in collection.vocabulary (params.yaml) today: renamed or removed since. Its guesses of ` +
    `${these} are not published in the catalogue (each object's page says why), so fewer objects show a guess ` +
    'than before the rollback. Put back a model trained on today’s types when you can (see "vitrine models list"), ' +
    'or merge a change that trains one.'
  );
}

/**
 * The objects whose earlier guess names a type the workspace's vocabulary no longer has (dataset.json's labels): a
 * type renamed since ("vessel", now "pot"), so a new model's guess under the new name is no change of judgement, and
 * what the public saw of it is not counted as one (annotation-changes.ts). None when the dataset cannot be read.
 */
export async function retiredBefore({ ws, before }: { ws: Workspace; before: Annotation[] }): Promise<Set<string>> {
  let vocabulary: Set<string>;
  try {
    vocabulary = vocabularySet((await readDataset({ ws })).labels);
  } catch {
    return new Set();
  }
  return new Set(before.filter((a) => isRetiredType({ label: a.label, vocabulary })).map((a) => a.id));
}
