import { labelList } from '../collection/vocabulary.ts';
import { collapsedAtBoundary } from '../evaluate/boundary.ts';
import { shellText } from '../init/invocation.ts';
import { oneLine } from '../log.ts';
import { num } from '../report/markdown.ts';
import type { VersionRecord } from './registry.ts';
import { type WithdrawnLabels, withdrawnLabelsAdvice } from './withdrawn-words.ts';
import { putBackSentences, withdrawnWords } from './words.ts';

/** Plain-text table of versions for `vitrine models list`. */
export function formatVersionList({ name, versions }: { name: string; versions: VersionRecord[] }): string {
  if (versions.length === 0)
    return `No version of ${name} is registered yet. A version is registered when a pull request that trains a model is merged.\n`;
  const rows = [...versions].reverse().map((v) => {
    const h = v.registration?.headline;
    return [
      v.version,
      v.stages.join(',') || (v.active ? '' : 'withdrawn'),
      v.createdAt.slice(0, 10),
      h ? score(h.accuracy) : '—',
      h ? score(h.macroF1) : '—',
      h ? String(h.n) : '—',
      v.registration?.lineage?.pullRequest ? `#${v.registration.lineage.pullRequest.number}` : '',
      v.commit.slice(0, 7),
    ];
  });
  const header = ['version', 'stage', 'date', 'accuracy', 'macro-F1', 'test objects', 'PR', 'commit'];
  const notes = [...versions].reverse().flatMap((v) => rollbackLines(v).map((line) => `${v.version}: ${line}`));
  return (
    table([header, ...rows]) +
    `\n${name}: ${versions.length} version${versions.length === 1 ? '' : 's'}.\n` +
    notes.map((n) => `${oneLine(n)}\n`).join('')
  );
}

/**
 * What rollbacks did to a version, as its card says it: withdrawn (when, why, what was put back) or put back (when,
 * in place of which, why). The table's stage column said only where versions are now (tester T10).
 */
function rollbackLines(v: VersionRecord): string[] {
  const lines: string[] = [];
  if (v.withdrawn) lines.push(`${withdrawnWords(v.withdrawn)} (${v.withdrawn.by} put back in its place)`);
  if (v.putBack) lines.push(putBackSentences(v.putBack));
  return lines;
}

/**
 * Detail of one version for `vitrine models show`. What the tags say is anyone's words (a tag written by hand, its
 * message or its JSON block): each line is shown with its control characters escaped, a line break too, so that no
 * value starts a line of its own ("::error::…" in a workflow's log) or recolours the screen.
 */
export function formatVersionDetail({ record }: { record: VersionRecord }): string {
  const r = record.registration;
  const lines = [
    `${record.name} ${record.version}${record.stages.length ? ` (${record.stages.join(', ')})` : ''}`,
    `  tag       ${record.tag} → commit ${record.commit}`,
    `  date      ${record.createdAt} by ${record.author}`,
    ...(record.withdrawn ? [`  withdrawn ${rollbackLines({ ...record, putBack: undefined })[0]}`] : []),
    ...(record.putBack ? [`  put back  ${rollbackLines({ ...record, withdrawn: undefined })[0]}`] : []),
  ];
  if (!r) {
    lines.push('  (registered by another tool: no Vitrine lineage)');
    if (record.message) lines.push(`  message   ${record.message}`);
    return `${lines.map(oneLine).join('\n')}\n`;
  }
  const l = r.lineage;
  lines.push(
    `  change    ${r.bump === 'first' ? 'first version' : `${r.bump} from ${r.previous}: ${r.reason}`}`,
    ...(record.sameModelAs
      ? [
          `  same as   ${record.sameModelAs}: the same model (same weights, types and image model), registered again ` +
            'as a new version',
        ]
      : []),
    `  scores    accuracy ${score(r.headline.accuracy)}, macro-F1 ${score(r.headline.macroF1)} ` +
      `(${macroF1Range(r.headline)}) on ${r.headline.n} test objects`,
    `  classes   ${labelList(r.headline.labels)}`,
    `  data      ${l.data.hash} (${l.data.source})`,
    `  labels    labels.csv md5 ${l.labels.md5}${l.labels.commit ? ` at commit ${l.labels.commit.slice(0, 7)}` : ''}`,
    `  params    md5 ${l.params.md5}`,
    `  code      ${l.code.commit ?? 'unknown'}`,
    `  backbone  ${l.backbone.id} from ${l.backbone.source} (${l.backbone.licence})`,
    `  backend   ${l.backend}, Node ${l.runtime.node}, ` +
      (l.runtime.packages.vitrine ? `Vitrine ${l.runtime.packages.vitrine}` : 'Vitrine version not recorded'),
    `  durations embedding ${secs(l.durations.embedMs)}, training ` +
      `${secs(l.durations.trainMs)}${l.durations.evaluateMs !== null ? `, evaluation ${secs(l.durations.evaluateMs)}` : ''}`,
    `  pull req. ${l.pullRequest ? `#${l.pullRequest.number}${l.pullRequest.url ? ` ${l.pullRequest.url}` : ''}` : 'unknown'}`,
    `  files     ${r.manifest.files.map((f) => `${f.relpath} (${f.size} bytes)`).join(', ')}`,
  );
  return `${lines.map(oneLine).join('\n')}\n`;
}

