import { describe, expect, it } from 'vitest';
import { altText } from '../../pipeline/catalogue/derive.ts';

/*
 * An outside tester of the public site: an untitled object's photograph was described as "Photograph of A Statuary"
 * (its staff label after a capital "A", whatever the label's first letter). A screen reader reads this text aloud:
 * plain, grammatical words.
 */
describe('the text alternative of a photograph', () => {
  it('describes an untitled object by its staff label in plain words, with no capital A mid-sentence', () => {
    expect(altText({ title: '', maker: '', date: '', label: 'Statuary' })).toBe(
      'Photograph of an object labelled Statuary',
    );
    expect(altText({ title: '', maker: '', date: '', label: 'oil lamp' })).toBe(
      'Photograph of an object labelled oil lamp',
    );
  });

  it('keeps the maker and date after the label, as for a titled object', () => {
    expect(altText({ title: '', maker: 'Jane Doe', date: '1901', label: 'vase' })).toBe(
      'Photograph of an object labelled vase, by Jane Doe, 1901',
    );
  });

  it('says an object, not "Object", when there is neither title nor label', () => {
    expect(altText({ title: '', maker: '', date: '', label: null })).toBe('Photograph of an object');
    expect(altText({ title: '', maker: 'Unknown', date: 'c. 1500', label: null })).toBe(
      'Photograph of an object, c. 1500',
    );
  });

  it('gives a title as it is', () => {
    expect(altText({ title: 'Statuary group', maker: '', date: '', label: 'Statuary' })).toBe(
      'Photograph of Statuary group',
    );
  });
});
