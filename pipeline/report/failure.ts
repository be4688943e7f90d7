import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { isVitrineError, messageOf, systemErrorOf, systemProblem } from '../errors.ts';
import { writeFileAtomic, writeJsonAtomic } from '../fs.ts';
import type { Workspace } from '../paths.ts';

/**
 * When a run stops before its report is written (a merge conflict left in labels.csv, a params.yaml
 * typo), staff would see only a red cross on their pull request. The run writes this note instead,
 * and the report action posts it where the report would have gone.
 */
export interface FailureNote {
  failed: true;
  /** The error's code (VitrineError), the system's (ENOSPC: the runner's disk), or "BUG" for an unexpected error. */
  code: string;
  message: string;
  /** One line for the commit status. */
  headline: string;
}

const MAX_MESSAGE = 4000;

export const FAILURE_FILES = { markdown: 'failure.md', json: 'failure.json' } as const;

/**
 * The note for `error`, in words for the staff who opened the pull request; paths shown relative to `root`. `onMain`:
 * the run is on the main branch itself (after a merge, runOnMain): no pull request to fix it in, and it stopped before
 * the model and the catalogue were updated.
 */
export function failureNote({ error, root, onMain = false }: { error: unknown; root?: string; onMain?: boolean }): {
  note: FailureNote;
  markdown: string;
} {
  const known = isVitrineError(error);
  // A full disk or a locked file on the runner: neither the change nor a bug in Vitrine.
  const machine = isVitrineError(error, 'DISK_FULL')
    ? error.message
    : known
      ? undefined
      : systemProblem({ error, root });
  const kind = machine ? 'machine' : known ? 'known' : 'bug';
  const full = machine ?? messageOf(error);
  // A comment holds at most 65,536 characters; a run refusing thousands of rows says far more.
  const message = full.length > MAX_MESSAGE ? `${full.slice(0, MAX_MESSAGE)}\n… (the rest is in the run's log)` : full;
  const note: FailureNote = {
    failed: true,
    code: known ? error.code : machine ? systemErrorOf(error)!.code : 'BUG',
    message,
    headline: (onMain
      ? {
          known: 'Vitrine could not check this change to main: the model and catalogue were not updated.',
          machine: "The runner's disk or files stopped the checks on main: the model and catalogue were not updated.",
          bug: 'Vitrine stopped on an unexpected error on main: the model and catalogue were not updated.',
        }
      : {
          known: 'Vitrine could not check this change: see the comment on the pull request.',
          machine: "The runner's disk or files stopped the checks: see the comment on the pull request.",
          bug: 'Vitrine stopped on an unexpected error: see the comment on the pull request.',
        })[kind],
  };
  const markdown = [
    onMain ? '## Vitrine could not check this change to main' : '## Vitrine could not check this pull request',
    '',
    {
      known: onMain
        ? 'The checks stopped before the report could be written, so the model in production and the public ' +
          'catalogue stay as they were. They stopped because of this:'
        : 'The checks stopped before the report could be written, because of this:',
      machine:
        'The checks stopped because the machine that runs them (the runner) could not write or read its files, ' +
        'not because of something in your change:',
      bug: 'The checks stopped on an unexpected error in Vitrine itself (a bug, not something in your change):',
    }[kind],
    '',
    fenced(message),
    '',
    {
      known: onMain
        ? `Fix this in a new pull request${namesLine(full) ? ' (the message names the file and line)' : ''}: once ` +
          'it is merged, the checks run again on main by themselves and update the model and the catalogue.'
        : `Fix this in the pull request${namesLine(full) ? ' (the message names the file and line)' : ''} and push ` +
          'again: the checks run again by themselves (for a pull request from a fork, once a maintainer approves the ' +
          'new commit).',
      machine:
        'Please tell the maintainers of this repository: the runner needs looking at (its disk, or the files ' +
        'it keeps between runs). Once that is fixed, running the checks again needs no change from you.',
      bug:
        'Please tell the maintainers of this repository; the log of the run (linked from the checks ' +
        'below) has the details.',
    }[kind],
    '',
  ].join('\n');
  return { note, markdown };
}

/**
 * The note when a run left neither a report nor a note (a step before the stages failed: the drift check on a merge
 * conflict, the image pull); `message` says which file is missing. `onMain`: a push to the main branch.
 */
export function missingReportNote({ message, onMain = false }: { message: string; onMain?: boolean }): {
  note: FailureNote;
  markdown: string;
} {
  const markdown = onMain
    ? '## Vitrine could not check this change to main\n\nA step of the run failed before the report could be ' +
      "written, so the model in production and the public catalogue stay as they were. The run's log says which " +
      'step and why: open the failed run, then the step marked with a red cross. If it names a file and line, fix ' +
      'it in a new pull request; otherwise tell the maintainers of this repository.\n'
    : '## Vitrine could not check this pull request\n\nA step of the run failed before the report could be ' +
      "written. The run's log says which step and why: open the failed check below, then the step marked with " +
      'a red cross. If it names a file and line in your change, fix it there and push again; otherwise tell the ' +
      'maintainers of this repository.\n';
  const headline = onMain
    ? 'Vitrine could not check this change to main: the model and catalogue were not updated.'
    : 'Vitrine could not check this change: see the comment on the pull request.';
  return { markdown, note: { failed: true, code: 'REPORT_MISSING', message, headline } };
}

/**
 * Whether a message points at a line of a file ("labels.csv:3:", "params.yaml:12"): a tester read "the message names
 * the file and line" above a message that named none (labels.csv deleted).
 */
function namesLine(message: string): boolean {
  return /(^|[\s"'`(])[\w./-]+\.[A-Za-z]\w*:\d+\b/.test(message);
}

/** A code block that the message cannot close: its fence is longer than any run of backticks in it. */
function fenced(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}text\n${text}\n${fence}`;
}

/** The report stage's files: an earlier run's, read as this one's after a run that stopped before its report. */
const REPORT_FILES = ['report.md', 'report-full.md', 'report.json'];

/**
 * Write the note into `.vitrine/report/` (next to where report.md would be), and remove an earlier run's report
 * there: a maintainer reading report.md after a run that stopped read another branch's "✅ Better". Returns whether
 * there was one (the report stage writes it again on the next run that gets that far).
 */
export async function writeFailureNote({
  ws,
  error,
  onMain,
}: {
  ws: Workspace;
  error: unknown;
  /** The run is on the main branch itself (runOnMain in stages/report.ts): the note says so. */
  onMain?: boolean;
}): Promise<boolean> {
  const { note, markdown } = failureNote({ error, root: ws.root, onMain });
  // First: on a full disk the note may not be written, and the earlier report must not be read as this run's.
  let removed = false;
  for (const name of REPORT_FILES) {
    const file = path.join(ws.report, name);
    if (await stat(file).catch(() => null)) {
      await rm(file, { force: true });
      removed = true;
    }
  }
  await writeJsonAtomic({ file: path.join(ws.report, FAILURE_FILES.json), value: note });
  await writeFileAtomic({ file: path.join(ws.report, FAILURE_FILES.markdown), data: markdown });
  return removed;
}

/** Remove an earlier run's note, so it is never posted for a run that did not fail. */
export async function clearFailureNote({ ws }: { ws: Workspace }): Promise<void> {
  for (const name of Object.values(FAILURE_FILES)) await rm(path.join(ws.report, name), { force: true });
}
