import type { LabelChange, ReportJson } from './types.ts';

/*
 * report.json is read again by the fork check (actions/report/fork.ts), which takes texts of at most 2,000 characters
 * and lists of at most 100,000: a longer one read like tampering ("labels.changes: Too big"). A tester's 10 MB cell of
 * data/objects.csv made a 10.5 MB report.json, and 100,000 rows repeating one 300-character hint 60 MB. It is written
 * within those limits, saying in `leftOut` what it cut; the comment is made before, from the report whole.
 */

/** The longest text report.json keeps (the fork check's `str`). */
export const JSON_STRING_LIMIT = 2_000;
/** The longest list report.json keeps (the fork check's longest). */
export const JSON_LIST_LIMIT = 100_000;

/** Lists staff may find cut, by their place in report.json. */
const LIST_NAMES: Record<string, string> = {
  'labels.changes': 'label changes',
  'unusablePhotos.objects': 'objects whose photograph cannot be used',
  'objectsRemoved.objects': 'objects whose rows the change removes from data/objects.csv',
};

/** Places of cut texts named; the rest are counted. */
const PLACES_NAMED = 5;

interface Cuts {
  lists: { place: string; length: number }[];
  texts: number;
  places: Set<string>;
}

/**
 * The report as report.json holds it: texts over 2,000 characters end in "…", lists over 100,000 keep their first
 * 100,000, and the hint most lines naming no object share is said once (`labels.unknownIdHint`, their rows' hint '';
 * renderMarkdown puts it back). `leftOut` says what was cut, in plain words. The report given is not changed.
 */
export function reportJsonToWrite(json: ReportJson): ReportJson {
  const cuts: Cuts = { lists: [], texts: 0, places: new Set() };
  const { leftOut: _earlier, ...rest } = json;
  const within = withinLimits({ value: rest, place: '', cuts }) as ReportJson;
  const hint = sharedHint(within.labels.changes);
  const labels: ReportJson['labels'] = hint
    ? {
        ...within.labels,
        unknownIdHint: hint,
        changes: within.labels.changes.map((c) =>
          c.unknownId?.hint === hint ? { ...c, unknownId: { ...c.unknownId, hint: '' } } : c,
        ),
      }
    : within.labels;
  const leftOut = [
    ...cuts.lists.map(
      ({ place, length }) =>
        `report.json lists the first ${JSON_LIST_LIMIT.toLocaleString('en')} of ${length.toLocaleString('en')} ` +
        (LIST_NAMES[place] ?? `entries of ${place}`),
    ),
    ...(cuts.texts > 0 ? [textsWords(cuts)] : []),
  ];
  return { ...within, labels, ...(leftOut.length > 0 ? { leftOut } : {}) };
}

/** The report with each row's hint that report.json said once (reportJsonToWrite) put back; as it is without one. */
export function withUnknownIdHints(report: ReportJson): ReportJson {
  const hint = report.labels.unknownIdHint;
  if (!hint) return report;
  const changes = report.labels.changes.map((c) =>
    c.unknownId?.hint === '' ? { ...c, unknownId: { ...c.unknownId, hint } } : c,
  );
  return { ...report, labels: { ...report.labels, changes } };
}

/** The hint most rows share, when two or more do (one row's is no saving). */
function sharedHint(changes: LabelChange[]): string | undefined {
  const times = new Map<string, number>();
  for (const c of changes) if (c.unknownId?.hint) times.set(c.unknownId.hint, (times.get(c.unknownId.hint) ?? 0) + 1);
  let best: [string, number] | undefined;
  for (const entry of times) if (entry[1] > 1 && entry[1] > (best?.[1] ?? 0)) best = entry;
  return best?.[0];
}

function withinLimits({ value, place, cuts }: { value: unknown; place: string; cuts: Cuts }): unknown {
  if (typeof value === 'string') {
    if (value.length <= JSON_STRING_LIMIT) return value;
    cuts.texts++;
    cuts.places.add(place);
    return cutText(value);
  }
  if (Array.isArray(value)) {
    if (value.length > JSON_LIST_LIMIT) cuts.lists.push({ place, length: value.length });
    return value.slice(0, JSON_LIST_LIMIT).map((v) => withinLimits({ value: v, place, cuts }));
  }
  if (value === null || typeof value !== 'object') return value;
  // A loop, not Object.fromEntries: 100,000 rows took seconds.
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value))
    out[k] = withinLimits({ value: v, place: place ? `${place}.${k}` : k, cuts });
  return out;
}

/** Its first 1,999 characters and "…", never half of a character written as two (an emoji). */
function cutText(value: string): string {
  let end = JSON_STRING_LIMIT - 1;
  const last = value.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${value.slice(0, end)}…`;
}

function textsWords({ texts, places }: Cuts): string {
  const named = [...places].slice(0, PLACES_NAMED);
  const others = places.size > named.length ? ` and ${places.size - named.length} other places` : '';
  return (
    `report.json keeps the first ${JSON_STRING_LIMIT.toLocaleString('en')} characters of ${texts.toLocaleString('en')} ` +
    `${texts === 1 ? 'text' : 'texts'} longer than that, ending ${texts === 1 ? 'it' : 'each'} with "…" ` +
    `(${named.join(', ')}${others})`
  );
}
