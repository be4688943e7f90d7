/*
 * The search page's object-number lookup (browse.astro, `objectNumbered`) in a worker of its own: the page's
 * script then imports no module and goes into the page itself (one request fewer on the page a visitor's
 * search costs most: issue 16), and the number rules (lib/address.ts) load only for a term with a digit or punctuation,
 * or one too short to search as words.
 * Asked with the typed term and the site's base path; answers the object's id and page slug, or null; asked with
 * `date`, whether the date typed is or begins an object number (lib/address.ts numberDateAsked).
 */
import { numberAsked, numberDateAsked } from './address.ts';

export interface NumberAsked {
  typed: string;
  base: string;
  /** Whether the typed date is or begins an object number (numberDateAsked), not which object has the number. */
  date?: boolean;
}

export interface NumberAnswer {
  found: { id: string; slug: string } | null;
  /** Asked with `date`: whether the date is or begins an object number. */
  begun?: boolean;
  error?: string;
}

const scope = self as unknown as {
  onmessage: ((event: { data: NumberAsked }) => void) | null;
  postMessage(answer: NumberAnswer): void;
};

scope.onmessage = async ({ data: { typed, base, date } }) => {
  if (date) {
    scope.postMessage({ found: null, ...(await numberDateAsked({ typed, base })) });
    return;
  }
  // A piece that stalls is given up there (3 s from when it is asked for, not while the worker's script loads: a busy
  // machine slows that, and a lookup given 3 s from the worker's start was dropped in a CI run), its request
  // cancelled, and the worker answers: stopped by the page while a request was under way, the request was never said
  // to end (a browser test's wait for the network ran out).
  scope.postMessage(await numberAsked({ typed, base }));
};
