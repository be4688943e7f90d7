import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { messageOf, VitrineError } from '../errors.ts';
import { writeFileAtomic, writeJsonAtomic } from '../fs.ts';
import type { Logger } from '../log.ts';
import type { Params } from '../params.ts';
import type { Workspace } from '../paths.ts';
import type { Annotation, Metrics, ModelInfo } from '../types.ts';
import { annotateCollection, type PredictObjects, predictAnnotations, writeAnnotations } from './annotate.ts';
import { buildCard, type DatasetSummary, type ModelCard, renderCardMarkdown } from './card.ts';
import {
  type Headline,
  type RegistryState,
  type RollbackOptions,
  readRegistry,
  rollback,
  showVersion,
} from './registry.ts';
import { openModelRemote } from './remote.ts';
import { resolveModelDir } from './resolve.ts';
import { folderMatches, type ModelRemote, restoreFolder, versionCacheDir } from './store.ts';

/*
 * What the catalogue reads from the registry, rewritten whenever production changes (promotion or
 * rollback): `versions.json`, a card per version (markdown + JSON) and the collection's annotations
 * by the production model.
 */

/** One row of `.vitrine/registry/versions.json`. */
export interface VersionEntry {
  version: string;
  stages: string[];
  date: string;
  tag: string;
  commit: string;
  active: boolean;
  bump: string | null;
  reason: string | null;
  headline: Headline | null;
  pullRequest: { number: number; url: string | null } | null;
  /** Card paths relative to `.vitrine/registry/`, null when the card could not be built. */
  card: { markdown: string; json: string } | null;
}

/** `.vitrine/registry/versions.json` */
export interface VersionsFile {
  schema: 'vitrine.versions/1';
  model: string;
  prod: string | null;
  /** Newest version first. */
  versions: VersionEntry[];
}

/** Where the evidence of the version being promoted is staged before its number is known. */
export function evidenceStagingDir(ws: Workspace): string {
  return path.join(ws.registry, 'evidence');
}

/** Card files of a version, relative to `.vitrine/registry/`. */
export function cardPaths(version: string): { markdown: string; json: string } {
  return { markdown: `cards/${version}.md`, json: `cards/${version}.json` };
}

/**
 * Rewrite versions.json and every version's card, and annotate the collection with the production
 * model. A card whose evidence cannot be fetched is skipped with a warning (its old file stays).
 */
export async function publishRegistry({
  ws,
  params,
  log,
  remote,
  predict,
  annotate = true,
  annotations,
}: {
  ws: Workspace;
  params: Params;
  log: Logger;
  remote?: ModelRemote;
  predict?: PredictObjects;
  /** False to skip annotation (no dataset yet). */
  annotate?: boolean;
  /** Annotations already made by the production model (a rollback makes them before changing tags). */
  annotations?: Annotation[];
}): Promise<{ prod: string | null; annotated: number; cards: string[] }> {
  const name = params.registry.model_name;
  const state = await readRegistry({ dir: ws.root, name });
  const cards = await writeCards({ ws, params, state, log, remote });
  const file: VersionsFile = {
    schema: 'vitrine.versions/1',
    model: name,
    prod: state.stages.prod ?? null,
    versions: [...state.versions].reverse().map((v) => ({
      version: v.version,
      stages: v.stages,
      date: v.createdAt,
      tag: v.tag,
      commit: v.commit,
      active: v.active,
      bump: v.registration?.bump ?? null,
      reason: v.registration?.reason ?? null,
      headline: v.registration?.headline ?? null,
      pullRequest: v.registration?.lineage.pullRequest ?? null,
      card: cards.includes(v.version) ? cardPaths(v.version) : null,
    })),
  };
  await writeJsonAtomic({ file: path.join(ws.registry, 'versions.json'), value: file });
  let annotated = 0;
  if (annotate && file.prod && annotations?.[0]?.modelVersion === file.prod) {
    await writeAnnotations({ ws, annotations, log });
    annotated = annotations.length;
  } else if (annotate && file.prod) {
    const resolved = await resolveModelDir({ ws, params, version: 'prod', log, remote });
    if (resolved) {
      const { annotations } = await annotateCollection({
        ws,
        params,
        modelDir: resolved.dir,
        modelVersion: resolved.version,
        log,
        predict,
      });
      annotated = annotations.length;
    }
  } else if (!file.prod) {
    // No production model: the catalogue must not show stale machine labels.
    await rm(path.join(ws.registry, 'annotations.json'), { force: true });
  }
  return { prod: file.prod, annotated, cards };
}

