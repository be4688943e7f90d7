import { describe, expect, it } from 'vitest';
import { emulatedGitHub, filesAt, forgeOn, guardEvent, runGuard } from './guard-fixture.ts';

/*
 * Another helper: the guard compared the head's params.yaml with the base branch's latest commit. When main raised a
 * gate value after the branch was made and the pull request edits params.yaml (another setting), gate-changes said
 * the pull request proposes the old value. What the pull request proposes is what it changed since its merge base;
 * the gate that judges it stays the base branch's latest.
 */

const OLD =
  'train:\n  epochs: 80\nevaluate:\n  baseline: prod\n' +
  'gate:\n  max_macro_f1_drop: 0.02\n  min_class_f1: 0.3\n  min_macro_f1: 0.5\n  min_test_objects: 30\n';
// Main raised min_class_f1 after the branch was made.
const MAIN = OLD.replace('min_class_f1: 0.3', 'min_class_f1: 0.4');
const MERGE_BASE = 'd'.repeat(40);

const github = emulatedGitHub();

async function guard(head: string) {
  const gh = await github.start();
  const event = guardEvent('opened');
  const { number } = event.pull_request;
  const headSha = event.pull_request.head.sha;
  const baseSha = event.pull_request.base.sha;
  gh.pullFiles.set(number, [{ filename: 'params.yaml', status: 'modified' }]);
  filesAt({ gh, commit: headSha, files: { 'params.yaml': head } });
  filesAt({ gh, commit: baseSha, files: { 'params.yaml': MAIN } });
  filesAt({ gh, commit: MERGE_BASE, files: { 'params.yaml': OLD } });
  gh.compare.set(`${baseSha}...${headSha}`, MERGE_BASE);
  return runGuard({ ...forgeOn(gh), event });
}

describe('what a pull request proposes for the gate, from its merge base', () => {
  it('does not say it proposes the value main had when the branch was made', async () => {
    const result = await guard(OLD.replace('epochs: 80', 'epochs: 12'));
    expect(result.choice.trusted).toBe(true);
    expect(result.gateChanges).toEqual([]);
    // Handed over as the pull request wrote it, to be merged into main's file (whose gate the pipeline job's
    // base-gate step keeps): rewritten with main's gate, it conflicted with main's changes near it (a reviewer).
    expect(result.files.find((f) => f.path === 'params.yaml')!.text).toBe(OLD.replace('epochs: 80', 'epochs: 12'));
  });

  it('still names a gate value the pull request itself changed', async () => {
    const result = await guard(OLD.replace('min_macro_f1: 0.5', 'min_macro_f1: 0.1'));
    expect(result.gateChanges).toEqual([{ key: 'gate.min_macro_f1', base: 0.5, head: 0.1 }]);
    expect(result.files.find((f) => f.path === 'params.yaml')!.text).toContain('min_macro_f1: 0.1');
  });
});
