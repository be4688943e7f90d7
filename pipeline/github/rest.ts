import { VitrineError } from '../errors.ts';
import type { Clock, Logger } from '../log.ts';
import type { ChangedFile, CommitState, CommitStatus, FileAt, Forge, ForgeComment, PullRequestRef } from './forge.ts';
import { FORGE_REQUEST_FAILED, FORGE_WRITE_UNCERTAIN } from './forge.ts';

/*
 * The Forge over GitHub's REST API with plain `fetch`. Server errors and rate limits are retried
 * with backoff (honouring Retry-After and x-ratelimit-reset); after the last attempt the error says
 * what could not be done on GitHub, in words a staff member can pass on.
 */

export interface GitHubForgeOptions {
  /** GITHUB_API_URL, e.g. https://api.github.com or https://ghe.example.org/api/v3. */
  apiUrl: string;
  token: string;
  fetch?: typeof globalThis.fetch;
  /** Waits between attempts; tests pass one that records and returns at once. */
  sleep?: (ms: number) => Promise<void>;
  clock?: Clock;
  log: Logger;
  /** Attempts per request, the first included (default 5). */
  attempts?: number;
  /** First backoff delay; doubles each attempt (default 1 s). */
  backoffMs?: number;
  /** Longest single wait; a rate limit that resets later than this fails at once (default 90 s). */
  maxWaitMs?: number;
}

export { FORGE_REQUEST_FAILED, FORGE_WRITE_UNCERTAIN };

interface RawComment {
  id: number;
  body?: string | null;
  html_url: string;
  user?: { login?: string } | null;
}

