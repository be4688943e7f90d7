/*
 * Imports an export into a repository and prints, as JSON, the error's code and message (or that it did not
 * fail). Run as another user by import-read-only.test.ts. Usage: node import-read-only-runner.ts <repository>
 * <objects.csv> <images folder>.
 */
import { importCollection } from '../../pipeline/collection/import.ts';
import { messageOf } from '../../pipeline/errors.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';

const [root, metadata, images] = process.argv.slice(2) as [string, string, string];
try {
  await importCollection({ ws: workspace(root), params: defaultParams(), metadata, images, log: silentLogger });
  process.stdout.write(`${JSON.stringify({ message: 'it did not fail' })}\n`);
} catch (error) {
  process.stdout.write(`${JSON.stringify({ code: (error as { code?: string }).code, message: messageOf(error) })}\n`);
}
