import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { actionNames, DOCS_FILE, readAction, staleFiles } from '../../actions/build.ts';
import * as runner from '../../actions/choose-runner/settings.ts';
import * as report from '../../actions/report/settings.ts';

describe('generated files', () => {
  it('the committed action bundles and docs/actions.md match a fresh build', async () => {
    // If this fails: run `npm run build:actions` and commit the result.
    expect(await staleFiles()).toEqual([]);
  });

  it('docs/actions.md has no line over 140 characters: it reads whole in a side-by-side diff', async () => {
    const lines = (await readFile(DOCS_FILE, 'utf8')).split('\n');
    expect(lines.flatMap((line, i) => (line.length > 140 ? [`line ${i + 1}: ${line.length}`] : []))).toEqual([]);
  });

  it('the data-cache bundle holds no S3 client and stays under 2 MB: it only restores, prunes and saves the cache', async () => {
    // The committed bundle, which the first test keeps equal to a fresh build. The S3 SDK once came in through
    // gc.ts -> merge-state.ts -> git/repo.ts (dataDiff opened a remote itself) -> data/remote.ts, and through
    // gc.ts opening the remote itself, which the action never asks (removeUnpushed).
    const file = path.join(import.meta.dirname, '..', '..', 'actions', 'data-cache', 'dist', 'index.mjs');
    // A command name found only in @aws-sdk/client-s3 (Vitrine never sends it).
    const s3 = (await readFile(file, 'utf8')).includes('PutBucketLifecycleConfiguration');
    expect(s3, 'the S3 client is in the bundle').toBe(false);
    expect((await stat(file)).size).toBeLessThan(2 * 1024 * 1024);
  });
});

describe('action.yml and the settings readers agree', () => {
  it.each([
    ['report', report],
    ['choose-runner', runner],
  ] as const)('%s declares exactly the inputs and outputs its entry reads and writes', async (name, settings) => {
    const action = await readAction(name);
    expect(Object.keys(action.inputs ?? {}).sort()).toEqual(Object.values(settings.INPUTS).sort());
    expect(Object.keys(action.outputs ?? {}).sort()).toEqual(Object.values(settings.OUTPUTS).sort());
    expect(action.runs.using).toBe('node24');
  });

  it('every action documents every input and output', async () => {
    const names = await actionNames();
    expect(names).toEqual([
      'catalogue',
      'check-retrain',
      'choose-runner',
      'data-cache',
      'pipeline',
      'promote',
      'report',
      'setup-data',
    ]);
    for (const name of names) {
      const action = await readAction(name);
      expect(action.description.length, name).toBeGreaterThan(40);
      for (const [key, spec] of [...Object.entries(action.inputs ?? {}), ...Object.entries(action.outputs ?? {})])
        expect(spec.description?.length ?? 0, `${name}.${key}`).toBeGreaterThan(10);
    }
  });
});
