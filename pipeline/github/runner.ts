/*
 * Where the pipeline may run for an event. A self-hosted runner keeps its disk, caches and network
 * between jobs, so it only ever runs what the repository's own people wrote. The decision fails
 * closed: an event is trusted only when it is on the allow-list below and its payload proves it;
 * any other event, a payload with missing parts, or one naming a fork goes to a hosted runner.
 *
 * A fork's pull request is trusted only on `pull_request_target` (whose workflow and code come from
 * the base branch, and which takes nothing but data files from the head) and only for a head commit
 * a maintainer approved: the approval is recorded on that commit, so a later push needs a new one.
 */

export interface RunnerChoice {
  /** What `runs-on` gets (a label list or one label). */
  runsOn: string[];
  /** True when the run may use the self-hosted runner and secrets. */
  trusted: boolean;
  /** Plain words, for the log and the job summary. */
  reason: string;
}

interface Repo {
  full_name?: string;
}

interface Payload {
  pull_request?: {
    head?: { repo?: Repo | null; sha?: string };
    base?: { repo?: Repo | null };
  };
  repository?: Repo;
}

/** Events whose code is the repository's own, started by someone with write access or by GitHub. */
const OWN_CODE: Record<string, string> = {
  push: 'a push runs code someone with write access pushed to this repository',
  schedule: "a scheduled run uses the default branch's code",
  workflow_dispatch: "a run started by hand needs write access and uses this repository's code",
};

/** Decide the runner for a workflow event. `event` is the parsed GITHUB_EVENT_PATH payload. */
export function chooseRunner({
  eventName,
  event,
  selfHosted,
  hosted = ['ubuntu-latest'],
  approvedShas = [],
}: {
  eventName: string;
  event: unknown;
  /** Labels of the self-hosted runner, e.g. ["self-hosted", "gpu"]. */
  selfHosted: string[];
  hosted?: string[];
  /** Head commits a maintainer approved (read from their recorded approval status, never from the payload). */
  approvedShas?: readonly string[];
}): RunnerChoice {
  const trusted = (reason: string): RunnerChoice => ({ runsOn: selfHosted, trusted: true, reason });
  const untrusted = (reason: string): RunnerChoice => ({ runsOn: hosted, trusted: false, reason });
  const own = Object.hasOwn(OWN_CODE, eventName) ? OWN_CODE[eventName] : undefined;
  if (own) return trusted(own);
  if (eventName !== 'pull_request' && eventName !== 'pull_request_target') {
    return untrusted(
      `a "${eventName || 'unnamed'}" event is not on Vitrine's list of events that may use the self-hosted runner`,
    );
  }
  const payload = (event ?? {}) as Payload;
  const repository = payload.repository?.full_name;
  const pr = payload.pull_request;
  const base = pr?.base?.repo?.full_name;
  const head = pr?.head?.repo?.full_name;
  const sha = pr?.head?.sha;
  if (!repository || !base || !sha || !/^[0-9a-f]{40}$/i.test(sha)) {
    return untrusted(
      "the event lacks the pull request's repository or head commit, so it is treated as coming from outside",
    );
  }
  if (!same(base, repository)) return untrusted(`the pull request targets ${base}, not ${repository}`);
  if (!head) return untrusted('the pull request comes from a deleted fork');
  if (same(head, base))
    return trusted(`the pull request comes from a branch of ${base}, which only people with write access can push to`);
  if (eventName === 'pull_request') {
    return untrusted(
      `the pull request comes from ${head}, a fork: a pull_request run uses the fork's own workflow file, ` +
        'so it only ever runs on a hosted runner without secrets',
    );
  }
  if (approvedShas.some((s) => s.toLowerCase() === sha.toLowerCase())) {
    return trusted(
      `the pull request comes from ${head}, a fork, and a maintainer approved its data files at commit ${sha.slice(0, 12)}`,
    );
  }
  return untrusted(
    `the pull request comes from ${head}, a fork, and no maintainer has approved its head commit ${sha.slice(0, 12)} yet ` +
      '(an approval covers one commit: a later push needs a new one)',
  );
}

function same(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
