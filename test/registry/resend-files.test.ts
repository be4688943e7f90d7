import { access, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryLogger } from '../../pipeline/log.ts';
import { registryCommands } from '../../pipeline/registry/commands.ts';
import { readRegistry } from '../../pipeline/registry/registry.ts';
import { openModelRemote } from '../../pipeline/registry/remote.ts';
import { sendRegisteredFiles } from '../../pipeline/registry/resend.ts';
import { promoteStandIn, repoPerTest, steppingClock } from './helpers.ts';

/*
 * An outside tester: the bucket was deleted and made again. `data push` sent data.dvc's objects back and said all was
 * well, but the registered versions' model files and evidence were gone from the remote: a fresh clone could not
 * build their cards, nor roll back to them. They are sent again from the copies this machine still has.
 */

const newRepo = repoPerTest();

const stored = (remoteDir: string, md5: string) => path.join(remoteDir, 'files', 'md5', md5.slice(0, 2), md5.slice(2));
const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

describe('registered model files lost from the remote', () => {
  it('are sent again from this machine’s copies; those it has no copy of are named by version', async () => {
    const f = await promoteStandIn(await newRepo());
    const state = await readRegistry({ dir: f.root, name: 'collection-classifier' });
    const registration = state.versions[0]!.registration!;
    const files = [...registration.manifest.files, ...(registration.evidence?.files ?? [])];
    expect(files.length).toBeGreaterThan(3);

    // The bucket is lost and made again, empty (data push would put the photographs back, not the model's files).
    await rm(f.remoteDir, { recursive: true, force: true });
    await mkdir(f.remoteDir, { recursive: true });
    for (const file of files) expect(await exists(stored(f.remoteDir, file.md5)), file.relpath).toBe(false);

    const remote = await openModelRemote({ ws: f.ws });
    const log = memoryLogger();
    const first = await sendRegisteredFiles({ ws: f.ws, name: 'collection-classifier', remote, log });
    expect(first).toEqual({ sent: new Set(files.map((x) => x.md5)).size, present: 0, lost: [] });
    for (const file of files) expect(await exists(stored(f.remoteDir, file.md5)), file.relpath).toBe(true);
    const again = await sendRegisteredFiles({ ws: f.ws, name: 'collection-classifier', remote, log });
    expect(again).toMatchObject({ sent: 0, lost: [] });

    // Lost again, and this machine's copies gone too: each file is named with its version.
    await rm(f.remoteDir, { recursive: true, force: true });
    await mkdir(f.remoteDir, { recursive: true });
    await rm(f.ws.model, { recursive: true, force: true });
    await rm(path.join(f.ws.registry, 'evidence'), { recursive: true, force: true });
    await rm(f.ws.cache, { recursive: true, force: true });
    const lost = await sendRegisteredFiles({ ws: f.ws, name: 'collection-classifier', remote, log });
    expect(lost.sent).toBe(0);
    expect(lost.lost.map((x) => `${x.version} ${x.relpath}`).sort()).toEqual(
      files.map((x) => `v1.0.0 ${x.relpath}`).sort(),
    );
  }, 60_000);

  it('vitrine models push --files sends them, and names the versions whose files are nowhere', async () => {
    const f = await promoteStandIn(await newRepo());
    const push = registryCommands.find((c) => c.name === 'models push')!;
    const context = () => {
      const log = memoryLogger();
      return { ws: f.ws, log, clock: steppingClock(), env: {}, json: false, out: () => {} };
    };
    await rm(f.remoteDir, { recursive: true, force: true });
    await mkdir(f.remoteDir, { recursive: true });
    let c = context();
    expect(await push.run(c, { values: { files: true }, positionals: [] })).toBe(0);
    expect(c.log.lines.map((l) => l.message).join('\n')).toMatch(
      /Registered model files on .*: \d+ sent, 0 already there\./,
    );

    await rm(f.remoteDir, { recursive: true, force: true });
    await mkdir(f.remoteDir, { recursive: true });
    await rm(f.ws.model, { recursive: true, force: true });
    await rm(f.ws.cache, { recursive: true, force: true });
    c = context();
    expect(await push.run(c, { values: { files: true }, positionals: [] })).toBe(1);
    expect(c.log.lines.map((l) => l.message).join('\n')).toContain(
      'of v1.0.0 are neither on the data remote nor on this machine (v1.0.0 group1-shard1of1.bin',
    );
    expect(c.log.lines.map((l) => l.message).join('\n')).toContain(
      'Run "npx vitrine models push --files" on the machine that promoted those versions',
    );
  }, 60_000);

  // An outside tester (T4): "v1.0.0 model-info.json" was named twice, the model's file and the copy kept as evidence.
  it('names each lost file once, the evidence’s copies as evidence', async () => {
    const f = await promoteStandIn(await newRepo());
    const push = registryCommands.find((c) => c.name === 'models push')!;
    await rm(f.remoteDir, { recursive: true, force: true });
    await mkdir(f.remoteDir, { recursive: true });
    await rm(f.ws.model, { recursive: true, force: true });
    await rm(path.join(f.ws.registry, 'evidence'), { recursive: true, force: true });
    await rm(f.ws.cache, { recursive: true, force: true });
    const log = memoryLogger();
    const c = { ws: f.ws, log, clock: steppingClock(), env: {}, json: false, out: () => {} };
    expect(await push.run(c, { values: { files: true }, positionals: [] })).toBe(1);
    const said = log.lines.map((l) => l.message).join('\n');
    const named = /nor on this machine \(([^)]*(?:\([^)]*\)[^)]*)*)\)\. Run/.exec(said)?.[1]?.split(', ') ?? [];
    expect(named.length).toBeGreaterThan(3);
    expect(new Set(named).size, said).toBe(named.length);
    expect(named).toContain('v1.0.0 model-info.json');
    expect(named).toContain('v1.0.0 model-info.json (evidence)');
  }, 60_000);
});
