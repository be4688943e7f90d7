import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { VitrineError } from '../errors.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.wasm': 'application/wasm',
  '.bin': 'application/octet-stream',
  '.csv': 'text/csv; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.pf_meta': 'application/octet-stream',
  '.pf_index': 'application/octet-stream',
  '.pf_fragment': 'application/octet-stream',
  '.pagefind': 'application/octet-stream',
};

/** A static file server for the built site (Pagefind needs http, not file://), bound to 127.0.0.1. */
export async function serveSite({
  dir,
  base = '/',
  port = 4321,
}: {
  dir: string;
  base?: string;
  port?: number;
}): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  if (!(await stat(dir).catch(() => null)))
    throw new VitrineError(
      'SITE_MISSING',
      `There is no built site in ${dir} ` + `yet. Run "npx vitrine catalogue" first.`,
    );
  const prefix = `/${base.replace(/^\/+|\/+$/g, '')}`.replace(/^\/$/, '');
  const server = createServer(async (req, res) => {
    let urlPath: string;
    try {
      urlPath = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    } catch {
      // A malformed address is the browser's (or a scanner's) mistake, not a reason to stop serving.
      return void res
        .writeHead(400, { 'content-type': 'text/plain; charset=utf-8' })
        .end('Bad request: malformed address');
    }
    if (prefix && urlPath.startsWith(prefix)) urlPath = urlPath.slice(prefix.length) || '/';
    let file = path.join(dir, path.normalize(urlPath));
    if (path.relative(dir, file).startsWith('..')) return void res.writeHead(403).end();
    let info = await stat(file).catch(() => null);
    if (info?.isDirectory()) {
      file = path.join(file, 'index.html');
      info = await stat(file).catch(() => null);
    }
    if (!info?.isFile()) {
      const notFound = path.join(dir, '404.html');
      res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' });
      return void ((await stat(notFound).catch(() => null))
        ? createReadStream(notFound).pipe(res)
        : res.end('Not found'));
    }
    res.writeHead(200, {
      'content-type': TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
      'content-length': info.size,
    });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve)).catch(
    (error: NodeJS.ErrnoException): Promise<never> => {
      if (error.code === 'EADDRINUSE')
        return freePortAfter(port).then((free) => {
          throw new VitrineError(
            'PORT_IN_USE',
            `Port ${port} is already in use (another "vitrine serve", or another program). ` +
              (free
                ? `Stop it, or choose another port: npx vitrine serve --port ${free}`
                : 'Stop it, or choose another port with --port.'),
            { port, free },
            { cause: error },
          );
        });
      if (error.code === 'EACCES')
        throw new VitrineError(
          'PORT_DENIED',
          `This user may not listen on port ${port}. ` + `Choose a port above 1023: npx vitrine serve --port 4321`,
          { port },
          { cause: error },
        );
      throw error;
    },
  );
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://127.0.0.1:${actualPort}${prefix}/`,
    server,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/** The first port after `port` that can really be listened on now (the next number may be taken too). */
async function freePortAfter(port: number): Promise<number | undefined> {
  for (let candidate = port + 1; candidate <= Math.min(port + 100, 65_535); candidate++) {
    const free = await new Promise<boolean>((resolve) => {
      const probe = createServer();
      probe.once('error', () => resolve(false)).listen(candidate, '127.0.0.1', () => probe.close(() => resolve(true)));
    });
    if (free) return candidate;
  }
  return undefined;
}
