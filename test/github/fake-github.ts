import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';

/*
 * A GitHub REST server on 127.0.0.1 for the endpoints Vitrine uses: issue comments (listed page by
 * page with Link headers, like GitHub, whose next links use /repositories/{id}/...), comment edits
 * and commit statuses. Every request is checked against GitHub's OpenAPI description
 * (@octokit/openapi): the route and method must exist and the JSON body must have the required
 * fields with allowed values; a request that does not fit is answered 422 and recorded in `invalid`.
 * Failures (5xx, rate limits) can be queued for the next matching requests.
 */

export interface RecordedRequest {
  method: string;
  path: string;
  body: unknown;
  authorization: string | undefined;
}

export interface Comment {
  id: number;
  body: string;
  user: { login: string; type: string };
}

export interface Failure {
  method?: string;
  /** Matches the request path (without the query). */
  path?: RegExp;
  status: number;
  headers?: Record<string, string>;
  message?: string;
  /** How many matching requests fail (default 1). */
  times?: number;
  /** The request is carried out, then answered with the failure (GitHub stored the comment, the proxy answered 502). */
  afterStoring?: boolean;
}

interface OpenApi {
  paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: Schema }> } }>>;
}
interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  enum?: unknown[];
}

let openapi: { spec: OpenApi; routes: { template: string; regex: RegExp }[] } | null = null;

function loadOpenApi() {
  if (openapi) return openapi;
  const require = createRequire(import.meta.url);
  const file = require.resolve('@octokit/openapi/generated/api.github.com.json');
  const spec = JSON.parse(readFileSync(file, 'utf8')) as OpenApi;
  // A file's {path} may hold slashes; every other parameter is one segment.
  const routes = Object.keys(spec.paths).map((template) => ({
    template,
    regex: new RegExp(`^${template.replace(/\{path\}/g, '.+').replace(/\{[^}]+\}/g, '[^/]+')}$`),
  }));
  openapi = { spec, routes };
  return openapi;
}

/** Problems with a request according to GitHub's OpenAPI description (empty: it fits). */
export function checkAgainstOpenApi({ method, path, body }: { method: string; path: string; body: unknown }): string[] {
  const { spec, routes } = loadOpenApi();
  // Link-header URLs use /repositories/{id}/...; the description lists them under /repos/{owner}/{repo}.
  const normalised = path.replace(/^\/repositories\/\d+\//, '/repos/o/r/');
  const route = routes.find((r) => r.regex.test(normalised) && spec.paths[r.template]![method.toLowerCase()]);
  if (!route) return [`${method} ${path} is not in GitHub's REST API description`];
  const operation = spec.paths[route.template]![method.toLowerCase()]!;
  const schema = operation.requestBody?.content['application/json']?.schema;
  if (!schema) return body === undefined ? [] : [`${method} ${route.template} takes no body`];
  const problems: string[] = [];
  if (body === null || typeof body !== 'object') return [`${method} ${route.template} needs a JSON object body`];
  for (const key of schema.required ?? [])
    if (!(key in (body as object))) problems.push(`body lacks required "${key}"`);
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    const prop = schema.properties?.[key];
    if (!prop) problems.push(`body has "${key}", which ${route.template} does not take`);
    else if (prop.enum && !prop.enum.includes(value))
      problems.push(`"${key}" is ${JSON.stringify(value)}, not one of ${prop.enum.join(', ')}`);
    else if (prop.type === 'string' && typeof value !== 'string') problems.push(`"${key}" must be a string`);
  }
  return problems;
}

/** A path at a commit: a regular file with its text, or another kind of entry. */
export type Entry =
  | { type: 'file'; text: string }
  | { type: 'symlink'; target: string }
  | { type: 'dir' }
  | { type: 'submodule' };

