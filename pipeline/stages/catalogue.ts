import { buildCatalogueData, buildSite } from '../catalogue/index.ts';
import type { Stage } from './stage.ts';

/** Builds the public catalogue: the data file, then the static Astro site with its search index. */
export const catalogueStage: Stage = {
  name: 'catalogue',
  summary: 'Build the public online collection (Astro site with search, annotations and model cards)',
  // The registry's files are read by content too: a rollback rewrites them outside `vitrine run`.
  deps: { paths: ['site/src', 'site/astro.config.mjs', 'labels.csv', '.vitrine/monitor', '.vitrine/registry'], params: ['catalogue', 'collection'], stages: ['dataset', 'promote'] },
  outs: ['.vitrine/catalogue', '.vitrine/site'],
  async run({ ws, params, log, clock }) {
    const { catalogue } = await buildCatalogueData({ ws, params, log, clock });
    const site = await buildSite({ ws, params, log });
    const c = catalogue.counts;
    return { summary: `${c.objects} objects (${c.annotated} annotated, ${c.needsReview} to review), ${site.pages} pages searchable, ${catalogue.models.length} model card(s)` };
  },
};
