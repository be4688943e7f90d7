import { describe, expect, it } from 'vitest';
import { percentApart } from '../../pipeline/catalogue/pages.ts';

/*
 * A reviewer: a guess held back at confidence 0.617 under a threshold of 0.62 read "coin (62% sure), is below the 62%
 * this museum asks for": two different figures rounded to the same words. Said apart, with the decimals it takes.
 */

describe('two percentages said side by side', () => {
  it('gets the decimals that tell them apart, and none when whole ones do', () => {
    expect(percentApart(0.617, 0.62)).toEqual(['61.7%', '62.0%']);
    expect(percentApart(0.6199, 0.62)).toEqual(['61.99%', '62.00%']);
    expect(percentApart(0.44, 0.65)).toEqual(['44%', '65%']);
    expect(percentApart(0.5, 0.5)).toEqual(['50%', '50%']);
  });
});