export interface FakeGitHub {
  url: string;
  requests: RecordedRequest[];
  invalid: { request: RecordedRequest; problems: string[] }[];
  comments: Map<number, Comment[]>;
  statuses: {
    sha: string;
    state: string;
    context: string;
    description: string;
    target_url?: string;
    creator?: string;
  }[];
  /** The files each pull request changes, as GitHub lists them. */
  pullFiles: Map<number, { filename: string; status: string; previous_filename?: string }[]>;
  /** Repository contents by commit, then by path. */
  contents: Map<string, Map<string, Entry>>;
  /** Labels on each issue or pull request. */
  labels: Map<number, string[]>;
  /** Pull requests as GET /pulls/{number} answers, and users' permissions. */
  pulls: Map<
    number,
    {
      head: { sha: string; repo: { full_name: string } | null };
      base: { sha: string; ref: string; repo: { full_name: string } };
    }
  >;
  permissions: Map<string, string>;
  /** Merge bases as GET /compare/{base}...{head} answers them, by "base...head" (commits); unset: the base. */
  compare: Map<string, string>;
  checkRuns: {
    name: string;
    head_sha: string;
    status?: string;
    conclusion?: string;
    details_url?: string;
    output?: { title: string; summary: string };
  }[];
  /** Queue failures for the next matching requests. */
  fail(failure: Failure): void;
  /** Seed a comment on an issue (as another user or the bot). */
  addComment(issue: number, body: string, login?: string): Comment;
  close(): Promise<void>;
}

