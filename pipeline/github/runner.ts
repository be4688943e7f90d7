/*
 * Where the pipeline may run for an event. A self-hosted runner keeps its disk, caches and network
 * between jobs, so it only ever runs code the repository's own people pushed: a pull request from a
 * fork goes to a hosted runner (CPU, no secrets) unless a maintainer has reviewed it and added the
 * approval label; that approval counts for the `labeled` event only, so a later push to the fork
 * falls back to the hosted runner until a maintainer labels it again.
 */

export interface RunnerChoice {
  /** What `runs-on` gets (a label list or one label). */
  runsOn: string[];
  /** True when the run may use the self-hosted runner and secrets. */
  trusted: boolean;
  /** Plain words, for the log and the job summary. */
  reason: string;
}

interface PullRequestPayload {
  action?: string;
  label?: { name?: string };
  pull_request?: {
    number?: number;
    head?: { repo?: { full_name?: string } | null; sha?: string };
    base?: { repo?: { full_name?: string } };
  };
  repository?: { full_name?: string };
}

/** Decide the runner for a workflow event. `event` is the parsed GITHUB_EVENT_PATH payload. */
export function chooseRunner({
  eventName,
  event,
  selfHosted,
  hosted = ['ubuntu-latest'],
  approvalLabel = 'safe to run',
}: {
  eventName: string;
  event: unknown;
  /** Labels of the self-hosted runner, e.g. ["self-hosted", "gpu"]. */
  selfHosted: string[];
  hosted?: string[];
  approvalLabel?: string;
}): RunnerChoice {
  const trusted = (reason: string): RunnerChoice => ({ runsOn: selfHosted, trusted: true, reason });
  const untrusted = (reason: string): RunnerChoice => ({ runsOn: hosted, trusted: false, reason });
  if (eventName === 'pull_request_target') return untrusted('pull_request_target runs with the base repository\'s rights, so it never runs pull request code on the self-hosted runner');
  if (eventName !== 'pull_request') return trusted(`a ${eventName} event runs code already in the repository`);
  const payload = (event ?? {}) as PullRequestPayload;
  const pr = payload.pull_request;
  const head = pr?.head?.repo?.full_name;
  const base = pr?.base?.repo?.full_name ?? payload.repository?.full_name;
  if (!pr || !base) return untrusted('the event has no pull request details, so it is treated as coming from outside');
  if (head && head.toLowerCase() === base.toLowerCase()) return trusted(`the pull request comes from a branch of ${base}`);
  const from = head ?? 'a deleted fork';
  if (payload.action === 'labeled' && payload.label?.name === approvalLabel) {
    return trusted(`the pull request comes from ${from}, and a maintainer added the "${approvalLabel}" label after reviewing it`);
  }
  return untrusted(`the pull request comes from ${from}, a fork: it runs on a hosted runner without secrets (a maintainer can add the "${approvalLabel}" label to run it on the self-hosted runner)`);
}
