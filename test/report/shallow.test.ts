import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isVitrineError } from '../../pipeline/errors.ts';
import { resolveCommit } from '../../pipeline/git/history.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { validateParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { fetchBase } from '../../pipeline/report/index.ts';
import type { ReportJson } from '../../pipeline/report/types.ts';
import { reportStage } from '../../pipeline/stages/report.ts';
import { startGitServer } from '../data/git-server.ts';
import { demoObjects, makeRepo, writeStageOutputs } from './fixture.ts';

/*
 * actions/checkout's default is a shallow clone of the pull request alone: the base branch with the
 * wrong labels is only on the server. The report must fetch it (with the job's token) to list the
 * label changes, and say plainly when it cannot.
 */

const run = promisify(execFile);
const TOKEN = 'ghs_museumTokenForTests0123456789';
const objects = demoObjects();
const correct = Object.fromEntries(objects.map((o) => [o.id, o.label]));
// The base: three wrong labels, DM-0036 not yet labelled; the pull request fixes them.
const base: Record<string, string> = { ...correct, 'DM-0007': 'coin', 'DM-0008': 'vessel', 'DM-0019': 'textile' };
delete base['DM-0036'];
const params = validateParams({ raw: { train: { epochs: 60 } } });

let tmp: string;
let baseCommit: string;
let gitServer: { url: string; close(): Promise<void> };
let proxy: http.Server;
let proxyUrl: string;
/** Every request the proxy saw: its Authorization header, and whether it speaks git protocol 2 (listing refs). */
const seen: { auth?: string; v2: boolean }[] = [];

/**
 * In front of the git server, like GitHub for a private repository: every request needs the
 * token as actions/checkout sends it, or it gets 403.
 */
async function startAuthProxy(target: string): Promise<{ server: http.Server; url: string }> {
  const expected = `Basic ${Buffer.from(`x-access-token:${TOKEN}`).toString('base64')}`;
  const server = http.createServer((req, res) => {
    seen.push({ auth: req.headers.authorization, v2: String(req.headers['git-protocol'] ?? '').includes('version=2') });
    if (req.headers.authorization !== expected) {
      res.writeHead(403, { 'content-type': 'text/plain' });
      res.end('Forbidden');
      return;
    }
    const upstream = http.request(
      `${target}${req.url}`,
      { method: req.method, headers: { ...req.headers, host: new URL(target).host } },
      (reply) => {
        res.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(res);
      },
    );
    upstream.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** A depth-1 clone of the pull request's branch, its origin pointing at `originUrl`, with the stage outputs. */
async function shallowClone(name: string, originUrl: string) {
  const dir = path.join(tmp, name);
  // Asynchronously: the HTTP server runs in this process and must keep answering.
  await run('git', ['clone', '-q', '--depth', '1', '--branch', 'fix-labels', `${gitServer.url}/museum.git`, dir]);
  await run('git', ['remote', 'set-url', 'origin', originUrl], { cwd: dir });
  const ws = workspace(dir);
  await writeStageOutputs({ ws, objects, head: correct });
  return ws;
}

function stageContext(ws: ReturnType<typeof workspace>, env: Record<string, string>) {
  const log = memoryLogger();
  return { log, ctx: { ws, params, log, clock: { now: () => new Date('2026-01-03T00:00:00Z') }, env } };
}

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'vitrine-report-shallow-'));
  const repo = await makeRepo({ objects, base, head: correct });
  baseCommit = repo.baseCommit;
  const served = path.join(tmp, 'served');
  await mkdir(served);
  await run('git', ['clone', '-q', '--bare', repo.ws.root, path.join(served, 'museum.git')]);
  await rm(repo.ws.root, { recursive: true, force: true });
  gitServer = await startGitServer({ projectRoot: served });
  ({ server: proxy, url: proxyUrl } = await startAuthProxy(gitServer.url));
});

