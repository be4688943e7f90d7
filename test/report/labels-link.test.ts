import { mkdtemp, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../pipeline/log.ts';
import { validateParams } from '../../pipeline/params.ts';
import { failureNote } from '../../pipeline/report/failure.ts';
import { buildReport } from '../../pipeline/report/index.ts';
import { demoObjects, makeRepo } from './fixture.ts';

/*
 * Outside tester (T3 F17): the dataset stage, readLabels and import refuse a labels.csv that is a symbolic link, but
 * the report read it through the link (`vitrine run report --single`, or a link made after the dataset stage ran):
 * the lines of any file on the runner went into the pull request’s comment. It is refused, and the run’s failure
 * note (posted where the report would have gone) says why in plain words.
 */

const outside: string[] = [];
afterAll(async () => {
  await Promise.all(outside.map((d) => rm(d, { recursive: true, force: true })));
});

const objects = demoObjects();
const before = Object.fromEntries(objects.map((o) => [o.id, o.label]));
const params = validateParams({ raw: { train: { epochs: 60 } } });

describe('the report and a labels.csv that is a symbolic link', () => {
  it('refuses to read it, naming the link and where it leads, and the failure note says so', async () => {
    const { ws } = await makeRepo({ objects, base: before, head: { ...before, 'DM-0004': 'mask' } });
    const dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-outside-'));
    outside.push(dir);
    const secret = path.join(dir, 'creds.csv');
    await writeFile(secret, 'object_id,label\nAKIAEXAMPLESECRET,hunter2-password\nDM-0001,mask\n');
    await unlink(ws.labels);
    await symlink(secret, ws.labels);
    const log = memoryLogger();
    const error = await buildReport({ ws, params, base: 'main', log }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'LABELS_LINK' });
    const { markdown } = failureNote({ error, root: ws.root });
    expect(markdown).toContain(`labels.csv is a symbolic link (to ${secret})`);
    expect([markdown, ...log.lines.map((l) => l.message)].join('\n')).not.toMatch(/AKIAEXAMPLESECRET|hunter2/);
  });
});
