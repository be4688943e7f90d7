import { writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { readBaseLabels, renumberedFor } from '../../pipeline/evaluate/base-labels.ts';
import { labelLossOf, MOST_REMOVED_CHECK, withLabelLossCheck } from '../../pipeline/evaluate/gate.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { workspace } from '../../pipeline/paths.ts';
import { gitIn } from '../fixtures/git.ts';
import { tempDir } from '../fixtures/temp.ts';

/*
 * Reviewer V21 (F3): renumbered objects are matched with their old numbers from the base's data in the local DVC
 * cache. When the cache lacks it, nothing was matched and only the log's detail said so: a pull request that only
 * renumbers objects could fail "no more than half of the labels removed" with no word why. Plain functions over a
 * real git repository whose base data.dvc records a folder list this computer does not have.
 */

const vocabulary = ['coin', 'mask'];
const csv = (rows: string[][]) => `object_id,label\n${rows.map((r) => r.join(',')).join('\n')}\n`;
const old = ['DM-0011', 'DM-0012', 'DM-0013', 'DM-0014', 'DM-0015', 'DM-0016'];
const labelOf = (i: number) => (i % 2 === 0 ? 'coin' : 'mask');
const dvc = `outs:\n- md5: ${'b'.repeat(32)}.dir\n  nfiles: 7\n  path: data\n`;

async function run({
  renumber,
  deleted = 0,
  dataDvc = true,
}: {
  renumber: number;
  /** The last objects taken out of the collection (no line in labels.csv, not in the dataset). */
  deleted?: number;
  dataDvc?: boolean;
}) {
  // The last two objects lose their labels.
  const kept = (i: number) => i < old.length - 2;
  const ws = workspace(await tempDir('vitrine-renumbered-unchecked-'));
  const git = gitIn({ root: ws.root });
  git('init', '-q', '-b', 'main');
  await writeFile(ws.params, 'collection:\n  vocabulary: [coin, mask]\n');
  await writeFile(ws.labels, csv(old.map((id, i) => [id, labelOf(i)])));
  if (dataDvc) await writeFile(`${ws.root}/data.dvc`, dvc);
  git('add', '.');
  git('commit', '-qm', 'Collection');
  const commit = git('rev-parse', 'HEAD').trim();
  // The first `renumber` objects take new numbers, with their labels and photographs.
  const now = old.slice(0, old.length - deleted).map((id, i) => (i < renumber ? id.replace('-0', '-1') : id));
  await writeFile(ws.labels, csv(now.flatMap((id, i) => (kept(i) ? [[id, labelOf(i)]] : []))));
  git('commit', '-qam', 'Renumber objects');
  const log = memoryLogger();
  const objects = now.map((id, i) => ({ id, imageMd5: `${i}`.padStart(32, 'a') }));
  const labelled = new Map(now.flatMap((id, i) => (kept(i) ? [[id, labelOf(i)] as const] : [])));
  const read = await readBaseLabels({
    ws,
    env: {},
    source: { ref: 'main', commit },
    objectIds: new Set(now),
    vocabulary,
    now: labelled,
    renumbered: renumberedFor({ ws, objects, log }),
    log,
  });
  const loss = labelLossOf({ ref: 'main', base: read!.labelOf, now: labelled, vocabulary });
  const gate = withLabelLossCheck({ gate: { passed: true, checks: [] }, loss, unmatched: read!.unmatched });
  const warnings = log.lines.filter((l) => l.level === 'warn').map((l) => l.message);
  return { read: read!, gate, warnings, commit };
}

describe('renumbered objects, when the base data is not on this computer', () => {
  it('says in the log and in the failed label check that renumbering could not be checked, and how to fetch it', async () => {
    // Three renumbered and two labels taken out of six: read for today's numbers only, 2 of 3 removed.
    const { read, gate, warnings, commit } = await run({ renumber: 3 });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('(taken out of the collection, or renumbered) could not be checked for a new number');
    expect(warnings[0]).toContain('the data of main is not on the computer that ran this');
    expect(warnings[0]).toContain(`"git checkout ${commit.slice(0, 12)} data.dvc"`);
    expect(warnings[0]).toContain('"git checkout HEAD data.dvc"');
    expect(warnings[0]).toContain('npx vitrine data pull');
    expect(read.unmatched).toBe(warnings[0]);
    const check = gate.checks.find((c) => c.name === MOST_REMOVED_CHECK);
    expect(check?.passed).toBe(false);
    expect(check?.detail).toContain(warnings[0]!.replace(/\.$/, ''));
  });

  it('says nothing when every object labelled at the base keeps its number', async () => {
    const { read, warnings } = await run({ renumber: 0 });
    expect(warnings).toEqual([]);
    expect(read.unmatched).toBeNull();
  });

  it('never says objects were renumbered when they were only taken out of the collection', async () => {
    const { warnings } = await run({ renumber: 0, deleted: 2 });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).not.toMatch(/^Renumbered/);
    expect(warnings[0]).toMatch(
      /^Objects whose numbers are gone since main \(taken out of the collection, or renumbered\)/,
    );
  });

  it('says nothing when the base records no data folder at all', async () => {
    const { read, warnings } = await run({ renumber: 3, dataDvc: false });
    expect(warnings).toEqual([]);
    expect(read.unmatched).toBeNull();
  });
});
