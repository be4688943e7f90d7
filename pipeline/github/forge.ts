import { isVitrineError, messageOf, VitrineError } from '../errors.ts';
import type { Logger } from '../log.ts';

/*
 * The forge (GitHub, or anything that speaks like it) as the report needs it: comments on a pull
 * request, and a commit status for the gate. The job summary is the action's business, not the
 * forge's. Tests pass a driver pointed at a REST server on 127.0.0.1.
 */

/** Thrown after the last attempt; `data` has the method, path and status. */
export const FORGE_REQUEST_FAILED = 'FORGE_REQUEST_FAILED';
/** A write that creates something failed in a way that leaves open whether GitHub carried it out. */
export const FORGE_WRITE_UNCERTAIN = 'FORGE_WRITE_UNCERTAIN';

/** Which repository: `owner/name`. */
export interface RepoRef {
  owner: string;
  repo: string;
}

export interface ForgeComment {
  id: number;
  body: string;
  url: string;
  /** Login of the author ("github-actions[bot]"), when known. */
  author: string | null;
}

export type CommitState = 'success' | 'failure' | 'pending' | 'error';

export interface Forge {
  /** Every comment on an issue or pull request, oldest first (all pages). */
  listComments(options: RepoRef & { issue: number }): Promise<ForgeComment[]>;
  /** `about` names the comment in an error ("the report comment", the default). */
  createComment(options: RepoRef & { issue: number; body: string; about?: string }): Promise<ForgeComment>;
  updateComment(options: RepoRef & { commentId: number; body: string }): Promise<ForgeComment>;
  deleteComment(options: RepoRef & { commentId: number }): Promise<void>;
  /** Wait before trying again a write that failed uncertainly (backoff, or the server's Retry-After). */
  pause(options: { attempt: number; afterMs: number | null }): Promise<void>;
  /** A commit status: `context` names it, `description` is at most 140 characters. */
  setStatus(
    options: RepoRef & { sha: string; state: CommitState; context: string; description: string; targetUrl?: string },
  ): Promise<void>;
  /** A completed check run on a commit: the verdict as its title, the gate as its conclusion. */
  createCheckRun(
    options: RepoRef & {
      sha: string;
      name: string;
      conclusion: 'success' | 'failure' | 'neutral';
      title: string;
      summary: string;
      detailsUrl?: string;
    },
  ): Promise<void>;
  /** A pull request's head and base, as GitHub has them now. */
  getPullRequest(options: RepoRef & { number: number }): Promise<PullRequestRef>;
  /** A user's permission on the repository: admin, maintain, write, triage, read or none. */
  getPermission(options: RepoRef & { user: string }): Promise<string>;
  /** The statuses set on a commit, newest first (all pages). */
  listStatuses(options: RepoRef & { sha: string }): Promise<CommitStatus[]>;
  /** The files a pull request changes (all pages). */
  listPullRequestFiles(options: RepoRef & { number: number }): Promise<ChangedFile[]>;
  /**
   * The best common ancestor of two commits (GitHub's compare: `merge_base_commit`), from which a pull request's
   * changes are merged as GitHub's merge makes them.
   */
  mergeBase(options: RepoRef & { base: string; head: string }): Promise<string>;
  /** One path at a commit: its kind, and its text when it is a regular file. */
  readFileAt(options: RepoRef & { path: string; ref: string }): Promise<FileAt>;
  /** Take a label off an issue or pull request (no error when it is not there). */
  removeLabel(options: RepoRef & { issue: number; name: string }): Promise<void>;
}

export interface PullRequestRef {
  number: number;
  headSha: string;
  /** owner/name of the head's repository; null for a deleted fork. */
  headRepo: string | null;
  baseRepo: string;
  baseRef: string;
  baseSha: string;
}

export interface CommitStatus {
  context: string;
  state: CommitState;
  description: string;
  /** Login of whoever set it. */
  creator: string | null;
}

export interface ChangedFile {
  path: string;
  /** added, removed, modified, renamed, copied, changed, unchanged. */
  status: string;
  /** The old path of a renamed or copied file. */
  previousPath: string | null;
}

/** What a path is at a commit; `text` only for a regular file. */
export type FileAt =
  // Bytes, not text: a data file must be UTF-8, which only its reader can tell (decodeText).
  { kind: 'file'; bytes: Uint8Array; size: number } | { kind: 'missing' | 'symlink' | 'dir' | 'submodule' | 'other' };

/** GitHub's largest comment body; longer reports are cut with a pointer to the full file. */
export const MAX_COMMENT_LENGTH = 65_536;

/** Login that posts with the Actions `GITHUB_TOKEN`. */
export const ACTIONS_BOT_LOGIN = 'github-actions[bot]';

/**
 * Post `body` as the one comment marked with `marker`: edit the existing one when a previous run
 * left it (searching every page), otherwise create it. Only a marked comment written by `author`
 * (the identity the token posts as) is ever edited: anyone can write the marker into a comment of
 * their own, and the bot must not put the report under their name or their words under its run.
 * When several of ours carry the marker (a race between two runs, or a post GitHub stored but
 * answered with an error), the oldest is edited and the stale copies are deleted.
 */
