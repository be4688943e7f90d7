import { describe, expect, it } from 'vitest';
import { isVitrineError } from '../../pipeline/errors.ts';
import { checkGate } from '../../pipeline/stages/promote.ts';
import type { Metrics } from '../../pipeline/types.ts';

describe('promote: the failed-gate message', () => {
  it('reads right on a pull request and when run on main or on this machine', () => {
    const metrics = {
      gate: { passed: false, checks: [{ name: 'macro-F1', passed: false, detail: '0.41 < 0.60' }] },
    } as unknown as Metrics;
    let message = '';
    try {
      checkGate({ metrics });
    } catch (error) {
      expect(isVitrineError(error, 'PROMOTE_GATE_FAILED')).toBe(true);
      message = (error as Error).message;
    }
    expect(message).toContain('macro-F1 (0.41 < 0.60)');
    // Run on main or locally there is no pull request whose checks could run again.
    expect(message).not.toMatch(/run the pull request's checks again/);
    expect(message).toMatch(/pull request/);
    expect(message).toMatch(/npx vitrine run/);
  });
});
