import { buildCatalogueDataApart } from '../catalogue/data-process.ts';
import { buildSite, forgetUnfinishedSiteBuild } from '../catalogue/index.ts';
import { type CatalogueLocation, catalogueLocation } from '../catalogue/location.ts';
import { catalogueCodeHash } from '../catalogue/plan.ts';
import { RIGHTS_READING } from '../catalogue/rights.ts';
import { forgetDecodedSegments } from '../model/embedding-store.ts';
import type { Params } from '../params.ts';
import { restoreRegistryRecord } from '../registry/publish.ts';
import type { Stage, StageContext } from './stage.ts';

export { type CatalogueLocation, catalogueLocation };

/** Params with the catalogue's base path and site URL taken from the environment when it says so. */
function withLocation(params: Params, env: Record<string, string | undefined>): Params {
  return { ...params, catalogue: { ...params.catalogue, ...catalogueLocation({ params, env }) } };
}

/** The fingerprint's entry for Vitrine's own catalogue code: a run after it changed says "<this> changed". */
export const CATALOGUE_CODE = 'Vitrine’s catalogue code';

/**
 * The catalogue stage, with `code` giving the hash of Vitrine's own catalogue code (`catalogueCodeHash`; a test
 * passes its own).
 */
export function catalogueStageWith({ code = () => catalogueCodeHash() }: { code?: () => Promise<string> }): Stage {
  return { ...catalogueStageShape, fingerprint: (ctx) => catalogueFingerprint({ ...ctx, code }) };
}

/**
 * Params are fingerprinted already; the environment's override is not, and a new base must rebuild every link. A
 * new reading of the rights texts (a Vitrine upgrade) may show photographs otherwise: it rebuilds the site too. So
 * does any other change to the code that makes the catalogue (the stage's paths are the museum's repository, not
 * Vitrine's install): a rights or privacy fix in an upgrade reaches the published site at the next run. The hash is
 * held as an object so that the run says "Vitrine’s catalogue code changed", not two 64-digit hashes.
 */
async function catalogueFingerprint({
  params,
  env,
  code,
}: Pick<StageContext, 'params' | 'env'> & { code: () => Promise<string> }) {
  return {
    location: catalogueLocation({ params, env }),
    'rights reading': RIGHTS_READING,
    [CATALOGUE_CODE]: { sha256: await code() },
  };
}

/** Builds the public catalogue: the data file, then the static Astro site with its search index. */
const catalogueStageShape: Stage = {
  name: 'catalogue',
  summary: 'Build the public online collection (Astro site with search, annotations and model cards)',
  // The registry's files are read by content too: a rollback rewrites them outside `vitrine run`.
  deps: {
    paths: ['site/src', 'site/astro.config.mjs', 'labels.csv', '.vitrine/monitor', '.vitrine/registry'],
    params: ['catalogue', 'collection'],
    stages: ['dataset', 'promote'],
  },
  outs: ['.vitrine/catalogue', '.vitrine/site'],
  // A fresh clone (or a CI runner whose cache expired) has no .vitrine/registry; the git tags say what it held.
  async prepare({ ws, params, log, env }) {
    const restored = await restoreRegistryRecord({ ws, params, log, env, refreshStale: true });
    return restored === 'untouched' ? [] : ['.vitrine/registry'];
  },
  async run({ ws, params, log, clock, env, forced = false }) {
    // In one `vitrine run`, the earlier stages' decoded embeddings (717 MB at 100,000 objects) would
    // otherwise stay in this process while Astro and Pagefind run (a restore's annotation decodes them too).
    forgetDecodedSegments();
    const located = withLocation(params, env);
    // In a child process that exits: at 100,000 objects the data step takes gigabytes, which this
    // process would otherwise keep while Astro and Pagefind run. Only the counts come back.
    const { counts: c, models } = await buildCatalogueDataApart({ ws, params: located, log, clock });
    // --force renders every object page again (and replaces their cache entries).
    const site = await buildSite({ ws, params: located, log, clock, reuse: !forced });
    return {
      summary:
        `${c.objects} objects (${c.annotated} annotated, ${c.needsReview} to review on the review page), ${site.pages} ` +
        `pages searchable, ${models} model card(s)${located.catalogue.base === '/' ? '' : `, served under ${located.catalogue.base}`}`,
    };
  },
  // The site is now what lock.json records (built, or unchanged since): `vitrine publish` may send it.
  async recorded({ ws }) {
    await forgetUnfinishedSiteBuild(ws);
  },
};

/** The catalogue stage as `vitrine run` runs it. */
export const catalogueStage: Stage = catalogueStageWith({});
