import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readDvcFile } from '../data/dvcfile.ts';
import { hashFile, hashTree } from '../data/hash.ts';
import { lastCommitTouching, readCommitSummary } from '../git/history.ts';
import type { Clock } from '../log.ts';
import { modelParams, type Params } from '../params.ts';
import type { Workspace } from '../paths.ts';
import { hashJson, readLock } from '../stages/graph.ts';
import type { Metrics, ModelInfo } from '../types.ts';

/** Everything a model version was made from. */
export interface Lineage {
  /** `data.dvc`'s folder hash, or the hash of `data/` when there is no data.dvc. */
  data: { hash: string; source: 'data.dvc' | 'data/' | 'absent' };
  /** md5 of labels.csv and the last commit that changed it. */
  labels: { md5: string; commit: string | null };
  /** md5 of the validated params (canonical JSON) and the values. */
  params: { md5: string; values: Params };
  /** git HEAD when promoted. */
  code: { commit: string | null };
  backbone: { id: string; source: string; licence: string };
  /** TF.js backend that trained the model. */
  backend: string;
  runtime: { node: string; packages: Record<string, string> };
  durations: { embedMs: number; trainMs: number; evaluateMs: number | null };
  pullRequest: { number: number; url: string | null } | null;
  /** The CI run that promoted it, when known. */
  run: { url: string } | null;
  promotedAt: string;
}

/** The inputs a promotion compares with `metrics.inputs` (computed as the evaluate stage does). */
export interface CurrentInputs {
  data: string;
  dataSource: Lineage['data']['source'];
  labels: string;
  params: string;
}

/** Hash the data, labels and params as they are now. */
export async function currentInputs({ ws, params }: { ws: Workspace; params: Params }): Promise<CurrentInputs> {
  let data = 'absent';
  let dataSource: CurrentInputs['dataSource'] = 'absent';
  if (await exists(ws.dataDvc)) {
    const dvc = await readDvcFile({ file: ws.dataDvc });
    data = dvc.outs[0]?.md5 ?? 'absent';
    dataSource = 'data.dvc';
  } else if (await exists(ws.data)) {
    data = (await hashTree({ dir: ws.data })).md5;
    dataSource = 'data/';
  }
  const labels = (await exists(ws.labels)) ? await hashFile({ file: ws.labels }) : 'absent';
  return { data, dataSource, labels, params: hashJson(modelParams(params)) };
}

const PACKAGES = ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm', 'nsfwjs', 'isomorphic-git', 'sharp'];

/** Versions of Vitrine and the packages that shape a model, read from their package.json files. */
export async function packageVersions(): Promise<Record<string, string>> {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  const out: Record<string, string> = {};
  const read = async (file: string) => {
    try {
      return (JSON.parse(await readFile(file, 'utf8')) as { version?: string }).version ?? 'unknown';
    } catch {
      return 'not installed';
    }
  };
  out.vitrine = await read(path.join(root, 'package.json'));
  for (const name of PACKAGES) out[name] = await read(path.join(root, 'node_modules', name, 'package.json'));
  return out;
}

/**
 * The pull request that introduced the commit: from GITHUB_REF (refs/pull/N/merge), VITRINE_PULL_REQUEST,
 * the event file (pull_request.number), or a merge / squash commit message ("Merge pull request #12",
 * "Title (#12)").
 */
export async function findPullRequest({
  env,
  ws,
  params,
  commit,
}: {
  env: Record<string, string | undefined>;
  ws: Workspace;
  params: Params;
  commit: string | null;
}): Promise<Lineage['pullRequest']> {
  let number: number | null = null;
  const ref = /^refs\/pull\/(\d+)\//.exec(env.GITHUB_REF ?? '');
  if (ref) number = Number(ref[1]);
  if (number === null && /^\d+$/.test(env.VITRINE_PULL_REQUEST ?? '')) number = Number(env.VITRINE_PULL_REQUEST);
  if (number === null && env.GITHUB_EVENT_PATH) {
    try {
      const event = JSON.parse(await readFile(env.GITHUB_EVENT_PATH, 'utf8')) as {
        pull_request?: { number?: number };
        number?: number;
        head_commit?: { message?: string };
      };
      number = event.pull_request?.number ?? null;
      if (number === null && event.head_commit?.message) number = prFromMessage(event.head_commit.message);
    } catch {
      // No readable event: try the commit message.
    }
  }
  if (number === null && commit) {
    try {
      number = prFromMessage((await readCommitSummary({ dir: ws.root, commit })).message);
    } catch {
      // Not a git repository or a shallow history.
    }
  }
  if (number === null) return null;
  const repo = params.collection.repository || env.GITHUB_REPOSITORY || '';
  const server = env.GITHUB_SERVER_URL || 'https://github.com';
  return { number, url: repo ? `${server}/${repo}/pull/${number}` : null };
}

function prFromMessage(message: string): number | null {
  const m = /^Merge pull request #(\d+)/.exec(message) ?? /\(#(\d+)\)\s*$/m.exec(message.split('\n')[0] ?? '');
  return m ? Number(m[1]) : null;
}

/** Gather the lineage of the model being promoted. */
export async function collectLineage({
  ws,
  params,
  modelInfo,
  inputs,
  commit,
  env,
  clock,
}: {
  ws: Workspace;
  params: Params;
  modelInfo: ModelInfo;
  metrics?: Metrics;
  inputs: CurrentInputs;
  commit: string | null;
  env: Record<string, string | undefined>;
  clock: Clock;
}): Promise<Lineage> {
  const labelsCommit = commit
    ? await lastCommitTouching({ dir: ws.root, ref: commit, filepath: 'labels.csv', depth: 500 })
    : null;
  const lock = await readLock({ file: ws.lock });
  const run =
    env.GITHUB_RUN_ID && env.GITHUB_REPOSITORY
      ? {
          url: `${env.GITHUB_SERVER_URL || 'https://github.com'}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`,
        }
      : null;
  return {
    data: { hash: inputs.data, source: inputs.dataSource },
    labels: { md5: inputs.labels, commit: labelsCommit },
    params: { md5: inputs.params, values: params },
    code: { commit },
    backbone: { id: modelInfo.backbone.id, source: modelInfo.backbone.source, licence: modelInfo.backbone.licence },
    backend: modelInfo.backend,
    runtime: { node: process.version, packages: await packageVersions() },
    durations: {
      embedMs: modelInfo.durationMs.embed,
      trainMs: modelInfo.durationMs.train,
      evaluateMs: lock.stages.evaluate?.durationMs ?? null,
    },
    pullRequest: await findPullRequest({ env, ws, params, commit }),
    run,
    promotedAt: clock.now().toISOString(),
  };
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}
