import { messageOf, VitrineError } from '../errors.ts';
import { type GateChange, proposedGateNote } from '../evaluate/gate.ts';
import type { Logger } from '../log.ts';
import { text } from '../report/markdown.ts';
import { type Forge, type RepoRef, upsertComment } from './forge.ts';

/** What publishing did, for the action's outputs. */
export interface PublishResult {
  comment: { action: 'created' | 'updated'; id: number; url: string } | null;
  status: 'success' | 'failure' | null;
  /** Whether the check run was created. */
  checkRun: boolean;
}

/**
 * The report and the status headline of a pull request that changes the gate (the trusted run judged it by the
 * base branch's gate): a paragraph after the verdict naming the changes, and the status saying which gate
 * judged. Without changes, both as they are.
 */
export function withGateChanges({
  markdown,
  headline,
  changes,
}: {
  markdown: string;
  headline: string;
  changes: GateChange[];
}): { markdown: string; headline: string } {
  if (changes.length === 0) return { markdown, headline };
  const note = `⚠️ **${text(proposedGateNote({ changes }))}**`;
  const cut = markdown.indexOf('\n\n');
  return {
    markdown:
      cut < 0 ? `${markdown.trimEnd()}\n\n${note}\n` : `${markdown.slice(0, cut)}\n\n${note}${markdown.slice(cut)}`,
    // Short: a commit status holds 140 characters, and the verdict after it must fit.
    headline: `Base settings (PR changes them): ${headline}`,
  };
}

/**
 * Put the report on the pull request: the one marked comment (created or edited in place) and a
 * commit status that carries the gate. Both are attempted even when one fails; then a failure
 * throws one error that names everything that could not be posted.
 */
export async function publishReport({
  forge,
  owner,
  repo,
  issue,
  sha,
  markdown,
  gatePassed,
  headline,
  marker,
  context,
  targetUrl,
  author,
  checkName = null,
  log,
}: RepoRef & {
  forge: Forge;
  /** Pull request number; null when there is none (a push): then only the status is set. */
  issue: number | null;
  /** Commit the status is set on (the pull request's head); null: no status. */
  sha: string | null;
  markdown: string;
  gatePassed: boolean;
  headline: string;
  marker: string;
  context: string;
  targetUrl?: string;
  /** Login the token posts as: only its marked comment is edited (default github-actions[bot]). */
  author?: string;
  /** Name of the check run set next to the status (with the verdict as its title); null: none. */
  checkName?: string | null;
  log: Logger;
}): Promise<PublishResult> {
  const result: PublishResult = { comment: null, status: null, checkRun: false };
  const failures: string[] = [];
  if (issue !== null) {
    try {
      const { action, comment } = await upsertComment({
        forge,
        owner,
        repo,
        issue,
        marker,
        body: markdown,
        author,
        log,
      });
      result.comment = { action, id: comment.id, url: comment.url };
      log.info(`${action === 'created' ? 'Posted' : 'Updated'} the report on pull request #${issue}: ${comment.url}`);
    } catch (error) {
      failures.push(messageOf(error));
    }
  }
  if (sha) {
    const state = gatePassed ? 'success' : 'failure';
    try {
      await forge.setStatus({ owner, repo, sha, state, context, description: headline, targetUrl });
      result.status = state;
    } catch (error) {
      failures.push(messageOf(error));
    }
    if (checkName) {
      const where = result.comment
        ? `[the report on pull request #${issue}](${result.comment.url})`
        : "this run's job summary";
      try {
        const summary = `${headline}\n\nThe scores, the label changes and the gate's checks are in ${where}.`;
        const conclusion = gatePassed ? 'success' : 'failure';
        await forge.createCheckRun({
          owner,
          repo,
          sha,
          name: checkName,
          conclusion,
          title: headline,
          summary,
          detailsUrl: targetUrl,
        });
        result.checkRun = true;
      } catch (error) {
        // A personal token can never create a check run: once the comment and the status are up, a warning says
        // to turn it off, rather than a red cross on every run.
        const posted = result.status !== null && (issue === null || result.comment !== null);
        if (posted && (error as VitrineError).data?.appOnly === true) log.warn(messageOf(error));
        else failures.push(messageOf(error));
      }
    }
  }
  if (failures.length > 0) {
    // What did reach GitHub is said first: a maintainer should fix the part that failed, not the rest.
    const done: string[] = [];
    if (result.comment)
      done.push(
        `The report was ${result.comment.action === 'created' ? 'posted' : 'updated'} on pull request #${issue} ` +
          `(${result.comment.url})`,
      );
    if (result.status) done.push(`the "${context}" status was set`);
    if (result.checkRun) done.push(`the "${checkName}" check run was created`);
    const said = sentence(done);
    const what =
      done.length > 0 ? `${said[0]!.toUpperCase()}${said.slice(1)}, but not all of it went through:` : failedAll;
    // Without the comment, the pull request does not show the report: say where it still is.
    const where = !result.comment
      ? " The report is still in this run's job summary and in .vitrine/report/report.md."
      : '';
    throw new VitrineError('REPORT_NOT_POSTED', `${what} ${failures.join(' ')}${where}`, { failures, ...result });
  }
  return result;
}

const failedAll = 'The report could not be put on GitHub:';

/** "a", "a and b", "a, b and c". */
function sentence(parts: string[]): string {
  return parts.length < 2 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}
