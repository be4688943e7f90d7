import { createHash } from 'node:crypto';
import { readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  formatImportedPhotographs,
  IMPORTED_PHOTOGRAPHS,
  type ImportedPhotograph,
  parseImportedPhotographs,
} from '../collection/imported-photographs.ts';
import { isVitrineError, VitrineError } from '../errors.ts';
import { mergeBase, readCommitSummary, readTextAtCommit, resolveCommit } from '../git/history.ts';
import type { Logger } from '../log.ts';
import { objectLookup, objectPath, writeManifest, writeObjectBytes } from './cache.ts';
import { readDvcConfig } from './config.ts';
import { parseDvcFile, readDvcFile, writeDvcFile } from './dvcfile.ts';
import { hashTree, manifestHash, type TreeHash } from './hash.ts';
import { gitUnderway, mergeRecorded, notAMergeAdvice, noteMergeRecorded, operationWords } from './merge-state.ts';
import {
  addData,
  checkoutData,
  configuredRemote,
  listWords,
  loadManifest,
  pullData,
  type RemoteSource,
  stateFileOf,
} from './ops.ts';
import { movedRemoteWords } from './pushed.ts';

/*
 * `vitrine data merge`: a git merge that stopped on a conflict in data.dvc (two branches each recorded data/, as two
 * staff members adding photographs at once do). git cannot combine two folder hashes; the folder lists can be, file
 * by file against the commit both branches started from, as DVC's merge driver does: what either branch added,
 * removed or changed is kept. A file both changed, each in its own way, is for a person to decide (--keep).
 */

export interface MergeResult {
  /** Files of data/ taken from the other branch (added, changed or removed there), "data/…", sorted. */
  fromOther: string[];
  /** Files both branches changed differently, when --keep settled them. */
  conflicts: string[];
  /** data.dvc held the merge already (an earlier "data merge"): nothing was changed. */
  already?: boolean;
}

