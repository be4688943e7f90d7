import { afterEach } from 'vitest';
import type { Forge } from '../../pipeline/github/forge.ts';
import { guardPullRequest } from '../../pipeline/github/guard.ts';
import { githubForge } from '../../pipeline/github/rest.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { type FakeGitHub, startFakeGitHub } from './fake-github.ts';
import { examplePayload, type PullRequestEvent } from './run-action.ts';

/*
 * What the tests of the guard (guardPullRequest) share: the emulated GitHub, started in a test and closed after it;
 * GitHub's example pull request event, whose base commit is there; files at a commit of the emulated GitHub; a forge
 * on it; and the guard called as choose-runner calls it on pull_request_target for Codertocat/Hello-World.
 */

/** A pull request event of GitHub's examples, with the base commit every one of them has. */
export type GuardEvent = PullRequestEvent & { pull_request: { base: { sha: string } } };

/** GitHub's example pull request event for `action` (opened, labeled, …). */
export function guardEvent(action = 'opened'): GuardEvent {
  return examplePayload(action) as GuardEvent;
}

/** The emulated GitHub of each test of the file: `start()` in a test; it is closed after that test. */
export function emulatedGitHub(): { start: () => Promise<FakeGitHub> } {
  let gh: FakeGitHub | null = null;
  afterEach(async () => {
    await gh?.close();
    gh = null;
  });
  return {
    start: async () => {
      gh = await startFakeGitHub();
      return gh;
    },
  };
}

/** Files at `commit` of the emulated GitHub, by path, each a regular file with its text. */
export function filesAt({ gh, commit, files }: { gh: FakeGitHub; commit: string; files: Record<string, string> }) {
  const entries = Object.entries(files).map(([file, text]) => [file, { type: 'file' as const, text }] as const);
  gh.contents.set(commit, new Map(entries));
}

/** A forge on the emulated GitHub that never waits between attempts, and the log it writes to. */
export function forgeOn(gh: FakeGitHub) {
  const log = memoryLogger();
  const forge = githubForge({ apiUrl: gh.url, token: 'test-token', log, sleep: async () => {} });
  return { forge, log };
}

/**
 * guardPullRequest as choose-runner calls it on pull_request_target for Codertocat/Hello-World (runner
 * self-hosted, label "safe to run", approvals by github-actions[bot]); `baseCommit` and the rest when given.
 */
export function runGuard({
  forge,
  log,
  event,
  ...given
}: { forge: Forge; log: ReturnType<typeof memoryLogger>; event: unknown } & Partial<
  Parameters<typeof guardPullRequest>[0]
>) {
  return guardPullRequest({
    forge,
    owner: 'Codertocat',
    repo: 'Hello-World',
    eventName: 'pull_request_target',
    event,
    selfHosted: ['self-hosted'],
    approvalLabel: 'safe to run',
    approver: 'github-actions[bot]',
    log,
    ...given,
  });
}
