import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { chooseRunner } from '../../pipeline/github/runner.ts';

/*
 * Every payload in @octokit/webhooks-examples (GitHub's documented webhook bodies), replayed through
 * choose-runner as it is (the repository's own branches) and as if it came from a fork. The expected
 * trust decision is the table below; an event that is not in it must be untrusted (fail closed).
 */

interface Example {
  name: string;
  examples: Record<string, unknown>[];
}

const require = createRequire(import.meta.url);
const ALL = require('@octokit/webhooks-examples') as Example[];
const SELF_HOSTED = ['self-hosted', 'gpu'];
const FORK = 'mallory/Hello-World';

/** Trusted events, by how a payload decides it; every other event name is untrusted. */
const TRUSTED: Record<string, 'always' | 'same repository' | 'same repository or approved head'> = {
  push: 'always',
  schedule: 'always',
  workflow_dispatch: 'always',
  pull_request: 'same repository',
  pull_request_target: 'same repository or approved head',
};

/** The same payload with every head repository moved to a fork (what a fork's pull request sends). */
function asFork(payload: Record<string, unknown>): Record<string, unknown> {
  const copy = structuredClone(payload) as Record<string, any>;
  const fork = (repo: Record<string, any> | null | undefined) =>
    repo
      ? {
          ...repo,
          full_name: FORK,
          name: 'Hello-World',
          fork: true,
          owner: { ...(repo.owner ?? {}), login: 'mallory' },
        }
      : repo;
  if (copy.pull_request?.head) copy.pull_request.head.repo = fork(copy.pull_request.head.repo);
  if (copy.workflow_run) {
    copy.workflow_run.head_repository = fork(copy.workflow_run.head_repository);
    for (const pr of copy.workflow_run.pull_requests ?? []) pr.head.repo = fork(pr.head.repo);
  }
  for (const key of ['check_suite', 'check_run'])
    for (const pr of copy[key]?.pull_requests ?? []) pr.head.repo = fork(pr.head.repo);
  return copy;
}

function headSha(payload: Record<string, any>): string | undefined {
  return payload.pull_request?.head?.sha;
}

/** What the table says for one event and payload. */
function expected(eventName: string, payload: Record<string, any>, approved: string[]): boolean {
  const rule = TRUSTED[eventName];
  if (!rule) return false;
  if (rule === 'always') return true;
  const pr = payload.pull_request;
  const same =
    !!pr?.head?.repo &&
    pr.head.repo.full_name === pr.base?.repo?.full_name &&
    pr.base.repo.full_name === payload.repository?.full_name;
  if (same) return true;
  return rule === 'same repository or approved head' && approved.includes(pr?.head?.sha);
}

// Each documented payload under its own event name, and the pull-request ones also as the events
// that carry the same body (pull_request_target; a workflow's schedule has no webhook example).
const CASES = ALL.flatMap(({ name, examples }) => [
  ...examples.map((event, i) => ({ eventName: name, label: `${name} #${i} ${String(event.action ?? '')}`, event })),
  ...(name === 'pull_request'
    ? examples.map((event, i) => ({
        eventName: 'pull_request_target',
        label: `pull_request_target #${i} ${String(event.action ?? '')}`,
        event,
      }))
    : []),
]).concat([{ eventName: 'schedule', label: 'schedule', event: { schedule: '17 3 * * 1' } }]);

