import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../pipeline/log.ts';
import { validateParams } from '../../pipeline/params.ts';
import { buildReport } from '../../pipeline/report/index.ts';
import { demoObjects, makeRepo, writeStageOutputs } from './fixture.ts';

/*
 * After an upgrade of Vitrine whose default train.solver changed, the pull-request report compared a model trained
 * the new way with production trained the old way, and said "No setting in params.yaml changed": staff read the
 * verdict as the label change's. The report says beside the comparison which training settings differ, whether or
 * not the gate passes (evaluate records them in metrics.json's baseline).
 */

const objects = demoObjects();
const labels = Object.fromEntries(objects.map((o) => [o.id, o.label]));
const params = validateParams({ raw: { train: { epochs: 60 } } });

describe('a comparison with a production model trained with other settings', () => {
  it('says which settings differ and how to train as production was, next to the scores', async () => {
    const repo = await makeRepo({ objects, base: labels, head: labels });
    const metrics = await writeStageOutputs({ ws: repo.ws, objects, head: labels });
    metrics.baseline!.settingChanges = [
      { key: 'train.solver', production: 'adam', now: 'lbfgs', yaml: 'adam', newSetting: true },
    ];
    await writeFile(path.join(repo.ws.evaluate, 'metrics.json'), JSON.stringify(metrics));
    const { markdown } = await buildReport({ ws: repo.ws, params, base: 'main', log: silentLogger });
    // As GitHub shows it: Markdown's escapes (\( for a parenthesis) read as the character.
    expect(markdown.replace(/\\([()[\]_*.])/g, '$1')).toContain(
      '⚠️ The model compared with (v1.0.0) was trained with other training settings: train.solver adam (this model: ' +
        'lbfgs). The comparison is also one of those settings. train.solver is a setting the Vitrine that trained ' +
        'v1.0.0 did not have: an upgrade of Vitrine changed it. If that is not a change you meant, set ' +
        '`train.solver: adam` in params.yaml to train as v1.0.0 was trained.',
    );
  });

  it('writes the params.yaml lines to copy as code, so a web address pastes as it is', async () => {
    // A custom backbone's address came out escaped (https://example\\.org/model\\_v1…), not copy-safe.
    const repo = await makeRepo({ objects, base: labels, head: labels });
    const metrics = await writeStageOutputs({ ws: repo.ws, objects, head: labels });
    const source = 'https://example.org/models/model_v1/model.json';
    metrics.baseline!.settingChanges = [
      {
        key: 'backbone.source',
        production: source,
        now: 'https://example.org/v2.json',
        yaml: source,
      },
    ];
    await writeFile(path.join(repo.ws.evaluate, 'metrics.json'), JSON.stringify(metrics));
    const { markdown } = await buildReport({ ws: repo.ws, params, base: 'main', log: silentLogger });
    expect(markdown).toContain(`If that is not a change you meant, set \`backbone.source: ${source}\` in params.yaml`);
  });

  it('says nothing of the kind when the settings are the same', async () => {
    const repo = await makeRepo({ objects, base: labels, head: labels });
    await writeStageOutputs({ ws: repo.ws, objects, head: labels });
    const { markdown } = await buildReport({ ws: repo.ws, params, base: 'main', log: silentLogger });
    expect(markdown).not.toContain('other training settings');
  });
});
