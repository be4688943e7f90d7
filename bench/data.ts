/*
 * Data layer benchmark: hashing a fresh tree against `md5sum` over the same files in the same run,
 * `status` on the unchanged tree, and push/pull to a local folder remote and an S3-compatible remote
 * (s3rver on 127.0.0.1). Size: BENCH_DATA_FILES (default 10000) files, BENCH_DATA_MB (default 1024)
 * MB in all. Everything lives in a temp folder that is removed at the end.
 */
import { execFile } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { chmod, cp, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import S3rver from 's3rver';
import { silentLogger } from '../pipeline/log.ts';
import { addData, dataStatus, initData, pullData, pushData, setDvcConfig } from '../pipeline/data/index.ts';
import { hashTree } from '../pipeline/data/hash.ts';

const MB = 1024 * 1024;

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const started = performance.now();
  const value = await fn();
  return { value, seconds: (performance.now() - started) / 1000 };
}

function line(label: string, figure: string, target = ''): void {
  console.log(`${label.padEnd(44)} ${figure.padStart(22)}${target ? `   ${target}` : ''}`);
}

/** Write `files` files of random bytes totalling about `totalBytes`, in folders of 100. */
async function makeTree(dir: string, files: number, totalBytes: number): Promise<number> {
  const mean = Math.floor(totalBytes / files);
  const buffer = Buffer.allocUnsafe(mean * 2);
  let written = 0;
  for (let i = 0; i < files; i++) {
    // Sizes spread from half to one and a half times the mean, like photographs of varied objects.
    const size = Math.floor(mean * (0.5 + ((i * 7919) % files) / files));
    randomFillSync(buffer, 0, size);
    const folder = path.join(dir, 'images', String(Math.floor(i / 100)).padStart(3, '0'));
    if (i % 100 === 0) await mkdir(folder, { recursive: true });
    await writeFile(path.join(folder, `object-${String(i).padStart(5, '0')}.jpg`), buffer.subarray(0, size));
    written += size;
  }
  return written;
}

async function makeWritable(dir: string): Promise<void> {
  for (const item of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const p = path.join(dir, item.name);
    if (item.isDirectory()) await makeWritable(p);
    else await chmod(p, 0o644).catch(() => {});
  }
}

export async function run(): Promise<void> {
  const files = Number(process.env.BENCH_DATA_FILES ?? 10000);
  const totalMb = Number(process.env.BENCH_DATA_MB ?? 1024);
  const base = await mkdtemp(path.join(os.tmpdir(), 'vitrine-bench-data-'));
  let server: S3rver | undefined;
  try {
    const repo = path.join(base, 'repo');
    const data = path.join(repo, 'data');
    const bytes = await makeTree(data, files, totalMb * MB);
    const mb = bytes / MB;
    console.log(`Tree: ${files} files, ${mb.toFixed(0)} MB (files just written, so both tools read from the page cache)`);

    // md5sum over the same files, in one process per batch, as a shell user would run it.
    const md5sum = await timed(() => promisify(execFile)('sh', ['-c', 'find . -type f -print0 | xargs -0 md5sum > /dev/null'], { cwd: data, maxBuffer: 1 << 20 }));
    const ours = await timed(() => hashTree({ dir: data }));
    const md5sumRate = mb / md5sum.seconds;
    const ourRate = mb / ours.seconds;
    line('md5sum (coreutils)', `${md5sumRate.toFixed(0)} MB/s (${md5sum.seconds.toFixed(2)} s)`);
    line('hashTree, fresh (no state)', `${ourRate.toFixed(0)} MB/s (${ours.seconds.toFixed(2)} s)`, `${((ourRate / md5sumRate) * 100).toFixed(0)}% of md5sum (target >= 80%)`);

    await initData({ root: repo, remoteUrl: '../storage' });
    const add = await timed(() => addData({ root: repo, log: silentLogger }));
    line('data add (hash + copy into cache)', `${add.seconds.toFixed(2)} s`);
    const status = await timed(() => dataStatus({ root: repo, log: silentLogger }));
    if (!status.value.clean) throw new Error('status should be clean right after add');
    line('data status, unchanged tree', `${status.seconds.toFixed(3)} s`, `(target < 1 s)`);

    const push = await timed(() => pushData({ root: repo, log: silentLogger }));
    line('push to local folder remote', `${(mb / push.seconds).toFixed(0)} MB/s (${push.seconds.toFixed(2)} s)`, `${push.value.transferred} objects`);
    const again = await timed(() => pushData({ root: repo, log: silentLogger }));
    line('push again (nothing missing)', `${again.seconds.toFixed(2)} s`, `${again.value.skipped} skipped`);
    const clone = path.join(base, 'clone');
    await mkdir(path.join(clone, '.dvc'), { recursive: true });
    await cp(path.join(repo, 'data.dvc'), path.join(clone, 'data.dvc'));
    await cp(path.join(repo, '.dvc', 'config'), path.join(clone, '.dvc', 'config'));
    const pull = await timed(() => pullData({ root: clone, log: silentLogger }));
    line('pull from local folder remote (+checkout)', `${(mb / pull.seconds).toFixed(0)} MB/s (${pull.seconds.toFixed(2)} s)`, `${pull.value.transferred} objects`);

    server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: path.join(base, 's3'), configureBuckets: [{ name: 'bench', configs: [] }] });
    const { port } = await server.run();
    const s3Values = () => [
      { section: 'remote "s3"', key: 'url', value: 's3://bench/store' },
      { section: 'remote "s3"', key: 'endpointurl', value: `http://127.0.0.1:${port}` },
      { section: 'remote "s3"', key: 'access_key_id', value: 'S3RVER' },
      { section: 'remote "s3"', key: 'secret_access_key', value: 'S3RVER' },
    ];
    await setDvcConfig({ root: repo, values: s3Values() });
    const s3push = await timed(() => pushData({ root: repo, remote: 's3', log: silentLogger, jobs: 16 }));
    line('push to S3 (s3rver on 127.0.0.1)', `${(mb / s3push.seconds).toFixed(0)} MB/s (${s3push.seconds.toFixed(2)} s)`, `${s3push.value.transferred} objects`);
    const s3clone = path.join(base, 's3clone');
    await mkdir(path.join(s3clone, '.dvc'), { recursive: true });
    await cp(path.join(repo, 'data.dvc'), path.join(s3clone, 'data.dvc'));
    await setDvcConfig({ root: s3clone, values: s3Values() });
    const s3pull = await timed(() => pullData({ root: s3clone, remote: 's3', log: silentLogger, jobs: 16 }));
    line('pull from S3 (+checkout)', `${(mb / s3pull.seconds).toFixed(0)} MB/s (${s3pull.seconds.toFixed(2)} s)`, `${s3pull.value.transferred} objects`);
  } finally {
    await server?.close();
    await makeWritable(base);
    await rm(base, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
