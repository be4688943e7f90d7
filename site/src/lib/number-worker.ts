/*
 * The search page's object-number lookup (browse.astro, `objectNumbered`) in a worker of its own: the page's
 * script then imports no module and goes into the page itself (one request fewer on the page a visitor's
 * search costs most: issue 16), and the number rules (lib/address.ts) load only for a term with a digit or punctuation,
 * or one too short to search as words.
 * Asked with the typed term and the site's base path; answers the object's id and page slug, or null.
 */
import { numberFound } from './address.ts';

export interface NumberAsked {
  typed: string;
  base: string;
}

export interface NumberAnswer {
  found: { id: string; slug: string } | null;
  error?: string;
}

const scope = self as unknown as {
  onmessage: ((event: { data: NumberAsked }) => void) | null;
  postMessage(answer: NumberAnswer): void;
};

/**
 * How long a lookup waits for its pieces of the index, counted from when it starts looking up, not while the worker's
 * script loads (a busy machine slows that, and a lookup given 3 s from the worker's start was dropped: a CI run).
 */
const STALLED_MS = 3000;

scope.onmessage = async ({ data: { typed, base } }) => {
  // A piece that stalls is given up here, its request cancelled, and the worker answers: stopped by the page while a
  // request was under way, the request was never said to end (a browser test's wait for the network ran out).
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(new Error('The object-number index did not answer')), STALLED_MS);
  try {
    // A site built before the index was published (no such piece): no offer, the search goes on.
    const found = await numberFound(typed, async (piece) => {
      const response = await fetch(`${base}data/numbers/${piece}.json`, { signal: stop.signal });
      if (response.ok) return await response.json();
      await response.body?.cancel();
      return null;
    });
    scope.postMessage({ found: found && { id: found.id, slug: found.slug } });
  } catch (error) {
    scope.postMessage({ found: null, error: String(error) });
  } finally {
    clearTimeout(timer);
  }
};