/** Build the card of every registered version from its stored evidence; returns the versions carded. */
export async function writeCards({
  ws,
  params,
  state,
  log,
  remote,
}: {
  ws: Workspace;
  params: Params;
  state: RegistryState;
  log: Logger;
  remote?: ModelRemote;
}): Promise<string[]> {
  const done: string[] = [];
  const opener = remote ? async () => remote : () => openModelRemote({ ws });
  let previous: RegistryState['versions'][number]['registration'] = null;
  for (const v of state.versions) {
    const registration = v.registration;
    if (!registration?.evidence) {
      previous = registration ?? previous;
      continue;
    }
    try {
      const dir = `${versionCacheDir({ ws, name: state.name, version: v.version })}.evidence`;
      if (!(await folderMatches({ dir, manifest: registration.evidence }))) {
        await mkdir(path.dirname(dir), { recursive: true });
        await restoreFolder({
          dir,
          manifest: registration.evidence,
          sources: [evidenceStagingDir(ws)],
          remote: opener,
          log,
        });
      }
      const read = async <T>(f: string) => JSON.parse(await readFile(path.join(dir, f), 'utf8')) as T;
      const card: ModelCard = buildCard({
        registration,
        metrics: await read<Metrics>('metrics.json'),
        modelInfo: await read<ModelInfo>('model-info.json'),
        summary: await read<DatasetSummary>('dataset-summary.json'),
        previous: previous && previous.version !== registration.version ? previous : null,
        stages: v.stages,
        owners: params.registry.owners,
        collectionName: params.collection.name,
      });
      const paths = cardPaths(v.version);
      await writeFileAtomic({ file: path.join(ws.registry, paths.markdown), data: renderCardMarkdown(card) });
      await writeJsonAtomic({ file: path.join(ws.registry, paths.json), value: card });
      done.push(v.version);
    } catch (error) {
      log.warn(`The model card of ${v.version} could not be written: ${messageOf(error)}`);
    }
    previous = registration;
  }
  return done;
}

/** Roll production back to `version`, restore its files and re-annotate the collection with it. */
export async function rollbackAndPublish(
  options: RollbackOptions & {
    env?: Record<string, string | undefined>;
    remote?: ModelRemote;
    predict?: PredictObjects;
  },
): Promise<{ version: string; from: string | null; tag: string; dir: string; annotated: number }> {
  const { ws, params, version, log, remote, predict } = options;
  // Restore first: a rollback to files nobody can fetch must not change production.
  const record = await showVersion({ ws, params, version });
  // Checked again under the lock by rollback(); here to fail before restoring and predicting.
  if (record.stages.includes('prod'))
    throw new VitrineError(
      'ROLLBACK_NOOP',
      `Model version ${record.version} is already in production; nothing to roll back.`,
      { version: record.version },
    );
  const probe = await resolveModelDir({ ws, params, version: record.version, log, remote });
  if (!probe) {
    throw new VitrineError(
      'MODEL_FILES_UNAVAILABLE',
      `Model version ${record.version} was registered without Vitrine's file list, so its files cannot be ` +
        `restored; production was not changed.`,
      { version: record.version },
    );
  }
  // Annotate before touching the tags: if predicting fails (images missing on this machine), production is unchanged.
  const annotations = await predictAnnotations({
    ws,
    params,
    modelDir: probe.dir,
    modelVersion: probe.version,
    log,
    predict,
  });
  const result = await rollback({ ...options, version: probe.version });
  const { annotated } = await publishRegistry({ ws, params, log, remote, predict, annotations });
  return { ...result, dir: probe.dir, annotated };
}
