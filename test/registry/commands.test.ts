import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CommandContext } from '../../pipeline/cli/command.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { registryCommands } from '../../pipeline/registry/commands.ts';
import { formatRollback } from '../../pipeline/registry/format.ts';
import { promote } from '../../pipeline/stages/promote.ts';
import {
  type Fixture,
  repoPerTest,
  standInPredict,
  steppingClock,
  writeDataset,
  writeMetrics,
  writeModel,
} from './helpers.ts';

const newRepo = repoPerTest();

function command(name: string) {
  const found = registryCommands.find((c) => c.name === name);
  if (!found) throw new Error(`no command ${name}`);
  return found;
}

function ctx(f: Fixture, json = false): CommandContext & { printed: string[]; log: ReturnType<typeof memoryLogger> } {
  const printed: string[] = [];
  return { ws: f.ws, log: memoryLogger(), clock: steppingClock(), env: {}, json, out: (t) => printed.push(t), printed };
}

describe('vitrine models show, a version registered with a perfect score before its interval was computed', () => {
  it('says no interval was stored instead of printing 1.000–1.000', async () => {
    const f = await newRepo();
    await writeDataset({ ws: f.ws });
    await writeModel({ ws: f.ws, predicts: 'coin' });
    const metrics = await writeMetrics({ ws: f.ws, params: f.params });
    // As evaluate wrote it before pipeline/evaluate/boundary.ts: the bootstrap's interval of a perfect score.
    const perfect = { value: 1, low: 1, high: 1 };
    await writeFile(
      path.join(f.ws.evaluate, 'metrics.json'),
      JSON.stringify({ ...metrics, accuracy: perfect, macroF1: perfect }),
    );
    await promote({ ctx: { ...ctx(f), params: f.params }, predict: standInPredict });
    const c = ctx(f);
    await command('models show').run(c, { values: {}, positionals: ['v1.0.0'] });
    const shown = c.printed.join('');
    expect(shown).toMatch(/scores\s+accuracy 1\.000, macro-F1 1\.000 \(no range recorded for this older version: /);
    expect(shown).toContain('its page in the catalogue gives it) on 16 test objects');
    expect(shown).not.toContain('1.000–1.000');
  });
});

describe('vitrine models', () => {
  it('lists and shows versions, in text and JSON', async () => {
    const f = await newRepo();
    let c = ctx(f);
    await command('models list').run(c, { values: {}, positionals: [] });
    expect(c.printed.join('')).toMatch(/No version of collection-classifier is registered yet/);

    await writeDataset({ ws: f.ws });
    await writeModel({ ws: f.ws, predicts: 'coin' });
    const metrics = await writeMetrics({ ws: f.ws, params: f.params });
    await promote({
      ctx: {
        ws: f.ws,
        params: f.params,
        log: memoryLogger(),
        clock: steppingClock(),
        env: { VITRINE_PULL_REQUEST: '5' },
      },
      predict: standInPredict,
    });

    c = ctx(f);
    await command('models list').run(c, { values: {}, positionals: [] });
    const text = c.printed.join('');
    expect(text).toMatch(/^version\s+stage\s+date\s+accuracy/);
    expect(text).toMatch(
      // The scores as the pull-request report writes them (0.813), not as percentages.
      new RegExp(
        `v1\\.0\\.0\\s+prod\\s+2026-03-01\\s+${metrics.accuracy.value.toFixed(3)}\\s+${metrics.macroF1.value.toFixed(3)}\\s`,
      ),
    );
    expect(text).toContain('#5');

    c = ctx(f, true);
    await command('models list').run(c, { values: {}, positionals: [] });
    const json = JSON.parse(c.printed.join('')) as { model: string; versions: { version: string; stages: string[] }[] };
    expect(json.model).toBe('collection-classifier');
    expect(json.versions.map((v) => [v.version, v.stages])).toEqual([['v1.0.0', ['prod']]]);

    c = ctx(f);
    await command('models show').run(c, { values: {}, positionals: ['prod'] });
    const shown = c.printed.join('');
    expect(shown).toMatch(/collection-classifier v1\.0\.0 \(prod\)[\s\S]*pull req\. #5/);
    expect(shown).toMatch(/scores\s+accuracy 0\.813, macro-F1 0\.\d{3} \(95% interval 0\.\d{3}–[01]\.\d{3}\)/);

    c = ctx(f, true);
    await command('models show').run(c, { values: {}, positionals: ['v1.0.0'] });
    expect(JSON.parse(c.printed.join(''))).toMatchObject({
      version: 'v1.0.0',
      registration: { lineage: { pullRequest: { number: 5 } } },
    });

    await expect(command('models show').run(ctx(f), { values: {}, positionals: ['v2.0.0'] })).rejects.toMatchObject({
      code: 'VERSION_UNKNOWN',
    });
    c = ctx(f);
    expect(await command('models rollback').run(c, { values: {}, positionals: [] })).toBe(2);
    expect(c.log.lines[0]!.message).toMatch(/Say which version/);
    await expect(command('models rollback').run(ctx(f), { values: {}, positionals: ['v1.0.0'] })).rejects.toMatchObject(
      { code: 'ROLLBACK_NOOP' },
    );
  });

  it('says after a rollback that the public catalogue changes only when it is built again', () => {
    const text = formatRollback({
      result: { version: 'v1.0.0', from: 'v1.1.0', tag: 'collection-classifier#prod#4', annotated: 12 },
    });
    expect(text).toMatch(/^Model version v1\.0\.0 is in production again \(was v1\.1\.0\)/);
    expect(text).toMatch(/12 objects re-annotated in this copy/);
    expect(text).toMatch(/public catalogue still shows the earlier annotations until it is built and published/);
    expect(text).toMatch(/npx vitrine models push --retry rollback:v1\.0\.0[\s\S]*npx vitrine run catalogue/);
    // The workflow publishes to a bucket too (catalogue.publish: s3), not only to GitHub Pages.
    expect(text).toContain(
      'The "Roll back the production model" workflow on GitHub does all of this in one go, and publishes where ' +
        'catalogue.publish in params.yaml says (GitHub Pages, or your bucket).',
    );
    // In the rollback workflow, whose next steps build and publish: not told to run itself.
    const inWorkflow = formatRollback({
      result: { version: 'v1.0.0', from: 'v1.1.0', tag: 'collection-classifier#prod#4', annotated: 12 },
      inWorkflow: true,
    });
    expect(inWorkflow).toMatch(/until it is built and published again\.\n$/);
    expect(inWorkflow).not.toMatch(/workflow|git push/);
  });

  // Tag-push helper: the rollback's --reason was lost when the push had to do the rollback again (another run's
  // tags landed first), unless the maintainer thought to type it again.
  it('repeats the rollback’s reason in the push command it gives', () => {
    const text = formatRollback({
      result: { version: 'v1.0.0', from: 'v1.1.0', tag: 'collection-classifier#prod#4', annotated: 12 },
      reason: 'misreads masks; see #12',
    });
    expect(text).toContain("npx vitrine models push --retry rollback:v1.0.0 --reason 'misreads masks; see #12':");
  });
});