export async function mergeData({
  root,
  log,
  keep,
  target = 'data',
}: {
  root: string;
  log: Logger;
  /** For files both branches changed differently: this branch's version, or the other's. */
  keep?: 'ours' | 'theirs';
  target?: string;
}): Promise<MergeResult> {
  const absRoot = path.resolve(root);
  const dvcName = `${target}.dvc`;
  // A "git pull --rebase" stopped on data.dvc is no merge: said as what it is, with the way to a merge.
  const underway = await gitUnderway({ root: absRoot });
  if (underway && underway.operation !== 'merge')
    throw new VitrineError(
      'DATA_MERGE_REBASE',
      `Git is in the middle of ${operationWords(underway.operation)}, not a merge, so "npx vitrine data merge" ` +
        `cannot finish it. Nothing was changed. ${notAMergeAdvice(underway.operation)}`,
      { operation: underway.operation },
    );
  const other = await resolveCommit({ dir: absRoot, ref: 'MERGE_HEAD' }).catch((error: unknown) => {
    if (!isVitrineError(error, 'GIT_REF_UNKNOWN')) throw error;
    throw new VitrineError(
      'DATA_MERGE_NONE',
      `No git merge is under way here, so there is nothing to merge: "npx vitrine data merge" finishes a merge ` +
        `(git merge or git pull) that stopped on a conflict in ${dvcName}.`,
      {},
    );
  });
  const ours = await resolveCommit({ dir: absRoot, ref: 'HEAD' });
  const base = await mergeBase({ dir: absRoot, a: ours, b: other });
  const { cacheDir } = await readDvcConfig({ root: absRoot });
  const remote = configuredRemote({ root: absRoot, log });
  /** The bytes each commit's data.dvc records ("size:"), by commit. */
  const sizes = new Map<string, number>();
  /** The files data.dvc records at a commit, by path: fetched from the remote when this cache lacks the list. */
  const filesAt = async (commit: string | null, whose: string): Promise<Map<string, string>> => {
    const text = commit ? await readTextAtCommit({ dir: absRoot, commit, filepath: dvcName }) : null;
    if (text === null) return new Map();
    const out = parseDvcFile({ text, file: `${dvcName} at commit ${commit!.slice(0, 7)}`, target }).outs[0];
    if (out?.size !== undefined) sizes.set(commit!, out.size);
    if (!out?.md5.endsWith('.dir'))
      throw new VitrineError(
        'DATA_MERGE_UNSUPPORTED',
        `${dvcName} at commit ${commit!.slice(0, 7)} records a single file, not the folder ${target}/: merge it by ` +
          'hand (keep one of the two versions, then "npx vitrine data checkout").',
        { commit },
      );
    const entries = await loadManifest({ cacheDir, md5: out.md5, remote, target }).catch(async (error: unknown) => {
      if (!isVitrineError(error, 'REMOTE_OBJECT_MISSING')) throw error;
      throw await listNotOnRemote({ root: absRoot, commit: commit!, whose, dvcName, error });
    });
    return new Map(entries.map((e) => [e.relpath, e.md5]));
  };
  const was = await filesAt(base, 'the commit both branches started from');
  const mine = await filesAt(ours, 'this branch’s commit');
  const theirs = await filesAt(other, 'the other branch’s commit');
  // data/.imported-photographs.json, which each branch's import wrote whole, is combined entry by entry: never a
  // conflict for staff (imported-photographs.ts).
  const records = await importedRecords({ was, mine, theirs, cacheDir, remote });
  const merging = (side?: 'ours' | 'theirs') =>
    settleImportedPhotographs({ combined: combine({ was, mine, theirs, keep: side, target }), mine, records, target });
  const { merged, fromOther, conflicts, record } = merging(keep);

  // Run again, after a merge written already (or resolved by hand as it would be): said so, with what is left to do.
  const dvcFile = path.join(absRoot, dvcName);
  const recorded = await readDvcFile({ file: dvcFile }).then(
    (parsed) => parsed.outs[0]?.md5,
    () => undefined,
  );
  const either = new Set((['ours', 'theirs'] as const).map((side) => manifestHash(entriesOf(merging(side).merged))));
  if (
    recorded &&
    (either.has(recorded) || (await mergeRecorded({ root: absRoot, target, ours, other, md5: recorded })))
  ) {
    await noteMergeRecorded({ root: absRoot, target, ours, other, md5: recorded });
    return mergedAlready({ root: absRoot, log, md5: recorded, cacheDir, remote, target });
  }

  // data/ must be this branch's record: a change not recorded would be lost, or recorded as the other branch's.
  // Files as the other branch records them are no change of this branch's (data/ filled from a data.dvc resolved by
  // hand, by DVC or a Vitrine that did not refuse): the merge puts its own files there, and loses nothing as long as
  // what it replaces or removes is in the cache.
  const dir = path.join(absRoot, target);
  const tree = await hashTree({ dir, root: absRoot, stateFile: stateFileOf(absRoot), log });
  const now = new Map(tree.entries.map((e) => [e.relpath, e.md5]));
  const changed = [...new Set([...now.keys(), ...mine.keys()])].filter((p) => now.get(p) !== mine.get(p));
  const inCache = changed.length > 0 ? await objectLookup(cacheDir) : () => false;
  const asTheirs = new Set(
    changed.filter((p) => {
      const here = now.get(p);
      return here === theirs.get(p) && (here === undefined || here === merged.get(p) || inCache(here));
    }),
  );
  const differ = changed.filter((p) => !asTheirs.has(p));
  if (differ.length > 0)
    throw new VitrineError(
      'DATA_MERGE_UNRECORDED',
      `${target}/ holds changes that this branch’s ${dvcName} does not record: ` +
        `${listWords(differ.map((p) => `${target}/${p}`).sort(), { max: 5 })}. Nothing was changed. First run ` +
        `"git merge --abort" (it puts this branch back as it was before the merge; ${target}/ is left as it is). ` +
        `Then, to keep the changes, run "npx vitrine data add", then commit ${dvcName}; to drop them, run ` +
        '"npx vitrine data checkout --force". Then merge again (git pull --no-rebase, or git merge <branch>) and run ' +
        '"npx vitrine data merge".',
      { files: differ.map((p) => `${target}/${p}`) },
    );

  const objects = `${target}/objects.csv`;
  if (conflicts.length > 0 && !keep) {
    const one = conflicts.length === 1;
    throw new VitrineError(
      'DATA_MERGE_CONFLICT',
      `Both branches changed ${listWords(conflicts, { max: 10 })}, each in its own way, so Vitrine cannot tell ` +
        `which to keep. Nothing was changed. Run "npx vitrine data merge --keep ours" to keep this branch’s ` +
        `version of ${one ? 'it' : 'them'}, or "npx vitrine data merge --keep theirs" to keep the other branch’s.` +
        // Each branch's import wrote the whole table: either one alone lacks the other branch's objects.
        (conflicts.includes(objects)
          ? ` But ${objects} is the table of the collection’s objects, and each branch’s import wrote its own: ` +
            'keeping one table drops the objects only the other branch’s table lists. To combine them, keep either, ' +
            'then run "npx vitrine import" again with an export that has every object (or merge the rows of both ' +
            `tables by hand into ${objects}), then "npx vitrine data add", and commit ${dvcName}.`
          : ''),
      { files: conflicts },
    );
  }

  // data/ is this branch's record: what the other branch removed goes, then the record is written and checked out.
  for (const relpath of new Set([...fromOther.map((f) => f.slice(target.length + 1)), ...asTheirs]))
    if (!merged.has(relpath)) await rm(path.join(absRoot, target, ...relpath.split('/')), { force: true });
  if (asTheirs.size > 0) {
    const one = asTheirs.size === 1;
    log.info(
      `${listWords([...asTheirs].map((p) => `${target}/${p}`).sort(), { max: 5 })} ${one ? 'was' : 'were'} as the ` +
        `other branch records ${one ? 'it' : 'them'}, not as this branch does (${target}/ filled from a ${dvcName} ` +
        'resolved by hand?): the merge puts the files of both branches there.',
    );
  }
  // The combined record, in the cache for the checkout below to put in data/ (and "data push" to send).
  if (record) await writeObjectBytes({ base: cacheDir, md5: record.md5, bytes: record.bytes });
  const entries = entriesOf(merged);
  const md5 = await writeManifest({ cacheDir, entries });
  // Whole, as "data add" writes it: filling data/ may stop (a photograph not on the remote) before the add after it.
  const size = await mergedSize({ merged, tree, cacheDir, theirs, theirsSize: sizes.get(other) });
  await writeDvcFile({
    file: dvcFile,
    outs: [{ md5, ...(size === undefined ? {} : { size }), nfiles: entries.length, hash: 'md5', path: target }],
  });
  // From here data.dvc is the merge: "data add" records over it again (this one's, then any later one's).
  await noteMergeRecorded({ root: absRoot, target, ours, other, md5 });
  const held = await objectLookup(cacheDir);
  try {
    if (entries.some((e) => !held(e.md5))) await pullData({ root: absRoot, log });
    else await checkoutData({ root: absRoot, log });
  } catch (error) {
    if (!(error instanceof VitrineError)) throw error;
    // The merge itself is done: what is left is to fill data/, which "data merge" run again says too.
    throw new VitrineError(
      error.code,
      `The merge of both branches is written in ${dvcName}, but filling ${target}/ stopped: ${error.message} ` +
        `When ${target}/ is filled, commit ${dvcName} to finish the merge (git add ${dvcName}, then git commit).`,
      error.data,
      { cause: error },
    );
  }
  // Recorded from data/ as it now is: the size, as "data add" writes it.
  await addData({ root: absRoot, log, written: true });

  if (keep && conflicts.includes(objects)) {
    const kept = keep === 'theirs' ? 'the other branch’s' : 'this branch’s';
    const dropped = keep === 'theirs' ? 'this branch’s' : 'the other branch’s';
    const lost = await rowsDropped({
      cacheDir,
      from: (keep === 'theirs' ? mine : theirs).get('objects.csv'),
      kept: merged.get('objects.csv'),
    });
    log.warn(
      `${objects}: both branches changed it, and ${kept} table was kept (--keep ${keep})` +
        (lost
          ? `: ${lost === 1 ? `1 row of ${dropped} table is` : `${lost} rows of ${dropped} table are`} not in it`
          : '') +
        `, so objects only ${dropped} table listed are gone from it. To combine them, run "npx vitrine import" again ` +
        `with an export that has every object (or merge the rows by hand into ${objects}), then "npx vitrine data ` +
        `add", before committing ${dvcName}.`,
      { file: objects },
    );
  }

  const counted = (n: number, what: string) => (n > 0 ? [`${n} ${what}`] : []);
  const added = fromOther.filter((f) => !mine.has(f.slice(target.length + 1))).length;
  const removed = fromOther.filter((f) => !merged.has(f.slice(target.length + 1))).length;
  const parts = [
    ...counted(added, 'added'),
    ...counted(fromOther.length - added - removed, 'changed'),
    ...counted(removed, 'removed'),
  ];
  const taken = parts.length > 0 ? `from the other branch, ${listWords(parts, { max: 3 })}` : 'nothing differed';
  log.info(
    `${target}/ now holds the photographs of both branches: ${taken}. Commit ${dvcName} to finish the merge: ` +
      `git add ${dvcName}, then git commit.`,
  );
  return { fromOther: fromOther.sort(), conflicts };
}

