import { VitrineError } from '../errors.ts';
import type { Params } from '../params.ts';

/*
 * Where the catalogue is published: apart from the catalogue's build (catalogue/site.ts, stages/catalogue.ts), so
 * that `vitrine serve` finds the base path to serve under without loading the build's code.
 */

/** Where the published site lives: its base path ("/my-repo/") and full URL ("" when unknown). */
export interface CatalogueLocation {
  base: string;
  site: string;
}

/**
 * The catalogue's base path and site URL: VITRINE_CATALOGUE_BASE / VITRINE_CATALOGUE_SITE when set
 * (the Pages deploy knows where the site will be served; a museum need not repeat it in params.yaml),
 * otherwise `catalogue.base` / `catalogue.site` from params. Empty variables count as unset.
 */
export function catalogueLocation({
  params,
  env = {},
}: {
  params: Params;
  env?: Record<string, string | undefined>;
}): CatalogueLocation {
  const base = env.VITRINE_CATALOGUE_BASE?.trim() ?? '';
  const site = env.VITRINE_CATALOGUE_SITE?.trim() ?? '';
  if (base && (/^[a-z][a-z0-9+.-]*:/i.test(base) || /[\s?#]/.test(base))) {
    throw new VitrineError(
      'CATALOGUE_BAD_BASE',
      `VITRINE_CATALOGUE_BASE is "${base}", expected the site's path on its host, such as /my-repo/ (not a full ` +
        `address: that goes in VITRINE_CATALOGUE_SITE)`,
      { value: base },
    );
  }
  if (site && !/^https?:\/\/[^\s/]+(\/\S*)?$/i.test(site)) {
    throw new VitrineError(
      'CATALOGUE_BAD_SITE',
      `VITRINE_CATALOGUE_SITE is "${site}", expected the site's full address, such as https://my-museum.github.io/my-repo/`,
      { value: site },
    );
  }
  return { base: normaliseBase(base || params.catalogue.base), site: site || params.catalogue.site };
}

/** "/my-repo" → "/my-repo/"; "" → "/". */
export function normaliseBase(base: string): string {
  const trimmed = base.trim().replace(/^\/+|\/+$/g, '');
  return trimmed ? `/${trimmed}/` : '/';
}
