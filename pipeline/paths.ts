import path from 'node:path';

/**
 * Where everything lives in a Vitrine repository. Git-tracked inputs sit at the top; every stage
 * output lives under one ignored working folder (`.vitrine/`) that a user can delete to start clean.
 */
export interface Workspace {
  /** Repository root (absolute). */
  root: string;
  /** `params.yaml` */
  params: string;
  /** `labels.csv`: `object_id,label`, one line per object, sorted by object id, tracked by git. */
  labels: string;
  /** `data/`: DVC-tracked collection (images + `objects.csv`). */
  data: string;
  /** `data/objects.csv`: object metadata in Vitrine's columns. */
  objects: string;
  /** `data/images/` */
  images: string;
  /** `data.dvc` */
  dataDvc: string;
  /** `.vitrine/`: the working folder for every stage output and local caches. */
  work: string;
  /** `.vitrine/cache/`: content-addressed caches that survive stage reruns (embeddings, annotations). */
  cache: string;
  /** `.vitrine/lock.json`: what each stage last ran on, like `dvc.lock`. */
  lock: string;
  /** Per-stage output folders. */
  dataset: string;
  model: string;
  evaluate: string;
  report: string;
  registry: string;
  catalogue: string;
  monitor: string;
  /** Built static site. */
  site: string;
}

/** Resolve the workspace layout for a repository root. */
export function workspace(root: string): Workspace {
  const abs = path.resolve(root);
  const work = path.join(abs, '.vitrine');
  return {
    root: abs,
    params: path.join(abs, 'params.yaml'),
    labels: path.join(abs, 'labels.csv'),
    data: path.join(abs, 'data'),
    objects: path.join(abs, 'data', 'objects.csv'),
    images: path.join(abs, 'data', 'images'),
    dataDvc: path.join(abs, 'data.dvc'),
    work,
    cache: path.join(work, 'cache'),
    lock: path.join(work, 'lock.json'),
    dataset: path.join(work, 'dataset'),
    model: path.join(work, 'model'),
    evaluate: path.join(work, 'evaluate'),
    report: path.join(work, 'report'),
    registry: path.join(work, 'registry'),
    catalogue: path.join(work, 'catalogue'),
    monitor: path.join(work, 'monitor'),
    site: path.join(work, 'site'),
  };
}

/** A root-relative path with forward slashes, for messages and manifests. */
export function rel(ws: Workspace, file: string): string {
  return path.relative(ws.root, file).split(path.sep).join('/');
}
