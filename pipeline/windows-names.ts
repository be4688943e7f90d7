/**
 * Windows device names: "CON", "nul.jpg", "COM1.tar.gz" (the part before the first dot, any case) name no file or
 * folder there. One rule for image file names (import), recorded files (data add) and page addresses (catalogue).
 * Pure, without Node imports: the site's pages use it in the browser through pipeline/catalogue/slug-rules.ts.
 */
export const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[1-9]|lpt[1-9])(?=\.|$)/i;