afterAll(async () => {
  await new Promise<void>((resolve) => (proxy ? proxy.close(() => resolve()) : resolve()));
  await gitServer?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('the report on a shallow clone', () => {
  it('fetches the base branch with the token and lists the label changes', async () => {
    const ws = await shallowClone('pr', `${proxyUrl}/museum.git`);
    // The clone really lacks the base: neither main nor origin/main nor the commit.
    expect(isVitrineError(await resolveCommit({ dir: ws.root, ref: 'main' }).catch((e) => e), 'GIT_REF_UNKNOWN')).toBe(
      true,
    );
    expect(
      isVitrineError(await resolveCommit({ dir: ws.root, ref: baseCommit }).catch((e) => e), 'GIT_REF_UNKNOWN'),
    ).toBe(true);

    seen.length = 0;
    const { log, ctx } = stageContext(ws, { GITHUB_BASE_REF: 'main', GITHUB_TOKEN: TOKEN });
    const result = await reportStage.run(ctx);
    expect(log.lines.filter((l) => l.level === 'warn')).toEqual([]);
    expect(result.summary).toBe('better, gate passes, 3 labels changed and 1 object newly labelled');
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.some((r) => !r.v2)).toBe(true);
    const json = JSON.parse(await readFile(path.join(ws.report, 'report.json'), 'utf8')) as ReportJson;
    expect(json.labels.baseCommit).toBe(baseCommit);
    expect(json.labels.baseUnavailable).toBeNull();
    expect(json.labels.changes.map((c) => [c.id, c.kind, c.before, c.after])).toEqual([
      ['DM-0007', 'changed', 'coin', 'figurine'],
      ['DM-0008', 'changed', 'vessel', 'figurine'],
      ['DM-0019', 'changed', 'textile', 'print'],
      ['DM-0036', 'added', null, 'vessel'],
    ]);
    // The params comparison comes back with the base too.
    expect(json.lineage.params).toEqual([{ key: 'train.epochs', before: 40, after: 60 }]);
    const md = await readFile(path.join(ws.report, 'report.md'), 'utf8');
    expect(md).toContain('3 labels changed, 1 object newly labelled.');
    expect(md).not.toContain('cannot be listed');
    expect(log.lines.filter((l) => l.level === 'warn')).toEqual([]);
    expect(log.lines.some((l) => l.level === 'info' && l.message.startsWith('Fetched the base main'))).toBe(true);
    // The second report asks the server where main is, finds that commit in the clone, and
    // fetches nothing (a pack is fetched over protocol 1; the ref list over 2).
    seen.length = 0;
    const again = await reportStage.run(stageContext(ws, { GITHUB_BASE_REF: 'main', GITHUB_TOKEN: TOKEN }).ctx);
    expect(again.summary).toBe('better, gate passes, 3 labels changed and 1 object newly labelled');
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((r) => r.v2)).toBe(true);
  }, 60_000);

  it('says in the label section that the base could not be fetched, and why, when the server refuses', async () => {
    const ws = await shallowClone('refused', `${proxyUrl}/museum.git`);
    const { log, ctx } = stageContext(ws, { GITHUB_BASE_REF: 'main', GITHUB_TOKEN: 'ghs_notTheRightToken000000' });
    const result = await reportStage.run(ctx);
    expect(result.summary).toBe('better, gate passes, base main could not be fetched');
    const json = JSON.parse(await readFile(path.join(ws.report, 'report.json'), 'utf8')) as ReportJson;
    expect(json.labels.baseCommit).toBeNull();
    expect(json.labels.changes).toEqual([]);
    expect(json.labels.baseUnavailable?.ref).toBe('main');
    expect(json.labels.baseUnavailable?.reason).toMatch(/403.*the remote refused access/);
    const md = await readFile(path.join(ws.report, 'report.md'), 'utf8');
    const section = md.slice(md.indexOf('### Label changes'), md.indexOf('### Scores'));
    expect(section).toContain(
      '⚠️ The label changes cannot be listed: the base of this pull request (`main`) is not in this copy of the ' +
        'repository and could not be fetched. The reason: ',
    );
    expect(section).toContain('403');
    expect(section).toContain('fetch-depth: 0');
    // The rest of the report is still there; no token leaks into it.
    expect(md).toContain('### Scores');
    expect(md).toContain('its base `main` could not be fetched');
    expect(md).not.toContain('notTheRightToken');
    const warnings = log.lines.filter((l) => l.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toMatch(/^Could not fetch the base "main" from the remote "origin": .*403/);
    expect(warnings[0]!.message).not.toContain('notTheRightToken');
  }, 60_000);

  it("with VITRINE_BASE_REF=HEAD~1 past the clone's history, says so and goes on without the label changes", async () => {
    const ws = await shallowClone('parent', `${proxyUrl}/museum.git`);
    const { log, ctx } = stageContext(ws, { VITRINE_BASE_REF: 'HEAD~1', GITHUB_TOKEN: TOKEN });
    const result = await reportStage.run(ctx);
    expect(result.summary).toBe('better, gate passes, base HEAD~1 could not be fetched');
    const json = JSON.parse(await readFile(path.join(ws.report, 'report.json'), 'utf8')) as ReportJson;
    expect(json.labels.baseCommit).toBeNull();
    expect(json.labels.changes).toEqual([]);
    expect(json.labels.baseUnavailable?.reason).toMatch(/which this clone does not have.*fetch-depth: 0/);
    const md = await readFile(path.join(ws.report, 'report.md'), 'utf8');
    expect(md).toContain('the base of this pull request (`HEAD~1`) is not in this copy of the repository');
    const warnings = log.lines.filter((l) => l.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toMatch(/^"HEAD~1" goes back to commit .* shallow clone/);
  }, 60_000);

  it('without a base given, says the clone has no main to compare with instead of failing', async () => {
    const ws = await shallowClone('no-base', `${proxyUrl}/museum.git`);
    const { log, ctx } = stageContext(ws, {});
    const result = await reportStage.run(ctx);
    expect(result.summary).toBe('better, gate passes');
    const md = await readFile(path.join(ws.report, 'report.md'), 'utf8');
    expect(md).toContain(
      'This copy of the repository has no branch main to compare with, so there is no base commit to compare labels.csv with',
    );
    expect(log.lines.filter((l) => l.level === 'warn')).toEqual([]);
  }, 60_000);

  it('names a wrong repository address and a branch the server does not have', async () => {
    const ws = await shallowClone('wrong-path', `${gitServer.url}/no-such-museum.git`);
    const wrongPath = await fetchBase({ dir: ws.root, ref: 'main' }).catch((e) => e);
    expect(isVitrineError(wrongPath, 'REPORT_BASE_FETCH_FAILED')).toBe(true);
    expect(wrongPath.message).toMatch(/404.*no repository at that address/);

    await run('git', ['remote', 'set-url', 'origin', `${gitServer.url}/museum.git`], { cwd: ws.root });
    const noBranch = await fetchBase({ dir: ws.root, ref: 'release' }).catch((e) => e);
    expect(noBranch.message).toBe(
      'Could not fetch the base "release" from the remote "origin": there is no branch or tag called "release" there.',
    );
    // A full commit id is fetched too (here without a token: this server does not ask for one).
    expect(await fetchBase({ dir: ws.root, ref: baseCommit })).toEqual({ commit: baseCommit });
    expect(await resolveCommit({ dir: ws.root, ref: baseCommit })).toBe(baseCommit);
  }, 60_000);
});
