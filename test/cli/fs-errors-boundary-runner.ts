/*
 * Runs fs-errors-boundary-child.ts through the catalogue's runApart and prints, as JSON, the error that
 * came back and the words the CLI's error boundary gives it. Usage: node fs-errors-boundary-runner.ts
 * <repository> <from> <site folder>.
 */
import path from 'node:path';
import { runApart } from '../../pipeline/catalogue/apart.ts';
import { environmentProblem } from '../../pipeline/cli/fs-errors.ts';
import { messageOf } from '../../pipeline/errors.ts';
import { silentLogger } from '../../pipeline/log.ts';

const [root, from, site] = process.argv.slice(2) as [string, string, string];
const entry = path.join(import.meta.dirname, 'fs-errors-boundary-child.ts');
try {
  await runApart({ entry, request: { from, site }, log: silentLogger, what: 'placing the site', code: 'TEST_APART' });
  process.stdout.write(`${JSON.stringify({ raw: 'it did not fail' })}\n`);
} catch (error) {
  const words = environmentProblem({ error, root, command: 'run' });
  process.stdout.write(
    `${JSON.stringify({ raw: messageOf(error), code: (error as { code?: string }).code, words })}\n`,
  );
}
