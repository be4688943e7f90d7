import { labelForm } from '../collection/hidden-characters.ts';
import { labelList } from '../collection/vocabulary.ts';
import { VitrineError } from '../errors.ts';
import { MODEL_PARAM_KEYS } from '../params.ts';

/** A parsed "v1.2.0" (pre-release and build parts are kept but Vitrine never writes them). */
export interface SemVer {
  major: number;
  minor: number;
  patch: number;
  prerelease: string;
}

/** Which part of the version a change bumps. */
export type Bump = 'major' | 'minor' | 'patch';

/** The first version Vitrine registers for a model. */
export const FIRST_VERSION = 'v1.0.0';

/** Parse "v1.2.0"; a clear error for anything else. */
export function parseVersion(version: string): SemVer {
  const m = /^v(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(version);
  if (!m)
    throw new VitrineError('VERSION_INVALID', `"${version}" is not a model version; expected the form v1.2.0`, {
      version,
    });
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), prerelease: m[4] ?? '' };
}

/** Order versions as SemVer does (a pre-release sorts before its release). */
export function compareVersions(a: string, b: string): number {
  const x = parseVersion(a);
  const y = parseVersion(b);
  if (x.major !== y.major) return x.major - y.major;
  if (x.minor !== y.minor) return x.minor - y.minor;
  if (x.patch !== y.patch) return x.patch - y.patch;
  if (x.prerelease === y.prerelease) return 0;
  if (x.prerelease === '') return 1;
  if (y.prerelease === '') return -1;
  return x.prerelease < y.prerelease ? -1 : 1;
}

/** The version after `version` for a bump. */
export function bumpVersion({ version, bump }: { version: string; bump: Bump }): string {
  const v = parseVersion(version);
  if (bump === 'major') return `v${v.major + 1}.0.0`;
  if (bump === 'minor') return `v${v.major}.${v.minor + 1}.0`;
  return `v${v.major}.${v.minor}.${v.patch + 1}`;
}

/** What a model was built from, as far as the bump rule cares. */
export interface BumpInputs {
  /** Label vocabulary, in class order. */
  labels: string[];
  /** Data hash (data.dvc). */
  data: string;
  /** md5 of labels.csv. */
  labelsMd5: string;
  /**
   * Labels the evaluation found renamed (metrics.json labelRenames: the same objects under a new name), for the words:
   * "renamed “Mounted bird” to “Bird mount”", not one class removed and one added. Absent when none.
   */
  renames?: { from: string; to: string; joined?: boolean }[];
}

/** A rename between two vocabularies: the old name gone from `now`, the new one in it. */
export type VocabularyRename = NonNullable<BumpInputs['renames']>[number];

/** The renames of `renames` that happened between the vocabularies `before` and `now` (compared as read: labelForm). */
export function vocabularyRenames({
  before,
  now,
  renames = [],
}: {
  before: readonly string[];
  now: readonly string[];
  renames?: readonly VocabularyRename[];
}): VocabularyRename[] {
  const read = (labels: readonly string[]) => new Set(labels.map(labelForm));
  const [was, is] = [read(before), read(now)];
  return renames.filter((r) => was.has(labelForm(r.from)) && !is.has(labelForm(r.from)) && is.has(labelForm(r.to)));
}

/**
 * "renamed “Mounted bird” to “Bird mount”", "merged “drawing” and “print” into “Works on paper”" or "merged “print”
 * into “drawing”" (a label in use before), one phrase per new name.
 */
export function renamePhrases(renames: readonly VocabularyRename[]): string[] {
  const groups = new Map<string, VocabularyRename[]>();
  for (const r of renames) groups.set(r.to, [...(groups.get(r.to) ?? []), r]);
  return [...groups].map(([to, group]) => {
    const from = group.map((r) => `“${r.from}”`);
    const names = from.length === 1 ? from[0] : `${from.slice(0, -1).join(', ')} and ${from.at(-1)}`;
    return group.length > 1 || group[0]!.joined ? `merged ${names} into “${to}”` : `renamed ${names} to “${to}”`;
  });
}

/**
 * The SemVer rule for models (docs/registry.md):
 * - major: the label vocabulary changed (added, removed, renamed or reordered classes) — anything
 *   that reads the model's output by class must be checked;
 * - minor: same vocabulary, but new or changed images or labels;
 * - patch: same vocabulary, data and labels; only params or code changed.
 */
export function decideBump({
  previous,
  next,
  params = [],
}: {
  previous: BumpInputs;
  next: BumpInputs;
  /**
   * The model-shaping parameters that differ (changedModelParams), named in the reason: with data changed since by an
   * edit that trained no new model (a title), they are what made this one (an outside tester).
   */
  params?: string[];
}): {
  bump: Bump;
  reason: string;
} {
  const named =
    params.length > 0
      ? `parameters changed (${params.slice(0, 6).join(', ')}${params.length > 6 ? ` and ${params.length - 6} more` : ''})`
      : '';
  // As labels are read (labelForm: NFC, plain spaces): a label an older version stored decomposed, or with a no-break
  // space between its words, is the same label.
  const [before, now] = [previous.labels, next.labels].map((labels) => labels.map(labelForm)) as [string[], string[]];
  const same = before.length === now.length && before.every((l, i) => l === now[i]);
  if (!same) {
    // A label renamed is said as such: not a class removed and another added (an outside tester).
    const renames = vocabularyRenames({ before, now, renames: next.renames });
    const renamedTo = new Set(renames.filter((r) => !r.joined).map((r) => labelForm(r.to)));
    const renamedFrom = new Set(renames.map((r) => labelForm(r.from)));
    const added = now.filter((l) => !before.includes(l) && !renamedTo.has(l));
    const removed = before.filter((l) => !now.includes(l) && !renamedFrom.has(l));
    const parts = [
      ...renamePhrases(renames),
      added.length ? `added ${labelList(added)}` : '',
      removed.length ? `removed ${labelList(removed)}` : '',
      !added.length && !removed.length && !renames.length ? 'reordered the classes' : '',
    ].filter(Boolean);
    return { bump: 'major', reason: `label vocabulary changed (${parts.join('; ')})` };
  }
  const data = previous.data !== next.data;
  const labels = previous.labelsMd5 !== next.labelsMd5;
  if (data || labels) {
    return {
      bump: 'minor',
      reason: [data ? 'images or object data changed' : '', labels ? 'labels changed' : '', named]
        .filter(Boolean)
        .join(' and '),
    };
  }
  return { bump: 'patch', reason: `same data and labels; ${named || 'parameters or code changed'}` };
}

/** The model-shaping parameters (MODEL_PARAM_KEYS) that differ between two registrations' values, as dotted keys. */
export function changedModelParams({ previous, next }: { previous: unknown; next: unknown }): string[] {
  if (!previous || !next || typeof previous !== 'object' || typeof next !== 'object') return [];
  const at = (root: unknown, key: string) =>
    key
      .split('.')
      .reduce<unknown>((n, k) => (n && typeof n === 'object' ? (n as Record<string, unknown>)[k] : undefined), root);
  return MODEL_PARAM_KEYS.flatMap((key) => diffKeys(at(previous, key), at(next, key), key));
}

function diffKeys(a: unknown, b: unknown, prefix: string): string[] {
  const plain = (x: unknown): x is Record<string, unknown> => !!x && typeof x === 'object' && !Array.isArray(x);
  if (plain(a) && plain(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => diffKeys(a[k], b[k], `${prefix}.${k}`));
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [prefix];
}
