import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataCommands } from '../../pipeline/data/commands.ts';
import { addData, pushData } from '../../pipeline/data/index.ts';
import { memoryLogger, silentLogger } from '../../pipeline/log.ts';
import { readRegistry } from '../../pipeline/registry/registry.ts';
import { promoteStandIn, repoPerTest, steppingClock } from './helpers.ts';

/*
 * Outside tester U (a museum's technical person in a bad week): "vitrine data verify --remote" read and checked every
 * photograph on the remote and said all was well, while the registered model versions' files and evidence there
 * were not looked at: one lost, and a fresh clone could not build that version's card nor roll back to it. They are
 * checked too, each missing one named by its version, with the command that sends it again.
 */

const newRepo = repoPerTest();

const stored = (remoteDir: string, md5: string) => path.join(remoteDir, 'files', 'md5', md5.slice(0, 2), md5.slice(2));

async function verify(f: { ws: Parameters<typeof promoteStandIn>[0]['ws'] }, values: Record<string, unknown>) {
  const command = dataCommands.find((c) => c.name === 'data verify')!;
  const log = memoryLogger();
  const context = { ws: f.ws, log, clock: steppingClock(), env: {}, json: false, out: () => {} };
  const status = await command.run(context, { values, positionals: [] }).catch((error: Error) => error);
  return { status, text: log.lines.map((l) => `${l.level}: ${l.message}`).join('\n') };
}

describe('data verify --remote and the registered model versions’ files', () => {
  it('names a registered file the remote lacks, with its version and "npx vitrine models push --files"', async () => {
    const f = await promoteStandIn(await newRepo());
    await addData({ root: f.root, log: silentLogger });
    await pushData({ root: f.root, log: silentLogger });
    const registration = (await readRegistry({ dir: f.root, name: 'collection-classifier' })).versions[0]!
      .registration!;
    expect((await verify(f, { remote: true })).status).toBe(undefined);

    const lost = registration.manifest.files.find((x) => x.relpath === 'model.json')!;
    await rm(stored(f.remoteDir, lost.md5), { force: true });
    const missing = await verify(f, { remote: true });
    expect(missing.status).toBe(1);
    expect(missing.text).toMatch(
      /error: The data remote "[^"]+" lacks 1 file of the registered model version v1\.0\.0/,
    );
    expect(missing.text).toContain('(v1.0.0 model.json)');
    expect(missing.text).toContain('npx vitrine models push --files');

    // Sent again, as said; then a damaged copy of evidence is named, and --repair replaces it from this machine.
    const push = await import('../../pipeline/registry/commands.ts');
    const files = push.registryCommands.find((c) => c.name === 'models push')!;
    const context = { ws: f.ws, log: memoryLogger(), clock: steppingClock(), env: {}, json: false, out: () => {} };
    expect(await files.run(context, { values: { files: true }, positionals: [] })).toBe(0);
    expect((await verify(f, { remote: true })).status).toBe(undefined);

    const evidence = registration.evidence!.files[0]!;
    const copy = stored(f.remoteDir, evidence.md5);
    await rm(copy, { force: true });
    await writeFile(copy, 'not the file');
    const damaged = await verify(f, { remote: true });
    expect(damaged.status).toBe(1);
    expect(damaged.text).toContain(`(v1.0.0 ${evidence.relpath} (evidence))`);
    expect(damaged.text).toContain('npx vitrine data verify --remote --repair');
    const repaired = await verify(f, { remote: true, repair: true });
    expect(repaired.status).toBe(undefined);
    expect(repaired.text).toContain(`Replaced the damaged copy of v1.0.0 ${evidence.relpath} (evidence)`);
    expect((await verify(f, { remote: true })).status).toBe(undefined);
  }, 60_000);

  it('with no registered model version, says so, naming the model it looked for (review V9)', async () => {
    const f = await newRepo();
    await addData({ root: f.root, log: silentLogger });
    await pushData({ root: f.root, log: silentLogger });
    const none = await verify(f, { remote: true });
    expect(none.status).toBe(undefined);
    expect(none.text).toContain(
      'info: No registered model versions of "collection-classifier" (registry.model_name in params.yaml) to check',
    );
  }, 60_000);

  it('a params.yaml that cannot be read is said, not passed over as the usual model name (review V9)', async () => {
    const f = await promoteStandIn(await newRepo());
    await addData({ root: f.root, log: silentLogger });
    await pushData({ root: f.root, log: silentLogger });
    await writeFile(f.ws.params, 'registry: [unclosed\n');
    const unread = await verify(f, { remote: true });
    expect(unread.status).toBe(1);
    expect(unread.text).toMatch(/^error: The registered model versions’ files on the remote were not checked: /m);
    expect(unread.text).toContain('params.yaml');
  }, 60_000);
});
