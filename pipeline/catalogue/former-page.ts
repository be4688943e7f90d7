import { idShown } from '../collection/value-limits.ts';

/*
 * The words of the page at a departed object's address (site/src/pages/objects/[former].astro). Its number as the
 * catalogue had it may hold a character no id may now hold (the dataset stage refuses it since, and so the object
 * left): printed raw, a right-to-left override turned the sentence backwards (reviewer V34 M2). Each such character
 * is written by its code.
 */

/** The page's title, description, heading and lede (before HTML escaping, which Astro does). */
export function formerPageWords({ number, now }: { number: string; now: { number: string } | null }): {
  title: string;
  description: string;
  heading: string;
  lede: string;
  /** The new number alone, for the lede's link. */
  newNumber: string | null;
} {
  const was = idShown(number);
  if (now) {
    const is = idShown(now.number);
    return {
      title: `${was}: now catalogued as ${is}`,
      description: `Object ${was} is now catalogued as ${is}.`,
      heading: `${was} is now catalogued as ${is}`,
      lede: `Object ${was} is now catalogued as`,
      newNumber: is,
    };
  }
  return {
    title: `${was}: no longer in the online catalogue`,
    description: `Object ${was} is no longer in the online catalogue.`,
    heading: 'This object is no longer in the online catalogue',
    lede:
      `Object ${was} was shown at this address. The museum may have taken it out of the collection, or no longer ` +
      'shows it online.',
    newNumber: null,
  };
}
