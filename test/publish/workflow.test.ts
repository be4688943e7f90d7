import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { data, Evaluator, Lexer, Parser } from '@actions/expressions';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/*
 * The bucket variant of the merge workflow (.github/workflows/publish-s3.yml). actionlint and the
 * shared rules (pins, permissions, inputs) are checked in test/workflows; here, what is particular to it.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

interface Step {
  uses?: string;
  run?: string;
  id?: string;
  env?: Record<string, string>;
}
interface Job {
  needs?: string;
  if?: string;
  env?: Record<string, string>;
  steps: Step[];
}

async function workflow(): Promise<{ jobs: Record<string, Job>; concurrency: { group: string } }> {
  return parse(await readFile(path.join(ROOT, '.github', 'workflows', 'publish-s3.yml'), 'utf8'));
}

describe('the publish-to-a-bucket workflow', () => {
  it('publishes after the catalogue is built, with the publishing key on that step only', async () => {
    const { jobs, concurrency } = await workflow();
    expect(concurrency.group).toBeTypeOf('string');
    const steps = jobs.promote.steps;
    const catalogue = steps.findIndex((s) => s.uses === './actions/catalogue');
    const publish = steps.findIndex((s) => s.run === 'node "$VITRINE" publish');
    const check = steps.findIndex((s) => s.run === 'node "$VITRINE" publish --check');
    expect(catalogue).toBeGreaterThan(steps.findIndex((s) => s.uses === './actions/promote'));
    expect(publish).toBeGreaterThan(catalogue);
    expect(steps[publish].run).toBe('node "$VITRINE" publish');
    expect(steps[publish].env).toEqual({
      VITRINE_PUBLISH_ACCESS_KEY_ID: '${{ secrets.VITRINE_PUBLISH_ACCESS_KEY_ID }}',
      VITRINE_PUBLISH_SECRET_ACCESS_KEY: '${{ secrets.VITRINE_PUBLISH_SECRET_ACCESS_KEY }}',
    });
    // The bucket and the key are checked, with the same keys, before production changes (as rollback.yml does):
    // a bucket that cannot be reached would otherwise fail the publish after the production tag moved.
    expect(check).toBeGreaterThan(steps.findIndex((s) => s.uses === './actions/setup-data'));
    expect(check).toBeLessThan(steps.findIndex((s) => s.uses === './actions/promote'));
    expect(steps[check].env).toEqual(steps[publish].env);
    const elsewhere = JSON.stringify({
      ...jobs,
      promote: { ...jobs.promote, steps: steps.filter((_, i) => i !== publish && i !== check) },
    });
    expect(elsewhere).not.toContain('VITRINE_PUBLISH');
    // After the shard jobs (scale.shards, docs/scale.md), also when they were skipped.
    expect(jobs.promote.needs).toEqual(['target', 'shard']);
    expect(jobs.promote.if).toBe("${{ !cancelled() && needs.target.outputs.publish == 's3' }}");
    expect(jobs.shard.if).toBe("needs.target.outputs.publish == 's3' && needs.target.outputs.shards != '1'");
  });

  it('reads catalogue.publish from params.yaml as the schema does (default pages)', async () => {
    const script = (await workflow()).jobs.target.steps.find((s) => s.id === 'read')?.run ?? '';
    const dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-publish-wf-'));
    try {
      const read = async (params: string | null) => {
        if (params !== null) await writeFile(path.join(dir, 'params.yaml'), params);
        else await rm(path.join(dir, 'params.yaml'), { force: true });
        const out = path.join(dir, 'out');
        await writeFile(out, '');
        const said = execFileSync('bash', ['-e', '-c', script], {
          cwd: dir,
          env: { PATH: process.env.PATH, GITHUB_OUTPUT: out },
          encoding: 'utf8',
        });
        if (said.includes('::warning')) warnings.push(said);
        return (await readFile(out, 'utf8')).trim();
      };
      const warnings: string[] = [];
      expect(await read(await readFile(path.join(ROOT, 'params.yaml'), 'utf8'))).toBe('publish=pages');
      const s3 =
        'report:\n  publish: no\ncatalogue:\n  title: x # a\n' +
        '  publish: "s3"  # bucket\n  s3:\n    publish: other\nmonitor: {}\n';
      expect(await read(s3)).toBe('publish=s3');
      expect(await read('catalogue:\n  title: x\n')).toBe('publish=pages');
      expect(await read(null)).toBe('publish=pages');
      expect(warnings).toEqual([]);
      // Both accepted by the params schema: Windows line endings, and a four-space indent (the first key sets it).
      expect(await read('catalogue:\r\n  title: x\r\n  publish: s3\r\n')).toBe('publish=s3');
      expect(await read('catalogue:   # where\n    title: x\n    s3:\n      bucket: b\n    publish: s3\n')).toBe(
        'publish=s3',
      );
      expect(await read("catalogue:\n    publish: 's3'\n")).toBe('publish=s3');
      // Also YAML the params schema reads alike (an outside tester's): a byte-order mark before `catalogue:`,
      // a quoted key, a space before the colon, none after it.
      expect(await read('\ufeffcatalogue:\n  publish: s3\n')).toBe('publish=s3');
      expect(await read('"catalogue":\n  "publish": s3\n')).toBe('publish=s3');
      expect(await read('catalogue:\n  publish : s3 # bucket\n')).toBe('publish=s3');
      expect(await read('catalogue:\n  publish:s3\n')).toBe('publish=s3');
      // A deeper key of the same name is not catalogue.publish; a comment line between keys changes nothing.
      expect(await read('catalogue:\n  s3:\n    publish: s3\n  # publish: s3\n')).toBe('publish=pages');
      expect(warnings).toEqual([]);
      // What this script cannot read publishes nothing, and says so on params.yaml.
      expect(await read('catalogue: {publish: s3}\n')).toBe('publish=unreadable');
      expect(await read('catalogue:\n  publish: S3\n')).toBe('publish=unreadable');
      expect(warnings).toHaveLength(2);
      for (const warning of warnings) {
        expect(warning).toMatch(/^::warning file=params\.yaml::catalogue\.publish could not be read as pages or s3/);
        expect(warning).toContain('npx vitrine params get catalogue.publish');
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

/*
 * Both merge workflows run on every push to main (vitrine init copies both). GitHub keeps one pending run per
 * concurrency group and a newer one cancels it: in one shared group, a merge’s publish-s3.yml run could cancel its
 * main.yml run (or the reverse) and, on a museum whose catalogue goes elsewhere, leave that merge unpromoted. So
 * each workflow has a queue of its own, and catalogue.publish decides which one promotes: never both, never neither.
 */
