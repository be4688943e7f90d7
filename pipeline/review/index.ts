import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { VitrineError } from '../errors.ts';
import type { OofFile } from '../evaluate/oof.ts';
import type { Workspace } from '../paths.ts';
import type { Split } from '../types.ts';
import { findLabelIssues, normalizedMargin } from './confident-learning.ts';

/*
 * The review queue of labels: every labelled object whose out-of-fold prediction disagrees with its
 * label, ranked by how likely the label is wrong (1 − normalized margin, as cleanlab ranks label
 * issues). Those confident learning flags are marked `confident`: they are the ones
 * `train.flagged` leaves out of training.
 */

/** One object whose label may be wrong. */
export interface ReviewItem {
  id: string;
  /** The label it has in labels.csv. */
  label: string;
  /** The label the model proposes (its most probable one, out of fold). */
  suggested: string;
  /** In 0..1, higher = the label more likely wrong: 1 − (p(label) − max other p + 1) / 2. */
  score: number;
  /** Out-of-fold probability of `suggested`. */
  confidence: number;
  /** Flagged by confident learning (per-class thresholds), not only a disagreement. */
  confident: boolean;
  split: Split;
}

/** `.vitrine/evaluate/review.json` */
export interface ReviewFile {
  schema: 'vitrine.review/1';
  labels: string[];
  /** Labelled objects looked at (every one with an out-of-fold prediction). */
  checked: number;
  /** How many items confident learning flagged. */
  confident: number;
  /** Most likely wrong first. */
  items: ReviewItem[];
}

/** The review queue from out-of-fold predictions. */
export function reviewFromOof(oof: OofFile): ReviewFile {
  const classes = oof.labels.length;
  const y = oof.objects.map((o) => oof.labels.indexOf(o.label));
  const probs = oof.objects.map((o) => o.probabilities);
  const flagged = new Set(findLabelIssues({ y, probs, classes }).map((i) => i.index));
  const items: ReviewItem[] = [];
  oof.objects.forEach((o, i) => {
    const row = probs[i]!;
    let best = 0;
    for (let j = 1; j < classes; j++) if (row[j]! > row[best]!) best = j;
    if (best === y[i] || row[best] === row[y[i]!]) return;
    items.push({
      id: o.id,
      label: o.label,
      suggested: oof.labels[best]!,
      score: round(1 - normalizedMargin(row, y[i]!)),
      confidence: row[best]!,
      confident: flagged.has(i),
      split: o.split,
    });
  });
  items.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    schema: 'vitrine.review/1',
    labels: oof.labels,
    checked: oof.objects.length,
    confident: items.filter((i) => i.confident).length,
    items,
  };
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/** `.vitrine/evaluate/review.json` */
export function reviewFile(ws: Workspace): string {
  return path.join(ws.evaluate, 'review.json');
}

/** Read the review queue the evaluate stage wrote, with a plain message when it has not run. */
export async function readReview({ ws }: { ws: Workspace }): Promise<ReviewFile> {
  const file = reviewFile(ws);
  try {
    return JSON.parse(await readFile(file, 'utf8')) as ReviewFile;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new VitrineError(
        'REVIEW_MISSING',
        'There is no review list yet (.vitrine/evaluate/review.json is missing). Run "vitrine run evaluate" first.',
        { file },
      );
    }
    throw new VitrineError(
      'REVIEW_UNREADABLE',
      `.vitrine/evaluate/review.json cannot be read: ${(error as Error).message}. Run "vitrine run evaluate --force".`,
      { file },
      { cause: error },
    );
  }
}

/** The review list as plain text for a terminal: one object a line, most likely wrong first. */
export function renderReview({ review, limit = 30 }: { review: ReviewFile; limit?: number }): string {
  if (review.items.length === 0) return `The model agrees with every one of the ${review.checked} labels it checked.\n`;
  const lines = [
    `${review.items.length} of ${review.checked} labelled objects may have a wrong label ` +
      `(${review.confident} flagged with confidence); most likely wrong first:`,
    '',
    ...review.items
      .slice(0, limit)
      .map(
        (i) =>
          `  ${i.id.padEnd(14)} labelled ${i.label}, the model says ${i.suggested} ` +
          `(${Math.round(i.confidence * 100)}%)  score ` +
          `${i.score.toFixed(2)}${i.confident ? '  flagged' : ''}`,
      ),
  ];
  if (review.items.length > limit)
    lines.push(`  … and ${review.items.length - limit} more (vitrine review --json lists them all)`);
  return `${lines.join('\n')}\n`;
}
