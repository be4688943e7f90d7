import { readFile } from 'node:fs/promises';
import path from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

/*
 * Issue 15 #5: package.json's engines states the Node versions that really work, so `npm ci` on a
 * supported Node prints no EBADENGINE warning: every installed package must accept every version
 * our range allows.
 */

const ROOT = path.resolve(import.meta.dirname, '..', '..');

/*
 * No exceptions: nsfwjs 4.4.0 declared exactly Node 22.13.0 (a warning on every other Node); Vitrine
 * takes only its weight files, which 4.3.0 (no engines field) ships byte for byte the same.
 */

describe('engines', () => {
  it('allows only Node versions every installed package accepts', async () => {
    const pkg = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
    const lock = JSON.parse(await readFile(path.join(ROOT, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { engines?: unknown; optional?: boolean }>;
    };
    const refused: string[] = [];
    for (const [name, entry] of Object.entries(lock.packages)) {
      const range =
        entry.engines && typeof entry.engines === 'object' ? (entry.engines as { node?: string }).node : undefined;
      if (!name || !range || entry.optional) continue;
      if (!semver.subset(pkg.engines.node, range)) refused.push(`${name} wants Node ${range}`);
    }
    expect(refused, `package.json engines "${pkg.engines.node}"`).toEqual([]);
  });

  // .ci/run sets it when it runs tests on the lowest supported Node: the tests must really run there.
  const asked = process.env.VITRINE_TEST_NODE;
  it.runIf(asked)(`runs on the Node that CI asked for (${asked})`, () => {
    expect(process.versions.node).toBe(asked);
  });

  it('includes the Node the npm scripts run under (the node devDependency)', async () => {
    const pkg = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
    const bundled = (
      JSON.parse(await readFile(path.join(ROOT, 'node_modules', 'node', 'package.json'), 'utf8')) as { version: string }
    ).version;
    expect(semver.satisfies(bundled, pkg.engines.node)).toBe(true);
  });
});
