import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { INPUTS, readSettings } from '../../actions/report/settings.ts';

/*
 * On issue_comment (a comment on a pull request, as a slash command starts a run) the payload has issue.number and
 * issue.pull_request, not pull_request: the action said "not for a pull request" and set the gate status on
 * GITHUB_SHA, the default branch's commit (tester T13, F4).
 */

const require = createRequire(import.meta.url);
const examples = require('@octokit/webhooks-examples') as { name: string; examples: any[] }[];
const DEFAULT_BRANCH_SHA = 'a'.repeat(40);
const HEAD = 'c'.repeat(40);

/** A comment on pull request 7, as GitHub sends it. */
function commentOnPullRequest() {
  const event = structuredClone(examples.find((e) => e.name === 'issue_comment')!.examples[0]);
  event.issue.number = 7;
  event.issue.pull_request = { url: 'https://api.github.com/repos/Codertocat/Hello-World/pulls/7' };
  return event;
}

function settings(inputs: Record<string, string>, event: unknown = commentOnPullRequest()) {
  const all: Record<string, string> = { [INPUTS.token]: 't', ...inputs };
  return readSettings({
    get: (name) => all[name] ?? '',
    env: {
      GITHUB_REPOSITORY: 'Codertocat/Hello-World',
      GITHUB_SHA: DEFAULT_BRANCH_SHA,
      GITHUB_EVENT_NAME: 'issue_comment',
    },
    event,
  });
}

describe('the report action on a comment on a pull request', () => {
  it('comments on the pull request the comment is on', () => {
    expect(settings({ [INPUTS.sha]: HEAD }).pullRequest).toBe(7);
  });

  it('refuses to set the gate status without the sha input, naming the inputs, never on the default branch', () => {
    expect(() => settings({})).toThrow(/"sha".*"status: false"|"status: false".*"sha"/s);
    expect(settings({ [INPUTS.sha]: HEAD }).sha).toBe(HEAD);
    expect(settings({ [INPUTS.status]: 'false' }).sha).toBeNull();
  });

  it('does not comment on an issue that is not a pull request', () => {
    const event = commentOnPullRequest();
    delete event.issue.pull_request;
    expect(settings({ [INPUTS.status]: 'false' }, event).pullRequest).toBeNull();
  });
});
