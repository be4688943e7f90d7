import type { Interval, Verdict } from '../types.ts';

/**
 * Why a verdict is "no detectable difference" though its p-value is small: the change was under evaluate.min_change.
 * Empty otherwise (and for files written before min_change). Said wherever the verdict is shown beside its p-value.
 */
export function tooSmallWords(comparison: { difference: Interval; minChange?: number; verdict: Verdict }): string {
  const { minChange, difference, verdict } = comparison;
  if (minChange === undefined || verdict !== 'no detectable difference' || Math.abs(difference.value) >= minChange)
    return '';
  // Digits enough that the change never prints as the threshold itself (0.0096 is "0.0096", not "0.010").
  const size = Math.abs(difference.value);
  let digits = 3;
  while (digits < 6 && Number(size.toFixed(digits)) >= minChange) digits++;
  const sign = difference.value >= 0 ? '+' : '−';
  return `a change of ${sign}${size.toFixed(digits)}, under ${minChange} (evaluate.min_change), is too small to matter`;
}
