import { spawnSync } from 'node:child_process';
import { chmod, cp, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** The `vitrine` command, for tests that start it in a child (a user namespace with a small disk, say). */
export const VITRINE_BIN = path.resolve(import.meta.dirname, '..', '..', 'bin', 'vitrine.js');

/** True when this machine lets a user namespace mount a small tmpfs (not in every CI container): a disk to fill. */
export function canMountTmpfs(): boolean {
  const probe = spawnSync('unshare', ['-Urm', 'sh', '-c', 'mount -t tmpfs -o size=64k tmpfs /mnt'], {
    stdio: 'ignore',
  });
  return probe.status === 0;
}

/** A fresh temp folder; removed by `cleanup`. */
export async function tempDir(prefix = 'vitrine-data-'): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), prefix));
}

/** Remove a folder even when it holds read-only cache objects. */
export async function cleanup(dir: string): Promise<void> {
  await chmodTree(dir).catch(() => {});
  await rm(dir, { recursive: true, force: true });
}

async function chmodTree(dir: string): Promise<void> {
  for (const item of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, item.name);
    if (item.isDirectory()) await chmodTree(p);
    else await chmod(p, 0o644).catch(() => {});
  }
}

export async function writeTree(base: string, files: Record<string, string | Buffer>): Promise<void> {
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(base, ...rel.split('/'));
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content);
  }
}

/** Every file under `dir` as relpath → content (utf8). */
export async function readTree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const { readFile } = await import('node:fs/promises');
  const walk = async (abs: string, prefix: string) => {
    for (const item of await readdir(abs, { withFileTypes: true })) {
      const rel = prefix ? `${prefix}/${item.name}` : item.name;
      if (item.isDirectory()) await walk(path.join(abs, item.name), rel);
      else out[rel] = await readFile(path.join(abs, item.name), 'utf8');
    }
  };
  await walk(dir, '');
  return out;
}

/** A "clone": the git-tracked files of a repo (data.dvc, .dvc/config) without data/ or the cache. */
export async function cloneTracked(from: string, to: string): Promise<void> {
  await mkdir(path.join(to, '.dvc'), { recursive: true });
  await cp(path.join(from, 'data.dvc'), path.join(to, 'data.dvc'));
  await cp(path.join(from, '.dvc', 'config'), path.join(to, '.dvc', 'config'));
}

export const SAMPLE: Record<string, string> = {
  'objects.csv': 'id,title\nA1,Bowl\nA2,Coin\n',
  'images/A1.png': 'not really a png 1',
  'images/A2.png': 'not really a png 2',
  'images/sub/A3.png': 'not really a png 2',
};

/** A storage server on 127.0.0.1 that accepts connections, reads what is sent and never answers. */
export async function silentServer(): Promise<{ endpoint: string; connections: () => number; close: () => void }> {
  const sockets = new Set<net.Socket>();
  let connections = 0;
  const server = net.createServer((socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('data', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    connections: () => connections,
    close: () => {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}
