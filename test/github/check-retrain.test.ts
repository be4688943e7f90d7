import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../fixtures/temp.ts';
import { parseOutputs } from './run-action.ts';

const SCRIPT = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'actions',
  'check-retrain',
  'outputs.ts',
);

describe('check-retrain outputs', () => {
  it("turns the monitor's decision into step outputs and a summary line", async () => {
    const dir = await tempDir('vitrine-retrain-');
    const decision = {
      retrain: true,
      reasons: ['24 labels changed since v1.2.0 (threshold 20)', 'retrain=false is not an output'],
      newLabels: 24,
      newObjects: 3,
      drifted: false,
      summaryLine: '**Retrain**: 24 labels changed.',
    };
    await writeFile(path.join(dir, 'decision.json'), JSON.stringify(decision));
    await writeFile(path.join(dir, 'out'), '');
    await writeFile(path.join(dir, 'summary'), '');
    const run = spawnSync(process.execPath, [SCRIPT, path.join(dir, 'decision.json')], {
      env: {
        PATH: process.env.PATH,
        GITHUB_OUTPUT: path.join(dir, 'out'),
        GITHUB_STEP_SUMMARY: path.join(dir, 'summary'),
      },
      encoding: 'utf8',
    });
    expect(run.status).toBe(0);
    const outputs = parseOutputs(await readFile(path.join(dir, 'out'), 'utf8'));
    // A reason that looks like an output line stays inside the multi-line value.
    expect(outputs).toEqual({ retrain: 'true', reasons: decision.reasons.join('\n') });
    expect(await readFile(path.join(dir, 'summary'), 'utf8')).toBe('**Retrain**: 24 labels changed.\n');
  });
});
