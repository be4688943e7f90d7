import { describe, expect, it } from 'vitest';
import { UNUSUAL_QUANTILE } from '../../pipeline/monitor/drift.ts';
import { latestFinding, UNUSUAL_BY_CHANCE } from '../../site/src/lib/drift-words.ts';

/*
 * Tester T5 (7 December 2026): 20 paintings added to an Egyptian collection, pooled with 83 Egyptian objects, gave
 * "No drift" and "The new objects look like the ones the model knows" on the public monitoring page, which listed
 * 16% of the new objects as unlike anything the model knows just below.
 */

describe('what the monitoring page says of the latest check', () => {
  it('says a notable share of unusual objects even when the signals found no drift', () => {
    const said = latestFinding({ drifted: false, unusualShare: 0.16 });
    expect(said).toMatch(/^Taken together, the new objects look like the ones the model knows, but 16% of them/);
    expect(said).toContain('about 1% would be by chance');
    expect(said).toContain('Check the least familiar objects below');
  });

  // Reviewer V10: "Taken together, the new objects look like the ones the model knows, but 100% of them are unlike…".
  it('does not say the new objects look familiar when most of them are unusual', () => {
    const said = latestFinding({ drifted: false, unusualShare: 1 });
    expect(said).toMatch(/^100% of the new objects are unlike any photograph the model was compared with/);
    expect(said).not.toContain('look like the ones the model knows');
  });

  it('says the new objects look familiar when the unusual share is what chance gives, or unknown', () => {
    expect(latestFinding({ drifted: false, unusualShare: 0.02 })).toBe(
      'The new objects look like the ones the model knows.',
    );
    expect(latestFinding({ drifted: false, unusualShare: null })).toBe(
      'The new objects look like the ones the model knows.',
    );
    expect(latestFinding({ drifted: true, unusualShare: 0.3 })).toBe(
      'The new objects differ in ways the model may not handle well.',
    );
  });

  it('counts chance as the monitor stage does: beyond its quantile of the reference photographs', () => {
    expect(UNUSUAL_BY_CHANCE).toBeCloseTo(1 - UNUSUAL_QUANTILE, 10);
  });
});
