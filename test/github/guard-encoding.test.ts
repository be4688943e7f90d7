import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { guardComment } from '../../pipeline/github/guard.ts';
import { githubForge } from '../../pipeline/github/rest.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { emulatedGitHub, forgeOn, guardEvent, runGuard } from './guard-fixture.ts';

/*
 * A head's data files are read as bytes and must be UTF-8, as the pipeline requires: decoding them loosely would
 * turn a Windows-1252 labels.csv into valid UTF-8 with "\uFFFD" in place of its accents, past the pipeline's check.
 */

const CP1252 = Buffer.from('id,label\nDM-1,c\xe9ramique\n', 'latin1');

const github = emulatedGitHub();
let server: Server | null = null;
afterEach(async () => {
  await new Promise((done) => (server ? server.close(done) : done(null)));
  server = null;
});

describe("the guard reads a head's data files as bytes", () => {
  it('gives back the bytes GitHub holds, not a loose UTF-8 reading of them', async () => {
    server = createServer((_, res) => {
      res.setHeader('content-type', 'application/json');
      const body = { type: 'file', encoding: 'base64', size: CP1252.length, content: CP1252.toString('base64') };
      res.end(JSON.stringify(body));
    });
    await new Promise<void>((done) => server!.listen(0, '127.0.0.1', done));
    const { port } = server.address() as { port: number };
    const log = memoryLogger();
    const forge = githubForge({ apiUrl: `http://127.0.0.1:${port}`, token: 't', log, sleep: async () => {} });
    const at = await forge.readFileAt({ owner: 'o', repo: 'r', path: 'labels.csv', ref: 'a'.repeat(40) });
    expect(at.kind === 'file' && Buffer.from(at.bytes).equals(CP1252)).toBe(true);
  });

  it('refuses a labels.csv that is not UTF-8, saying so in plain words', async () => {
    const gh = await github.start();
    const event = guardEvent('opened');
    gh.pullFiles.set(event.pull_request.number, [{ filename: 'labels.csv', status: 'modified' }]);
    const { forge: real, log } = forgeOn(gh);
    // The fake serves text only: the head's labels.csv comes as Windows-1252 bytes from here.
    const forge = {
      ...real,
      readFileAt: async () => ({ kind: 'file' as const, bytes: new Uint8Array(CP1252), size: CP1252.length }),
    };
    const result = await runGuard({ forge, log, event });
    expect(result.choice.trusted).toBe(false);
    expect(result.files).toEqual([]);
    expect(result.problems).toEqual([expect.stringMatching(/^labels\.csv:2: this file is not saved as UTF-8/)]);
    expect(result.problems[0]).toContain('DM-1,c?ramique');
    const comment = guardComment({
      result,
      sha: event.pull_request.head.sha,
      approvalLabel: 'x',
      allowed: ['labels.csv'],
    });
    expect(comment).toContain('not saved as UTF-8');
  });
});
