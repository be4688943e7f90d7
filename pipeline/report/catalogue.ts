import { messageOf } from '../errors.ts';

/*
 * Thumbnails in the comment point at the published catalogue. Before they are shown, the catalogue
 * is asked whether it is there and which of the pictures it has (HEAD requests: nothing is
 * downloaded), so the comment never shows a broken image: an object new in the pull request is not
 * in the catalogue until the merge rebuilds it, and a repository whose catalogue was never
 * published has none at all. The comment says which, in plain words.
 */

/** Where the catalogue address came from and whether it answers. */
export interface CatalogueStatus {
  /** The catalogue's address; null when none is known. */
  url: string | null;
  /** `given`: by the workflow (the GitHub Pages URL, VITRINE_CATALOGUE_URL); `params`: report.catalogue_url. */
  source: 'given' | 'params' | null;
  /** The catalogue answered at its address. */
  published: boolean;
  /** Why it is not published, in plain words ("it answered 404 Not Found"); null otherwise. */
  reason: string | null;
}

/**
 * Ask the catalogue at `url` whether it is published and which of `thumbnails` (absolute URLs) it
 * has. Each request gives up after `timeoutMs`; at most four run at once.
 */
export async function checkCatalogue({
  url,
  source,
  thumbnails,
  fetch = globalThis.fetch,
  timeoutMs = 5000,
}: {
  url: string | null;
  source: CatalogueStatus['source'];
  thumbnails: string[];
  fetch?: typeof globalThis.fetch;
  timeoutMs?: number;
}): Promise<{ status: CatalogueStatus; available: Set<string> }> {
  if (!url) return { status: { url: null, source: null, published: false, reason: null }, available: new Set() };
  const root = url.endsWith('/') ? url : `${url}/`;
  const answer = await ask({ url: root, fetch, timeoutMs });
  if (!answer.ok) return { status: { url, source, published: false, reason: answer.reason }, available: new Set() };
  const available = new Set<string>();
  const queue = [...new Set(thumbnails)];
  const worker = async () => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      if ((await ask({ url: next, fetch, timeoutMs })).ok) available.add(next);
    }
  };
  await Promise.all(Array.from({ length: Math.min(4, queue.length) }, worker));
  return { status: { url, source, published: true, reason: null }, available };
}

type Answer = { ok: true } | { ok: false; reason: string };

async function ask({
  url,
  fetch,
  timeoutMs,
}: {
  url: string;
  fetch: typeof globalThis.fetch;
  timeoutMs: number;
}): Promise<Answer> {
  try {
    let res = await fetch(url, { method: 'HEAD', redirect: 'follow', signal: AbortSignal.timeout(timeoutMs) });
    // Some hosts do not answer HEAD; ask again for the page itself.
    if (res.status === 405 || res.status === 501) {
      res = await fetch(url, { method: 'GET', redirect: 'follow', signal: AbortSignal.timeout(timeoutMs) });
      await res.body?.cancel();
    }
    if (res.ok) return { ok: true };
    return { ok: false, reason: `it answered ${res.status}${res.statusText ? ` ${res.statusText}` : ''}` };
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause;
    return { ok: false, reason: `it could not be reached: ${messageOf(cause ?? error)}` };
  }
}