describe('the promotion of a merge', () => {
  interface Workflow {
    concurrency: { group: string; 'cancel-in-progress': boolean };
    jobs: Record<string, Job & { steps: Step[] }>;
  }
  const read = async (file: string): Promise<Workflow> =>
    parse(await readFile(path.join(ROOT, '.github', 'workflows', file), 'utf8'));

  /** Which jobs of a workflow run, their `if:` evaluated for what the first job said (no job cancelled). */
  function runs(workflow: Workflow, said: Record<string, Record<string, string>>): string[] {
    const ran: string[] = [];
    for (const [name, job] of Object.entries(workflow.jobs)) {
      const needs = [job.needs ?? []].flat();
      if (needs.length === 0) continue;
      const context = {
        needs: Object.fromEntries(
          needs.map((n) => [n, { outputs: said[n] ?? {}, result: ran.includes(n) || said[n] ? 'success' : 'skipped' }]),
        ),
      };
      // A job runs only when the jobs it needs did (unless its if: asks otherwise, with a status function).
      const condition = (job.if ?? 'success()').replace(/^\$\{\{\s*|\s*\}\}$/g, '');
      const functions = ['cancelled', 'failure', 'success', 'always'].map((fn) => ({
        name: fn,
        minArgs: 0,
        maxArgs: 0,
        call: () =>
          new data.BooleanData(fn === 'always' || (fn === 'success' && needs.every((n) => ran.includes(n) || said[n]))),
      }));
      const expr = new Parser(new Lexer(condition).lex().tokens, Object.keys(context), functions).parse();
      const ctx = JSON.parse(JSON.stringify(context), data.reviver) as data.Dictionary;
      const value = new Evaluator(expr, ctx, new Map(functions.map((f) => [f.name, f]))).evaluate();
      const v: unknown = JSON.parse(JSON.stringify(value, data.replacer));
      if (v !== null && v !== false && v !== '' && v !== 0) ran.push(name);
    }
    return ran;
  }

  it('queues each workflow’s promotions apart, never cancelling one that waits or runs', async () => {
    const main = await read('main.yml');
    const s3 = await read('publish-s3.yml');
    const rollback = await read('rollback.yml');
    expect(main.concurrency['cancel-in-progress']).toBe(false);
    expect(s3.concurrency['cancel-in-progress']).toBe(false);
    const groups = [main, s3, rollback].map((w) => w.concurrency.group);
    expect(new Set(groups).size).toBe(3);
  });

  it('has exactly one of the two workflows promote and publish a merge, as catalogue.publish says', async () => {
    const main = await read('main.yml');
    const s3 = await read('publish-s3.yml');
    for (const [publish, shards] of [
      ['pages', '1'],
      ['pages', '2'],
      ['s3', '1'],
      ['s3', '3'],
    ] as const) {
      const list = JSON.stringify(Array.from({ length: Number(shards) }, (_, i) => i + 1));
      const byMain = runs(main, { shards: { publish, count: shards, list } });
      const byS3 = runs(s3, { target: { publish, shards, 'shard-list': list } });
      const promoters = [byMain.includes('promote') && 'main.yml', byS3.includes('promote') && 'publish-s3.yml'];
      expect(promoters.filter(Boolean), `${publish}, ${shards} shards`).toEqual([
        publish === 'pages' ? 'main.yml' : 'publish-s3.yml',
      ]);
      // The per-image work runs on the museum’s runner once, by the workflow that promotes.
      const sharders = [byMain.includes('shard') && 'main.yml', byS3.includes('shard') && 'publish-s3.yml'];
      expect(sharders.filter(Boolean)).toEqual(shards === '1' ? [] : promoters.filter(Boolean));
      expect(byMain.includes('deploy')).toBe(publish === 'pages');
    }
    // Unreadable: publish-s3.yml does nothing, and main.yml stops with an error rather than promote for Pages.
    expect(runs(s3, { target: { publish: 'unreadable', shards: '1', 'shard-list': '[1]' } })).toEqual([]);
  });

  it('reads catalogue.publish in main.yml as publish-s3.yml and rollback.yml do, and fails on what it cannot read', async () => {
    const program = (script: string | undefined) => /read_publish='[^']*'/.exec(script ?? '')?.[0];
    const main = await read('main.yml');
    const script = main.jobs.shards.steps.find((s) => s.id === 'target')?.run;
    const s3 = (await read('publish-s3.yml')).jobs.target.steps.find((s) => s.id === 'read')?.run;
    const rollback = (await read('rollback.yml')).jobs.rollback.steps.find((s) => s.id === 'target')?.run;
    expect(program(script)).toBeDefined();
    expect(program(script)).toBe(program(s3));
    expect(program(script)).toBe(program(rollback));
    const dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-main-wf-'));
    try {
      const target = async (params: string) => {
        await writeFile(path.join(dir, 'params.yaml'), params);
        const out = path.join(dir, 'out');
        await writeFile(out, '');
        const result = spawnSync('bash', ['-e', '-c', script!], {
          cwd: dir,
          env: { PATH: process.env.PATH, GITHUB_OUTPUT: out },
          encoding: 'utf8',
        });
        return { code: result.status, said: result.stdout, out: (await readFile(out, 'utf8')).trim() };
      };
      expect((await target('catalogue:\n  publish: s3\n')).out).toBe('publish=s3');
      expect((await target('train:\n  epochs: 3\n')).out).toBe('publish=pages');
      const unreadable = await target('catalogue: {publish: s3}\n');
      expect(unreadable.code).not.toBe(0);
      expect(unreadable.said).toMatch(/^::error file=params\.yaml::catalogue\.publish could not be read/);
      expect(unreadable.said).toContain('npx vitrine params get catalogue.publish');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('checks that the catalogue can be published before main.yml moves production (GitHub Pages on)', async () => {
    const steps = (await read('main.yml')).jobs.promote.steps;
    const pages = steps.findIndex((s) => s.uses?.startsWith('actions/configure-pages@'));
    const promote = steps.findIndex((s) => s.uses === './actions/promote');
    expect(pages).toBeGreaterThanOrEqual(0);
    expect(pages).toBeLessThan(promote);
    // Not allowed to fail: a repository without Pages stops there, with production unchanged.
    expect((steps[pages] as Step & { 'continue-on-error'?: boolean })['continue-on-error']).toBeUndefined();
  });
});
