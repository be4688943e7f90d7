import { createReadStream, existsSync, readFileSync } from 'node:fs';
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

/** No built site in `dir`: said, with the command that builds it. */
export async function refuseMissingSite({ dir }: { dir: string }): Promise<void> {
  if (!(await stat(dir).catch(() => null)))
    throw new VitrineError(
      'SITE_MISSING',
      `There is no built site in ${dir} ` + `yet. Run "npx vitrine catalogue" first.`,
    );
}

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
  await refuseMissingSite({ dir });
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
    // Encoded, so that a terminal shows an address that opens (a base with a space or an accent).
    url: `http://127.0.0.1:${actualPort}${encodeURI(prefix)}/`,
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

/** How often the server looks whether the command that started it is still there. */
const WATCH_MS = 500;

/** A process's parent id and whether it is still running (not a zombie), from /proc; undefined where there is none. */
function procStat(pid: number): { ppid: number; alive: boolean } | undefined | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    // No /proc at all (macOS, Windows): unknown. No entry for this process: it is gone.
    return existsSync('/proc/self/stat') ? null : undefined;
  }
  // "pid (name) state ppid …": the name may hold spaces and parentheses, so read after the last ")".
  const [state, ppid] = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { ppid: Number(ppid), alive: state !== 'Z' && state !== 'X' };
}

/** True for npm's own process ("npm exec vitrine serve", npx, "npm run"), by its command line. */
function isNpm(pid: number): boolean {
  try {
    const words = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return /^(npm|npx)\b/.test(words[0] ?? '') || words.some((w) => /\bnp[mx]-cli\.js$/.test(w));
  } catch {
    return false;
  }
}

/** A process of the chain that started this server: its id, its parent then, and whether it is npm itself. */
type Launcher = { pid: number; ppid: number; npm: boolean };

/**
 * The processes between this one and npm that started it (`npx vitrine serve`: npm exec, then a shell), each with
 * its parent then: if one of them goes away (stopped with SIGTERM or SIGHUP, which npm does not pass on to a
 * shell's child, or SIGKILL), nothing is left to stop this server but its port. Empty when not started by npm:
 * then the signals reach this process itself, and a server started with nohup from a shell outlives that shell.
 */
function launchers(env: NodeJS.ProcessEnv): Launcher[] {
  if (!env.npm_command && !env.npm_lifecycle_event) return [];
  const chain: Launcher[] = [];
  for (let pid = process.ppid, depth = 0; pid > 1 && depth < 4; depth++) {
    const stat = procStat(pid);
    if (stat === undefined) return [{ pid: process.ppid, ppid: -1, npm: false }]; // No /proc: the parent only.
    if (!stat?.alive) break;
    const npm = isNpm(pid);
    chain.push({ pid, ppid: stat.ppid, npm });
    if (npm) return chain;
    pid = stat.ppid;
  }
  // npm not found on the way up: the parent only.
  return chain.slice(0, 1);
}

/**
 * True when a process of the chain has stopped (or, without /proc, when this process's parent changed). npm itself
 * only has to be alive: started with nohup, disown or setsid from a shell that then ends, npm exec is given another
 * parent (init) and goes on running, and so does this server. The processes between npm and this one (the shell npm
 * runs) must still have their parent: one whose npm has gone is left to init.
 */
function launcherGone(chain: Launcher[], parent: number): boolean {
  if (process.ppid !== parent) return true;
  for (const { pid, ppid, npm } of chain) {
    if (ppid === -1) continue;
    const stat = procStat(pid);
    if (!stat?.alive || (!npm && stat.ppid !== ppid)) return true;
  }
  return false;
}

/**
 * Keep serving until stopped: Ctrl+C, SIGTERM or SIGHUP to this process, or the command that started it going away
 * (`npx vitrine serve` is npm exec, then a shell, then this node process: killing npm exec must not leave the port
 * taken by an orphan). The server runs in this process (no child of its own to stop). Never resolves.
 */
export function serveUntilStopped({
  server,
  log,
  env = process.env,
}: {
  server: Server;
  log?: { info(message: string): void };
  env?: NodeJS.ProcessEnv;
}): Promise<never> {
  let stopping = false;
  const stop = (why: string, signal?: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    clearInterval(watch);
    log?.info(why);
    const end = () => {
      if (signal) {
        // Stopped by a signal: end as the signal ends a program (exit status 128 + its number), as before.
        for (const s of STOPS) process.removeAllListeners(s);
        process.kill(process.pid, signal);
      } else process.exit(0);
    };
    server.closeAllConnections();
    server.close(end);
    // A connection that will not close must not keep the port: end anyway after a moment.
    setTimeout(end, 2000).unref();
  };
  for (const signal of STOPS) process.once(signal, () => stop('Stopping the server.', signal));
  const parent = process.ppid;
  const chain = launchers(env);
  const watch = setInterval(() => {
    if (chain.length > 0 && launcherGone(chain, parent))
      stop('The command that started the server has stopped: stopping the server too.');
  }, WATCH_MS);
  watch.unref();
  return new Promise<never>(() => {});
}

const STOPS = ['SIGTERM', 'SIGHUP'] as const;
