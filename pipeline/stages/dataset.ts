import { TOO_LONG_RULE } from '../collection/value-limits.ts';
import { buildDataset, notLearnedWords } from '../dataset/build.ts';
import { labelsDeleted, labelsDeletedError, labelsEmptied, unreadBase } from '../dataset/labels-deleted.ts';
import { isPictureProblem, isWithheldField } from '../dataset/picture-problems.ts';
import { checkDataPresent } from '../dataset/presence.ts';
import { renamedLabels } from '../dataset/renamed-labels.ts';
import { MIN_IMAGE_SIDE, MIN_LONG_SIDE, PLACEHOLDER_OBJECTS, SET_OBJECTS } from '../dataset/small-images.ts';
import { isVitrineError, VitrineError } from '../errors.ts';
import { rel } from '../paths.ts';
import type { Stage, StageContext } from './stage.ts';
import { RECORD_DATA, unrecordedAdvice, unrecordedData } from './unrecorded.ts';

/** The rules for pictures that are no photograph of their object, as the stage records them (small-images.ts). */
// Whatever their labels, but a set of one lot (task F1): a dataset that trained on a card under 40 unlabelled objects
// is made again once.
const PICTURE_RULE =
  `${MIN_IMAGE_SIDE} × ${MIN_LONG_SIDE} px; ${PLACEHOLDER_OBJECTS} objects, shown; ` +
  `any labels, a lot up to ${SET_OBJECTS} (ids alike but for a short part)`;

/** The dataset stage: objects table + images + labels → `.vitrine/dataset/` (dataset.json, thumbnails). */
export const datasetStage: Stage = {
  name: 'dataset',
  summary:
    'Join the objects, their images and the labels; check every row; decide the splits; make thumbnails and colour palettes.',
  deps: {
    paths: ['data', 'labels.csv'],
    params: ['collection.vocabulary', 'dataset'],
    stages: [],
  },
  outs: ['.vitrine/dataset'],
  // A dataset made before fields far too long were withheld is made again once (value-limits.ts).
  async fingerprint() {
    return {
      'rule for texts far too long in data/objects.csv': TOO_LONG_RULE,
      // A dataset made before pictures too small and placeholders were left out is made again once (small-images.ts),
      // and one made before thin pictures were kept and placeholders shown in the catalogue (shownOnly).
      'rule for pictures that are no photograph of their object': PICTURE_RULE,
    };
  },
  async run({ ws, params, log, env }) {
    await checkDataPresent({ ws, log });
    await warnUnrecorded({ ws, log, env });
    const deleted = await labelsDeleted({ ws, params, env });
    const emptied = () => labelsEmptied({ ws, params, env });
    const unread = () => unreadBase({ ws, params, env });
    const renamed = (labels: string[]) => renamedLabels({ ws, labels, vocabulary: params.collection.vocabulary });
    let read: Record<string, string> | undefined;
    const onRead = (hashes: Record<string, string>) => {
      read = hashes;
    };
    const dataset = await buildDataset({ ws, params, log, deleted, emptied, unread, renamed, onRead });
    if (dataset.counts.labelled === 0 && deleted) {
      const [vocabulary, exampleId] = [params.collection.vocabulary, dataset.objects[0]?.id];
      throw labelsDeletedError({ deleted, name: rel(ws, ws.labels), vocabulary, exampleId });
    }
    if (dataset.counts.labelled === 0) {
      throw new VitrineError(
        'DATASET_NO_LABELS',
        `No object has a label yet (labels.csv is empty or missing), so there is nothing to train on. Add ` +
          `labels to labels.csv, one line per object ("object_id,label"), with labels from ` +
          `collection.vocabulary in params.yaml; or import them with the export's label column (docs/import.md).`,
        { file: 'labels.csv' },
      );
    }
    // dataset.counts are the training data: the objects with a usable photograph. The others are kept in the
    // catalogue, not skipped: the count says what it counts.
    // With thousands separators, as the other figures staff read ("100,003 rows skipped"; tester T16 F6).
    const [objects, labelled] = [dataset.counts.objects, dataset.counts.labelled].map((x) => x.toLocaleString('en'));
    // A picture given to many objects is still shown (small-images.ts): not "without one".
    const shared = dataset.objects.filter((o) => o.image === '' && o.shownOnly?.image).length;
    const unpictured = dataset.objects.filter((o) => o.image === '').length - shared;
    const parts =
      unpictured + shared > 0
        ? [
            `${dataset.objects.length.toLocaleString('en')} objects: ${objects} with a usable photograph (${labelled} labelled)` +
              (unpictured > 0
                ? `, ${unpictured.toLocaleString('en')} without one (kept in the catalogue, not used to train)`
                : '') +
              (shared > 0
                ? `, ${shared.toLocaleString('en')} sharing one picture with many others (shown in the catalogue, not used to train)`
                : ''),
          ]
        : [`${objects} objects (${labelled} labelled)`];
    // Rows of data/objects.csv or labels.csv left out; an object without a usable photograph is not one of them.
    // Label lines apart: "39 rows skipped" for labels the model does not learn read as 39 objects dropped (a tester),
    // when those objects are in the catalogue with their labels.
    // A field far too long is withheld, its object kept: no row skipped either.
    const withheld = dataset.issues.filter(isWithheldField).length;
    const skipped = dataset.issues.filter((i) => !isPictureProblem(i) && !isWithheldField(i));
    // Counted and said as the stage's warning says them (build.ts reportIssues).
    const rows = skipped.filter((i) => i.code !== 'LABEL_NOT_IN_VOCABULARY').length;
    if (rows > 0) parts.push(`${rows.toLocaleString('en')} row${rows === 1 ? '' : 's'} skipped`);
    if (withheld > 0)
      parts.push(
        `${withheld.toLocaleString('en')} field${withheld === 1 ? '' : 's'} far too long withheld from the catalogue`,
      );
    const notLearned = notLearnedWords({ issues: skipped, labelsName: rel(ws, ws.labels) });
    if (notLearned) parts.push(notLearned);
    return { summary: parts.join(', '), ...(read ? { read } : {}) };
  },
};

