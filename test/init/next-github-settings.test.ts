import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { smallExport, vitrineIn } from '../fixtures/cli-run.ts';
import { tempDir } from '../fixtures/temp.ts';

/*
 * init's "Next:" steps ended at "vitrine run": nothing said that the workflows are safe on the museum's runner only
 * once the maintainer turns on GitHub settings no workflow can set (docs/actions.md, "Settings the maintainer must turn
 * on"). Its last lines now list them, naming the doc's section; the keys of the data remote only for a bucket.
 */

let theExport: { csv: string; images: string };
let root: string;
beforeAll(async () => {
  root = await tempDir('vitrine-init-next-github-');
  const rows = [
    ['A1', 'o1.jpg', 'coin'],
    ['A2', 'o2.jpg', 'vase'],
  ];
  theExport = await smallExport({ dir: path.join(root, 'export'), rows });
});

async function init(name: string, more: string[] = []) {
  const dir = path.join(root, name);
  await mkdir(dir, { recursive: true });
  const { csv, images } = theExport;
  const args = ['init', '--from', csv, '--images', images, '--vocabulary', 'coin,vase', '--yes', ...more];
  const { code, said } = await vitrineIn({ args, cwd: dir });
  expect(code, said).toBe(0);
  return said.slice(said.lastIndexOf('\nNext:'));
}

describe('init’s last steps', () => {
  it('list the GitHub settings the workflows’ safety needs, and where the docs say why', async () => {
    const next = await init('folder-remote');
    expect(next).toContain('"Settings the maintainer must turn on" in Vitrine’s docs/actions.md');
    expect(next).toMatch(/runner group of the museum’s runner.*this repository only.*pull-request-data\.yml.* on main/);
    expect(next).toContain('"Require approval for all outside collaborators"');
    expect(next).toContain('"Send secrets to workflows from pull requests" off');
    expect(next).toMatch(/branch protection rule or ruleset on main: require the status check vitrine\/gate/);
    expect(next).toContain('an approving review before merging');
    expect(next).toContain('a label named "safe to run"');
    // A folder remote has no keys to keep apart.
    expect(next).not.toContain('vitrine-remote-write');
  });

  it('name the read-only key and the write key’s environment for a bucket', async () => {
    // A server that is not there: the push fails and init still exits 0, saying to push later.
    const next = await init('bucket', [
      ...['--remote', 's3://bucket/x', '--endpoint-url', 'http://127.0.0.1:9'],
      ...['--access-key-id', 'K', '--secret-access-key', 'S'],
    ]);
    expect(next).toContain('VITRINE_REMOTE_READ_ACCESS_KEY_ID');
    expect(next).toMatch(/write key only in the environment vitrine-remote-write, limited to main/);
  });
});
