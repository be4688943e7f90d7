import path from 'node:path';
import type { Logger } from '../log.ts';
import type { Params } from '../params.ts';
import type { Workspace } from '../paths.ts';
import { isRecord, readJsonOrNull } from './read.ts';
import type { Corrections, DriftCheck, DriftHistoryData, HistoryGroup, Monitoring } from './schema.ts';
import { shownTitle } from './shown-title.ts';

/*
 * What `vitrine monitor` wrote, turned into the Monitoring page of each model version: the latest
 * check (drift.json), drift over time (history.json, one entry per run) and the labels corrected
 * since promotion (corrections.json). All three are optional and read defensively: a missing file,
 * a broken one or one from an older Vitrine leaves its part of the page out (with a warning) and
 * never stops the catalogue, which is the public face of the collection.
 */

/** The monitoring files as read (unvalidated records; null when missing or unusable). */
export interface MonitoringInputs {
  drift: Record<string, unknown> | null;
  history: Record<string, unknown>[];
  corrections: Record<string, unknown> | null;
}

/** Read drift.json, history.json and corrections.json from `.vitrine/monitor/`, never failing. */
export async function readMonitoring({ ws, log }: { ws: Workspace; log: Logger }): Promise<MonitoringInputs> {
  const read = async (name: string): Promise<unknown> => {
    const file = path.join(ws.monitor, name);
    try {
      return await readJsonOrNull({ file });
    } catch (error) {
      log.warn(
        `${path.relative(ws.root, file)} could not be read (${(error as Error).message}); the Monitoring page ` +
          `leaves it out until "vitrine monitor" runs again`,
        { file },
      );
      return null;
    }
  };
  const drift = await read('drift.json');
  const historyRaw = await read('history.json');
  const corrections = await read('corrections.json');
  let history: Record<string, unknown>[] = [];
  if (isRecord(historyRaw) && Array.isArray(historyRaw.entries))
    history = historyRaw.entries.filter(
      (e): e is Record<string, unknown> => isRecord(e) && typeof e.createdAt === 'string',
    );
  else if (historyRaw !== null)
    log.warn('.vitrine/monitor/history.json is not a list of monitoring runs; the drift-over-time chart is left out');
  const usableCorrections =
    isRecord(corrections) && typeof corrections.modelVersion === 'string' && finite(corrections.changed) !== null
      ? corrections
      : null;
  if (corrections !== null && !usableCorrections)
    log.warn('.vitrine/monitor/corrections.json is not a correction count; the correction rate is left out');
  return { drift: isRecord(drift) ? drift : null, history, corrections: usableCorrections };
}

/**
 * The Monitoring page data of one model version, or null when monitoring wrote nothing about it.
 * Runs made without a production model (modelVersion null) are shown on the current version's page.
 */
export function monitoringFor({
  inputs,
  version,
  current,
  objects,
  params,
}: {
  inputs: MonitoringInputs;
  version: string;
  current: boolean;
  /** Catalogue objects by id: their page slug and title. */
  objects: Map<string, { slug: string; title: string }>;
  params: Params;
}): Monitoring | null {
  const belongs = (v: unknown) => v === version || (v == null && current);
  const latest = inputs.drift && belongs(inputs.drift.modelVersion) ? driftCheck(inputs.drift, objects) : null;
  const entries = inputs.history
    .filter((e) => belongs(e.modelVersion))
    .sort((a, b) => String(a.createdAt).localeCompare(String(b.createdAt)));
  const history = entries.length > 0 ? driftHistory(entries, thresholds(inputs.drift, params), inputs.drift) : null;
  const corrections =
    inputs.corrections && inputs.corrections.modelVersion === version ? correctionsOf(inputs.corrections) : null;
  if (!latest && !history && !corrections) return null;
  return { latest, history, corrections };
}

