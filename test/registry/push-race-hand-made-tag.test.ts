import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryLogger } from '../../pipeline/log.ts';
import { workspace } from '../../pipeline/paths.ts';
import { parseGtoTag } from '../../pipeline/registry/gto.ts';
import { promotionRetry, pushRegistryTags } from '../../pipeline/registry/push.ts';
import { promote } from '../../pipeline/stages/promote.ts';
import {
  everyLabel,
  promoteStandIn,
  publicationWith,
  repoPerTest,
  sh,
  stageContext,
  standInPredict,
  steppingClock,
  writeDataset,
  writeMetrics,
  writeModel,
} from './helpers.ts';

/*
 * A push that loses a race says what the other run did, in words read from the tags that landed. A tag made by hand
 * (`git tag -a -F …`) says what it likes in its JSON block: a version holding a line break and an escape sequence
 * was printed as it was, the rest of it on a line of its own ("::error::…" is a workflow command in a workflow's
 * log) and the screen recoloured. Here: a bare "origin", two clones of it, real git throughout.
 */

const newRepo = repoPerTest();
const NAME = 'collection-classifier';
/** Control characters, a line break included. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

describe('a push that lost the race to a tag made by hand', () => {
  it('says the version the hand-made tag names on one line, its line break and escape sequence escaped', async () => {
    const f = await promoteStandIn(await newRepo());
    const bare = path.join(f.parent, 'origin.git');
    sh(f.parent, 'init', '-q', '--bare', bare);
    sh(f.root, 'remote', 'add', 'origin', bare);
    sh(f.root, 'push', '-q', 'origin', 'main', '--tags');
    const [maintainer, runner] = ['maintainer', 'runner'].map((name) => {
      const root = path.join(f.parent, name);
      sh(f.parent, 'clone', '-q', bare, root);
      return { ...f, root, ws: workspace(root), log: memoryLogger() };
    }) as [typeof f & { log: ReturnType<typeof memoryLogger> }, typeof f & { log: ReturnType<typeof memoryLogger> }];
    await cp(path.join(f.root, '.vitrine'), path.join(runner.root, '.vitrine'), { recursive: true });
    await cp(path.join(f.root, '.dvc', 'config'), path.join(runner.root, '.dvc', 'config'));

    // The runner promotes a merge that relabels an object: v1.1.0, not pushed yet.
    const labels = await readFile(runner.ws.labels, 'utf8');
    await writeFile(runner.ws.labels, labels.replace(/^obj-001,.*$/m, 'obj-001,mask'));
    sh(runner.root, 'commit', '-q', '-am', 'Relabel obj-001');
    sh(runner.root, 'push', '-q', 'origin', 'main');
    await writeDataset({ ws: runner.ws });
    await writeModel({ ws: runner.ws, predicts: 'mask' });
    await writeMetrics({ ws: runner.ws, params: runner.params, publication: publicationWith(everyLabel(0.8)) });
    const ctx = { ...stageContext(runner, { log: runner.log }), clock: steppingClock(Date.parse('2026-03-02T10:00Z')) };
    expect((await promote({ ctx, predict: standInPredict })).version).toBe('v1.1.0');

    // Meanwhile a maintainer pushes a stage tag made by hand, its JSON block's version holding a line break.
    const counters = sh(maintainer.root, 'tag', '--list', `${NAME}*`)
      .split('\n')
      .map((tag) => parseGtoTag(tag)?.counter ?? 0);
    const tag = `${NAME}#prod#${Math.max(...counters) + 1}`;
    const file = path.join(f.parent, 'tag-message.txt');
    const payload = { version: 'v1.0.0\n::error::forged\u001b[31m' };
    await writeFile(file, `Assigning stage prod to artifact ${NAME}\n\n${JSON.stringify(payload)}\n`);
    const v100 = sh(maintainer.root, 'rev-list', '-n', '1', `${NAME}@v1.0.0`);
    sh(maintainer.root, 'tag', '-a', tag, v100, '-F', file);
    sh(maintainer.root, 'push', '-q', 'origin', tag);

    await pushRegistryTags({
      dir: runner.root,
      name: NAME,
      env: process.env,
      log: runner.log,
      retry: promotionRetry({ ctx, predict: standInPredict }),
    });

    const said = runner.log.lines.map((l) => l.message).filter((m) => m.startsWith('Another run'));
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(/^Another run put v1\.0\.0\\n::error::forged\\u001b\[31m in production first; /);
    expect(said[0]).not.toMatch(CONTROL);
  });
});
