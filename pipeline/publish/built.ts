import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { ImageRule, ImageRules } from '../catalogue/image-rules.ts';
import { type UnfinishedSiteBuild, unfinishedSiteBuild } from '../catalogue/index.ts';
import { RIGHTS_READING } from '../catalogue/rights.ts';
import { listWords, stateFileOf } from '../data/ops.ts';
import { VitrineError } from '../errors.ts';
import type { Clock, Logger } from '../log.ts';
import type { Params } from '../params.ts';
import { rel, type Workspace } from '../paths.ts';
import { CATALOGUE_CODE, type CatalogueLocation, catalogueLocation, catalogueStage } from '../stages/catalogue.ts';
import { canonicalJson, type LockEntry, readLock, stageDeps } from '../stages/graph.ts';
import { builtFor } from './built-base.ts';

export { builtSiteBase } from './built-base.ts';

/*
 * Before `vitrine publish` sends .vitrine/site, what the site was built for is compared with params.yaml as it is
 * now. The catalogue stage's entry in .vitrine/lock.json records it: the base path and address (its fingerprint) and
 * every input it read. A site built for another base links every page to the old place (a tester moved the site from
 * /collection/ to /museum/ and was offered 702 pages linking to /collection/): refused. A site older than the labels
 * or the model is still a working site, and a workflow may mean to publish it: a warning.
 *
 * Before all that, a site whose build did not finish is refused (a tester killed the catalogue stage as its first
 * object page changed: new pages beside the old search index were published, labelled as older than the model), and
 * so is a site built by a run stopped before lock.json recorded it: what it was built from is not known. The build
 * says so in a marker beside the site (UnfinishedSiteBuild), which costs nothing to read at any size; comparing the
 * site with the hash lock.json records would stat every file (800,000 at 100,000 objects) and, on a runner whose
 * restored cache changed the files' times, read them all twice.
 */

/** Settings of the catalogue section that only `vitrine publish` reads: changing them needs no new build. */
const PUBLISH_ONLY = ['publish', 's3'];

/**
 * Refuse a built site whose build did not finish or was not recorded (PUBLISH_SITE_UNFINISHED), or made for another
 * catalogue.base or catalogue.site than params.yaml (or VITRINE_CATALOGUE_BASE / _SITE) says now
 * (PUBLISH_SITE_BUILT_FOR_OTHER); warn when what it was built from changed since. A site that lock.json does not
 * record (lock.json deleted, a site copied in from elsewhere) is refused too (PUBLISH_SITE_NOT_RECORDED): what base
 * path it was built for cannot be checked, and one built for `/` sent to `collection/` breaks every link. A folder
 * with no index.html is left to the publish itself.
 */
export async function checkBuiltSite({
  ws,
  params,
  env,
  log,
  clock,
}: {
  ws: Workspace;
  params: Params;
  env: Record<string, string | undefined>;
  log: Logger;
  clock: Clock;
}): Promise<void> {
  const unfinished = await unfinishedSiteBuild(ws);
  if (unfinished) throw unfinishedBuild({ ws, unfinished });
  if (!(await stat(path.join(ws.site, 'index.html')).catch(() => null))?.isFile()) return;
  const lock = await readLock({ file: ws.lock });
  const entry = lock.stages.catalogue;
  if (!entry) throw notRecorded({ ws, lockExists: existsSync(ws.lock) });
  const now = catalogueLocation({ params, env });
  refuseOtherPlace({ ws, built: builtFor(entry), now, env });
  refuseLooserImages({ ws, entry, now: params.catalogue.images });
  refuseOtherRightsReading({ ws, entry });
  const ctx = { ws, params, env, log, clock };
  const deps = await stageDeps({ ctx, stage: catalogueStage, lock, stateFile: stateFileOf(ws.root) });
  const changed = changedInputs({ previous: entry.deps, deps });
  if (changed.length === 0) return;
  const when = onDay(entry.ranAt);
  log.warn(
    `The built site (${rel(ws, ws.site)}) is older than ${listWords(changed)}: it was built${when}, before ` +
      `${changed.length === 1 ? 'that' : 'those'} changed, and is published as it is. To publish the changes too, run ` +
      '"npx vitrine run catalogue" first, then publish again.',
  );
}

/** " on 2026-12-01 at 10:00 UTC" for an ISO time, '' for anything else. */
function onDay(time: string | undefined): string {
  return time && /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(time) ? ` on ${time.slice(0, 16).replace('T', ' at ')} UTC` : '';
}

