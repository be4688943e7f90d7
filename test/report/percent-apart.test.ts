import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as pages from '../../pipeline/catalogue/pages.ts';
import * as markdown from '../../pipeline/report/markdown.ts';

/*
 * Two helpers did one job: the object page’s percentApart ("61.7% sure, below the 62.0% this museum asks for") and the
 * report’s percent(value, other) ("the model must now be 62.0% sure, was 61.7%"). The report’s also never said "100%"
 * for less than certain; the object page’s did. One helper, with both rules, in the module of the other shared
 * figure formatters (num, pValue).
 */

const ROOT = path.resolve(import.meta.dirname, '../..');

describe('percentages said side by side', () => {
  it('are written by one helper, the one the catalogue pages re-export', () => {
    expect(typeof (markdown as Record<string, unknown>).percentApart).toBe('function');
    expect(pages.percentApart).toBe((markdown as Record<string, unknown>).percentApart);
  });

  it('keeps both rules: the decimals that tell two figures apart, never 100% below certain or 0% above nothing', () => {
    const percentApart = (markdown as Record<string, unknown>).percentApart as typeof pages.percentApart;
    expect(percentApart(0.617, 0.62)).toEqual(['61.7%', '62.0%']);
    expect(percentApart(0.6199, 0.62)).toEqual(['61.99%', '62.00%']);
    expect(percentApart(0.44, 0.65)).toEqual(['44%', '65%']);
    expect(percentApart(0.5, 0.5)).toEqual(['50%', '50%']);
    expect(percentApart(0.9996, 0.62)).toEqual(['99.96%', '62%']);
    expect(percentApart(0.004, 0.62)).toEqual(['0.4%', '62%']);
    expect(percentApart(0.55)).toEqual(['55%', '55%']);
  });

  it('says a share just below certain, or just above nothing, in words when four decimals cannot', () => {
    const percentApart = (markdown as Record<string, unknown>).percentApart as typeof pages.percentApart;
    // "100.0000%" read as certain, "0.0000%" as nothing.
    expect(percentApart(0.99999999)).toEqual(['just under 100%', 'just under 100%']);
    expect(percentApart(0.99999999, 0.62)).toEqual(['just under 100%', '62%']);
    expect(percentApart(0.000000001, 0.62)).toEqual(['just over 0%', '62%']);
    expect(percentApart(0.99999999, 1)).toEqual(['just under 100%', '100%']);
    expect(percentApart(1, 1)).toEqual(['100%', '100%']);
    expect(percentApart(0, 0)).toEqual(['0%', '0%']);
  });

  it('never says two different shares with the same words', () => {
    const percentApart = (markdown as Record<string, unknown>).percentApart as typeof pages.percentApart;
    // Both read "50.0000%": the threshold seemed unchanged.
    expect(percentApart(0.5000001, 0.5)).toEqual(['just over 50%', '50%']);
    expect(percentApart(0.5, 0.5000001)).toEqual(['50%', 'just over 50%']);
    expect(percentApart(0.4999999, 0.5000001)).toEqual(['just under 50%', 'just over 50%']);
    expect(percentApart(0.29, 0.2900000001)).toEqual(['29%', 'just over 29%']);
    // No round figure between them: the decimals it takes, however many.
    const [a, b] = percentApart(0.5123456701, 0.5123456702);
    expect(a).not.toBe(b);
    expect([a, b]).toEqual(['51.23456701%', '51.23456702%']);
    // Each in its own words, as the report and the object page put them side by side.
    for (const [x, y] of [
      [0.617, 0.62],
      [0.99999, 0.999991],
      [0.123456789, 0.12345679],
    ])
      expect(new Set(percentApart(x!, y!)).size, `${x} ${y}`).toBe(2);
  });

  it('holds its promises past seven decimals, and for a share that is not a number', () => {
    const percentApart = (markdown as Record<string, unknown>).percentApart as typeof pages.percentApart;
    // A reviewer’s cases: the round figure found by rounding fell below both, and the decimals it took said 100%.
    expect(percentApart(0.500000001, 0.500000002)).toEqual(['50.0000001%', '50.0000002%']);
    expect(percentApart(1e-9, 1e-8)).toEqual(['0.0000001%', '0.000001%']);
    expect(percentApart(0.99999999, 0.999999999)).toEqual(['99.999999%', '99.9999999%']);
    expect(percentApart(Number.NaN)).toEqual(['–', '–']);
    expect(percentApart(Number.NaN, 0.5)).toEqual(['–', '50%']);
    expect(percentApart(0.999999, 1)).toEqual(['99.9999%', '100%']);
  });

  it('has no second copy in the report', async () => {
    const source = await readFile(path.join(ROOT, 'pipeline/report/publication.ts'), 'utf8');
    expect(source).not.toMatch(/function percent\b/);
  });
});
