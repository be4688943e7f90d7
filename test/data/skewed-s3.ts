import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/*
 * A small S3 server on 127.0.0.1 whose clock is `skewMs` off this computer's, as a runner without NTP meets one: it
 * refuses requests whose x-amz-date is more than 15 minutes from its own time (403 RequestTimeTooSkewed; a bare 403
 * for a HEAD), as S3 does, and otherwise keeps objects in memory and lists them (ListObjects v1, `pageSize` keys a
 * page). Every answer's Date header is its own time, or what `dateHeader` gives (a box with no clock: 1970). Its
 * knobs (`deny`, `stubborn`, `override`) make it refuse for other reasons, set between requests by a test.
 */

export interface SkewedS3 {
  /** "http://127.0.0.1:PORT" */
  endpoint: string;
  /** The server's clock minus this computer's (ms). */
  skewMs: number;
  /** Keys listed per page. */
  pageSize: number;
  /** The Date header of an answer to `req` (default: the server's own time). */
  dateHeader?: (req: http.IncomingMessage, now: number) => string;
  /** Refuse every request with a bare 403, whatever its time (a key without permission). */
  deny: boolean;
  /**
   * Refuse every upload, download and listing as signed too far from its time, whatever its time (a server whose
   * Date header is wrong). A check (HEAD, no body) is answered as usual: its bare 403 would be the key's refusal.
   */
  stubborn: boolean;
  /** An answer that replaces the server's own (a proxy's page, a refusal for another reason), or undefined. */
  override?: (req: http.IncomingMessage, now: number) => SkewedAnswer | undefined;
  /** The requests it received ("GET /museum?prefix=…"). */
  received: string[];
  /** The objects it keeps, by path ("/museum/collection/files/md5/…"). */
  stored: Map<string, Buffer>;
  close(): Promise<void>;
}

export interface SkewedAnswer {
  status: number;
  headers: Record<string, string>;
  body?: string;
}

/** "20261206T113241Z" → ms. */
function amzDate(text: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : Number.NaN;
}

export async function skewedS3({ skewMs = 20 * 60_000 }: { skewMs?: number } = {}): Promise<SkewedS3> {
  const stored = new Map<string, Buffer>();
  const state: Omit<SkewedS3, 'endpoint' | 'close'> = {
    skewMs,
    pageSize: 1000,
    deny: false,
    stubborn: false,
    received: [],
    stored,
  };
  const server = http.createServer((req, res) => {
    const now = Date.now() + state.skewMs;
    res.setHeader('date', state.dateHeader?.(req, now) ?? new Date(now).toUTCString());
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      state.received.push(`${req.method} ${req.url}`);
      const replaced = state.override?.(req, now);
      if (replaced) {
        res.writeHead(replaced.status, replaced.headers);
        return void res.end(req.method === 'HEAD' ? undefined : replaced.body);
      }
      const sent = amzDate(String(req.headers['x-amz-date'] ?? ''));
      const refused = state.deny || (state.stubborn && req.method !== 'HEAD');
      if (refused || !(Math.abs(now - sent) <= 15 * 60_000)) {
        res.writeHead(403, { 'content-type': 'application/xml' });
        if (req.method === 'HEAD' || state.deny) return void res.end();
        res.end(
          '<?xml version="1.0" encoding="UTF-8"?><Error><Code>RequestTimeTooSkewed</Code><Message>The difference ' +
            'between the request time and the current time is too large.</Message>' +
            `<RequestTime>${req.headers['x-amz-date']}</RequestTime><ServerTime>${new Date(now).toISOString()}` +
            '</ServerTime></Error>',
        );
        return;
      }
      const url = new URL(req.url ?? '/', 'http://x');
      const bucket = /^\/([^/]+)\/?$/.exec(url.pathname);
      if (req.method === 'GET' && bucket) {
        const prefix = `/${bucket[1]}/${url.searchParams.get('prefix') ?? ''}`;
        const marker = url.searchParams.get('marker');
        const keys = [...stored.keys()]
          .filter((k) => k.startsWith(prefix) && (!marker || k > `/${bucket[1]}/${marker}`))
          .sort();
        const page = keys.slice(0, state.pageSize);
        const contents = page.map((k) => {
          const body = stored.get(k)!;
          const etag = createHash('md5').update(body).digest('hex');
          return `<Contents><Key>${k.slice(bucket[1]!.length + 2)}</Key><Size>${body.length}</Size><ETag>"${etag}"</ETag></Contents>`;
        });
        res.writeHead(200, { 'content-type': 'application/xml' });
        res.end(
          `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>${bucket[1]}</Name>` +
            `<IsTruncated>${keys.length > page.length}</IsTruncated>${contents.join('')}</ListBucketResult>`,
        );
        return;
      }
      if (req.method === 'PUT') {
        const body = Buffer.concat(chunks);
        stored.set(url.pathname, body);
        res.writeHead(200, { etag: `"${createHash('md5').update(body).digest('hex')}"` });
        return void res.end();
      }
      const body = stored.get(url.pathname);
      res.writeHead(body || bucket ? 200 : 404, { 'content-length': String(body?.length ?? 0) });
      res.end(req.method === 'HEAD' ? undefined : body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return Object.assign(state, {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}

/** A .dvc/config whose default remote "storage" is s3://museum/`folder` on `endpoint`, with keys. */
export const skewedConfig = (endpoint: string, folder = 'collection') =>
  `[core]\n    remote = storage\n['remote "storage"']\n    url = s3://museum/${folder}\n` +
  `    endpointurl = ${endpoint}\n    access_key_id = KEY\n    secret_access_key = SECRET\n`;
