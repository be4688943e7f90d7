import type { Command } from '../cli/command.ts';
import { shownName, terminalSafe } from '../cli/shown.ts';
import { loadParams } from '../params.ts';
import { labelsChangedSinceEvaluation, readReview, renderReview } from './index.ts';

/** `vitrine review`: the labels the model thinks are wrong, most likely first. */
export const reviewCommands: Command[] = [
  {
    name: 'review',
    summary: 'List labelled objects whose label looks wrong to the model, most likely wrong first.',
    help: `Each labelled object is predicted by a model trained without it (cross-validation in the
evaluate stage); where that prediction disagrees with labels.csv the object is listed, ranked by how
sure the model is. "flagged": confident learning flags it (the model is at least as sure of the label
it suggests as it is, on average, of the objects that have that label); "worth a look": listed only
because it ranks high; "look-alikes": two or more flagged objects with alike photographs and
different labels, each taken for another, shown on one line (at least one of the labels is probably
wrong), with how alike: almost certainly the same photograph or a copy of it, very similar (perhaps
the same object photographed twice), or similar. With train.flagged: drop, a flagged label is marked "left out of training" (the model was
trained without it) or, when the check made before training did not flag it, "but the model learnt
from it"; the list names the labels left out that it no longer flags (in a collection of more than
10,000 labelled objects unless evaluate.cv_max_objects in params.yaml says otherwise, the two checks
learn from different samples of them). In --json, each item's "reason" is
"flagged" or "ranked", "leftOut" lists the labels training left out, such a pair's items have "lookAlike"
(the other object's id, label and photograph similarity), and the items of a group of three or more
have "lookAlikes" (the others, closest first). Run "vitrine run evaluate" first.

  npx vitrine review            the 30 most likely wrong
  npx vitrine review --json     every one, as JSON (.vitrine/evaluate/review.json)`,
    async run(ctx) {
      // With the cross-validation off, the list is missing for that reason (a params.yaml that cannot be read:
      // the plain "run evaluate" message, and evaluate says what is wrong with it).
      const evaluate = await loadParams({ file: ctx.ws.params }).then(
        (params) => params.evaluate,
        () => undefined,
      );
      const review = await readReview({ ws: ctx.ws, folds: evaluate?.folds });
      if (await labelsChangedSinceEvaluation({ ws: ctx.ws }))
        ctx.log.warn(
          'labels.csv has changed since this list was made (it comes from the last evaluation, which may have ' +
            'run on another branch or before an edit). Run "npx vitrine run evaluate" for a list about the labels now.',
        );
      // Titles from the dataset stage's last run; the list reads without them when it has not run here.
      const { readDataset } = await import('../dataset/build.ts');
      const dataset = await readDataset({ ws: ctx.ws }).catch(() => null);
      if (ctx.json) {
        // The pictures given to many objects, whose labels the model cannot check (helper F1: missing from --json).
        const standIns = (dataset?.standIns ?? []).map(({ image, objects, labels }) => ({ image, objects, labels }));
        ctx.out(`${JSON.stringify({ ...review, standIns }, null, 2)}\n`);
        return;
      }
      // Titles and ids come from the collection: a line break or a control character in one is shown escaped.
      const titles = new Map(dataset?.objects.map((o) => [o.id, shownName(o.title)]) ?? []);
      // The objects given one picture are not checked: said once a picture (dataset.json standIns).
      const labelOf = new Map(dataset?.objects.map((o) => [o.id, o.label]) ?? []);
      ctx.out(
        terminalSafe(
          renderReview({
            review,
            titles,
            cvMaxObjects: evaluate?.cv_max_objects,
            standIns: dataset?.standIns,
            labelOf,
          }),
        ),
      );
    },
  },
];