/** The refusal of a site that a catalogue build left unfinished, or finished without lock.json recording it. */
function unfinishedBuild({ ws, unfinished }: { ws: Workspace; unfinished: UnfinishedSiteBuild }): VitrineError {
  const site = rel(ws, ws.site);
  const again = 'Nothing was uploaded. Run "npx vitrine run catalogue" again, then publish.';
  const data = { site, started: unfinished.started, finished: unfinished.finished ?? null };
  if (unfinished.finished !== undefined)
    return new VitrineError(
      'PUBLISH_SITE_UNFINISHED',
      `The built site (${site}) is from a catalogue build that ${rel(ws, ws.lock)} does not record: the build ` +
        `finished${onDay(unfinished.finished)}, but the run stopped before it could record what the site was built ` +
        `from, so the site cannot be checked. ${again}`,
      data,
    );
  return new VitrineError(
    'PUBLISH_SITE_UNFINISHED',
    `The built site (${site}) is from a catalogue build that did not finish: it began putting its pages in the ` +
      `site${onDay(unfinished.started)} and stopped before the end (or is still running), so the site may mix ` +
      `pages of that build with the search index and pages of the one before. ${again}`,
    data,
  );
}

/** The refusal of a site whose build .vitrine/lock.json does not record: what it was built for is not known. */
function notRecorded({ ws, lockExists }: { ws: Workspace; lockExists: boolean }): VitrineError {
  const site = rel(ws, ws.site);
  const lock = rel(ws, ws.lock);
  const why = lockExists ? `${lock} has no record of the catalogue build that made it` : `${lock} is missing`;
  return new VitrineError(
    'PUBLISH_SITE_NOT_RECORDED',
    `The built site (${site}) cannot be checked: ${why}, so which base path and address (catalogue.base, ` +
      'catalogue.site) it was built for is not known, and a site built for another place links every page there. ' +
      'Nothing was uploaded: run "npx vitrine run catalogue" first (or "npx vitrine run catalogue --single" to ' +
      'rebuild the catalogue alone, without training), then publish.',
    { site, lock, lockExists },
  );
}

function refuseOtherPlace({
  ws,
  built,
  now,
  env,
}: {
  ws: Workspace;
  built: CatalogueLocation;
  now: CatalogueLocation;
  env: Record<string, string | undefined>;
}): void {
  const setting = (variable: string, key: string) =>
    env[variable]?.trim() ? `${variable} is` : `${key} in params.yaml is now`;
  const address = (site: string) => (site ? `the address ${site}` : 'no address');
  const was: string[] = [];
  const is: string[] = [];
  if (built.base !== now.base) {
    was.push(built.base);
    is.push(`${setting('VITRINE_CATALOGUE_BASE', 'catalogue.base')} ${now.base}`);
  }
  if (built.site !== now.site) {
    was.push(address(built.site));
    is.push(`${setting('VITRINE_CATALOGUE_SITE', 'catalogue.site')} ${now.site || 'empty'}`);
  }
  if (was.length === 0) return;
  const site = rel(ws, ws.site);
  throw new VitrineError(
    'PUBLISH_SITE_BUILT_FOR_OTHER',
    `The built site (${site}) is for ${was.join(' and ')}, but ${is.join(', and ')}: its links would point to the ` +
      'old place. Run "npx vitrine run catalogue" first (or "npx vitrine run catalogue --single" to rebuild the ' +
      'catalogue alone, without training), then publish.',
    { file: 'params.yaml', built, now },
  );
}

/** What the catalogue read that differs from its last build, in plain words; publish-only settings left out. */
function changedInputs({ previous, deps }: { previous: LockEntry['deps']; deps: LockEntry['deps'] }): string[] {
  const words = new Set<string>();
  for (const [file, hash] of Object.entries(deps.paths))
    if (previous.paths[file] !== undefined && previous.paths[file] !== hash) words.add(FILE_WORDS[file] ?? file);
  for (const [key, value] of Object.entries(deps.params)) {
    if (!(key in previous.params)) continue;
    const built = key === 'catalogue' ? withoutPublish(previous.params[key]) : previous.params[key];
    const current = key === 'catalogue' ? withoutPublish(value) : value;
    if (canonicalJson(built) !== canonicalJson(current)) words.add(`the ${key} settings in params.yaml`);
  }
  for (const [stage, hash] of Object.entries(deps.stages))
    if (previous.stages[stage] !== undefined && previous.stages[stage] !== hash) words.add(STAGE_WORDS[stage] ?? stage);
  // An upgrade of Vitrine that changed how pages are made (helper P2): the site was made by the old code.
  const code = (extra: unknown) => canonicalJson((extra as Record<string, unknown> | null)?.[CATALOGUE_CODE] ?? null);
  if (code(previous.extra) !== code(deps.extra))
    words.add(`${CATALOGUE_CODE} (an upgrade of Vitrine changed how pages are made)`);
  return [...words];
}

