import { rightsGroup } from '../../pipeline/catalogue/image-rules.ts';
import { rightsOf } from '../../pipeline/catalogue/rights.ts';

/*
 * What the rights tests compare a text's reading with, written once: the statements' addresses, and a reading as
 * the catalogue uses it (its statement, its group of the catalogue.images rules, whether it is offered for download).
 */

export const CC = (code: string) => `https://creativecommons.org/licenses/${code}/4.0/`;
export const CC0 = 'https://creativecommons.org/publicdomain/zero/1.0/';
export const MARK = 'https://creativecommons.org/publicdomain/mark/1.0/';
export const RS = (code: string) => `http://rightsstatements.org/vocab/${code}/1.0/`;
export const INC = RS('InC');

/** `text` read as the catalogue reads it. */
export const read = (text: string) => {
  const r = rightsOf(text);
  return { uri: r.uri, group: rightsGroup(r), download: r.download };
};