/**
 * The stored interval, unless it has no width at 0 or 1: versions registered before a perfect score got its
 * interval (pipeline/evaluate/boundary.ts) stored "1.000–1.000", which says nothing. The registration keeps no
 * per-class counts to work it out; the catalogue's model page does, from the card.
 */
function macroF1Range(h: { macroF1: number; macroF1Low: number; macroF1High: number }): string {
  if (collapsedAtBoundary({ value: h.macroF1, low: h.macroF1Low, high: h.macroF1High }))
    return 'no range recorded for this older version: its page in the catalogue gives it';
  return `95% interval ${score(h.macroF1Low)}–${score(h.macroF1High)}`;
}

/** A score as the pull-request report writes it (0.174), so the two can be compared at a glance. */
function score(x: number): string {
  return num(x, 3);
}

function secs(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Rows as columns of plain text, each cell on one line (what the tags say, escaped: formatVersionDetail). */
function table(cells: string[][]): string {
  const rows = cells.map((r) => r.map(oneLine));
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/**
 * What `models rollback` did, and what it did not: the public catalogue keeps the earlier annotations until
 * it is built and published again (a maintainer who rolls back from a computer expected the site to follow).
 * In a workflow (`inWorkflow`) only that: the rollback workflow builds and publishes in its next steps.
 */
export function formatRollback({
  result,
  inWorkflow = false,
  reason = '',
}: {
  result: {
    version: string;
    from: string | null;
    tag: string;
    annotated: number;
    withdrawnLabels?: WithdrawnLabels | null;
  };
  inWorkflow?: boolean;
  /** The rollback's --reason: the push command repeats it, so that a rollback done again keeps it. */
  reason?: string;
}): string {
  const done =
    `Model version ${result.version} is in production again (was ${result.from ?? 'none'}); tag ${result.tag}. ` +
    `${result.annotated} objects re-annotated in this copy of the repository.\n` +
    'The public catalogue still shows the earlier annotations until it is built and published again';
  const labels = result.withdrawnLabels ? `${withdrawnLabelsAdvice(result.withdrawnLabels)}\n` : '';
  if (inWorkflow) return `${done}.\n${labels}`;
  return (
    `${done}. Push the tags (npx vitrine models push --retry rollback:${result.version}` +
    `${reason ? ` --reason ${shellText(reason)}` : ''}: should another run have ` +
    'pushed tags meanwhile, it rolls back again on top of them), then build the catalogue (npx vitrine run catalogue) ' +
    'and publish ' +
    'it as you usually do. The "Roll back the production model" workflow on GitHub does all of this in one go, ' +
    'and publishes where catalogue.publish in params.yaml says (GitHub Pages, or your bucket).\n' +
    labels
  );
}
