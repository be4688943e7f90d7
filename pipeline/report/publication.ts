import { type PublicationByLabel, unpublishedWords } from '../evaluate/publication.ts';
import type { Metrics } from '../types.ts';
import { percentApart, text } from './markdown.ts';
import type { PublicationChange, PublicationComparison } from './types.ts';

/*
 * What a pull request does to publication, label by label, against the model in production: how many of a
 * label's guesses would wait for staff (below the label's threshold, annotate.min_precision) before and after.
 * A change that breaks three photographs can move a threshold from 55% to 99% and send forty more objects to
 * the review queue while every score stays the same; staff should read that before merging.
 */

/**
 * When a label's change is worth a sentence. A threshold is a cut through one label's guesses: retrained on
 * slightly different labels, one or two objects cross it either way, which is no news to staff. Five objects
 * more or fewer waiting is a handful of reviews someone will do (or objects that go public unchecked). A small
 * label can lose half its published guesses with fewer than five objects (3 of its 6 guesses), so a share
 * published that moves by ten points counts too.
 */
export const NOTICEABLE_OBJECTS = 5;
export const NOTICEABLE_SHARE = 0.1;

/** The comment lists at most this many labels; report.json has them all. */
const MAX_LISTED = 10;

type Publication = NonNullable<Metrics['publication']>;

/**
 * Each label whose publication changed noticeably between `base` (the model in production's metrics.publication)
 * and `head` (this change's), largest change first. Null when either side has no per-label figures (a first
 * model, a metrics.json written before they were recorded): nothing can be compared, so nothing is said.
 */
export function publicationChanges({
  base,
  head,
  baseVersion,
}: {
  base: Publication | null | undefined;
  head: Publication | null | undefined;
  baseVersion: string;
}): PublicationComparison | null {
  const before = byLabelOf(base);
  const after = byLabelOf(head);
  if (!base || !head || !before || !after) return null;
  const total = (counts: PublicationByLabel) => Object.values(counts).reduce((sum, c) => sum + c.heldBack, 0);
  const changes: PublicationChange[] = [];
  for (const [label, now] of Object.entries(after)) {
    // A label new or gone since production: the vocabulary change is said elsewhere.
    const was = Object.hasOwn(before, label) ? before[label]! : null;
    if (!was) continue;
    const coverage = { base: shareOf(was), head: shareOf(now) };
    // Measured on the share held back, not the count: a change that labels twice as many objects doubles every
    // count with the same rule (13 of 60 → 26 of 120), which is no change in what the model publishes.
    const moved = coverage.base === null || coverage.head === null ? null : Math.abs(coverage.head - coverage.base);
    const objects =
      moved === null
        ? Math.abs(now.heldBack - was.heldBack) >= NOTICEABLE_OBJECTS
        : moved * now.guessed >= NOTICEABLE_OBJECTS - 1e-9;
    const share = moved !== null && moved >= NOTICEABLE_SHARE - 1e-9;
    if (!objects && !share) continue;
    const threshold = { base: thresholdOf(base, label), head: thresholdOf(head, label) };
    const change = {
      label,
      threshold,
      guessed: { base: was.guessed, head: now.guessed },
      heldBack: { base: was.heldBack, head: now.heldBack },
      coverage,
    };
    changes.push({ ...change, words: `${label}: ${changeWords(change)}` });
  }
  const size = (c: PublicationChange) => Math.abs(c.heldBack.head - c.heldBack.base);
  const moved = (c: PublicationChange) =>
    c.coverage.base === null || c.coverage.head === null ? 0 : Math.abs(c.coverage.head - c.coverage.base);
  changes.sort(
    (a, b) => size(b) - size(a) || moved(b) - moved(a) || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0),
  );
  return {
    baseVersion,
    minPrecision: { base: base.minPrecision, head: head.minPrecision },
    heldBack: { base: total(before), head: total(after) },
    changes,
  };
}

/**
 * "Guesses that would wait for staff": a short section for the comment, near the verdict. Made from the numbers
 * (labels escaped), never from `words`, so a report.json from elsewhere cannot put its own text in. Empty when
 * nothing changed noticeably.
 */
