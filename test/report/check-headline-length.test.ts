import { describe, expect, it } from 'vitest';
import { withGateChanges } from '../../pipeline/github/publish.ts';
import { headline } from '../../pipeline/report/render.ts';

/*
 * A reviewer: the commit status of "check label changes" was 128 to 141 characters alone, and with the prefix of a
 * pull request that changes the gate ("Base settings (PR changes them): ") 161 to 172: GitHub keeps 140, so the
 * status was cut and lost whether the promotion gate passes.
 */

describe('the commit status of a label change to check', () => {
  it('keeps the gate within 140 characters, with four-digit counts and the gate-changes prefix', () => {
    for (const passed of [true, false]) {
      const report = {
        verdict: 'check label changes' as const,
        gate: { passed } as never,
        labelsToCheck: { relabelled: 9999, old: 9998, objects: [] },
      };
      const plain = headline(report);
      const prefixed = withGateChanges({
        markdown: '',
        headline: plain,
        changes: [{ key: 'gate.min_macro_f1', base: 0.5, head: 0.4 }] as never,
      }).headline;
      expect(prefixed.startsWith('Base settings')).toBe(true);
      expect(prefixed.length).toBeLessThanOrEqual(140);
      // Room for a removed label's prefix too ("Removes label Amulets: ").
      expect(`Removes label Amulets: ${plain}`.length).toBeLessThanOrEqual(140);
      expect(plain).toContain(passed ? 'The promotion gate passes.' : 'The promotion gate does not pass.');
      expect(plain).toContain('9998 of 9999 relabelled look like their old label');
    }
  });
});