function finite(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function count(v: unknown): number {
  const n = finite(v);
  return n === null ? 0 : Math.max(0, Math.round(n));
}

const str = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : fallback);
const sentence = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** Today's thresholds: those the latest check was judged with, else params.monitor. */
function thresholds(
  drift: Record<string, unknown> | null,
  params: Params,
): { embeddings: number; novelty: number; imageStats: number; labels: number } {
  const s = drift && isRecord(drift.signals) ? drift.signals : {};
  const m = params.monitor;
  const firstStat = Array.isArray(s.imageStats) ? s.imageStats.find(isRecord) : undefined;
  return {
    embeddings: (isRecord(s.embeddings) ? finite(s.embeddings.minEffect) : null) ?? m.embedding_min_effect,
    novelty: (isRecord(s.novelty) ? finite(s.novelty.minIncrease) : null) ?? m.novelty_min_increase,
    imageStats: (firstStat ? finite(firstStat.threshold) : null) ?? m.image_stats_threshold,
    labels:
      (isRecord(s.predictedLabels) ? finite(s.predictedLabels.threshold) : null) ?? m.label_distribution_threshold,
  };
}

const side = (x: unknown) => (isRecord(x) && typeof x.description === 'string' ? x.description : '');

function driftCheck(drift: Record<string, unknown>, objects: Map<string, { slug: string; title: string }>): DriftCheck {
  const signals: DriftCheck['signals'] = [];
  const s = isRecord(drift.signals) ? drift.signals : {};
  const push = (row: DriftCheck['signals'][number] | null) => {
    if (row && Number.isFinite(row.value) && Number.isFinite(row.threshold)) signals.push(row);
  };
  if (isRecord(s.novelty)) {
    const n = s.novelty;
    // Against a ref (`--reference`) the comparison is with the objects there, not with training.
    const against = isRecord(drift.reference) && drift.reference.kind !== 'model-training' ? side(drift.reference) : '';
    push({
      key: 'novelty',
      name: `Photographs unlike ${against ? `any of ${against}` : 'anything in training'} (novelty)`,
      value: finite(n.value) ?? NaN,
      threshold: finite(n.minIncrease) ?? NaN,
      pValue: finite(n.pValue),
      drifted: n.drifted === true,
      detail: 'Relative increase in distance to the closest reference photograph (0.5: half as far again).',
    });
  }
  if (isRecord(s.embeddings)) {
    const e = s.embeddings;
    push({
      key: 'embeddings',
      name: 'Overall look of the photographs (embeddings)',
      value: finite(e.effect) ?? finite(e.value) ?? NaN,
      threshold: finite(e.minEffect) ?? NaN,
      pValue: finite(e.pValue),
      drifted: e.drifted === true,
      detail: 'Effect size, 0 (the same) to 1 (fully apart).',
    });
  }
  if (Array.isArray(s.imageStats)) {
    for (const st of s.imageStats.filter(isRecord)) {
      push({
        key: str(st.signal, 'image-statistic'),
        name: sentence(str(st.description, str(st.signal, 'image statistic'))),
        value: finite(st.value) ?? NaN,
        threshold: finite(st.threshold) ?? NaN,
        pValue: null,
        drifted: st.drifted === true,
        detail: 'Standard deviations (negative: lower in the new objects); its size is compared with the threshold.',
      });
    }
  }
  if (isRecord(s.predictedLabels)) {
    const p = s.predictedLabels;
    push({
      key: 'predicted-labels',
      name: 'Mix of predicted labels',
      value: finite(p.value) ?? NaN,
      threshold: finite(p.threshold) ?? NaN,
      pValue: null,
      drifted: p.drifted === true,
      detail: 'Share of predictions that differ, 0 to 1.',
    });
  }
  const unfamiliar = (Array.isArray(drift.unfamiliar) ? drift.unfamiliar.filter(isRecord) : [])
    .filter((u) => typeof u.id === 'string' && finite(u.distance) !== null)
    .map((u) => {
      const id = String(u.id);
      const nearestId = typeof u.nearestId === 'string' ? u.nearestId : null;
      const p =
        isRecord(u.predicted) && typeof u.predicted.label === 'string' && finite(u.predicted.confidence) !== null
          ? { label: u.predicted.label, confidence: finite(u.predicted.confidence)! }
          : null;
      return {
        id,
        slug: objects.get(id)?.slug ?? null,
        title: objects.get(id)?.title ?? shownTitle(str(u.title)),
        distance: finite(u.distance)!,
        unusual: u.unusual === true,
        nearestId,
        nearestSlug: nearestId ? (objects.get(nearestId)?.slug ?? null) : null,
        predicted: p,
      };
    });
  return {
    createdAt: str(drift.createdAt),
    drifted: drift.drifted === true,
    summary: str(drift.summary),
    reference: side(drift.reference),
    current: side(drift.current),
    signals,
    unusualShare: finite(drift.unusualShare),
    unfamiliar,
  };
}

