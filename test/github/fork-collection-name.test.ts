import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Workspace } from '../../pipeline/paths.ts';
import { tempDir } from '../fixtures/temp.ts';
import { forkComment, forkRunRepository } from './fork-run.ts';

/*
 * An outside tester: a fork’s report comment, posted by the museum’s bot, named the collection as the fork’s
 * report.json did ("tested on 30 objects of Fork Museum"): a fork could put any name in the museum’s comment. The
 * name is now the museum’s own, from the params.yaml of the repository the action runs in (report-from-fork.yml
 * checks out the base branch); the fork’s only when the museum has no params.yaml. Run as the runner runs the
 * committed bundle, against GitHub’s REST API on 127.0.0.1.
 */

let ws: Workspace;
let reportJson = '';

beforeAll(async () => {
  ws = await forkRunRepository();
  const report = JSON.parse(await readFile(path.join(ws.report, 'report.json'), 'utf8'));
  report.collectionName = 'Fork Museum';
  reportJson = JSON.stringify(report);
});

/** The museum’s repository as report-from-fork.yml checks it out, with the fork’s run’s files in .vitrine/. */
async function checkout(paramsYaml?: string): Promise<string> {
  const dir = path.join(await tempDir('vitrine-fork-name-'), 'museum');
  await mkdir(path.join(dir, '.vitrine', 'report'), { recursive: true });
  if (paramsYaml !== undefined) await writeFile(path.join(dir, 'params.yaml'), paramsYaml);
  await writeFile(path.join(dir, '.vitrine', 'report', 'report.json'), reportJson);
  await cp(ws.evaluate, path.join(dir, '.vitrine', 'evaluate'), { recursive: true });
  return dir;
}

describe('a fork’s comment names the collection', () => {
  it('by the museum’s own params.yaml, not the fork’s report.json', async () => {
    const params = 'collection:\n  name: Musée du Port\n  vocabulary: [vase, bowl, coin]\n';
    const body = await forkComment(await checkout(params));
    expect(body).toContain('Musée du Port');
    expect(body).not.toContain('Fork Museum');
  });

  it('by the fork’s report.json when the museum has no params.yaml', async () => {
    const body = await forkComment(await checkout());
    expect(body).toContain('Fork Museum');
  });
});
