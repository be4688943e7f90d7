import { describe, expect, it } from 'vitest';
import { isVitrineError } from '../../pipeline/errors.ts';
import { defaultParams, parseParams } from '../../pipeline/params.ts';

/*
 * catalogue.language: the language the collection's records are written in, which every page of the catalogue
 * says it is in (tester T2: a German museum's pages all said lang="en"). A BCP 47 tag; plain functions.
 */

const language = (value: string) =>
  parseParams({ text: `catalogue:\n  language: ${value}\n`, name: 'params.yaml' }).catalogue.language;

function refusal(value: string): string {
  try {
    language(value);
  } catch (error) {
    if (isVitrineError(error)) return error.message;
    throw error;
  }
  throw new Error(`expected ${value} to be refused`);
}

describe('catalogue.language', () => {
  it('is "en" when not set', () => {
    expect(defaultParams().catalogue.language).toBe('en');
  });

  it('takes a language tag, written as BCP 47 writes it', () => {
    for (const tag of ['de', 'fr', 'nl', 'de-CH', 'pt-BR', 'zh-Hant', 'sr-Latn-RS', 'gsw'])
      expect(language(tag)).toBe(tag);
    // Capitals as a tag has them: Pagefind and browsers read either, the page then says it one way.
    expect(language('DE-ch')).toBe('de-CH');
    expect(language('EN')).toBe('en');
  });

  for (const value of ['German', 'Deutsch', 'de_DE', '""', 'de-', 'english language', '"1"', 'x-klingon']) {
    it(`refuses ${value}, naming params.yaml, the key and the form expected`, () => {
      const message = refusal(value);
      expect(message).toContain('params.yaml:2: "catalogue.language" is ');
      expect(message).toMatch(/expected a language tag such as "de", "fr" or "de-CH"/);
    });
  }
});
