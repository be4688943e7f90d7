import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CommandContext } from '../../pipeline/cli/command.ts';
import { isVitrineError } from '../../pipeline/errors.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { type Workspace, workspace } from '../../pipeline/paths.ts';
import { reviewCommands } from '../../pipeline/review/commands.ts';

/*
 * Outside tester: after `vitrine run evaluate` with evaluate.folds 0 (which switches the cross-validation, and with it
 * the review list, off: docs/metrics.md), `vitrine review` said the list was missing and to run evaluate first, which
 * had just been run. It now says the list needs evaluate.folds of 2 or more.
 */

const roots: string[] = [];
afterEach(async () => {
  for (const root of roots.splice(0)) await rm(root, { recursive: true, force: true });
});

async function collection(paramsText: string): Promise<Workspace> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-review-folds-'));
  roots.push(root);
  const ws = workspace(root);
  await writeFile(ws.params, paramsText);
  // What evaluate leaves with folds 0: its scores, and no review list (a stale one is removed).
  await mkdir(ws.evaluate, { recursive: true });
  await writeFile(path.join(ws.evaluate, 'metrics.json'), '{}');
  return ws;
}

async function refusal(ws: Workspace): Promise<{ code: string; message: string }> {
  const clock = { now: () => new Date() };
  const ctx: CommandContext = { ws, log: memoryLogger(), clock, env: {}, json: false, out: () => {} };
  try {
    await reviewCommands[0]!.run(ctx, { values: {}, positionals: [] });
  } catch (error) {
    if (isVitrineError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected vitrine review to stop');
}

describe('vitrine review with the cross-validation switched off', () => {
  it('says the review list needs evaluate.folds of 2 or more, not to run evaluate first', async () => {
    const { code, message } = await refusal(await collection('evaluate:\n  folds: 0\n'));
    expect(code).toBe('REVIEW_FOLDS_OFF');
    expect(message).toContain('evaluate.folds is 0 in params.yaml');
    expect(message).toContain('Set evaluate.folds to 2 or more');
    expect(message).not.toContain('first');
  });

  it('with folds on, a missing list still says to run evaluate', async () => {
    const { code, message } = await refusal(await collection('evaluate:\n  folds: 5\n'));
    expect(code).toBe('REVIEW_MISSING');
    expect(message).toContain('Run "vitrine run evaluate" first.');
  });
});