const FILE_WORDS: Record<string, string> = {
  '.vitrine/registry': 'the production model',
  '.vitrine/monitor': 'the drift check',
  'site/src': "the site's templates (site/)",
  'site/astro.config.mjs': "the site's templates (site/)",
};

const STAGE_WORDS: Record<string, string> = {
  dataset: 'the objects and their labels (the dataset stage)',
  promote: 'the production model',
};

function withoutPublish(section: unknown): unknown {
  if (!section || typeof section !== 'object') return section;
  return Object.fromEntries(Object.entries(section).filter(([key]) => !PUBLISH_ONLY.includes(key)));
}

const STRICTNESS: Record<ImageRule, number> = { full: 0, thumbnail: 1, none: 2 };

/**
 * Refuse a site built while catalogue.images showed more of the photographs than params.yaml says now (reviewer V13):
 * a museum that set `in_copyright: none` after a rights holder asked, or upgraded to a Vitrine that shows works in
 * copyright small, would otherwise upload the old site's full photographs, tiles and IIIF manifests of those works.
 * A build recorded before the setting existed showed every photograph in full. A site that shows less than the
 * settings allow is only older (the warning of changed settings says so).
 */
function refuseLooserImages({ ws, entry, now }: { ws: Workspace; entry: LockEntry; now: ImageRules }): void {
  const section = ((entry.deps?.params as Record<string, unknown> | undefined)?.catalogue ?? {}) as {
    images?: Partial<Record<keyof ImageRules, unknown>>;
  };
  const recorded = section.images ?? {};
  const rule = (value: unknown): ImageRule => (value === 'thumbnail' || value === 'none' ? value : 'full');
  const looser: string[] = [];
  for (const key of ['in_copyright', 'unknown'] as const) {
    const was = rule(recorded[key]);
    if (STRICTNESS[was] < STRICTNESS[now[key]])
      looser.push(`catalogue.images.${key} (built with ${was}, now ${now[key]})`);
  }
  const max = typeof recorded.thumbnail_max === 'number' ? recorded.thumbnail_max : Number.POSITIVE_INFINITY;
  const small = now.in_copyright === 'thumbnail' || now.unknown === 'thumbnail';
  if (small && looser.length === 0 && max > now.thumbnail_max)
    looser.push(`catalogue.images.thumbnail_max (built with ${max}, now ${now.thumbnail_max})`);
  if (looser.length === 0) return;
  const site = rel(ws, ws.site);
  throw new VitrineError(
    'PUBLISH_SITE_SHOWS_MORE',
    `The built site (${site}) shows more of the photographs than params.yaml now allows: ${looser.join(', and ')}. ` +
      'Publishing it would put online, in full, photographs that are now to be shown small or not at all. ' +
      'Nothing was uploaded: run "npx vitrine run catalogue" first (or "npx vitrine run catalogue --single" to ' +
      'rebuild the catalogue alone, without training), then publish.',
    { file: 'params.yaml', built: recorded, now },
  );
}

/**
 * Refuse a site built under another reading of the objects' rights texts (RIGHTS_READING): a site built by an older
 * Vitrine may show in full a photograph that this one reads as in copyright, or hold back one it now reads as open.
 * A build recorded before the reading was recorded was made under an older one.
 */
function refuseOtherRightsReading({ ws, entry }: { ws: Workspace; entry: LockEntry }): void {
  const extra = (entry.deps?.extra ?? null) as Record<string, unknown> | null;
  const built = extra && typeof extra === 'object' ? extra['rights reading'] : undefined;
  if (built === RIGHTS_READING) return;
  const site = rel(ws, ws.site);
  const which =
    typeof built === 'number'
      ? `reading ${built}; this version uses reading ${RIGHTS_READING}`
      : `before reading ${RIGHTS_READING}, which this version uses`;
  throw new VitrineError(
    'PUBLISH_SITE_OTHER_RIGHTS_READING',
    `The built site (${site}) was made by a version of Vitrine that read the objects’ rights otherwise (${which}): ` +
      'it may show in full photographs that are now read as in copyright, or hold back ones now read as open ' +
      '(catalogue.images in params.yaml says what each is shown as). Nothing was uploaded: run "npx vitrine run catalogue" first (or ' +
      '"npx vitrine run catalogue --single" to rebuild the catalogue alone, without training), then publish.',
    { site, built: built ?? null, now: RIGHTS_READING },
  );
}
