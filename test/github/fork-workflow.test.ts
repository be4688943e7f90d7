import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('the "Report for a fork" workflow', () => {
  it("posts only after the fork's run succeeded (a failed or cancelled run has no report to trust)", async () => {
    const workflow = parse(await readFile(path.join(ROOT, '.github', 'workflows', 'report-from-fork.yml'), 'utf8')) as {
      jobs: Record<string, { if?: string }>;
    };
    const condition = workflow.jobs.comment!.if ?? '';
    const clauses = condition.split('&&').map((c) => c.trim());
    expect(clauses).toContain("github.event.workflow_run.conclusion == 'success'");
    expect(clauses).toContain("github.event.workflow_run.event == 'pull_request'");
    // No "||" could make the success check optional.
    expect(condition).not.toContain('||');
  });
});
