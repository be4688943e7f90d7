import { VitrineError } from '../errors.ts';
import { readTextOrNull } from '../fs.ts';
import type { Logger } from '../log.ts';

/*
 * Readers for the other stages' outputs. The dataset is required; everything else (annotations,
 * versions, cards, metrics, drift) is optional and read defensively: a catalogue without a model
 * is still a catalogue, and a field the registry adds later must not break the site.
 */

/** Parse a JSON file; null when it does not exist. A broken file is an error naming it. */
export async function readJsonOrNull({ file }: { file: string }): Promise<unknown> {
  const text = await readTextOrNull({ file });
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new VitrineError(
      'CATALOGUE_INPUT_JSON',
      `${file}: this file is not valid JSON (${(error as Error).message}); rerun the stage that writes it`,
      { file },
      { cause: error },
    );
  }
}

/** A registered model version as read from versions.json, whatever its exact shape. */
export interface VersionEntry {
  version: string;
  stages: string[];
  createdAt: string | null;
  /** Every other scalar field, for the lineage table. */
  fields: Record<string, string>;
}

const VERSION_KEYS = ['version', 'name', 'tag'];
const DATE_KEYS = ['createdAt', 'created_at', 'registeredAt', 'date', 'promotedAt'];

/** Read `versions.json` defensively: an array (or `{ versions: [...] }`) of version strings or objects. */
export function parseVersions({ raw, file, log }: { raw: unknown; file: string; log: Logger }): VersionEntry[] {
  if (raw === null) return [];
  const list = Array.isArray(raw) ? raw : isRecord(raw) && Array.isArray(raw.versions) ? raw.versions : null;
  if (!list) {
    log.warn(`${file} is not a list of model versions; the catalogue shows no version history`, { file });
    return [];
  }
  const out: VersionEntry[] = [];
  for (const item of list) {
    if (typeof item === 'string') {
      out.push({ version: item, stages: [], createdAt: null, fields: {} });
      continue;
    }
    if (!isRecord(item)) continue;
    const key = VERSION_KEYS.find((k) => typeof item[k] === 'string');
    if (!key) continue;
    const stages = Array.isArray(item.stages)
      ? item.stages.filter((s): s is string => typeof s === 'string')
      : typeof item.stage === 'string'
        ? [item.stage]
        : [];
    const dateKey = DATE_KEYS.find((k) => typeof item[k] === 'string');
    out.push({
      version: String(item[key]),
      stages,
      createdAt: dateKey ? String(item[dateKey]) : null,
      fields: scalars(item),
    });
  }
  return out;
}

/** A rollback of production, as versions.json lists them (pipeline/registry/publish.ts). */
export interface RollbackChange {
  date: string | null;
  version: string;
  from: string | null;
  reason: string | null;
}

/** versions.json's `rollbacks`, newest first; none from a file written before they were listed, or another tool's. */
export function parseRollbacks({ raw }: { raw: unknown }): RollbackChange[] {
  if (!isRecord(raw) || !Array.isArray(raw.rollbacks)) return [];
  const text = (v: unknown) => (typeof v === 'string' && v ? v : null);
  return raw.rollbacks
    .filter(isRecord)
    .flatMap((r) => {
      const version = text(r.version);
      return version ? [{ date: text(r.date), version, from: text(r.from), reason: text(r.reason) }] : [];
    })
    .sort((a, b) => (b.date ?? '').localeCompare(a.date ?? ''));
}

/** Scalar fields of an object (nested objects flattened with dots), as strings. */
export function scalars(value: Record<string, unknown>, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v === null || v === undefined) continue;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[key] = String(v);
    else if (Array.isArray(v) && v.every((x) => typeof x === 'string' || typeof x === 'number'))
      out[key] = v.join(', ');
    else if (isRecord(v) && !prefix) Object.assign(out, scalars(v, key));
  }
  return out;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** "trainCount" / "train_count" → "Train count". */
export function humanise(key: string): string {
  const words = key
    .replace(/[._]/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
