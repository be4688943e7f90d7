import { lstat, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixDemoLabels } from '../../pipeline/demo/fix-labels.ts';
import { generateDemo } from '../../pipeline/demo/generate.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams, type Params } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';

/*
 * Outside tester (T3 F17): `vitrine demo` read labels.csv through a symbolic link, and printed the first id of the
 * file it led to ("labels.csv has 1 object not from the demo (e.g. "AKIAEXAMPLESECRET")"); `--fix-labels` read it and
 * wrote its lines back as a regular labels.csv. The dataset stage, readLabels and import refuse such a link.
 */

const dirs: string[] = [];
async function tempRoot(prefix: string) {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

function smallParams(): Params {
  const params = defaultParams();
  params.demo = { ...params.demo, seed: 7, per_type: 4, unlabelled_per_type: 1, wrong_label_rate: 0.3, image_size: 64 };
  return params;
}

async function linkedDemo(text: string) {
  const root = await tempRoot('vitrine-demo-link-');
  const ws = workspace(root);
  const secret = path.join(await tempRoot('vitrine-outside-'), 'creds.csv');
  await writeFile(secret, text);
  await symlink(secret, ws.labels);
  return { ws, secret };
}

describe('vitrine demo and a labels.csv that is a symbolic link', () => {
  it('refuses before reading it, naming the link, and prints nothing of the file it leads to', async () => {
    const { ws, secret } = await linkedDemo('object_id,label\nAKIAEXAMPLESECRET,hunter2-password\n');
    const log = memoryLogger();
    const error = await generateDemo({ ws, params: smallParams(), log }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'LABELS_LINK' });
    expect((error as Error).message).toContain(`labels.csv is a symbolic link (to ${secret})`);
    expect([(error as Error).message, ...log.lines.map((l) => l.message)].join('\n')).not.toMatch(/AKIAEXAMPLE/);
    expect((await lstat(ws.labels)).isSymbolicLink()).toBe(true);
  });

  it('--fix-labels refuses it and leaves the link and the file it leads to as they were', async () => {
    const text = 'object_id,label\nDM-0001,coin\nDM-0002,mask\n';
    const { ws, secret } = await linkedDemo(text);
    await expect(fixDemoLabels({ ws, params: smallParams() })).rejects.toMatchObject({ code: 'LABELS_LINK' });
    expect((await lstat(ws.labels)).isSymbolicLink()).toBe(true);
    expect(await readFile(secret, 'utf8')).toBe(text);
  });
});
