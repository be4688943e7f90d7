import { describe, expect, it } from 'vitest';
import { altText } from '../../pipeline/catalogue/derive.ts';

/*
 * A German museum's catalogue searched as German visitors type (tester T2): "Muenze" for "Münze", "um 1887",
 * "19. Jh.", and a maker "unbekannt". The site's modules called as plain functions (no site build).
 */

describe('the alt text of a photograph whose maker is not known', () => {
  it('names no maker in any language the catalogue reads it in', () => {
    for (const maker of ['unbekannt', 'Unbekannt', 'anonym', 'Inconnu', 'onbekend', 'Unknown maker']) {
      expect(altText({ title: 'Henkelkanne', maker, date: 'vor 1500', label: null })).toBe(
        'Photograph of Henkelkanne, vor 1500',
      );
    }
    expect(altText({ title: 'Henkelkanne', maker: 'Hans Müller', date: '', label: null })).toBe(
      'Photograph of Henkelkanne, by Hans Müller',
    );
  });
});
