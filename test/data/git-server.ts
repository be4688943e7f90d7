import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A real git smart-HTTP server on 127.0.0.1: `git http-backend` (CGI) behind a tiny Node server,
 * serving the bare repositories under `projectRoot`. With `token`, it answers only requests that carry it as
 * GitHub takes a workflow's token (`Authorization: basic` of `x-access-token:<token>`), and lets those push;
 * `requests` lists each request's path and whether it carried the token.
 */
export async function startGitServer({
  projectRoot,
  token,
}: {
  projectRoot: string;
  token?: string;
}): Promise<{ url: string; requests: { path: string; authorized: boolean }[]; close(): Promise<void> }> {
  const requests: { path: string; authorized: boolean }[] = [];
  const expected = token && `basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}`;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    // The scheme in any case, the credentials exactly.
    const [scheme, credentials] = (req.headers.authorization ?? '').split(' ');
    const authorized = Boolean(expected) && `${scheme?.toLowerCase()} ${credentials}` === expected;
    requests.push({ path: `${url.pathname}${url.search}`, authorized });
    if (expected && !authorized) {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="git"' });
      res.end();
      return;
    }
    const cgi = spawn('git', ['http-backend'], {
      env: {
        PATH: process.env.PATH,
        GIT_PROJECT_ROOT: projectRoot,
        GIT_HTTP_EXPORT_ALL: '1',
        REQUEST_METHOD: req.method,
        PATH_INFO: decodeURIComponent(url.pathname),
        QUERY_STRING: url.search.slice(1),
        CONTENT_TYPE: req.headers['content-type'] ?? '',
        REMOTE_ADDR: '127.0.0.1',
        // http-backend lets an authenticated user push.
        ...(authorized ? { REMOTE_USER: 'x-access-token' } : {}),
        ...(req.headers['content-encoding'] ? { HTTP_CONTENT_ENCODING: String(req.headers['content-encoding']) } : {}),
        ...(req.headers['git-protocol'] ? { GIT_PROTOCOL: String(req.headers['git-protocol']) } : {}),
      },
    });
    req.pipe(cgi.stdin);
    let head = Buffer.alloc(0);
    let headersDone = false;
    cgi.stdout.on('data', (chunk: Buffer) => {
      if (headersDone) {
        res.write(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      headersDone = true;
      let status = 200;
      for (const line of head.subarray(0, end).toString('utf8').split('\r\n')) {
        const i = line.indexOf(':');
        const name = line.slice(0, i).trim();
        const value = line.slice(i + 1).trim();
        if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10);
        else res.setHeader(name, value);
      }
      res.writeHead(status);
      res.write(head.subarray(end + 4));
    });
    cgi.stdout.on('end', () => res.end());
    cgi.on('error', () => {
      res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
