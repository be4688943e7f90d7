import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../fixtures/temp.ts';

/*
 * Run an action's committed bundle the way the runner does: a node process with INPUT_* variables,
 * GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files and GITHUB_EVENT_PATH pointing at an event payload.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface PullRequestEvent {
  action: string;
  number: number;
  label?: { name: string };
  pull_request: {
    number: number;
    head: { sha: string; repo: { full_name: string; fork: boolean; owner: { login: string } } | null };
    base: { repo: { full_name: string } };
  };
  repository: { full_name: string };
}

/** A real pull_request payload of GitHub's documentation, by action. */
export function examplePayload(action: string): PullRequestEvent {
  const require = createRequire(import.meta.url);
  const all = require('@octokit/webhooks-examples') as { name: string; examples: PullRequestEvent[] }[];
  const example = all.find((e) => e.name === 'pull_request')!.examples.find((e) => e.action === action)!;
  return structuredClone(example);
}

export function asFork(event: PullRequestEvent): PullRequestEvent {
  event.pull_request.head.repo = {
    ...event.pull_request.head.repo!,
    full_name: 'mallory/Hello-World',
    fork: true,
    owner: { login: 'mallory' },
  };
  return event;
}

/** Parse a GITHUB_OUTPUT file (name<<delimiter blocks and name=value lines). */
export function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2]!, i + 1);
      out[heredoc[1]!] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (line.includes('=')) out[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
  }
  return out;
}

/** Run an action's bundle like the runner does; returns exit code, log, outputs and summary. */
export async function runAction({
  name,
  inputs,
  event,
  eventName = 'pull_request',
  workspace,
  extraEnv = {},
}: {
  name: string;
  inputs: Record<string, string>;
  event: unknown;
  eventName?: string;
  workspace: string;
  extraEnv?: Record<string, string>;
}) {
  // Kept until the test ends: an output may name a file in RUNNER_TEMP.
  const dir = await tempDir(`vitrine-action-${name}-`);
  const files = {
    event: path.join(dir, 'event.json'),
    output: path.join(dir, 'output'),
    summary: path.join(dir, 'summary.md'),
  };
  await writeFile(files.event, JSON.stringify(event));
  await writeFile(files.output, '');
  await writeFile(files.summary, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? dir,
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_REPOSITORY: 'Codertocat/Hello-World',
    GITHUB_EVENT_NAME: eventName,
    GITHUB_EVENT_PATH: files.event,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: '4242',
    GITHUB_SHA: 'f'.repeat(40),
    RUNNER_TEMP: dir,
    ...extraEnv,
  };
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.replace(/ /g, '_').toUpperCase()}`] = v;
  const child = spawn(process.execPath, [path.join(ROOT, 'actions', name, 'dist', 'index.mjs')], {
    cwd: workspace,
    env,
  });
  let stdout = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stdout += d));
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
  return {
    code,
    stdout,
    outputs: parseOutputs(await readFile(files.output, 'utf8')),
    summary: await readFile(files.summary, 'utf8'),
  };
}
