/*
 * Words of an object page that depend on the collection: an archive or a library is not a museum (tester T12).
 */

// A comma as the scripts of the collections write it: Latin, Arabic, Chinese and Japanese.
const COMMA = /[,،、，]/u;

/**
 * The creator and the date of an object's first line, with what goes between them: a comma, or a middle dot when
 * either holds a comma of its own ("Tanaka, Hiroshi · c. 1890", not "Tanaka, Hiroshi, c. 1890").
 */
export function makerAndDate({ maker, date }: { maker: string; date: string }): [string, string, string] {
  const between = maker && date ? (COMMA.test(maker) || COMMA.test(date) ? ' · ' : ', ') : '';
  return [maker, between, date];
}

/** Whom the public asks about a photograph not shown: the collection's staff, by its name (catalogue.collection). */
export function askWho(collection: string): string {
  return collection.trim() ? `the staff of ${collection.trim()}` : 'the collection’s staff';
}

/** Who sets which of the model's guesses are published: the collection, by its name (an archive is no museum). */
export function whoPublishes(collection: string): string {
  return collection.trim() || 'the collection';
}