/** A Forge that talks to GitHub's REST API. */
export function githubForge({
  apiUrl,
  token,
  fetch = globalThis.fetch,
  sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  clock = { now: () => new Date() },
  log,
  attempts = 5,
  backoffMs = 1000,
  maxWaitMs = 90_000,
}: GitHubForgeOptions): Forge {
  const base = new URL(apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`);

  /**
   * One API call, retried on server errors and rate limits. A `once` call (a POST that creates
   * something) is not repeated after a server error or a lost connection, because GitHub may have
   * carried it out before failing: it throws FORGE_WRITE_UNCERTAIN and the caller looks first.
   */
  async function request({
    method,
    path,
    body,
    what,
    needs = null,
    once = false,
  }: {
    method: string;
    path: string | URL;
    body?: unknown;
    what: string;
    /** The token's permission this call needs, named when GitHub refuses it (403). */
    needs?: Permission | null;
    once?: boolean;
  }): Promise<{ json: unknown; headers: Headers }> {
    const url = typeof path === 'string' ? new URL(path.replace(/^\//, ''), base) : path;
    // Pagination links come from the server: never send the token to another host.
    if (url.origin !== base.origin)
      throw new VitrineError(
        FORGE_REQUEST_FAILED,
        `Could not ${what}: GitHub pointed to ${url.origin}, which is not ${base.origin}.`,
        { url: url.href },
      );
    let lastProblem = '';
    let status: number | null = null;
    // Attempts made: a rate limit that resets later than Vitrine waits stops before the last.
    let made = 0;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      made = attempt;
      let response: Response;
      try {
        response = await fetch(url, {
          method,
          headers: {
            accept: 'application/vnd.github+json',
            authorization: `Bearer ${token}`,
            'x-github-api-version': '2022-11-28',
            'user-agent': 'vitrine',
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      } catch (error) {
        lastProblem = `the connection failed (${(error as Error).message})`;
        status = null;
        if (once) throw uncertain({ what, method, url, status, problem: lastProblem, retryAfterMs: null });
        if (attempt < attempts) await wait(backoff(attempt), lastProblem);
        continue;
      }
      status = response.status;
      if (response.ok) {
        const text = await response.text();
        return { json: text ? JSON.parse(text) : null, headers: response.headers };
      }
      const message = await errorMessage(response);
      const limited = isRateLimited(response, message);
      if (response.status >= 500 || limited) {
        lastProblem = limited
          ? `GitHub's rate limit was reached (${message})`
          : `GitHub answered ${response.status} (${message})`;
        // A rate limit refuses the call before doing it; a server error may come after it was done.
        if (once && !limited)
          throw uncertain({ what, method, url, status, problem: lastProblem, retryAfterMs: retryAfter(response) });
        if (attempt === attempts) break;
        const delay = limited
          ? (rateLimitDelay(response) ?? backoff(attempt))
          : (retryAfter(response) ?? backoff(attempt));
        if (delay > maxWaitMs) {
          lastProblem +=
            `; it resets in ${Math.ceil(delay / 1000)} s, longer than the ${Math.round(maxWaitMs / 1000)} s ` +
            'Vitrine waits, so it did not try again (run the job again once it has reset)';
          break;
        }
        await wait(delay, lastProblem);
        continue;
      }
      // 4xx other than rate limits: retrying would not help.
      const appOnly = response.status === 403 && APP_ONLY.test(message);
      throw new VitrineError(
        FORGE_REQUEST_FAILED,
        `Could not ${what}: GitHub answered ${response.status} (${message}).` +
          (appOnly ? APP_ONLY_HINT : hint(response.status, needs)),
        { method, path: url.pathname, status: response.status, ...(appOnly ? { appOnly } : {}) },
      );
    }
    const tries = made > 1 ? ` after ${made} attempts` : '';
    throw new VitrineError(FORGE_REQUEST_FAILED, `Could not ${what}${tries}: ${lastProblem}.`, {
      method,
      path: url.pathname,
      status,
    });
  }

  function uncertain({
    what,
    method,
    url,
    status,
    problem,
    retryAfterMs,
  }: {
    what: string;
    method: string;
    url: URL;
    status: number | null;
    problem: string;
    retryAfterMs: number | null;
  }): VitrineError {
    const data = { method, path: url.pathname, status, problem, retryAfterMs };
    return new VitrineError(FORGE_WRITE_UNCERTAIN, `Could not ${what}: ${problem}.`, data);
  }

  async function wait(ms: number, why: string): Promise<void> {
    log.warn(`${why}; trying again in ${Math.ceil(ms / 1000)} s`);
    await sleep(ms);
  }

  function backoff(attempt: number): number {
    return Math.min(maxWaitMs, backoffMs * 2 ** (attempt - 1));
  }

  function rateLimitDelay(response: Response): number | null {
    const after = retryAfter(response);
    if (after !== null) return after;
    const reset = Number(response.headers.get('x-ratelimit-reset'));
    if (response.headers.get('x-ratelimit-remaining') === '0' && Number.isFinite(reset) && reset > 0)
      return Math.max(0, reset * 1000 - clock.now().getTime()) + 1000;
    return null;
  }

  /** Every item of a paged list, following the Link header's next page. */
  async function all<T>(first: string, what: string, needs: Permission): Promise<T[]> {
    const items: T[] = [];
    let next: string | URL | null = first;
    while (next) {
      const { json, headers } = await request({ method: 'GET', path: next, what, needs });
      items.push(...(json as T[]));
      const link = nextLink(headers.get('link'));
      next = link ? new URL(link, base) : null;
    }
    return items;
  }

  return {
    async listComments({ owner, repo, issue }) {
      const what = `read the comments of pull request #${issue} in ${owner}/${repo}`;
      const path = `repos/${seg(owner)}/${seg(repo)}/issues/${issue}/comments?per_page=100`;
      const raw = await all<RawComment>(path, what, 'pull-requests: read');
      return raw.map(toComment);
    },
    async createCheckRun({ owner, repo, sha, name, conclusion, title, summary, detailsUrl }) {
      await request({
        method: 'POST',
        path: `repos/${seg(owner)}/${seg(repo)}/check-runs`,
        // GitHub caps a check run's title and summary; the report itself is in the comment.
        body: {
          name,
          head_sha: sha,
          status: 'completed',
          conclusion,
          output: { title: title.slice(0, 255), summary: summary.slice(0, 65_000) },
          ...(detailsUrl ? { details_url: detailsUrl } : {}),
        },
        what: `create the "${name}" check run on commit ${sha.slice(0, 12)} in ${owner}/${repo}`,
        needs: 'checks: write',
      });
    },
    async getPullRequest({ owner, repo, number }): Promise<PullRequestRef> {
      const what = `read pull request #${number} in ${owner}/${repo}`;
      const path = `repos/${seg(owner)}/${seg(repo)}/pulls/${number}`;
      const { json } = await request({ method: 'GET', path, what, needs: 'pull-requests: read' });
      const pr = json as {
        number: number;
        head: { sha: string; repo: { full_name: string } | null };
        base: { sha: string; ref: string; repo: { full_name: string } };
      };
      const head = { headSha: pr.head.sha, headRepo: pr.head.repo?.full_name ?? null };
      return {
        number: pr.number,
        ...head,
        baseRepo: pr.base.repo.full_name,
        baseRef: pr.base.ref,
        baseSha: pr.base.sha,
      };
    },
    async getPermission({ owner, repo, user }): Promise<string> {
      const what = `read ${user}'s permission on ${owner}/${repo}`;
      try {
        const path = `repos/${seg(owner)}/${seg(repo)}/collaborators/${seg(user)}/permission`;
        const { json } = await request({ method: 'GET', path, what });
        return (json as { permission?: string }).permission ?? 'none';
      } catch (error) {
        // Not a collaborator at all.
        if ((error as VitrineError).data?.status === 404) return 'none';
        throw error;
      }
    },
    async listStatuses({ owner, repo, sha }): Promise<CommitStatus[]> {
      const raw = await all<{
        context: string;
        state: CommitState;
        description?: string | null;
        creator?: { login?: string } | null;
      }>(
        `repos/${seg(owner)}/${seg(repo)}/commits/${seg(sha)}/statuses?per_page=100`,
        `read the statuses of commit ${sha.slice(0, 12)} in ${owner}/${repo}`,
        'statuses: read',
      );
      return raw.map((s) => ({
        context: s.context,
        state: s.state,
        description: s.description ?? '',
        creator: s.creator?.login ?? null,
      }));
    },
    async listPullRequestFiles({ owner, repo, number }): Promise<ChangedFile[]> {
      const raw = await all<{ filename: string; status: string; previous_filename?: string }>(
        `repos/${seg(owner)}/${seg(repo)}/pulls/${number}/files?per_page=100`,
        `list the files of pull request #${number} in ${owner}/${repo}`,
        'pull-requests: read',
      );
      return raw.map((f) => ({ path: f.filename, status: f.status, previousPath: f.previous_filename ?? null }));
    },
    async mergeBase({ owner, repo, base, head }): Promise<string> {
      const what = `find where commits ${base.slice(0, 12)} and ${head.slice(0, 12)} in ${owner}/${repo} meet`;
      // One commit per page: only the merge base is read, not the commits and files between.
      const path = `repos/${seg(owner)}/${seg(repo)}/compare/${seg(base)}...${seg(head)}?per_page=1`;
      const { json } = await request({ method: 'GET', path, what, needs: 'contents: read' });
      const sha = (json as { merge_base_commit?: { sha?: unknown } } | null)?.merge_base_commit?.sha;
      if (typeof sha !== 'string' || !/^[0-9a-f]{40}$/i.test(sha))
        throw new VitrineError(FORGE_REQUEST_FAILED, `Could not ${what}: GitHub's answer names no merge base.`, {
          method: 'GET',
          path,
        });
      return sha.toLowerCase();
    },
    async readFileAt({ owner, repo, path, ref }): Promise<FileAt> {
      const what = `read ${path} at commit ${ref.slice(0, 12)} in ${owner}/${repo}`;
      const url = `repos/${seg(owner)}/${seg(repo)}/contents/${path.split('/').map(seg).join('/')}?ref=${seg(ref)}`;
      let json: unknown;
      try {
        ({ json } = await request({ method: 'GET', path: url, what, needs: 'contents: read' }));
      } catch (error) {
        if ((error as VitrineError).data?.status === 404) return { kind: 'missing' };
        throw error;
      }
      // A folder answers with a list; anything else with one object that says its type.
      if (Array.isArray(json)) return { kind: 'dir' };
      const item = json as { type?: string; encoding?: string; content?: string; size?: number; sha?: string };
      if (item.type === 'symlink' || item.type === 'submodule') return { kind: item.type };
      if (item.type !== 'file') return { kind: 'other' };
      let content = item.content ?? '';
      // Files over 1 MB come without content: read the blob instead.
      if (item.encoding !== 'base64' && item.sha) {
        const blob = await request({
          method: 'GET',
          path: `repos/${seg(owner)}/${seg(repo)}/git/blobs/${seg(item.sha)}`,
          what,
          needs: 'contents: read',
        });
        content = (blob.json as { content?: string }).content ?? '';
      }
      const bytes = new Uint8Array(Buffer.from(content, 'base64'));
      return { kind: 'file', bytes, size: item.size ?? bytes.length };
    },
    async removeLabel({ owner, repo, issue, name }) {
      try {
        const what = `remove the "${name}" label from #${issue} in ${owner}/${repo}`;
        await request({
          method: 'DELETE',
          path: `repos/${seg(owner)}/${seg(repo)}/issues/${issue}/labels/${seg(name)}`,
          what,
          needs: 'pull-requests: write',
        });
      } catch (error) {
        if ((error as VitrineError).data?.status !== 404) throw error;
      }
    },
    async createComment({ owner, repo, issue, body, about = 'the report comment' }) {
      const what = `post ${about} on pull request #${issue} in ${owner}/${repo}`;
      const path = `repos/${seg(owner)}/${seg(repo)}/issues/${issue}/comments`;
      const { json } = await request({
        method: 'POST',
        path,
        body: { body },
        what,
        needs: 'pull-requests: write',
        once: true,
      });
      return toComment(json as RawComment);
    },
    async deleteComment({ owner, repo, commentId }) {
      try {
        const what = `delete the stale report comment ${commentId} in ${owner}/${repo}`;
        await request({
          method: 'DELETE',
          path: `repos/${seg(owner)}/${seg(repo)}/issues/comments/${commentId}`,
          what,
          needs: 'pull-requests: write',
        });
      } catch (error) {
        // Already gone (deleted by a person or an earlier try): nothing left to do.
        if ((error as VitrineError).data?.status !== 404) throw error;
      }
    },
    async pause({ attempt, afterMs }) {
      const ms = afterMs ?? backoff(attempt);
      await wait(Math.min(ms, maxWaitMs), 'trying the write again after looking for what the failed one left');
    },
    async updateComment({ owner, repo, commentId, body }) {
      const { json } = await request({
        method: 'PATCH',
        path: `repos/${seg(owner)}/${seg(repo)}/issues/comments/${commentId}`,
        body: { body },
        what: `update the report comment ${commentId} in ${owner}/${repo}`,
        needs: 'pull-requests: write',
      });
      return toComment(json as RawComment);
    },
    async setStatus({ owner, repo, sha, state, context, description, targetUrl }) {
      await request({
        method: 'POST',
        path: `repos/${seg(owner)}/${seg(repo)}/statuses/${seg(sha)}`,
        body: {
          state,
          context,
          description: description.length > 140 ? `${description.slice(0, 139)}…` : description,
          ...(targetUrl ? { target_url: targetUrl } : {}),
        },
        what: `set the "${context}" status on commit ${sha.slice(0, 12)} in ${owner}/${repo}`,
        needs: 'statuses: write',
      });
    },
  };
}

