import type { Params } from '../params.ts';
import type { DriftReport, RetrainDecision } from './types.ts';

/*
 * When the scheduled run retrains: enough new labels, enough new objects, or drift (when
 * `params.retrain.on_drift`). A threshold of 0 means "any": one new label (or object) is enough;
 * nothing new never triggers. Each reason is a sentence a curator can read in the pull request.
 */

/** Decide whether to retrain, with a plain-words reason per threshold passed (or why not). */
export function shouldRetrain({
  params,
  newLabels,
  newObjects,
  drift = null,
  modelVersion = null,
  hasModel = true,
}: {
  params: Params;
  /** Labels changed or added since the production model's labels. */
  newLabels: number;
  /** Objects added (or re-photographed) since the production model's data. */
  newObjects: number;
  /** The latest drift report, a plain yes/no, or null when drift was not measured. */
  drift?: DriftReport | boolean | null;
  modelVersion?: string | null;
  /** False when no model is in production yet: the first model is always worth training. */
  hasModel?: boolean;
}): { retrain: boolean; reasons: string[] } {
  const { min_new_labels, min_new_objects, on_drift } = params.retrain;
  const since = modelVersion ? `since ${modelVersion} was promoted` : 'since the production model was promoted';
  if (!hasModel) return { retrain: true, reasons: ['There is no model in production yet.'] };
  const reasons: string[] = [];
  const labelBar = Math.max(1, min_new_labels);
  const objectBar = Math.max(1, min_new_objects);
  if (newLabels >= labelBar)
    reasons.push(`${count(newLabels, 'label')} changed or added ${since} (the threshold is ${labelBar}).`);
  if (newObjects >= objectBar)
    reasons.push(`${count(newObjects, 'object')} added ${since} (the threshold is ${objectBar}).`);
  const drifted = typeof drift === 'boolean' ? drift : (drift?.drifted ?? false);
  if (on_drift && drifted) {
    const which = typeof drift === 'object' && drift ? ` (${drift.driftedSignals.join(', ')})` : '';
    reasons.push(`The new objects look different from the training data${which}.`);
  }
  if (reasons.length > 0) return { retrain: true, reasons };
  const why = [
    `${count(newLabels, 'label')} changed (retrain at ${labelBar})`,
    `${count(newObjects, 'new object')} (retrain at ${objectBar})`,
    drift === null ? 'drift not measured' : drifted ? 'drift detected but params.retrain.on_drift is off' : 'no drift',
  ];
  return { retrain: false, reasons: [`${since[0]!.toUpperCase()}${since.slice(1)}: ${why.join(', ')}.`] };
}

/** The decision plus the counts and a one-line Markdown summary for the scheduled run's job summary. */
export function retrainDecision(options: Parameters<typeof shouldRetrain>[0]): RetrainDecision {
  const { retrain, reasons } = shouldRetrain(options);
  const drift = options.drift ?? null;
  const drifted = typeof drift === 'boolean' ? drift : (drift?.drifted ?? false);
  const summaryLine = retrain
    ? `**Retraining:** ${reasons.join(' ')}`
    : `**No retraining needed:** ${reasons.join(' ')}`;
  return { retrain, reasons, newLabels: options.newLabels, newObjects: options.newObjects, drifted, summaryLine };
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