/**
 * The three folder lists combined file by file, against the commit both branches started from: a side that left a
 * file as it was takes the other's; a file both changed differently is a conflict, settled by `keep` when given.
 */
function combine({
  was,
  mine,
  theirs,
  keep,
  target,
}: {
  was: Map<string, string>;
  mine: Map<string, string>;
  theirs: Map<string, string>;
  keep?: 'ours' | 'theirs';
  target: string;
}): { merged: Map<string, string>; fromOther: string[]; conflicts: string[] } {
  const merged = new Map(mine);
  const fromOther: string[] = [];
  const conflicts: string[] = [];
  for (const file of new Set([...was.keys(), ...mine.keys(), ...theirs.keys()])) {
    const [b, o, t] = [was.get(file), mine.get(file), theirs.get(file)];
    if (o === t || t === b) continue;
    if (o !== b) {
      conflicts.push(`${target}/${file}`);
      if (keep !== 'theirs') continue;
    }
    fromOther.push(`${target}/${file}`);
    if (t === undefined) merged.delete(file);
    else merged.set(file, t);
  }
  return { merged, fromOther, conflicts: conflicts.sort() };
}

/** The three versions of data/.imported-photographs.json (base, this branch, the other), when both branches changed it. */
interface ImportedRecords {
  was: Map<string, ImportedPhotograph>;
  mine: Map<string, ImportedPhotograph>;
  theirs: Map<string, ImportedPhotograph>;
}