/**
 * Which group a check judged, from its history line's currentKind, in the words the chart and its table use. Lines
 * written before 7 December 2026 have none, and do not say whether the run was against the model (the pool, or the
 * objects added since when none were unlabelled) or against a ref of its own: not known, unless their record says
 * (readOldLine).
 */
const GROUPS: Record<'added-since' | 'pool' | 'other' | 'unknown' | 'reference-unknown', string> = {
  'added-since': 'objects added since the model',
  pool: 'new and unlabelled objects together',
  other: 'other objects',
  unknown: 'objects not known, as the check did not record which',
  'reference-unknown': 'objects added since a reference not known, as the check did not record which',
};

function groupOf(kind: unknown): HistoryGroup {
  if (kind === undefined || kind === null) return 'unknown';
  if (kind === 'new-and-unlabelled') return 'pool';
  return kind === 'added-since' ? 'added-since' : 'other';
}

/**
 * A line without `reference` read with what else its record says: drift.json is the latest run in full, so the line
 * of the same time and model version takes its ref (and the commit, when kept) or, against the model, its group.
 */
function readOldLine(e: Record<string, unknown>, drift: Record<string, unknown> | null): Record<string, unknown> {
  if (typeof e.reference === 'string' && e.reference.trim() !== '') return e;
  const same = drift && drift.createdAt === e.createdAt && (drift.modelVersion ?? null) === (e.modelVersion ?? null);
  const ref = same && isRecord(drift.reference) ? drift.reference : null;
  if (ref && ref.kind === 'data-version' && typeof ref.ref === 'string' && ref.ref.trim() !== '')
    return { ...e, reference: ref.ref, ...(typeof ref.commit === 'string' ? { referenceCommit: ref.commit } : {}) };
  if (ref && ref.kind === 'model-training' && e.currentKind == null && isRecord(drift!.current))
    return { ...e, currentKind: drift!.current.kind };
  return e;
}

/**
 * Which objects a line of `vitrine monitor --reference <ref>` judged against, and their name on the page. Runs are
 * one group when the ref pointed to the same commit (a branch moves: "main" twice may be two sets of objects), named
 * as first typed with that commit by 7 characters: "main (abc1234)". Lines written before the commit was kept are
 * grouped by the ref as typed, apart; a full commit id is shown by 7 characters. Null for a run against the model.
 */
function referenceOf(e: Record<string, unknown>): { key: string; name: string } | null {
  const ref = typeof e.reference === 'string' ? e.reference.trim() : '';
  if (ref === '') return null;
  const sha = /^[0-9a-f]{40}$/i;
  const commit = typeof e.referenceCommit === 'string' && sha.test(e.referenceCommit) ? e.referenceCommit : null;
  if (commit === null)
    return sha.test(ref) ? { key: ref.toLowerCase(), name: ref.slice(0, 7) } : { key: `ref:${ref}`, name: ref };
  const short = commit.slice(0, 7);
  // A commit id typed as such is named once: "abc1234", not "abc1234 (abc1234)".
  const typedCommit = /^[0-9a-f]{4,40}$/i.test(ref) && commit.toLowerCase().startsWith(ref.toLowerCase());
  return { key: commit.toLowerCase(), name: typedCommit ? short : `${ref} (${short})` };
}

/** What the novelty of these groups compared with: training, a ref of the run's own, or either. */
function noveltyName(groups: HistoryGroup[]): string {
  const againstModel = (g: HistoryGroup) => g === 'added-since' || g === 'pool';
  const againstRef = (g: HistoryGroup) => g.startsWith('reference-') && g !== 'reference-unknown';
  const refUnknown = (g: HistoryGroup) => g === 'reference-unknown';
  if (groups.length > 0 && groups.every(againstModel)) return 'Unlike anything in training (novelty)';
  if (groups.length > 0 && groups.every((g) => againstRef(g) || refUnknown(g)))
    return 'Unlike anything in the reference (novelty)';
  return 'Unlike anything in training or the reference (novelty)';
}

