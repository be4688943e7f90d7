import type { Logger } from '../log.ts';

/*
 * The forge (GitHub, or anything that speaks like it) as the report needs it: comments on a pull
 * request, and a commit status for the gate. The job summary is the action's business, not the
 * forge's. Tests pass a driver pointed at a REST server on 127.0.0.1.
 */

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
  createComment(options: RepoRef & { issue: number; body: string }): Promise<ForgeComment>;
  updateComment(options: RepoRef & { commentId: number; body: string }): Promise<ForgeComment>;
  /** A commit status: `context` names it, `description` is at most 140 characters. */
  setStatus(options: RepoRef & { sha: string; state: CommitState; context: string; description: string; targetUrl?: string }): Promise<void>;
  /** The statuses set on a commit, newest first (all pages). */
  listStatuses(options: RepoRef & { sha: string }): Promise<CommitStatus[]>;
  /** The files a pull request changes (all pages). */
  listPullRequestFiles(options: RepoRef & { number: number }): Promise<ChangedFile[]>;
  /** One path at a commit: its kind, and its text when it is a regular file. */
  readFileAt(options: RepoRef & { path: string; ref: string }): Promise<FileAt>;
  /** Take a label off an issue or pull request (no error when it is not there). */
  removeLabel(options: RepoRef & { issue: number; name: string }): Promise<void>;
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
export type FileAt = { kind: 'file'; text: string; size: number } | { kind: 'missing' | 'symlink' | 'dir' | 'submodule' | 'other' };

/** GitHub's largest comment body; longer reports are cut with a pointer to the full file. */
export const MAX_COMMENT_LENGTH = 65_536;

/** Login that posts with the Actions `GITHUB_TOKEN`. */
export const ACTIONS_BOT_LOGIN = 'github-actions[bot]';

/**
 * Post `body` as the one comment marked with `marker`: edit the existing one when a previous run
 * left it (searching every page), otherwise create it. Only a marked comment written by `author`
 * (the identity the token posts as) is ever edited: anyone can write the marker into a comment of
 * their own, and the bot must not put the report under their name or their words under its run.
 * When several of ours carry the marker (a race between two runs), the oldest is edited.
 */
export async function upsertComment({
  forge,
  owner,
  repo,
  issue,
  marker,
  body,
  author = ACTIONS_BOT_LOGIN,
  log,
}: RepoRef & {
  forge: Forge;
  issue: number;
  marker: string;
  body: string;
  /** Login of the identity that posts (default the Actions token's bot); compared without case, as GitHub does. */
  author?: string;
  log: Logger;
}): Promise<{ action: 'created' | 'updated'; comment: ForgeComment }> {
  const full = fitComment({ body: body.startsWith(marker) ? body : `${marker}\n${body}` });
  const comments = await forge.listComments({ owner, repo, issue });
  // The marker opens the body; a person quoting the comment would put "> " in front of it.
  const marked = comments.filter((c) => c.body.startsWith(marker));
  const ours = marked.filter((c) => c.author !== null && c.author.toLowerCase() === author.toLowerCase());
  const others = marked.length - ours.length;
  if (others > 0) log.warn(`Pull request #${issue} has ${others} comment${others === 1 ? '' : 's'} with Vitrine's marker not written by ${author}; ${others === 1 ? 'it is' : 'they are'} left alone.`);
  const existing = ours[0];
  if (existing) {
    if (ours.length > 1) log.warn(`Pull request #${issue} has ${ours.length} Vitrine comments by ${author}; updating the oldest (${existing.url}).`);
    const comment = await forge.updateComment({ owner, repo, commentId: existing.id, body: full });
    return { action: 'updated', comment };
  }
  const comment = await forge.createComment({ owner, repo, issue, body: full });
  return { action: 'created', comment };
}

/** Cut a body that is too long for one comment, saying where the rest is. */
export function fitComment({ body, limit = MAX_COMMENT_LENGTH }: { body: string; limit?: number }): string {
  if (body.length <= limit) return body;
  const note = '\n\n…the report is longer than a GitHub comment allows; the full report is in the job summary and in report.md among the run\'s files.\n';
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
