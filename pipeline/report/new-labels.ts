import { mostObjects, objectsToAdd } from '../evaluate/new-labels.ts';
import type { Metrics } from '../types.ts';
import { text } from './markdown.ts';

/**
 * The report's words, at the top, for labels being built up (metrics.newLabels, evaluate/new-labels.ts): a new label on
 * a few objects is not a worse model. Each label, how many objects it has, that it is too thin to judge yet, and about
 * how many more to label until it is judged (objectsToAdd); then what the gate and the verdict did with it. Markdown,
 * escaped; empty when none.
 */
export function newLabelsNote(metrics: Pick<Metrics, 'newLabels'>): string {
  const found = metrics.newLabels;
  if (!found || found.labels.length === 0) return '';
  const { minTestPerClass: minimum, testShare } = found;
  const each = found.labels.map((l) => {
    const name = `“${text(l.label)}”`;
    const objects = `${l.objects} ${l.objects === 1 ? 'object' : 'objects'}`;
    const what =
      l.before === 0 ? `a new label with ${objects}` : `a label being built up: ${objects}, ${l.before} before`;
    const more = objectsToAdd({ label: l, minimum, testShare });
    const judged = mostObjects({ minimum, testShare }) + 1;
    return (
      `${name} is ${what} (${l.test} in the test split): too few to judge yet. ` +
      `Label about ${more} more ${name} ${more === 1 ? 'object' : 'objects'}: from ${judged} objects on, or once ` +
      `${minimum} ${minimum === 1 ? 'is' : 'are'} in the test split, it is judged like every other label.`
    );
  });
  const one = found.labels.length === 1;
  return (
    `🌱 ${each.join(' ')} Until then the promotion gate does not judge ${one ? 'it' : 'them'} by ${one ? 'its' : 'their'} ` +
    `score, and the verdict leaves ${one ? 'it' : 'them'} out of both the labels before and the labels now: a thin ` +
    'label is learnt poorly and looks like the one its objects came from, which is no reason to call the change worse.'
  );
}
