/*
 * `npx node bench/publish.ts`: `vitrine publish` of a synthetic built catalogue to s3rver on
 * 127.0.0.1 — the first upload, a publish with nothing changed, and one after one page changed.
 * Size: BENCH_PUBLISH_FILES (default 10000) small files, shaped like the site's (pages, thumbnails,
 * search chunks). s3rver writes every object to disk on this machine, so the upload rate is a floor.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';
import { silentLogger } from '../pipeline/log.ts';
import { publishSite } from '../pipeline/publish/s3.ts';

function line(label: string, figure: string): void {
  console.log(`${label.padEnd(44)} ${figure.padStart(26)}`);
}

export async function run(): Promise<void> {
  const files = Number(process.env.BENCH_PUBLISH_FILES ?? 10_000);
  const base = await mkdtemp(path.join(os.tmpdir(), 'vitrine-bench-publish-'));
  let server: S3rver | undefined;
  try {
    const site = path.join(base, 'site');
    const kinds = ['objects/o-{i}/index.html', 'media/thumbs/{h}-240.webp', 'pagefind/fragment/en_{h}.pf_fragment'];
    await mkdir(site, { recursive: true });
    await writeFile(path.join(site, 'index.html'), '<!doctype html><title>Home</title>');
    for (let i = 0; i < files - 1; i++) {
      const h = i.toString(16).padStart(32, '0');
      const file = path.join(site, kinds[i % kinds.length].replace('{i}', String(i)).replace('{h}', h));
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, `object ${i} `.repeat(200));
    }
    server = new S3rver({
      address: '127.0.0.1',
      port: 0,
      silent: true,
      directory: path.join(base, 's3'),
      configureBuckets: [{ name: 'www', configs: [] }],
    });
    const { port } = (await server.run()) as { port: number };
    const target = {
      bucket: 'www',
      prefix: 'site',
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      imageBaseUrl: '',
      base: '/',
      jobs: 8,
    };
    const timed = async (label: string) => {
      const started = performance.now();
      const result = await publishSite({ site, target, log: silentLogger });
      const seconds = (performance.now() - started) / 1000;
      const sent = result.uploaded.length;
      line(
        label,
        `${seconds.toFixed(2)} s, ${sent} sent${sent > 1 ? ` (${(sent / seconds).toFixed(0)} files/s)` : ''}`,
      );
    };
    console.log(`Site: ${files} files of about 2 kB`);
    await timed('first publish (everything)');
    await timed('publish again, nothing changed');
    await writeFile(path.join(site, 'objects/o-0/index.html'), 'changed');
    await timed('publish after one page changed');
  } finally {
    await server?.close();
    await rm(base, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
