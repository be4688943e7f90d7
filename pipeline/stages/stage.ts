import type { Clock, Logger } from '../log.ts';
import type { Params } from '../params.ts';
import type { Workspace } from '../paths.ts';

/** The pipeline's stages, in the order `vitrine run` runs them. */
export const STAGE_NAMES = ['dataset', 'train', 'evaluate', 'report', 'promote', 'catalogue'] as const;
export type StageName = (typeof STAGE_NAMES)[number];

/** What a stage is handed: everything from outside comes in here, nothing is read at import time. */
export interface StageContext {
  ws: Workspace;
  params: Params;
  log: Logger;
  clock: Clock;
  /** Environment of the run (GITHUB_* and the like), passed in by the boundary. */
  env: Record<string, string | undefined>;
  /** Rerun with --force: redo the work kept between runs too (the catalogue's object pages). */
  forced?: boolean;
}

export interface StageResult {
  /** One line for the run's table, in plain words ("312 objects, 6 labels, 4 rows skipped"). */
  summary: string;
  /**
   * The hashes of input paths (keys of `deps.paths`) as the stage read them: each file read once, hashed and parsed
   * from the same bytes. lock.json records these rather than the hashes taken before the stage ran, so a commit
   * landing in between (a colleague's label correction) is recorded as read, not as the file was a moment before.
   */
  read?: Record<string, string>;
}

/**
 * A stage of the graph. It reruns when any of its inputs changed since its last run, like a
 * `dvc.yaml` stage: files or folders (hashed by content), params keys, upstream stages' outputs,
 * and anything else `fingerprint` returns (e.g. which model version is in production).
 */
export interface Stage {
  name: StageName;
  /** What the stage does, for `--help` and the README. */
  summary: string;
  deps: {
    /** Root-relative files or folders read by the stage. Missing ones hash as absent. */
    paths: string[];
    /** Dotted params keys read by the stage (a whole section such as "train" counts too). */
    params: string[];
    /** Upstream stages whose outputs the stage reads (a change in their outputs reruns it). */
    stages: StageName[];
    /**
     * Upstream stages that must run first, but whose outputs the stage reads only through what
     * `fingerprint` returns: the part of the dataset a model learns from, say, and not the titles.
     */
    after?: StageName[];
  };
  /** Root-relative files or folders the stage writes (all under `.vitrine/`). */
  outs: string[];
  /**
   * Runs before the stage's inputs are hashed, whether or not it then runs: puts back what it reads when a copy
   * lacks it (the catalogue: the registry record, from the git tags). Returns the root-relative paths it wrote.
   */
  prepare?(ctx: StageContext): Promise<string[]>;
  /**
   * Runs once lock.json records the stage's outputs as they are: after the stage ran and its entry was written, or
   * when it was skipped because its inputs and outputs are as recorded (the catalogue: forget the marker of a site
   * build that lock.json did not record yet).
   */
  recorded?(ctx: StageContext): Promise<void>;
  /** Extra inputs that are neither files nor params; JSON-serialisable. */
  fingerprint?(ctx: StageContext): Promise<unknown>;
  run(ctx: StageContext): Promise<StageResult>;
}
