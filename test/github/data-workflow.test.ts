import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { data, Evaluator, Lexer, Parser } from '@actions/expressions';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/*
 * The trusted workflow's concurrency group, evaluated with GitHub's expression library. With
 * cancel-in-progress, a run that lands in the group of a pull request's run cancels it, so only a
 * new push or a member's command may share it: a stranger's comment must never stop a training run.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SHA = 'a'.repeat(40);

function group(template: string, github: Record<string, unknown>): string {
  return template.replace(/\$\{\{(.*?)\}\}(?=[^}]|$)/gs, (_, e: string) => {
    const expr = new Parser(new Lexer(e).lex().tokens, ['github'], []).parse();
    const ctx = JSON.parse(JSON.stringify({ github }), data.reviver) as data.Dictionary;
    return String(JSON.parse(JSON.stringify(new Evaluator(expr, ctx).evaluate(), data.replacer)));
  });
}

const push = (runId: string) => ({
  event_name: 'pull_request_target',
  run_id: runId,
  event: { action: 'synchronize', pull_request: { number: 7 } },
});
const comment = (runId: string, body: string, association: string) => ({
  event_name: 'issue_comment',
  run_id: runId,
  event: {
    action: 'created',
    issue: { number: 7, pull_request: {} },
    comment: { body, author_association: association, user: { login: 'someone' } },
  },
});

describe("the trusted workflow's concurrency group", async () => {
  const workflow = parse(await readFile(path.join(ROOT, '.github', 'workflows', 'pull-request-data.yml'), 'utf8'));
  const template = workflow.concurrency.group as string;

  it('cancels the run of an older push when the pull request gets a new one', () => {
    expect(workflow.concurrency['cancel-in-progress']).toBe(true);
    expect(group(template, push('101'))).toBe(group(template, push('100')));
  });

  it.each(['NONE', 'CONTRIBUTOR', 'FIRST_TIME_CONTRIBUTOR', 'FIRST_TIMER', 'MANNEQUIN'])(
    'never lets a "/vitrine approve" comment by a %s share the running run\'s group',
    (association) => {
      const running = group(template, push('100'));
      expect(group(template, comment('101', `/vitrine approve ${SHA}`, association))).not.toBe(running);
    },
  );

  it("lets a member's approval command replace the waiting run, and keeps other comments apart", () => {
    const running = group(template, push('100'));
    for (const association of ['OWNER', 'MEMBER', 'COLLABORATOR']) {
      expect(group(template, comment('101', `/vitrine approve ${SHA}`, association))).toBe(running);
      expect(group(template, comment('102', 'Looks good', association))).not.toBe(running);
    }
  });
});

describe("the trusted workflow's gate status", async () => {
  const workflow = parse(await readFile(path.join(ROOT, '.github', 'workflows', 'pull-request-data.yml'), 'utf8'));

  it("names vitrine/gate itself, never the head's params.yaml (report.status_context)", () => {
    const steps = workflow.jobs.pipeline.steps as { uses?: string; with?: Record<string, string> }[];
    const report = steps.filter((s) => s.uses === './actions/report');
    expect(report).toHaveLength(1);
    expect(report[0]!.with?.['status-context']).toBe('vitrine/gate');
  });
});
