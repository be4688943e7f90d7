/** The public catalogue: its data file (validated by the schema the site shares) and the static site. */
export { buildCatalogueData, catalogueFiles } from './data.ts';
export { buildSite, indexSite, normaliseBase, siteSourceDir, type SiteBuild } from './site.ts';
export { catalogueSchema, type Catalogue, type CatalogueObject, type ModelCard } from './schema.ts';
export { dateBucket, slugFor, suggestUrl, yearOf } from './derive.ts';
