import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
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
    const main = parse(await readFile(path.join(ROOT, '.github', 'workflows', 'main.yml'), 'utf8'));
    // One queue with main.yml: never two promotions at once.
    expect(concurrency.group).toBe(main.concurrency.group);
    const steps = jobs.promote.steps;
    const catalogue = steps.findIndex((s) => s.uses === './actions/catalogue');
    const publish = steps.findIndex((s) => s.run?.includes('publish'));
    expect(catalogue).toBeGreaterThan(steps.findIndex((s) => s.uses === './actions/promote'));
    expect(publish).toBeGreaterThan(catalogue);
    expect(steps[publish].run).toBe('node "$VITRINE" publish');
    expect(steps[publish].env).toEqual({
      VITRINE_PUBLISH_ACCESS_KEY_ID: '${{ secrets.VITRINE_PUBLISH_ACCESS_KEY_ID }}',
      VITRINE_PUBLISH_SECRET_ACCESS_KEY: '${{ secrets.VITRINE_PUBLISH_SECRET_ACCESS_KEY }}',
    });
    const elsewhere = JSON.stringify({
      ...jobs,
      promote: { ...jobs.promote, steps: steps.filter((_, i) => i !== publish) },
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