/**
 * The three versions of data/.imported-photographs.json, read from the cache (fetched from the remote when this
 * computer lacks the other branch's); undefined when the branches did not both change it. A version that cannot be
 * read or fetched counts as empty: its entries are dropped, and those photographs are told apart by their path alone,
 * as in a repository imported before the record was kept.
 */
async function importedRecords({
  was,
  mine,
  theirs,
  cacheDir,
  remote,
}: {
  was: Map<string, string>;
  mine: Map<string, string>;
  theirs: Map<string, string>;
  cacheDir: string;
  remote: RemoteSource;
}): Promise<ImportedRecords | undefined> {
  const [b, o, t] = [was, mine, theirs].map((side) => side.get(IMPORTED_PHOTOGRAPHS));
  if (o === t || t === b || o === b) return undefined;
  const read = async (md5: string | undefined): Promise<Map<string, ImportedPhotograph>> => {
    if (!md5) return new Map();
    const file = objectPath(cacheDir, md5);
    try {
      return parseImportedPhotographs(await readFile(file, 'utf8'));
    } catch {
      // Not in this cache (the other branch's, not pulled yet), or damaged here: the remote's copy.
    }
    try {
      const from = typeof remote === 'function' ? await remote() : remote;
      if (!from) return new Map();
      await from.get({ md5, file });
      return parseImportedPhotographs(await readFile(file, 'utf8'));
    } catch (error) {
      if (error instanceof VitrineError || error instanceof SyntaxError) return new Map();
      if ((error as NodeJS.ErrnoException).code) return new Map();
      throw error;
    }
  };
  return { was: await read(b), mine: await read(o), theirs: await read(t) };
}

/**
 * The combined folder lists, with data/.imported-photographs.json combined entry by entry when both branches changed
 * it (`records`): an object's entry that one branch left as it was takes the other's; one both changed, each in its
 * own way (both imported it), keeps the entry whose MD5 the merged list records for that photograph, and none when
 * neither does (the photograph is then told apart by its path alone). The file is then no conflict; `record` is its
 * combined text, to put in the cache.
 */
