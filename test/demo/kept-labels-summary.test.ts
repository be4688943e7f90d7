import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { removeTempDirs, tempDir } from '../dataset/fixtures.ts';

/*
 * Tester: a second `npm run demo` after the label fix warned that the corrected labels.csv "is kept as it is",
 * then said "300 labelled (19 of them deliberately wrong)": the count was the demo's, not the kept file's.
 */

afterAll(removeTempDirs);

describe('vitrine demo over a corrected labels.csv', () => {
  it('says the file was kept, and claims no deliberately wrong labels in it', async () => {
    const root = await tempDir();
    await writeFile(
      path.join(root, 'params.yaml'),
      'demo:\n  per_type: 6\n  unlabelled_per_type: 0\n  image_size: 64\n',
    );
    const run = async (args: string[]) => {
      const log = memoryLogger();
      const code = await main(args, { cwd: root, env: {}, stdout: () => {}, log });
      const said = log.lines.map((l) => l.message);
      expect(code, said.join('\n')).toBe(0);
      return said.filter((m) => m.startsWith('Demo collection:'));
    };
    const first = await run(['demo']);
    expect(first).toHaveLength(1);
    expect(first[0]).toMatch(/^Demo collection: 36 objects, 36 labelled \(\d+ of them deliberately wrong\), 36 images/);
    await run(['demo', '--fix-labels']);
    const again = await run(['demo']);
    expect(again).toEqual(['Demo collection: 36 objects, labels.csv kept as it is, 0 images written.']);
  }, 120_000);
});
