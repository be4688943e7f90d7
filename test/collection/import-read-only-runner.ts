/*
 * Imports an export into a repository and prints, as JSON, the error's code and message (or that it did not
 * fail). Run as another user by import-read-only.test.ts. Usage: node import-read-only-runner.ts <repository>
 * <objects.csv> <images folder> [on_invalid]. Given on_invalid, an import that ends prints the rows it refused and
 * the number of objects imported.
 */
import { importCollection } from '../../pipeline/collection/import.ts';
import { messageOf } from '../../pipeline/errors.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';

const [root, metadata, images, onInvalid] = process.argv.slice(2) as [string, string, string, string?];
const params = defaultParams();
if (onInvalid === 'skip' || onInvalid === 'fail') params.import.on_invalid = onInvalid;
try {
  const result = await importCollection({ ws: workspace(root), params, metadata, images, log: silentLogger });
  const refused = result.refused.map((p) => `${p.line}: ${p.message}`);
  const notes = result.problems.filter((p) => !p.refused).map((p) => `${p.line}: ${p.message}`);
  process.stdout.write(`${JSON.stringify({ message: 'it did not fail', objects: result.objects, refused, notes })}\n`);
} catch (error) {
  process.stdout.write(`${JSON.stringify({ code: (error as { code?: string }).code, message: messageOf(error) })}\n`);
}