function settleImportedPhotographs({
  combined,
  mine,
  records,
  target,
}: {
  combined: { merged: Map<string, string>; fromOther: string[]; conflicts: string[] };
  mine: Map<string, string>;
  records: ImportedRecords | undefined;
  target: string;
}): {
  merged: Map<string, string>;
  fromOther: string[];
  conflicts: string[];
  record?: { md5: string; bytes: Buffer };
} {
  if (!records) return combined;
  const { merged } = combined;
  const same = (x?: ImportedPhotograph, y?: ImportedPhotograph) =>
    x?.image === y?.image && x?.md5 === y?.md5 && x?.kept === y?.kept;
  const out = new Map<string, ImportedPhotograph>();
  for (const id of new Set([...records.mine.keys(), ...records.theirs.keys()])) {
    const [b, o, t] = [records.was.get(id), records.mine.get(id), records.theirs.get(id)];
    const kept = same(o, t) || same(t, b) ? o : same(o, b) ? t : [o, t].find((e) => e && merged.get(e.image) === e.md5);
    if (kept) out.set(id, kept);
  }
  const bytes = Buffer.from(formatImportedPhotographs(out));
  const md5 = createHash('md5').update(bytes).digest('hex');
  const name = `${target}/${IMPORTED_PHOTOGRAPHS}`;
  merged.set(IMPORTED_PHOTOGRAPHS, md5);
  const fromOther = combined.fromOther.filter((f) => f !== name);
  if (md5 !== mine.get(IMPORTED_PHOTOGRAPHS)) fromOther.push(name);
  return { merged, fromOther, conflicts: combined.conflicts.filter((f) => f !== name), record: { md5, bytes } };
}

/**
 * The bytes of the merged folder, as "data add" records them: each file's size from data/ (this branch's, as
 * checked) or from the cache; the other branch's files this computer does not hold yet count as what that branch's
 * data.dvc records ("size:") less its files known here. Undefined when that cannot tell (the other branch's data.dvc
 * has no size, or a file of it that the merge leaves out is not here either): "data add" writes it once data/ is
 * filled.
 */
async function mergedSize({
  merged,
  tree,
  cacheDir,
  theirs,
  theirsSize,
}: {
  merged: Map<string, string>;
  tree: TreeHash;
  cacheDir: string;
  theirs: Map<string, string>;
  theirsSize?: number;
}): Promise<number | undefined> {
  const known = new Map(tree.entries.map((e) => [e.md5, e.size]));
  const sizeOf = async (md5: string): Promise<number | undefined> => {
    if (!known.has(md5))
      await stat(objectPath(cacheDir, md5)).then(
        (info) => known.set(md5, info.size),
        () => undefined,
      );
    return known.get(md5);
  };
  let total = 0;
  const absent = new Set<string>();
  for (const [relpath, md5] of merged) {
    const size = await sizeOf(md5);
    if (size === undefined) absent.add(relpath);
    else total += size;
  }
  if (absent.size === 0) return total;
  // What is not here is the other branch's (this branch's files are in data/): its total, less what is known of it.
  if (theirsSize === undefined) return undefined;
  let rest = theirsSize;
  for (const [relpath, md5] of theirs) {
    if (absent.has(relpath) && merged.get(relpath) === md5) continue;
    const size = await sizeOf(md5);
    if (size === undefined) return undefined;
    rest -= size;
  }
  return rest >= 0 ? total + rest : undefined;
}

function entriesOf(files: Map<string, string>): { relpath: string; md5: string }[] {
  return [...files].map(([relpath, md5]) => ({ relpath, md5 })).sort((a, b) => (a.relpath < b.relpath ? -1 : 1));
}

/**
 * data.dvc holds the merge already ("data merge" ran, or the conflict was resolved by hand as it would be): data/ is
 * compared with it, and the user told to commit it, or what is left to fill data/ first.
 */