export async function upsertComment({
  forge,
  owner,
  repo,
  issue,
  marker,
  body,
  author = ACTIONS_BOT_LOGIN,
  attempts = 5,
  log,
}: RepoRef & {
  forge: Forge;
  issue: number;
  marker: string;
  body: string;
  /** Login of the identity that posts (default the Actions token's bot); compared without case, as GitHub does. */
  author?: string;
  /** Tries to create the comment, the first included. */
  attempts?: number;
  log: Logger;
}): Promise<{ action: 'created' | 'updated'; comment: ForgeComment }> {
  const full = fitComment({ body: body.startsWith(marker) ? body : `${marker}\n${body}` });
  // The marker opens the body; a person quoting the comment would put "> " in front of it.
  const isAuthor = (c: ForgeComment) => c.author !== null && c.author.toLowerCase() === author.toLowerCase();
  const mine = (comments: ForgeComment[]) => comments.filter((c) => c.body.startsWith(marker) && isAuthor(c));
  const comments = await forge.listComments({ owner, repo, issue });
  const others = comments.filter((c) => c.body.startsWith(marker)).length - mine(comments).length;
  if (others > 0)
    log.warn(
      `Pull request #${issue} has ${others} comment${others === 1 ? '' : 's'} with Vitrine's marker not ` +
        `written by ${author}; ${others === 1 ? 'it is' : 'they are'} left alone.`,
    );
  const ours = mine(comments);
  if (ours[0])
    return { action: 'updated', comment: await keepOne({ forge, owner, repo, issue, ours, body: full, log }) };
  // Two runs that overlap may both find none and both post (tester T13): look once more after posting, and keep one.
  const oneAfterPosting = async ({
    created,
    look,
  }: {
    created: ForgeComment;
    look: () => Promise<ForgeComment[]>;
  }): Promise<{ action: 'created' | 'updated'; comment: ForgeComment }> => {
    let now: ForgeComment[];
    try {
      now = await look();
    } catch (error) {
      // The comment is up: a failed look for a copy is no reason to fail the step.
      log.warn(`Posted the report, but could not look for a copy another run may have posted: ${messageOf(error)}`);
      return { action: 'created', comment: created };
    }
    if (now.length < 2) return { action: 'created', comment: created };
    const comment = await keepOne({ forge, owner, repo, issue, ours: now, body: full, log, adopted: true });
    return { action: comment.id === created.id ? 'created' : 'updated', comment };
  };
  // Creating is the one write that cannot simply be repeated: GitHub may have stored a comment and
  // still answered with an error. So after such a failure, look again and adopt what is there.
  for (let attempt = 1; ; attempt++) {
    let created: ForgeComment;
    try {
      created = await forge.createComment({ owner, repo, issue, body: full });
    } catch (error) {
      if (!isVitrineError(error, FORGE_WRITE_UNCERTAIN)) throw error;
      log.warn(
        `${error.message} The comment may have been stored anyway, so the comments are read again before another try.`,
      );
      const stored = mine(await forge.listComments({ owner, repo, issue }));
      if (stored[0]) {
        return {
          action: 'created',
          comment: await keepOne({ forge, owner, repo, issue, ours: stored, body: full, log, adopted: true }),
        };
      }
      if (attempt >= attempts) {
        const what = `post the report comment on pull request #${issue} in ${owner}/${repo}`;
        throw new VitrineError(
          FORGE_REQUEST_FAILED,
          `Could not ${what} after ${attempts} attempts: ${String(error.data.problem)}.`,
          {
            ...error.data,
            attempts,
          },
        );
      }
      await forge.pause({ attempt, afterMs: (error.data.retryAfterMs as number | null) ?? null });
      continue;
    }
    return await oneAfterPosting({ created, look: async () => mine(await forge.listComments({ owner, repo, issue })) });
  }
}

/** Edit the oldest of our marked comments (an adopted one only when its text differs) and delete the stale copies. */
async function keepOne({
  forge,
  owner,
  repo,
  issue,
  ours,
  body,
  log,
  adopted = false,
}: RepoRef & {
  forge: Forge;
  issue: number;
  ours: ForgeComment[];
  body: string;
  log: Logger;
  adopted?: boolean;
}): Promise<ForgeComment> {
  const [oldest, ...stale] = ours as [ForgeComment, ...ForgeComment[]];
  if (stale.length > 0) {
    const copies = `${stale.length} stale cop${stale.length === 1 ? 'y' : 'ies'}`;
    log.warn(
      `Pull request #${issue} has ${ours.length} report comments by this bot; keeping the oldest (${oldest.url}), deleting ${copies}.`,
    );
  }
  const comment =
    adopted && oldest.body === body ? oldest : await forge.updateComment({ owner, repo, commentId: oldest.id, body });
  for (const c of stale) await forge.deleteComment({ owner, repo, commentId: c.id });
  return comment;
}

/** Cut a body that is too long for one comment, saying where the rest is. */
export function fitComment({ body, limit = MAX_COMMENT_LENGTH }: { body: string; limit?: number }): string {
  if (body.length <= limit) return body;
  const note =
    '\n\n…the report is longer than a GitHub comment allows; the full report is in the job summary and in ' +
    "report.md among the run's files.\n";
  // Cut at a line end so no table row or tag is left half-open.
  const room = limit - note.length - 40;
  const cut = body.lastIndexOf('\n', room);
  let head = body.slice(0, cut > 0 ? cut : room);
  // Close a Mermaid fence or a <details> block the cut left open.
  if ((head.match(/^```/gm) ?? []).length % 2 === 1) head += '\n```';
  const open = (head.match(/<details>/g) ?? []).length - (head.match(/<\/details>/g) ?? []).length;
  for (let i = 0; i < open; i++) head += '\n\n</details>';
  return `${head}${note}`;
}
