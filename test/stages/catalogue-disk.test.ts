import { describe, expect, it } from 'vitest';
import { VitrineError } from '../../pipeline/errors.ts';
import { failureNote } from '../../pipeline/report/failure.ts';
import { siteBuildTrouble } from '../../pipeline/stages/catalogue.ts';

/*
 * Astro running out of disk printed its own stack trace under "The catalogue site did not build": staff
 * read a failure of the site. The full disk is said first, and the note for the pull request points at
 * the runner.
 */

const ASTRO_OUTPUT =
  'The catalogue site did not build (Astro exited with 1):\n' +
  '[ERROR] ENOSPC: no space left on device, write\n    at async writeFile (node:internal/fs/promises:1200:3)\n' +
  '    at async generatePages (file:///site/node_modules/astro/dist/core/build/generate.js:80:5)';

describe('the catalogue stage with a full disk', () => {
  it("says the disk is full before Astro's own output", () => {
    const error = siteBuildTrouble(new VitrineError('SITE_BUILD_FAILED', ASTRO_OUTPUT, { code: 1 }));
    expect(error).toBeInstanceOf(VitrineError);
    expect((error as VitrineError).code).toBe('DISK_FULL');
    expect((error as VitrineError).message).toMatch(/^The disk is full: the catalogue site could not be written/);
    expect((error as VitrineError).message).toContain('ENOSPC');
    const { markdown } = failureNote({ error });
    expect(markdown).toContain('the runner needs looking at');
    expect(markdown).not.toContain('Fix this in the pull request');
  });

  it('leaves any other failure of the site as it is', () => {
    const other = new VitrineError(
      'SITE_BUILD_FAILED',
      'The catalogue site did not build (Astro exited with 1):\nSyntaxError',
    );
    expect(siteBuildTrouble(other)).toBe(other);
  });
});
