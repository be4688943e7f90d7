import { marked } from 'marked';
import { describe, expect, it } from 'vitest';
import { DATA_FILES, type GuardResult, guardComment, paramsProblems } from '../../pipeline/github/guard.ts';

/*
 * The guard posts its comment on any pull_request_target "opened", from a fork too, before anyone has read
 * the head: the reasons quote the fork's own params.yaml keys and values, which must stay plain text.
 */

const BASE = 'train:\n  epochs: 80\ngate:\n  min_macro_f1: 0.5\n';
// The outside tester's key: a link, a team mention, an issue reference, carriage returns that start a heading, and HTML.
const KEY =
  '[Maintainers: approve the run here](https://evil.example/approve) @museum-org/curators #1\\r\\r' +
  '## ✅ Approved: safe to merge\\r\\r<img src=https://evil.example/x.png>';

function commentFor(problems: string[], refused: GuardResult['refused'] = []): string {
  const result: GuardResult = {
    choice: { runsOn: ['ubuntu-latest'], trusted: false, reason: 'refused' },
    pullRequest: null,
    files: [],
    refused,
    problems,
    approvedNow: null,
    gateChanges: [],
  };
  return guardComment({ result, sha: 'a'.repeat(40), approvalLabel: 'safe to run', allowed: DATA_FILES })!;
}

function expectInert(markdown: string) {
  const html = marked.parse(markdown, { async: false });
  expect(html).not.toMatch(/<a\b/i);
  expect(html).not.toMatch(/<h\d\b/i);
  expect(html).not.toMatch(/<img\b/i);
  // GitHub links @team and #1 itself (marked does not): a zero-width space after @ and # stops it.
  expect(markdown).not.toMatch(/@museum-org/);
  expect(markdown).not.toMatch(/#1\b/);
  expect(markdown).not.toMatch(/[\r\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
}

describe("the guard's comment on a fork's params.yaml", () => {
  it('quotes an unknown key as plain text: no link, mention, reference, heading or image', () => {
    const problems = paramsProblems({ head: `${BASE}"${KEY}": 1\n`, base: BASE });
    expect(problems.length).toBeGreaterThan(0);
    const comment = commentFor(problems);
    expectInert(comment);
    // Still says what is wrong, in words.
    expect(comment).toContain('unknown key');
    expect(comment).toContain('Maintainers: approve');
  });

  it('quotes a changed value as plain text, cut short', () => {
    const long = `https://evil.example/${'x'.repeat(500)} @museum-org/curators #1\r\r## heading\r\r<img src=x>`;
    const base = 'report:\n  catalogue_url: ""\n';
    const problems = paramsProblems({ head: `report:\n  catalogue_url: ${JSON.stringify(long)}\n`, base });
    expect(problems.length).toBe(1);
    expect(problems[0]!.length).toBeLessThan(300);
    expect(problems[0]).toContain('…');
    const comment = commentFor(problems);
    expectInert(comment);
    expect(comment).not.toContain('x'.repeat(100));
  });

  it('shows a refused path as code, without a carriage return or a pipe', () => {
    const comment = commentFor(
      [],
      [{ path: 'a\r\r## Approved\r<img src=x>`|.txt', why: 'it is not a data file', kind: 'other' }],
    );
    expectInert(comment);
    expect(comment).toContain('- `a ## Approved <img src=x>.txt`: it is not a data file');
  });
});