function driftHistory(
  lines: Record<string, unknown>[],
  t: ReturnType<typeof thresholds>,
  drift: Record<string, unknown> | null,
): DriftHistoryData {
  const entries = lines.map((e) => readOldLine(e, drift));
  // Each commit a ref pointed to is a group of its own ("objects added since main (abc1234)"): never joined to the
  // checks against the model, nor to those against the same branch at another commit.
  const names = new Map<HistoryGroup, string>(Object.entries(GROUPS));
  const byReference = new Map<string, HistoryGroup>();
  const groupOfLine = (e: Record<string, unknown>): HistoryGroup => {
    const ref = referenceOf(e);
    // With no model in production only a run of `--reference` could run (without one it stops): its ref not known.
    if (ref === null) return e.modelVersion == null ? 'reference-unknown' : groupOf(e.currentKind);
    let key = byReference.get(ref.key);
    if (key === undefined) {
      key = `reference-${byReference.size + 1}`;
      byReference.set(ref.key, key);
      names.set(key, `objects added since ${ref.name}`);
    }
    return key;
  };
  const runs = entries.map((e) => ({
    createdAt: str(e.createdAt),
    commit: typeof e.commit === 'string' ? e.commit : null,
    referenceCount: count(e.referenceCount),
    currentCount: count(e.currentCount),
    group: groupOfLine(e),
    drifted: e.drifted === true,
    driftedSignals: Array.isArray(e.driftedSignals)
      ? e.driftedSignals.filter((x): x is string => typeof x === 'string')
      : [],
  }));
  const noveltyGroups = runs.filter((_, i) => finite(entries[i]!.noveltyIncrease) !== null).map((r) => r.group);
  const series: DriftHistoryData['series'] = [
    {
      key: 'novelty',
      // Titled by what it compares: a run of `--reference` measures against the objects at its ref, not training.
      name: noveltyName(noveltyGroups),
      description:
        'how much farther new photographs are from their closest reference photograph than reference photographs are from each other',
      threshold: t.novelty,
      values: entries.map((e) => finite(e.noveltyIncrease)),
    },
    {
      key: 'embeddings',
      name: 'Overall look (embedding effect)',
      description: 'how far apart the two sets of photographs are as the model sees them, 0 to 1',
      threshold: t.embeddings,
      values: entries.map((e) => finite(e.embeddingEffect)),
    },
    {
      key: 'image-stats',
      name: 'Largest image statistic change',
      description: 'the largest change in size, shape, brightness, colour or background, in standard deviations',
      threshold: t.imageStats,
      values: entries.map((e) => finite(e.maxImageStat)),
    },
    {
      key: 'predicted-labels',
      name: 'Mix of predicted labels',
      description: 'share of predictions that would have to change label for the mixes to match, 0 to 1',
      threshold: t.labels,
      values: entries.map((e) => finite(e.labelDistance)),
    },
    {
      key: 'unusual-share',
      name: 'Share of unusual new objects',
      description: 'new objects farther from the reference than almost any reference object is from the rest, 0 to 1',
      threshold: null,
      values: entries.map((e) => finite(e.unusualShare)),
    },
  ];
  const groups = [...new Set(runs.map((r) => r.group))].map((key) => ({ key, name: names.get(key)! }));
  return { runs, groups, series: series.filter((x) => x.values.some((v) => v !== null)) };
}

function correctionsOf(c: Record<string, unknown>): Corrections {
  const byCommit = (Array.isArray(c.byCommit) ? c.byCommit.filter(isRecord) : [])
    .filter((b) => typeof b.commit === 'string')
    .map((b) => ({
      commit: String(b.commit),
      date: str(b.date),
      message: str(b.message).split('\n')[0]!,
      changed: count(b.changed),
      added: count(b.added),
      removed: count(b.removed),
    }))
    .reverse();
  return {
    since: str(c.since),
    until: str(c.until),
    commits: count(c.commits),
    changed: count(c.changed),
    added: count(c.added),
    removed: count(c.removed),
    labelled: count(c.labelled),
    rate: Math.max(0, finite(c.rate) ?? 0),
    byCommit,
  };
}
