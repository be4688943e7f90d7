import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { nodeProblem } from '../../bin/check-node.js';

/*
 * Issue 15 #5: `node bin/vitrine.js` on a Node that Vitrine does not support says so in one line
 * (the Node found, the versions needed, how to get one) and exits 1, instead of a stack trace from
 * loading TypeScript.
 */

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'vitrine.js');
const ENGINES = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } })
  .engines.node;
const run = promisify(execFile);

/** Node binaries on PATH outside node_modules (npx puts the `node` package's Node 24 first), with their versions. */
function systemNodes(): { file: string; version: string }[] {
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter((d) => d && !d.includes('node_modules'));
  const files = [...new Set([...dirs.map((d) => path.join(d, 'node')), '/usr/bin/node', '/usr/local/bin/node'])];
  return files
    .filter((f) => existsSync(f))
    .map((file) => ({ file, version: execFileSync(file, ['--version'], { encoding: 'utf8' }).trim().slice(1) }));
}
const unsupported = systemNodes().find((n) => !semver.satisfies(n.version, ENGINES));

describe('the Node version check in bin/vitrine.js', () => {
  it.skipIf(!unsupported)(`refuses an unsupported Node in one plain line, exit 1 (${unsupported?.file})`, async () => {
    const result = await run(unsupported!.file, [BIN, '--version'], { cwd: ROOT }).then(
      () => ({ code: 0, stderr: '', stdout: '' }),
      (error: { code: number; stderr: string; stdout: string }) => error,
    );
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines, result.stderr).toHaveLength(1);
    // Begun as every other refusal of the CLI is, "error: " (an outside tester saw "Error:", "error:" and none).
    expect(lines[0]).toMatch(/^error: Vitrine cannot run on Node\.js /);
    expect(lines[0]).toContain(`Node.js ${unsupported!.version}`);
    expect(lines[0]).toContain(ENGINES);
    expect(lines[0]).toContain('npx vitrine');
    expect(lines[0]).toContain('nvm install');
  });

  it('runs on the Node running the tests (a supported one)', async () => {
    expect(semver.satisfies(process.versions.node, ENGINES)).toBe(true);
    const { stdout } = await run(process.execPath, [BIN, '--version'], { cwd: ROOT });
    expect(stdout).toMatch(/^vitrine \d+\.\d+\.\d+\n$/);
  });

  it('agrees with semver on which versions engines allows', () => {
    for (const version of [
      '18.20.0',
      '20.19.0',
      '20.20.2',
      '22.0.0',
      '22.18.0',
      '22.19.0',
      '22.22.1',
      '23.11.0',
    ].concat(['24.0.0', '24.9.0', '25.0.0', '26.1.0'])) {
      const allowed = semver.satisfies(version, ENGINES);
      const problem = nodeProblem({ version, engines: ENGINES, execPath: '/x/node' });
      expect(problem === undefined, `${version}: ${problem}`).toBe(allowed);
    }
  });

  it('says which Node it found, what is needed and how to get it', () => {
    const problem = nodeProblem({ version: '20.20.2', engines: ENGINES, execPath: '/usr/bin/node' })!;
    expect(problem).toContain('Node.js 20.20.2 (/usr/bin/node)');
    expect(problem).toContain(`package.json engines: ${ENGINES}`);
    expect(problem).toContain('npm ci');
    expect(problem).not.toContain('\n');
  });

  it('is quoted word for word in the README', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain(nodeProblem({ version: '20.20.2', engines: ENGINES, execPath: '/usr/bin/node' }));
  });
});