/** Start the server. `pageSize` caps comments per page so that small fixtures page too. */
export async function startFakeGitHub({
  token = 'test-token',
  pageSize = 100,
  repositoryId = 1296269,
}: {
  token?: string;
  pageSize?: number;
  repositoryId?: number;
} = {}): Promise<FakeGitHub> {
  const requests: RecordedRequest[] = [];
  const invalid: FakeGitHub['invalid'] = [];
  const comments = new Map<number, Comment[]>();
  const statuses: FakeGitHub['statuses'] = [];
  const pullFiles: FakeGitHub['pullFiles'] = new Map();
  const contents: FakeGitHub['contents'] = new Map();
  const labels: FakeGitHub['labels'] = new Map();
  const checkRuns: FakeGitHub['checkRuns'] = [];
  const pulls: FakeGitHub['pulls'] = new Map();
  const permissions: FakeGitHub['permissions'] = new Map();
  const compare: FakeGitHub['compare'] = new Map();
  const failures: Failure[] = [];
  let nextId = 1000;
  let base = '';

  const commentJson = (c: Comment, owner: string, repo: string, issue: number) => ({
    id: c.id,
    node_id: `IC_${c.id}`,
    url: `${base}/repos/${owner}/${repo}/issues/comments/${c.id}`,
    html_url: `https://github.com/${owner}/${repo}/pull/${issue}#issuecomment-${c.id}`,
    issue_url: `${base}/repos/${owner}/${repo}/issues/${issue}`,
    body: c.body,
    user: { login: c.user.login, id: 41898282, type: c.user.type },
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    author_association: 'NONE',
  });

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', base);
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = raw;
    }
    const request: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      body,
      authorization: req.headers.authorization,
    };
    requests.push(request);
    const reply = (status: number, json: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(json === undefined ? '' : JSON.stringify(json));
    };
    if (req.headers.authorization !== `Bearer ${token}`) return reply(401, { message: 'Bad credentials' });
    const failure = failures.find(
      (f) => (!f.method || f.method === request.method) && (!f.path || f.path.test(url.pathname)),
    );
    let send = reply;
    if (failure) {
      failure.times = (failure.times ?? 1) - 1;
      if (failure.times <= 0) failures.splice(failures.indexOf(failure), 1);
      if (!failure.afterStoring)
        return reply(failure.status, { message: failure.message ?? 'Server Error' }, failure.headers);
      send = () => reply(failure.status, { message: failure.message ?? 'Server Error' }, failure.headers);
    }
    const problems = checkAgainstOpenApi({ method: request.method, path: url.pathname, body });
    if (problems.length > 0) {
      invalid.push({ request, problems });
      return send(422, { message: 'Validation Failed', errors: problems });
    }
    let m: RegExpExecArray | null;
    if ((m = /^\/(?:repos\/([^/]+)\/([^/]+)|repositories\/(\d+))\/issues\/(\d+)\/comments$/.exec(url.pathname))) {
      const [owner, repo] = m[1] ? [m[1], m[2]!] : ['Codertocat', 'Hello-World'];
      const issue = Number(m[4]);
      const list = comments.get(issue) ?? [];
      if (request.method === 'POST') {
        const c: Comment = {
          id: nextId++,
          body: (body as { body: string }).body,
          user: { login: 'github-actions[bot]', type: 'Bot' },
        };
        list.push(c);
        comments.set(issue, list);
        return send(201, commentJson(c, owner, repo, issue));
      }
      const perPage = Math.min(pageSize, Number(url.searchParams.get('per_page') ?? 30));
      const page = Number(url.searchParams.get('page') ?? 1);
      const last = Math.max(1, Math.ceil(list.length / perPage));
      const links: string[] = [];
      const pageUrl = (p: number) =>
        `<${base}/repositories/${repositoryId}/issues/${issue}/comments?per_page=${perPage}&page=${p}>`;
      if (page < last) links.push(`${pageUrl(page + 1)}; rel="next"`, `${pageUrl(last)}; rel="last"`);
      if (page > 1) links.push(`${pageUrl(1)}; rel="first"`, `${pageUrl(page - 1)}; rel="prev"`);
      return send(
        200,
        list.slice((page - 1) * perPage, page * perPage).map((c) => commentJson(c, owner, repo, issue)),
        links.length ? { link: links.join(', ') } : {},
      );
    }
    if (
      (m = /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/.exec(url.pathname)) &&
      request.method === 'DELETE'
    ) {
      const id = Number(m[3]);
      for (const [issue, list] of comments) {
        if (list.some((x) => x.id === id)) {
          comments.set(
            issue,
            list.filter((x) => x.id !== id),
          );
          return send(204, undefined);
        }
      }
      return send(404, { message: 'Not Found' });
    }
    if ((m = /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/.exec(url.pathname)) && request.method === 'PATCH') {
      const id = Number(m[3]);
      for (const [issue, list] of comments) {
        const c = list.find((x) => x.id === id);
        if (c) {
          c.body = (body as { body: string }).body;
          return send(200, commentJson(c, m[1]!, m[2]!, issue));
        }
      }
      return send(404, { message: 'Not Found' });
    }
    if ((m = /^\/repos\/([^/]+)\/([^/]+)\/statuses\/([0-9a-f]{40})$/.exec(url.pathname)) && request.method === 'POST') {
      const b = body as { state: string; context: string; description: string; target_url?: string };
      statuses.push({ sha: m[3]!, ...b });
      return send(201, { id: statuses.length, state: b.state, context: b.context, description: b.description });
    }
    if (
      (m = /^\/repos\/([^/]+)\/([^/]+)\/commits\/([0-9a-f]{40})\/statuses$/.exec(url.pathname)) &&
      request.method === 'GET'
    ) {
      const list = statuses.filter((s) => s.sha === m![3]).reverse();
      return send(
        200,
        list.map((s, i) => ({
          id: i + 1,
          state: s.state,
          context: s.context,
          description: s.description,
          creator: { login: s.creator ?? 'github-actions[bot]' },
        })),
      );
    }
    if ((m = /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)$/.exec(url.pathname)) && request.method === 'GET') {
      const pr = pulls.get(Number(m[3]));
      return pr ? send(200, { number: Number(m[3]), state: 'open', ...pr }) : send(404, { message: 'Not Found' });
    }
    if (
      (m = /^\/repos\/([^/]+)\/([^/]+)\/collaborators\/([^/]+)\/permission$/.exec(url.pathname)) &&
      request.method === 'GET'
    ) {
      const permission = permissions.get(decodeURIComponent(m[3]!));
      return permission
        ? send(200, { permission, user: { login: m[3] } })
        : send(404, { message: 'Not a collaborator' });
    }
    if (
      (m = /^\/(?:repos\/([^/]+)\/([^/]+)|repositories\/(\d+))\/pulls\/(\d+)\/files$/.exec(url.pathname)) &&
      request.method === 'GET'
    ) {
      // As GitHub: pages of at most 100 (30 unless per_page says), and no more than the first 3,000 files at all.
      const number = Number(m[4]);
      const list = (pullFiles.get(number) ?? []).slice(0, 3000);
      const perPage = Math.min(100, Number(url.searchParams.get('per_page') ?? 30));
      const page = Number(url.searchParams.get('page') ?? 1);
      const last = Math.max(1, Math.ceil(list.length / perPage));
      const pageUrl = (p: number) =>
        `<${base}/repositories/${repositoryId}/pulls/${number}/files?per_page=${perPage}&page=${p}>`;
      const links = page < last ? [`${pageUrl(page + 1)}; rel="next"`, `${pageUrl(last)}; rel="last"`] : [];
      return send(
        200,
        list.slice((page - 1) * perPage, page * perPage),
        links.length ? { link: links.join(', ') } : {},
      );
    }
    if ((m = /^\/repos\/([^/]+)\/([^/]+)\/contents\/(.+)$/.exec(url.pathname)) && request.method === 'GET') {
      const file = decodeURIComponent(m[3]!);
      const entry = contents.get(url.searchParams.get('ref') ?? '')?.get(file);
      if (!entry) return send(404, { message: 'Not Found' });
      if (entry.type === 'dir') return send(200, []);
      const name = file.split('/').pop();
      if (entry.type === 'file')
        return send(200, {
          type: 'file',
          encoding: 'base64',
          size: Buffer.byteLength(entry.text),
          name,
          path: file,
          content: Buffer.from(entry.text).toString('base64'),
        });
      return send(200, {
        type: entry.type,
        size: 0,
        name,
        path: file,
        ...(entry.type === 'symlink' ? { target: entry.target } : {}),
      });
    }
    if ((m = /^\/repos\/([^/]+)\/([^/]+)\/compare\/([^/]+)$/.exec(url.pathname)) && request.method === 'GET') {
      // The fields Vitrine reads, and the commits' counts. A pair nobody seeded: the head branched from the base
      // commit itself (its merge base), as in a test that does not look at merges.
      const basehead = decodeURIComponent(m[3]!);
      const [baseSha, headSha] = basehead.split('...');
      if (!baseSha || !headSha) return send(404, { message: 'Not Found' });
      const mergeBase = compare.get(basehead) ?? baseSha;
      return send(200, {
        url: `${base}/repos/${m[1]}/${m[2]}/compare/${basehead}`,
        status: 'diverged',
        ahead_by: 1,
        behind_by: 1,
        total_commits: 1,
        base_commit: { sha: baseSha },
        merge_base_commit: { sha: mergeBase },
        commits: [],
        files: [],
      });
    }
    if (
      (m = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/labels\/([^/]+)$/.exec(url.pathname)) &&
      request.method === 'DELETE'
    ) {
      const issue = Number(m[3]);
      const name = decodeURIComponent(m[4]!);
      const list = labels.get(issue) ?? [];
      if (!list.includes(name)) return send(404, { message: 'Label does not exist' });
      labels.set(
        issue,
        list.filter((l) => l !== name),
      );
      return send(
        200,
        labels.get(issue)!.map((l) => ({ name: l })),
      );
    }
    if ((m = /^\/repos\/([^/]+)\/([^/]+)\/check-runs$/.exec(url.pathname)) && request.method === 'POST') {
      checkRuns.push(body as FakeGitHub['checkRuns'][number]);
      return send(201, { id: checkRuns.length, ...(body as object) });
    }
    return send(404, { message: 'Not Found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    requests,
    invalid,
    comments,
    statuses,
    pullFiles,
    contents,
    labels,
    checkRuns,
    pulls,
    permissions,
    compare,
    fail: (f) => failures.push(f),
    addComment(issue, body, login = 'octocat') {
      const c: Comment = { id: nextId++, body, user: { login, type: login.endsWith('[bot]') ? 'Bot' : 'User' } };
      comments.set(issue, [...(comments.get(issue) ?? []), c]);
      return c;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
