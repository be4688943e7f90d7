import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('the "Report for a fork" workflow', () => {
  it('posts after the fork’s run succeeded or failed (a cancelled run was replaced), and for pull requests only', async () => {
    const workflow = parse(await readFile(path.join(ROOT, '.github', 'workflows', 'report-from-fork.yml'), 'utf8')) as {
      jobs: Record<string, { if?: string }>;
    };
    const condition = workflow.jobs.comment!.if ?? '';
    const clauses = condition.split('&&').map((c) => c.trim());
    expect(clauses).toContain(`contains(fromJSON('["success", "failure"]'), github.event.workflow_run.conclusion)`);
    expect(clauses).toContain("github.event.workflow_run.event == 'pull_request'");
    // No "||" could make a check optional.
    expect(condition).not.toContain('||');
  });
});
