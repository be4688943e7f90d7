// @ts-check

/*
 * The catalogue site is built by `vitrine run` (pipeline/catalogue/site.ts), which passes where the
 * catalogue data is and where the site goes through VITRINE_* variables. The base path makes the
 * site work under a GitHub Pages project path ("/my-repo/").
 */
const env = process.env;

// A plain object, not astro/config's defineConfig (which returns it as it is): importing astro/config loads SVGO,
// font providers and session drivers the build never uses, about 290 files and 0.2 s of CPU each build.
/** @type {import('astro').AstroUserConfig} */
export default {
  base: env.VITRINE_BASE || '/',
  site: env.VITRINE_SITE || undefined,
  outDir: env.VITRINE_OUT || './dist',
  publicDir: env.VITRINE_PUBLIC || './public',
  cacheDir: env.VITRINE_CACHE || './node_modules/.astro',
  trailingSlash: 'ignore',
  build: { format: 'directory', inlineStylesheets: 'always' },
  compressHTML: true,
  devToolbar: { enabled: false },
  vite: {
    logLevel: 'warn',
    cacheDir: `${env.VITRINE_CACHE || './node_modules/.astro'}/vite`,
    // The search page's script goes into the page, as Astro puts smaller scripts: one request fewer on the
    // page a visitor's search costs most (issue 16). Anything else: Vite's own limit (undefined).
    build: { assetsInlineLimit: (file) => (/(^|\/)browse\.astro_astro_type_script/.test(file) ? true : undefined) },
  },
};
