import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { forkReport } from '../../actions/report/fork.ts';
import type { Workspace } from '../../pipeline/paths.ts';
import { tempDir } from '../fixtures/temp.ts';
import { forkComment, forkRunRepository } from './fork-run.ts';

/*
 * Reviewer: the trusted run's report tells staff of a repository that does not hold Vitrine (one `vitrine init -C`
 * made) to type `npx vitrine -C path/to/<repository> …` (in a bare `npx vitrine`, npx fetches an unknown package from
 * npm), but the fork's comment, rendered again by the report action, said plain `npx vitrine …` there. It now says
 * what the trusted run's report says, judged from the museum's repository the action runs in, never from the fork's
 * files. The report action's committed bundle runs as the runner runs it, against GitHub's REST API on 127.0.0.1.
 */

let ws: Workspace;
let reportJson = '';
let metricsJson = '';

beforeAll(async () => {
  ws = await forkRunRepository();
  // A photograph the fork's change made unusable: its section tells staff to run `npx vitrine data add`.
  const report = JSON.parse(await readFile(path.join(ws.report, 'report.json'), 'utf8'));
  report.unusablePhotos = {
    objects: [
      {
        id: 'DM-0001',
        title: 'Bowl',
        file: 'data/images/DM-0001.jpg',
        code: 'IMAGE_UNREADABLE',
        reason: 'cannot be opened as a photograph',
        labelled: true,
        newInChange: true,
      },
    ],
    comparedWithBase: true,
  };
  reportJson = JSON.stringify(report);
  metricsJson = await readFile(path.join(ws.evaluate, 'metrics.json'), 'utf8');
});

/** The museum's repository as report-from-fork.yml checks it out, with the fork's run's files in .vitrine/. */
async function checkout(name: string, packageJson?: object): Promise<string> {
  const dir = path.join(await tempDir('vitrine-fork-command-'), name);
  await mkdir(path.join(dir, '.vitrine', 'report'), { recursive: true });
  if (packageJson) await writeFile(path.join(dir, 'package.json'), JSON.stringify(packageJson));
  await writeFile(path.join(dir, '.vitrine', 'report', 'report.json'), reportJson);
  await cp(ws.evaluate, path.join(dir, '.vitrine', 'evaluate'), { recursive: true });
  return dir;
}

describe("a fork's comment", () => {
  it("names the repository with -C where it does not hold Vitrine, as the trusted run's report does", async () => {
    const body = await forkComment(await checkout('our-museum'));
    expect(body).toContain('`npx vitrine -C path/to/our-museum data add`');
    expect(body).not.toMatch(/npx vitrine (?!-C)/);
    expect(body).toContain(
      'with `path/to/our-museum` replaced by where your copy of the our-museum repository is on your computer',
    );
  });

  it('says plain `npx vitrine` in a copy of Vitrine (the template), as the trusted run does', async () => {
    const body = await forkComment(await checkout('our-museum', { name: 'vitrine', private: true }));
    expect(body).toContain('`npx vitrine data add`');
    expect(body).not.toContain('npx vitrine -C');
    expect(body).not.toContain('type them in a terminal opened in the folder where Vitrine is installed');
  });

  it('is rendered with the command it is given', () => {
    const out = forkReport({ reportJson, metricsJson, vitrine: 'npx vitrine -C path/to/our-museum' });
    expect(out.rebuilt).toBe(true);
    expect(out.markdown).toContain('`npx vitrine -C path/to/our-museum data add`');
  });
});
