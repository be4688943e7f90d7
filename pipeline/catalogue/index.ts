/** The public catalogue: its data file (validated by the schema the site shares) and the static site. */
export { buildCatalogueData, catalogueFiles } from './data.ts';
export { dateBucket, slugFor, suggestUrl, yearOf } from './derive.ts';
export { normaliseBase } from './location.ts';
export { type Catalogue, type CatalogueObject, catalogueSchema, type ModelCard } from './schema.ts';
export { indexSite } from './search-index.ts';
export {
  buildSite,
  forgetUnfinishedSiteBuild,
  type SiteBuild,
  siteSourceDir,
  type UnfinishedSiteBuild,
  unfinishedSiteBuild,
  unfinishedSiteBuildFile,
} from './site.ts';