/**
 * Said before data/ is read, not after the report: data/ that is not what data.dvc records (a branch checked out
 * without "vitrine data checkout", images added without "vitrine data add") trains and reports on data no commit
 * records. Files never fetched are checkDataPresent's to tell. Not in CI (see below).
 */
async function warnUnrecorded({ ws, log, env }: Pick<StageContext, 'ws' | 'log' | 'env'>): Promise<void> {
  // In CI data/ was just pulled as data.dvc records it, and comparing would hash every photograph of a runner
  // that keeps no record of their hashes.
  if (env.GITHUB_ACTIONS === 'true' || env.CI) return;
  // What the data layer refuses to compare (a folder behind a link, say), the dataset says in its own words.
  const unrecorded = await unrecordedData({ ws, log }).catch((error: unknown) => {
    if (isVitrineError(error)) return null;
    throw error;
  });
  // Only the system's own files (.DS_Store): promote says what to do with them; the data is as recorded.
  if (!unrecorded || unrecorded.onlySystemFiles || unrecorded.added + unrecorded.removed + unrecorded.changed === 0)
    return;
  const undo = `"vitrine data checkout${unrecorded.added > 0 ? ' --force' : ''}"`;
  log.warn(
    `${unrecorded.words}. This run trains and reports on data/ as it is. ` +
      unrecordedAdvice(
        unrecorded,
        `If the changes are meant, ${RECORD_DATA}. If not (a branch checked out without its data, say), ${undo} ` +
          'puts data/ back as data.dvc records; then run again.',
      ),
    { file: 'data.dvc' },
  );
}