export function publicationSection(comparison: PublicationComparison | null | undefined): string {
  if (!comparison || comparison.changes.length === 0) return '';
  const { changes, minPrecision, heldBack } = comparison;
  const listed = changes.slice(0, MAX_LISTED);
  const lines = listed.map((c) => `- ${text(c.label)}: ${changeWords(c)}`);
  if (changes.length > listed.length)
    lines.push(`- and ${changes.length - listed.length} more labels (report.json lists them all)`);
  const precision =
    minPrecision.base === minPrecision.head
      ? ''
      : ` The wanted precision (annotate.min_precision) changed from ${percentApart(minPrecision.base)[0]} to ` +
        `${percentApart(minPrecision.head)[0]}, which moves every label's threshold.`;
  return (
    '### Guesses that would wait for staff\n\n' +
    `Compared with the model in production (${text(comparison.baseVersion)}), this change moves what would be ` +
    `published as fact for ${changes.length === 1 ? 'one label' : `${changes.length} labels`}. A guess is published ` +
    `only when the model is sure enough of it to be right ${percentApart(minPrecision.head)[0]} of the time; the others wait ` +
    'for staff in the review queue. Counted on the labelled objects, each guessed by a model that did not learn it; ' +
    `the rest of the collection follows the same rule.${precision}\n\n` +
    `${lines.join('\n')}\n\n` +
    `In all, ${guesses(heldBack.head)} of the labelled objects would wait for staff instead of ${heldBack.base}.`
  );
}

/**
 * Labels none of whose guesses can be published under this change's rule (metrics.json `publication.unpublished`):
 * one line each, why and what staff can do. Labels and ids escaped; an entry of another shape is left out.
 */
export function unpublishedSection(publication: Publication | null | undefined): string {
  const entries = Object.entries(publication?.unpublished ?? {}).filter(
    ([, e]) =>
      typeof e?.precision === 'number' &&
      typeof e.guessed === 'number' &&
      Array.isArray(e.surestMisses) &&
      e.surestMisses.every(
        (m) => typeof m?.id === 'string' && typeof m.labelled === 'string' && Number.isFinite(m.confidence),
      ),
  );
  if (entries.length === 0 || typeof publication?.minPrecision !== 'number') return '';
  const minPrecision = publication.minPrecision;
  return entries
    .slice(0, MAX_LISTED)
    .map(([label, entry]) => `⚠️ ${unpublishedWords({ label, entry, minPrecision, quote: text })}`)
    .join('\n\n');
}

/** "52 of 61 guesses would wait for staff instead of 13 of 60 (the model must now be 99% sure, was 55%)" */
function changeWords(c: Omit<PublicationChange, 'label' | 'words'>): string {
  const { base, head } = c.threshold;
  const sure =
    head === null
      ? base === null
        ? 'none is published, as before: no guess is sure enough'
        : `none is published now: no guess is sure enough; was ${percentApart(base)[0]}`
      : base === null
        ? `the model must now be ${percentApart(head)[0]} sure; none was published before`
        : base === head
          ? `the model must be ${percentApart(head)[0]} sure, as before`
          : `the model must now be ${percentApart(head, base)[0]} sure, was ${percentApart(head, base)[1]}`;
  return (
    `${c.heldBack.head} of ${guesses(c.guessed.head)} would wait for staff instead of ` +
    `${c.heldBack.base} of ${c.guessed.base} (${sure})`
  );
}

function guesses(n: number): string {
  return `${n} ${n === 1 ? 'guess' : 'guesses'}`;
}

/** Share of a label's guesses published; null when it has none. */
function shareOf(counts: { guessed: number; heldBack: number }): number | null {
  return counts.guessed > 0 ? (counts.guessed - counts.heldBack) / counts.guessed : null;
}

function thresholdOf(publication: Publication, label: string): number | null {
  const t = Object.hasOwn(publication.thresholds ?? {}, label) ? publication.thresholds[label] : null;
  return typeof t === 'number' && Number.isFinite(t) ? t : null;
}

/** `byLabel` when it has the shape evaluate writes (a metrics.json from elsewhere may not), else null. */
function byLabelOf(publication: Publication | null | undefined): PublicationByLabel | null {
  const counts: unknown = publication?.byLabel;
  if (!counts || typeof counts !== 'object' || Array.isArray(counts)) return null;
  const count = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n >= 0;
  const ok = Object.values(counts).every((c) => {
    const { guessed, heldBack } = (c ?? {}) as { guessed?: unknown; heldBack?: unknown };
    return count(guessed) && count(heldBack) && (heldBack as number) <= (guessed as number);
  });
  return ok ? (counts as PublicationByLabel) : null;
}
