import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { data, Evaluator, Lexer, Parser } from '@actions/expressions';
import type { FunctionDefinition } from '@actions/expressions/funcs/info';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { approveCommand } from '../../pipeline/github/guard.ts';

/*
 * Who can cancel a running report. With cancel-in-progress, a run that lands in the group of a pull
 * request's run cancels it. Any comment or label starts the workflow, so the group is taken by the
 * runner jobs only, after the guard has said the run is trusted (a new push, or an approval by
 * someone with write access): a stranger's comment, a triage label or a read-only collaborator's
 * approval never reaches it. Evaluated with GitHub's expression library.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

type Job = { needs?: string | string[]; if?: string; 'runs-on'?: string; concurrency?: Record<string, unknown> };

// The job status functions, as on a run where nothing was cancelled (the expression library has none).
const statusFunctions: FunctionDefinition[] = ['cancelled', 'failure', 'success', 'always'].map((name) => ({
  name,
  minArgs: 0,
  maxArgs: 0,
  call: () => new data.BooleanData(name !== 'cancelled' && name !== 'failure'),
}));

function evaluate(template: string, context: Record<string, unknown>): string {
  return template.replace(/\$\{\{(.*?)\}\}(?=[^}]|$)/gs, (_, e: string) => {
    const expr = new Parser(new Lexer(e).lex().tokens, Object.keys(context), statusFunctions).parse();
    const ctx = JSON.parse(JSON.stringify(context), data.reviver) as data.Dictionary;
    const functions = new Map(statusFunctions.map((f) => [f.name.toLowerCase(), f]));
    return String(JSON.parse(JSON.stringify(new Evaluator(expr, ctx, functions).evaluate(), data.replacer)));
  });
}

const guardSaid = (trusted: string, pullRequest: string) => ({
  github: { event_name: 'pull_request_target' },
  needs: { guard: { outputs: { trusted, 'pull-request': pullRequest, shards: '2' } }, shard: { result: 'success' } },
  matrix: { shard: 1 },
});

describe('who can cancel a running report', async () => {
  const workflow = parse(await readFile(path.join(ROOT, '.github', 'workflows', 'pull-request-data.yml'), 'utf8'));
  const jobs = workflow.jobs as Record<string, Job>;
  const onRunner = Object.entries(jobs).filter(([, j]) => String(j['runs-on']).includes('needs.guard.outputs'));

  it("has no workflow-wide group: it would be decided before the guard, for anyone's event", () => {
    expect(workflow.concurrency).toBeUndefined();
    expect(onRunner.map(([name]) => name).sort()).toEqual(['pipeline', 'shard']);
  });

  it.each(['pipeline', 'shard'])('the %s job takes the group only when the guard trusts the run', (name) => {
    const job = jobs[name]!;
    expect(job.concurrency?.['cancel-in-progress']).toBe(true);
    expect([job.needs].flat()).toContain('guard');
    const runs = (trusted: string) =>
      evaluate(job.if!.startsWith('${{') ? job.if! : `\${{ ${job.if} }}`, guardSaid(trusted, '7'));
    expect(runs('true')).toBe('true');
    expect(runs('false')).toBe('false');
    expect(runs('')).toBe('false');
  });

  it('gives two trusted runs of one pull request the same group, and other pull requests their own', () => {
    for (const name of ['pipeline', 'shard']) {
      const group = jobs[name]!.concurrency!.group as string;
      expect(evaluate(group, guardSaid('true', '7'))).toBe(evaluate(group, guardSaid('true', '7')));
      expect(evaluate(group, guardSaid('true', '7'))).not.toBe(evaluate(group, guardSaid('true', '8')));
    }
    const pipeline = evaluate(jobs.pipeline!.concurrency!.group as string, guardSaid('true', '7'));
    const shard = evaluate(jobs.shard!.concurrency!.group as string, guardSaid('true', '7'));
    expect(shard).not.toBe(pipeline);
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

describe('which comments start the guard', async () => {
  const workflow = parse(await readFile(path.join(ROOT, '.github', 'workflows', 'pull-request-data.yml'), 'utf8'));
  const condition = (workflow.jobs.guard as Job).if!;
  const starts = (body: string) =>
    evaluate(`\${{ ${condition} }}`, {
      github: {
        event_name: 'issue_comment',
        event: { issue: { number: 7, pull_request: { url: 'x' } }, comment: { body } },
      },
    }) === 'true';
  const sha = 'ab'.repeat(20);

  it('starts the guard for every comment the guard reads as an approval, with spaces or lines around it', () => {
    for (const body of [
      `/vitrine approve ${sha}`,
      `  /vitrine approve ${sha}`,
      `\n/vitrine approve ${sha}\n`,
      `\t/vitrine approve ${sha.toUpperCase()}  `,
    ]) {
      expect(approveCommand(body), JSON.stringify(body)).not.toBeNull();
      expect(starts(body), JSON.stringify(body)).toBe(true);
    }
  });

  it('starts nothing for a comment that does not mention the command', () => {
    for (const body of ['Looks good', 'please approve', '/vitrine', '']) expect(starts(body), body).toBe(false);
  });
});