function seg(value: string): string {
  return encodeURIComponent(value);
}

function toComment(raw: RawComment): ForgeComment {
  return { id: raw.id, body: raw.body ?? '', url: raw.html_url, author: raw.user?.login ?? null };
}

/** The `rel="next"` URL of a Link header, or null. */
export function nextLink(header: string | null): string | null {
  if (!header) return null;
  for (const part of header.split(',')) {
    const match = /<([^>]+)>\s*;\s*rel="?([^";]+)"?/.exec(part.trim());
    if (match && match[2]!.split(/\s+/).includes('next')) return match[1]!;
  }
  return null;
}

function retryAfter(response: Response): number | null {
  const value = response.headers.get('retry-after');
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : null;
}

function isRateLimited(response: Response, message: string): boolean {
  if (response.status === 429) return true;
  if (response.status !== 403) return false;
  return (
    response.headers.get('x-ratelimit-remaining') === '0' ||
    response.headers.has('retry-after') ||
    /rate limit/i.test(message)
  );
}

async function errorMessage(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    const json = JSON.parse(text) as { message?: string };
    if (json.message) return json.message;
  } catch {
    // Not JSON: use the start of the text.
  }
  return text.slice(0, 200) || response.statusText || 'no message';
}

/** A permission of the workflow's token (`permissions:` in the workflow file), as GitHub spells it. */
type Permission =
  | 'checks: write'
  | 'contents: read'
  | 'pull-requests: read'
  | 'pull-requests: write'
  | 'statuses: read'
  | 'statuses: write';

/**
 * GitHub's answer to a check run asked for with a personal token: only the workflow's token or an App's may create
 * one, so "checks: write" cannot help.
 */
const APP_ONLY = /must authenticate via a GitHub App/i;
const APP_ONLY_HINT =
  " Check runs can be created only with the workflow's own token (github.token) or a GitHub App's, never with a " +
  'personal token: set "check-run: false" on the report step when its github-token is a personal token (the ' +
  'comment and the status do not need a check run).';

/** What to check after a refusal: for a 403, the one permission the refused call needs. */
function hint(status: number, needs: Permission | null): string {
  if (status === 401) return ' The token is missing or expired.';
  if (status === 403) {
    const fork = needs?.endsWith(': write') ? '; pull requests from forks get a read-only token' : '';
    // Comments and labels of a pull request are the issue's: either permission lets the token change them.
    const either = needs === 'pull-requests: write' ? ' (or "issues: write")' : '';
    return needs
      ? ` The token may lack the permission this needs: give the job "${needs}"${either} under permissions: in ` +
          `the workflow${fork}.`
      : ' The token may not be allowed to do this.';
  }
  if (status === 404) return ' Check the repository name and that the token can see it.';
  return '';
}
