import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import path from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.csv': 'text/csv; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.webp': 'image/webp',
  '.jpg': 'image/jpeg',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
  '.bin': 'application/octet-stream',
  '.pf_meta': 'application/octet-stream',
};

/** Serve a built site on 127.0.0.1 under `base` (like GitHub Pages does, 404.html for missing pages); counts the bytes sent per path. */
export async function serveSite({
  dir,
  base = '/',
}: {
  dir: string;
  base?: string;
}): Promise<{ url: string; server: Server; sent: Map<string, number>; close(): Promise<void> }> {
  const sent = new Map<string, number>();
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    let rel = decodeURIComponent(url.pathname);
    if (!rel.startsWith(base)) {
      res.writeHead(404).end('not under base');
      return;
    }
    rel = rel.slice(base.length);
    let file = path.join(dir, rel);
    if (!file.startsWith(dir)) {
      res.writeHead(403).end();
      return;
    }
    let s = await stat(file).catch(() => null);
    if (s?.isDirectory()) {
      file = path.join(file, 'index.html');
      s = await stat(file).catch(() => null);
    }
    if (!s) {
      // Like GitHub Pages: the site root's 404.html, with status 404, for any missing page under the base.
      const notFound = path.join(dir, '404.html');
      const n = await stat(notFound).catch(() => null);
      if (!n) {
        res.writeHead(404).end('not found');
        return;
      }
      res.writeHead(404, { 'content-type': TYPES['.html']!, 'content-length': n.size });
      createReadStream(notFound).pipe(res);
      return;
    }
    sent.set(url.pathname, (sent.get(url.pathname) ?? 0) + s.size);
    res.writeHead(200, {
      'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'content-length': s.size,
    });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}${base}`,
    server,
    sent,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
