import { mostObjects, objectsToAdd } from '../evaluate/new-labels.ts';
import { notJudgedWords } from '../evaluate/verdict-words.ts';
import type { Metrics } from '../types.ts';
import { text } from './markdown.ts';

/**
 * The report's words, at the top, for labels being built up (metrics.newLabels, evaluate/new-labels.ts): a new label on
 * a few objects is not a worse model. Each label, how many objects it has, that it is too thin to judge yet, and about
 * how many more to label until it is judged (objectsToAdd); then what the gate and the verdict did with it: left out
 * of the comparison on every labelled object, or, when that left fewer than two labels, no such comparison
 * (metrics.crossValidatedNotJudged). Markdown, escaped; empty when none.
 */
export function newLabelsNote(metrics: Pick<Metrics, 'newLabels' | 'crossValidatedNotJudged'>): string {
  const found = metrics.newLabels;
  const notJudged = metrics.crossValidatedNotJudged;
  const words = notJudged ? notJudgedWords(notJudged, { name: (l) => `“${text(l)}”` }) : '';
  if (!found || found.labels.length === 0) return words;
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
  const gate = `Until then the promotion gate does not judge ${one ? 'it' : 'them'} by ${one ? 'its' : 'their'} score`;
  // Set aside, they can leave one label: then no verdict on every labelled object (tester T1).
  if (words) return `🌱 ${each.join(' ')} ${gate}. ${words}`;
  return (
    `🌱 ${each.join(' ')} ${gate}, and the verdict leaves ${one ? 'it' : 'them'} out of both the labels before and ` +
    'the labels now: a thin label is learnt poorly and looks like the one its objects came from, which is no reason ' +
    'to call the change worse.'
  );
}
