import { describe, expect, it } from 'vitest';
import { labelLooksLikeSource } from '../../pipeline/init/mapping.ts';

/*
 * Reviewer V30 (7 December 2026): init warns that a label column "looks like the holding museum" when its values go
 * one to one with a column that names institutions. The names it knew were English and Romance: a shared catalogue
 * of Polish, Russian, German or Dutch museums held in a "collection" column went without the warning.
 */

const columns = { id: 'id', image: '', label: 'label', title: '', maker: '', date: '', department: '', medium: '' };

function warns(names: string[]): boolean {
  const header = ['id', 'label', 'collection'];
  const rows = Array.from({ length: 12 }, (_, i) => ({
    cells: { id: `O-${i + 1}`, label: `type ${i % names.length}`, collection: names[i % names.length]! },
  }));
  return labelLooksLikeSource({ header, rows, columns: columns as never }) !== undefined;
}

describe('a label column that goes one to one with the institutions holding the objects', () => {
  it.each([
    ['Polish', ['Muzeum Narodowe w Krakowie', 'Muzeum Warszawy', 'Muzeum Śląskie']],
    ['Russian', ['Русский музей', 'Государственный Эрмитаж', 'Музей Москвы']],
    ['German', ['Staatsgalerie Stuttgart', 'Kunsthalle Bremen', 'Alte Pinakothek']],
    ['Dutch and Scandinavian', ['Rijksmuseum', 'Nationalmuseet', 'Stadsarchief Amsterdam']],
    ['libraries', ['Bayerische Staatsbibliothek', 'Biblioteca Nacional', 'Bibliothèque nationale']],
  ])('is warned of when the institutions are named in %s', (_, names) => {
    expect(warns(names)).toBe(true);
  });

  it('is not warned of for a small museum whose rooms go one per type', () => {
    expect(warns(['Münzkabinett', 'Skulpturensammlung', 'Gemäldegalerie'])).toBe(false);
    expect(warns(['Coins and Medals', 'Textiles', 'Prints and Drawings'])).toBe(false);
  });
});
