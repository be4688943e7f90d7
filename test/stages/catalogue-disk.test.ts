import { describe, expect, it } from 'vitest';
import { astroFailure } from '../../pipeline/catalogue/site.ts';
import { VitrineError } from '../../pipeline/errors.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { failureNote } from '../../pipeline/report/failure.ts';

/*
 * Astro running out of disk printed its own stack trace under "The catalogue site did not build": staff
 * read a failure of the site. The full disk is said alone (Astro's output goes to the debug log;
 * test/site/astro-failure.test.ts), and the note for the pull request points at the runner.
 */

const ASTRO_ERR =
  '[ERROR] ENOSPC: no space left on device, write\n    at async writeFile (node:internal/fs/promises:1200:3)\n' +
  '    at async generatePages (file:///site/node_modules/astro/dist/core/build/generate.js:80:5)';

describe('the catalogue stage with a full disk', () => {
  it('says the disk is full, and the pull request note points at the runner', () => {
    const error = astroFailure({ code: 1, out: '', err: ASTRO_ERR, root: '/repo', folders: [], log: memoryLogger() });
    expect(error).toBeInstanceOf(VitrineError);
    expect(error.code).toBe('DISK_FULL');
    expect(error.message).toMatch(/^The disk is full: the catalogue site could not be written/);
    expect(error.message).not.toContain('generatePages');
    const { markdown } = failureNote({ error });
    expect(markdown).toContain('the runner needs looking at');
    expect(markdown).not.toContain('Fix this in the pull request');
  });

  it('keeps the end of Astro output for any other failure of the site', () => {
    const error = astroFailure({
      code: 1,
      out: '',
      err: 'SyntaxError: x',
      root: '/repo',
      folders: [],
      log: memoryLogger(),
    });
    expect(error.code).toBe('SITE_BUILD_FAILED');
    expect(error.message).toContain('SyntaxError: x');
  });
});