async function mergedAlready({
  root,
  log,
  md5,
  cacheDir,
  remote,
  target,
}: {
  root: string;
  log: Logger;
  md5: string;
  cacheDir: string;
  remote: RemoteSource;
  target: string;
}): Promise<MergeResult> {
  const dvcName = `${target}.dvc`;
  const recorded = new Map((await loadManifest({ cacheDir, md5, remote, target })).map((e) => [e.relpath, e.md5]));
  const dir = path.join(root, target);
  const tree = await hashTree({ dir, root, stateFile: stateFileOf(root), log }).catch((error: unknown) => {
    if (isVitrineError(error, 'DATA_MISSING')) return { entries: [] };
    throw error;
  });
  const now = new Map(tree.entries.map((e) => [e.relpath, e.md5]));
  const shown = (files: string[]) => listWords(files.map((f) => `${target}/${f}`).sort(), { max: 5 });
  const absent = [...recorded.keys()].filter((f) => !now.has(f));
  const changed = [...recorded.keys()].filter((f) => now.has(f) && now.get(f) !== recorded.get(f));
  const extra = [...now.keys()].filter((f) => !recorded.has(f));
  const already = `${dvcName} already holds the merge of both branches (no conflict is left in it)`;
  const commit = `commit ${dvcName} (git add ${dvcName}, then git commit)`;
  if (absent.length === 0 && changed.length === 0 && extra.length === 0) {
    log.info(
      `${already}, and ${target}/ matches it. Commit ${dvcName} to finish the merge: git add ${dvcName}, then ` +
        'git commit.',
    );
    return { fromOther: [], conflicts: [], already: true };
  }
  const are = (files: string[]) => (files.length === 1 ? 'is' : 'are');
  const lacks = [
    ...(absent.length > 0 ? [`${shown(absent)} ${are(absent)} not in ${target}/`] : []),
    ...(changed.length > 0 ? [`${shown(changed)} ${are(changed)} not as it records`] : []),
  ];
  throw new VitrineError(
    'DATA_MERGE_NOT_FILLED',
    `${already}, but ${target}/ does not match it yet: ` +
      (lacks.length > 0
        ? `${listWords(lacks)}. Nothing was changed. Run "npx vitrine data pull" to finish filling ${target}/ ` +
          '(should it say photographs are missing on the remote, whoever added them must run "npx vitrine data push" ' +
          `first), then ${commit}.`
        : '') +
      (extra.length > 0
        ? `${lacks.length > 0 ? ' ' : ''}${shown(extra)} ${are(extra)} in ${target}/ and not in ${dvcName}` +
          `${lacks.length > 0 ? '' : '. Nothing was changed'}: to make ${extra.length === 1 ? 'it' : 'them'} part of ` +
          `the merge, run "npx vitrine data add"; to drop ${extra.length === 1 ? 'it' : 'them'}, ` +
          `"npx vitrine data checkout --force"${lacks.length > 0 ? '' : `; then ${commit}`}.`
        : ''),
    { absent: absent.map((f) => `${target}/${f}`), changed: changed.map((f) => `${target}/${f}`) },
  );
}

/** The folder list of a commit is not on the remote: that commit named, and who is to push it. */
async function listNotOnRemote({
  root,
  commit,
  whose,
  dvcName,
  error,
}: {
  root: string;
  commit: string;
  whose: string;
  dvcName: string;
  error: VitrineError;
}): Promise<VitrineError> {
  const subject = await readCommitSummary({ dir: root, commit }).then(
    (c) => c.message.split('\n')[0]!.trim(),
    () => '',
  );
  const remote = String(error.data.remote ?? '');
  return new VitrineError(
    'REMOTE_OBJECT_MISSING',
    `The folder list of ${dvcName} at ${whose} ${commit.slice(0, 7)}${subject ? ` ("${subject}")` : ''} is not on ` +
      `the remote "${remote}" (object ${String(error.data.object)}): whoever made that commit has not run ` +
      '"npx vitrine data push", or it did not finish. Nothing was changed. Ask them to run it, then run ' +
      `"npx vitrine data merge" again. ${movedRemoteWords(remote)}`,
    { ...error.data, commit },
    { cause: error },
  );
}

/** How many lines of the table `from` (an object's id in the cache) the table `kept` lacks; 0 when unreadable. */
async function rowsDropped({
  cacheDir,
  from,
  kept,
}: {
  cacheDir: string;
  from?: string;
  kept?: string;
}): Promise<number> {
  if (!from || !kept) return 0;
  try {
    const lines = async (md5: string) =>
      (await readFile(objectPath(cacheDir, md5), 'utf8')).split(/\r?\n/).filter(Boolean);
    const have = new Set(await lines(kept));
    return (await lines(from)).filter((line) => !have.has(line)).length;
  } catch {
    return 0;
  }
}
