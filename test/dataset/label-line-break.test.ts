import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs } from './fixtures.ts';
import { warningsForLabel } from './label-warnings.ts';

/*
 * Tester: a label cell holding a line break ("figu⏎rine", a quoted CSV cell pasted from elsewhere) was printed
 * across two lines, the second looking like a message of its own. Values from the tables are shown on one line,
 * the break written as "\n", as the CLI shows file names.
 */

afterAll(removeTempDirs);

describe('a label with a line break in it', () => {
  it('is named on one line of the warning, the break shown as \\n', async () => {
    const warnings = await warningsForLabel('figu\nrine');
    expect(warnings[0]).toBe(
      'labels.csv:7: "figu\\nrine" is not one of the labels of this collection. Did you mean "figurine"?',
    );
    for (const warning of warnings) expect(warning).not.toContain('\n');
  });
});
