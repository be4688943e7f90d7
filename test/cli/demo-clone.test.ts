import { readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../pipeline/cli.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { tempDir } from '../fixtures/temp.ts';

/* The demo's remote folder is in .gitignore, so a clone of a demo repository has .dvc/config without it. */

async function demo(cwd: string) {
  const log = memoryLogger();
  const code = await main(['demo'], { cwd, env: {}, stdout: () => {}, log, interactive: false });
  return { code, messages: log.lines.map((l) => `${l.level}: ${l.message}`).join('\n') };
}

describe('vitrine demo where its remote folder is gone (a clone of a demo repository)', () => {
  it('makes its own folder again and sends the images there, as the first run did', async () => {
    const root = await tempDir('vitrine-demo-clone-');
    await writeFile(
      path.join(root, 'params.yaml'),
      'demo:\n  seed: 7\n  per_type: 4\n  unlabelled_per_type: 1\n  wrong_label_rate: 0.3\n  image_size: 64\n',
    );
    expect((await demo(root)).code).toBe(0);
    await rm(path.join(root, '.vitrine-remote'), { recursive: true });
    const again = await demo(root);
    expect(again.messages).not.toMatch(/REMOTE_FOLDER_MISSING|does not exist/);
    expect(again.code).toBe(0);
    expect(again.messages).toMatch(/data\.dvc points at 31 files .* 31 sent to the remote/);
    expect((await readdir(path.join(root, '.vitrine-remote'))).length).toBeGreaterThan(0);
  });
});