describe('choose-runner replayed over every documented webhook payload', () => {
  it('covers every event type in @octokit/webhooks-examples', () => {
    const names = new Set(CASES.map((c) => c.eventName));
    for (const { name } of ALL) expect(names.has(name), name).toBe(true);
    expect(ALL.length).toBeGreaterThan(50);
  });

  it.each(CASES)('$label (same repository)', ({ eventName, event }) => {
    const choice = chooseRunner({ eventName, event, selfHosted: SELF_HOSTED });
    const trusted = expected(eventName, event as Record<string, any>, []);
    expect(choice.trusted, choice.reason).toBe(trusted);
    expect(choice.runsOn).toEqual(trusted ? SELF_HOSTED : ['ubuntu-latest']);
    expect(choice.reason.length).toBeGreaterThan(20);
  });

  it.each(CASES)('$label (from a fork)', ({ eventName, event }) => {
    const fork = asFork(event);
    const choice = chooseRunner({ eventName, event: fork, selfHosted: SELF_HOSTED });
    const touched = JSON.stringify(fork) !== JSON.stringify(event);
    // A payload that names a fork anywhere is never trusted; one that names none keeps its decision.
    expect(choice.trusted, choice.reason).toBe(touched ? false : expected(eventName, event as Record<string, any>, []));
    if (!choice.trusted) expect(choice.runsOn).toEqual(['ubuntu-latest']);
  });

  it('trusts 0 fork payloads but an approved, unchanged head, and only on pull_request_target', () => {
    let trustedForks = 0;
    let approvedForks = 0;
    for (const { eventName, event } of CASES) {
      const fork = asFork(event) as Record<string, any>;
      if (JSON.stringify(fork) === JSON.stringify(event)) continue;
      const sha = headSha(fork);
      if (chooseRunner({ eventName, event: fork, selfHosted: SELF_HOSTED }).trusted) trustedForks++;
      // A maintainer approved exactly this head: only the base branch's workflow may use it.
      const approved = chooseRunner({
        eventName,
        event: fork,
        selfHosted: SELF_HOSTED,
        approvedShas: sha ? [sha] : [],
      });
      expect(approved.trusted, `${eventName} ${fork.action}`).toBe(eventName === 'pull_request_target' && !!sha);
      if (approved.trusted) approvedForks++;
      // A push after the approval changes the head: the approval does not carry over.
      const pushed = {
        ...fork,
        pull_request: { ...fork.pull_request, head: { ...fork.pull_request?.head, sha: 'e'.repeat(40) } },
      };
      expect(
        chooseRunner({ eventName, event: pushed, selfHosted: SELF_HOSTED, approvedShas: sha ? [sha] : [] }).trusted,
      ).toBe(false);
    }
    expect(trustedForks).toBe(0);
    expect(approvedForks).toBe(ALL.find((e) => e.name === 'pull_request')!.examples.length);
  });

  it('is untrusted for the events that used to fail open, whatever the label', () => {
    const pr = ALL.find((e) => e.name === 'pull_request')!.examples.find((e) => e.action === 'labeled')!;
    const labeled = { ...asFork(pr), label: { name: 'safe to run' } };
    for (const eventName of [
      'pull_request',
      'pull_request_review',
      'pull_request_review_comment',
      'issue_comment',
      'workflow_run',
      'merge_group',
      'check_suite',
      'repository_dispatch',
      '',
      'Push',
    ]) {
      expect(chooseRunner({ eventName, event: labeled, selfHosted: SELF_HOSTED }).trusted, eventName).toBe(false);
    }
  });

  it('is untrusted when the pull request payload is missing parts or names another repository', () => {
    const pr = structuredClone(ALL.find((e) => e.name === 'pull_request')!.examples[0]!) as Record<string, any>;
    for (const broken of [
      {},
      null,
      { pull_request: {} },
      { ...pr, repository: { full_name: 'someone/else' } },
      { ...pr, pull_request: { ...pr.pull_request, head: { ...pr.pull_request.head, repo: null } } },
    ]) {
      expect(chooseRunner({ eventName: 'pull_request', event: broken, selfHosted: SELF_HOSTED }).trusted).toBe(false);
      expect(
        chooseRunner({
          eventName: 'pull_request_target',
          event: broken,
          selfHosted: SELF_HOSTED,
          approvedShas: [pr.pull_request.head.sha],
        }).trusted,
      ).toBe(false);
    }
  });
});
