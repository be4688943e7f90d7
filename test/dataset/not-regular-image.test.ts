import { execFileSync } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildDataset } from '../../pipeline/dataset/build.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { makeCollection, object, removeTempDirs, solidImage, testParams } from './fixtures.ts';

/*
 * Attacker-tester (F7 #2): a named pipe put where an object's image should be (mkfifo data/images/fifo.jpg) was said
 * to be "missing (no file data/images/fifo.jpg)": there is something of that name, only not a file a photograph can
 * be read from. It is named for what it is (a pipe, a folder, a socket), and the build does not wait on it.
 */

afterAll(removeTempDirs);

describe('an image path that names something other than a file', () => {
  it('says a pipe, a folder or a socket is not a regular file, naming it, and does not hang', async () => {
    const objects = [
      object('DM-0001', 'images/fifo.jpg'),
      object('DM-0002', 'images/folder.jpg'),
      object('DM-0003', 'images/socket.jpg'),
      object('DM-0004', 'images/gone.jpg'),
      object('DM-0005', 'images/DM-0005.jpg'),
    ];
    const ws = await makeCollection({
      objects,
      images: { 'images/DM-0005.jpg': await solidImage({ format: 'jpeg' }) },
    });
    execFileSync('mkfifo', [path.join(ws.images, 'fifo.jpg')]);
    await mkdir(path.join(ws.images, 'folder.jpg'));
    const server = createServer();
    await new Promise<void>((done) => server.listen(path.join(ws.images, 'socket.jpg'), done));
    try {
      const dataset = await buildDataset({ ws, params: testParams(), log: memoryLogger(), jobs: 1 });
      const said = (id: string) => dataset.issues.find((i) => i.object === id)?.message ?? '';
      expect(said('DM-0001')).toContain(
        'the image of object "DM-0001" is not a file a photograph can be read from: data/images/fifo.jpg is a named ' +
          'pipe (FIFO), not a regular file. Put the photograph itself (a file) in its place',
      );
      expect(said('DM-0001')).not.toMatch(/missing/);
      expect(said('DM-0002')).toContain('data/images/folder.jpg is a folder');
      expect(said('DM-0003')).toContain('data/images/socket.jpg is a socket');
      // A file truly absent is still missing.
      expect(said('DM-0004')).toContain('is missing (no file data/images/gone.jpg)');
      expect(dataset.objects.find((o) => o.id === 'DM-0005')!.imageMd5).not.toBe('');
      for (const id of ['DM-0001', 'DM-0002', 'DM-0003']) {
        expect(dataset.issues.find((i) => i.object === id)?.code).toBe('OBJECT_NO_IMAGE');
        expect(dataset.objects.find((o) => o.id === id)!.imageMd5).toBe('');
      }
    } finally {
      await new Promise((done) => server.close(done));
    }
  }, 60_000);
});
