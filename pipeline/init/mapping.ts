import type { Params } from '../params.ts';

/*
 * Guess which export column holds each of Vitrine's fields, from the headers (and, for the image,
 * from what the cells look like). Exports name the same thing many ways: "ObjectNumber", "idno",
 * "Accession No.", "ca_objects.medium", and in the museum's language: "Inventarnummer", "numéro d'inventaire";
 * headers are compared without case, accents, spaces or punctuation.
 */

export type Field = keyof Params['import']['columns'];

export const FIELDS: Field[] = [
  'id',
  'image',
  'label',
  'title',
  'maker',
  'date',
  'department',
  'medium',
  'credit_line',
  'rights',
  'description',
];

/**
 * Header names for each field, best first (compared normalised: lower case, letters and digits only, no accents).
 * After the English names, the usual German, French, Dutch, Spanish and Italian ones.
 */
const NAMES: Record<Field, string[]> = {
  id: [
    'id',
    'objectnumber',
    'accessionnumber',
    'accessionno',
    'accession',
    'inventorynumber',
    'inventoryno',
    // "Inv. No.", "Inv.-Nr.", "Obj. No.": the abbreviations of English, German and Dutch registers.
    'invno',
    'invnr',
    'inventorynr',
    'objno',
    'idno',
    'objectno',
    'objectid',
    'registrationnumber',
    'catalognumber',
    'cataloguenumber',
    'identifier',
    'recordid',
    'inventarnummer',
    'inventarnr',
    'objektnummer',
    'numerodinventaire',
    'ndinventaire',
    'inventaire',
    'inventarisnummer',
    'inventarisnr',
    'objectnummer',
    'numerodeinventario',
    'numerodiinventario',
    'numeroinventario',
    'inventario',
  ],
  image: [
    'image',
    'imagefile',
    'file',
    'filename',
    'imagepath',
    'imagefilename',
    'mediafile',
    'mediapath',
    'primaryimage',
    'photo',
    'photograph',
    'picture',
    'originalfilename',
    'representation',
    'media',
    'bild',
    'bilddatei',
    'abbildung',
    'foto',
    'fichier',
    'afbeelding',
    'imagen',
    'immagine',
  ],
  label: [
    'label',
    'class',
    'classification',
    'category',
    'objecttype',
    'type',
    'typeid',
    'objectname',
    'worktype',
    'objektart',
    'objekttyp',
    'kategorie',
    'gattung',
    'typedobjet',
    'typeobjet',
    'categorie',
    'objectsoort',
    'tipodeobjeto',
    'tipodioggetto',
    'tipo',
    'categoria',
    // What each language's collection systems call the object's type (an outside tester's French "Désignation").
    // Not "denomination": a coin's face value in English exports (a reviewer).
    'designation',
    'objektbezeichnung',
    'objectnaam',
    'denominacion',
    'clasificacion',
    'definizione',
    'classificazione',
  ],
  title: [
    'title',
    'objecttitle',
    'preferredlabels',
    'name',
    'objectname',
    'displaytitle',
    'titel',
    'titre',
    'titulo',
    'titolo',
  ],
  maker: [
    'maker',
    'artist',
    'artistdisplayname',
    'creator',
    'displayname',
    'author',
    'constituent',
    'entities',
    'culture',
    'kunstler',
    'hersteller',
    'artiste',
    'auteur',
    'kunstenaar',
    'vervaardiger',
    'autor',
    'artista',
    'autore',
  ],
  date: [
    'date',
    'dated',
    'dating',
    'objectdate',
    'displaydate',
    'datedisplay',
    'creationdate',
    'dates',
    'period',
    'datierung',
    'datation',
    'datering',
    'fecha',
    'datacion',
    'datazione',
  ],
  department: [
    'department',
    'museum',
    'institution',
    'collection',
    'division',
    'repository',
    'abteilung',
    'departement',
    'afdeling',
    'departamento',
    'dipartimento',
    // An archive's fonds ("Fonds", "Nom du fonds").
    'fonds',
  ],
  medium: [
    'medium',
    'materials',
    'material',
    'mediumtechnique',
    'technique',
    'materialsandtechniques',
    'materialtechnik',
    'materiaux',
    'materiau',
    'matiere',
    'materiauxtechniques',
    'materiauxettechniques',
    'materiaal',
    'materiales',
    'materialesytecnicas',
    'materia',
    'materiali',
    'materiaetecnica',
  ],
  credit_line: ['creditline', 'credit'],
  rights: [
    'rights',
    'license',
    'licence',
    'copyright',
    'rightsstatement',
    'rightsandreproduction',
    'imagerights',
    'droits',
    'rechte',
    'rechten',
    'derechos',
    'diritti',
  ],
  description: [
    'description',
    'labeltext',
    'summary',
    'inscription',
    'physicaldescription',
    'beschreibung',
    'beschrijving',
    'omschrijving',
    'descripcion',
    'descrizione',
  ],
};

/**
 * A library's or an archive's shelfmark (an outside tester's French library export: "Cote"). English, German, Spanish
 * (with "Signatura topográfica"), Italian, Portuguese. Tried as the id only after every way a museum's register number
 * is found (exact, at the end, inside): "N° inventaire" beside "Cote" is the id, "Cote" an old shelfmark.
 */
const SHELFMARK = [
  'shelfmark',
  'callnumber',
  'callno',
  'cote',
  'signatur',
  'signatura',
  'segnatura',
  'cota',
  'signatuur',
  // An archive's reference code (ISAD(G) 3.1.1, AtoM's referenceCode): "Reference Code", "Ref. No." (tester T12).
  'referencecode',
  'referencenumber',
  'referenceno',
  'refcode',
  'refno',
];

/**
 * Words that, beside "Signatur" in a column's name, make it how a work is signed, marked or dated ("Signatur / Bez.",
 * "Beschriftung/Signatur", "Signatur, datiert"), not a library's shelfmark ("Signatur-Nr.", "Aktuelle Signatur").
 */
const SIGNING = new Set([
  'bez',
  'bezeichnet',
  'beschriftung',
  'beschriftet',
  'beschr',
  'monogramm',
  'monogrammiert',
  'datiert',
  'dat',
  'datum',
  'stempel',
  'signiert',
  'sign',
  'marke',
  'zeichen',
]);

/** Whether a column named with "Signatur" is how a work is signed: one of its other words is one of SIGNING. */
function signing(header: string): boolean {
  return normal(header).includes('signatur') && words(header).some((w) => SIGNING.has(w));
}

const IMAGE_FILE = /\.(jpe?g|png|tiff?|webp|gif|bmp|heic|avif|jp2)$/i;

/**
 * Names that match a column only as its whole name: "Cross reference no.", "Bibliography ref. no.", "Parent
 * Reference Code" or "Loan Ref No" are not the object's number (reviewer V30).
 */
const WHOLE_NAME_ONLY = new Set(['referencecode', 'referencenumber', 'referenceno', 'refcode', 'refno']);

/** Names that match a column only as a whole word of it (see guessColumns). */
const WORD_ONLY = new Set(['cote', 'cota', 'fonds']);

/** The words of a column's name, without accents, in lower case ("Nom du fonds" → nom, du, fonds). */
function words(header: string): string[] {
  return header
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u);
}

/** A column's name in lower case, letters and digits only, its accents kept (composed). */
function accented(header: string): string {
  return header
    .normalize('NFC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

function normal(header: string): string {
  return header
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

export interface ColumnGuess {
  columns: Params['import']['columns'];
  /** Other columns worth keeping: links back to the museum's own record. */
  keep: string[];
  /** Fields with no column found. */
  unmapped: Field[];
}

/** Guess the column of each field. Each column is used once; fields are taken in FIELDS order. */
export function guessColumns({
  header,
  rows,
}: {
  header: string[];
  rows: { cells: Record<string, string> }[];
}): ColumnGuess {
  const used = new Set<string>();
  const columns = Object.fromEntries(FIELDS.map((f) => [f, ''])) as Params['import']['columns'];
  const sample = rows.slice(0, 200);
  const imageShare = (column: string) => {
    const values = sample.map((r) => r.cells[column] ?? '').filter(Boolean);
    const files = values.filter((v) => IMAGE_FILE.test(v) && !/^[a-z][a-z0-9+.-]*:/i.test(v));
    return values.length === 0 ? 0 : files.length / values.length;
  };
  // A column of JSON objects (an export's nested records with no name field) is no field's text.
  const json = new Set(
    header.filter((h) => {
      const values = sample.map((r) => r.cells[h] ?? '').filter(Boolean);
      return values.length > 0 && values.filter((v) => v.startsWith('{')).length * 2 > values.length;
    }),
  );
  for (const field of FIELDS) {
    const free = header.filter((h) => !used.has(h) && !json.has(h));
    let pick: string | undefined;
    if (field === 'image') {
      // The cells say it best: a column of local file names (not web addresses) is the image column.
      const shares = free.map((h) => ({ h, share: imageShare(h) })).filter((c) => c.share >= 0.5);
      pick = shares.sort((a, b) => b.share - a.share)[0]?.h;
    }
    // Exact names first, then names at the end ("ca_objects.medium"), then inside ("ca_entities.preferred_labels").
    // "Signature" (where a work is signed) is no shelfmark ("Signatur"), though its name holds one; nor is German
    // "Signatur / Bezeichnung" (how it is signed and inscribed), however written ("Signatur / Bez."). A reviewer.
    const notLink = (h: string) =>
      field === 'image' ||
      (!/url|uri|link/i.test(h) &&
        !(field === 'id' && (/signature|bezeichnung|datierung|inschrift/.test(normal(h)) || signing(h))));
    // A shelfmark's or a fonds's short name only as a word of the column's name: "Ancienne cote", "Nom du fonds",
    // not "Mascota" or Dutch "Aankoopfonds" (the purchase fund, a credit line).
    const asWord = (h: string, name: string) => !WORD_ONLY.has(name) || words(h).includes(name) || normal(h) === name;
    const whole = (name: string) => WHOLE_NAME_ONLY.has(name);
    const passes: ((h: string, name: string) => boolean)[] = [
      (h, name) => normal(h) === name,
      (h, name) => name.length >= 4 && normal(h).endsWith(name) && notLink(h) && asWord(h, name) && !whole(name),
      (h, name) => name.length >= 6 && normal(h).includes(name) && notLink(h) && asWord(h, name) && !whole(name),
    ];
    for (const names of field === 'id' ? [NAMES.id, SHELFMARK] : [NAMES[field]]) {
      for (const matches of passes) {
        for (const name of names) {
          pick ??= free.find((h) => matches(h, name));
        }
      }
    }
    // French museums' object type, "Dénomination", told from English "Denomination" (a coin's face value) by its accent.
    // Not "Dénomination monétaire", a coin's face value in French numismatics (reviewer V9).
    if (field === 'label') pick ??= free.find((h) => /^dénominations?$/.test(accented(h)));
    if (pick) {
      columns[field] = pick;
      used.add(pick);
    }
  }
  const keep = header.filter((h) => !used.has(h) && /url|uri|link|permalink/i.test(h) && !/image|media|iiif/i.test(h));
  return { columns, keep, unmapped: FIELDS.filter((f) => !columns[f]) };
}

/** The fields the public catalogue shows (object pages, search, its data download): all but id, image, label. */
const PUBLISHED: Field[] = ['title', 'maker', 'date', 'department', 'medium', 'credit_line', 'rights', 'description'];

/**
 * The mapping as lines for the terminal ("  id          ← ObjectNumber"), then which columns the public will read:
 * an export's notes column can hold condition, valuations or donors' names, and a tester's went to the object
 * pages without a word.
 */
export function describeMapping(columns: Params['import']['columns']): string {
  const lines = FIELDS.map((f) => `  ${f.padEnd(12)} ${columns[f] ? `← ${columns[f]}` : '(none)'}`);
  const shown = PUBLISHED.filter((f) => columns[f]).map((f) => `"${columns[f]}"`);
  if (shown.length === 0) return lines.join('\n');
  const example = columns.description ? 'description' : PUBLISHED.find((f) => columns[f])!;
  // Search indexes every published field but the rights statement (docs/catalogue.md, "Search").
  const searched = columns.rights ? `, all but "${columns.rights}"` : '';
  return [
    ...lines,
    `  Published: the public catalogue shows ${listAnd(shown)} on each object's page and in its data download; ` +
      `search finds their words${searched}. If one of these columns holds internal remarks (condition, value, ` +
      `donors), leave it out with --column <field>= (here, say, --column ${example}=).`,
  ].join('\n');
}

function listAnd(items: string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/**
 * The export's columns that no field takes and import.keep does not keep, as a line for the terminal ("" when
 * every column is used): init said nothing of them, and a tester's dates and holding museums never reached the
 * catalogue. `vitrine import` reads params.yaml's mapping, so after init the same change goes there.
 */
export function describeUnused({
  header,
  columns,
  keep,
}: {
  header: string[];
  columns: Params['import']['columns'];
  keep: string[];
}): string {
  const used = new Set([...Object.values(columns), ...keep]);
  const unused = [...new Set(header)].filter((h) => h && !used.has(h));
  if (unused.length === 0) return '';
  const free = FIELDS.filter((f) => !columns[f]);
  // An export of 2,000 columns printed them all on one line (an outside tester): ten, then how many more.
  const named =
    unused.length <= UNUSED_NAMED
      ? unused.join(', ')
      : `${unused.slice(0, UNUSED_NAMED).join(', ')} and ${(unused.length - UNUSED_NAMED).toLocaleString('en')} more`;
  const word = /^[\w./-]+$/.test(unused[0]!) ? unused[0]! : `"${unused[0]!.replace(/(["\\$`])/g, '\\$1')}"`;
  return (
    `  not used: ${named} — map one with --column <field>=${word}` +
    `${free.length ? ` (fields with no column: ${free.join(', ')})` : ''},\n  or keep ` +
    `${unused.length === 1 ? 'it' : 'them'} as ${unused.length === 1 ? 'it is' : 'they are'} with import.keep in ` +
    'params.yaml (after init: set import.columns or import.keep there, then run "npx vitrine import")'
  );
}

/** How many unused columns describeUnused names before it counts the rest. */
const UNUSED_NAMED = 10;

/** Header words of a column that says where an object is held or comes from, rather than what it is. */
const SOURCE_NAME = /museum|institution|source|department|collection|repository|holding|owner|partner|provider|lender/i;

/**
 * Of those, the headers that name the institution itself. A department or collection column may just as well be a
 * small museum's rooms, one per object type (the coin room holds the coins: tester T2), which is no mistake.
 */
const INSTITUTION_HEADER = /museum|institution|source|repository|holding|owner|partner|provider|lender|museo|mus[ée]e/i;

/**
 * A value that names an institution ("Cleveland Museum of Art", "National Gallery", "Kunstmuseum Basel", "Muzeum
 * Warszawy", "Русский музей", "Alte Pinakothek", "Biblioteca Nacional"; reviewer V30: Polish, Russian, German).
 */
const INSTITUTION_VALUE = new RegExp(
  'museum|museo|mus[ée]e|museu|muzeum|музей|galer|galler|kunsthalle|pinakothek|biblio|library|archiv|archief|' +
    '\\b(?:institute|institut|university|foundation|academy)\\b',
  'iu',
);

/**
 * When the label column's values go one-to-one with a column naming where objects are held (a shared catalogue's
 * "label" that is really the holding museum: the column or its values name institutions, or the label is the
 * object numbers' source prefix), the sentence that says so and how to choose another label column:
 * a model trained on it learns which museum holds an object, not what it is. Undefined otherwise.
 */
export function labelLooksLikeSource({
  header,
  rows,
  columns,
}: {
  header: string[];
  rows: { cells: Record<string, string> }[];
  columns: Params['import']['columns'];
}): string | undefined {
  const label = columns.label;
  if (!label) return undefined;
  const labelled = rows.filter((r) => r.cells[label]);
  const values = new Set(labelled.map((r) => r.cells[label]!));
  // One label is no classification at all; a label per row is text, not classes: neither is this mistake.
  if (values.size < 2 || values.size * 2 > labelled.length) return undefined;
  const candidates = [columns.department, ...header.filter((h) => SOURCE_NAME.test(h))].filter(
    (h, i, all) => h && h !== label && h !== columns.id && h !== columns.image && all.indexOf(h) === i,
  );
  for (const other of candidates) {
    const pairOf = new Map<string, string>();
    const labelOf = new Map<string, string>();
    const oneToOne = labelled.every((r) => {
      const a = r.cells[label]!;
      const b = r.cells[other] ?? '';
      if (!b) return false;
      if ((pairOf.get(a) ?? b) !== b || (labelOf.get(b) ?? a) !== a) return false;
      pairOf.set(a, b);
      labelOf.set(b, a);
      return true;
    });
    if (!oneToOne) continue;
    const names = [...labelOf.keys()];
    // The label repeats the source prefix of the object numbers (five-museums: "artic" for artic_28560).
    const prefixOfIds = labelled.every((r) => {
      const id = (r.cells[columns.id] ?? '').toLowerCase();
      const value = r.cells[label]!.toLowerCase();
      return id.length > value.length && id.startsWith(value) && /[^\p{L}\p{N}]/u.test(id[value.length]!);
    });
    const namesInstitutions =
      INSTITUTION_HEADER.test(other) || names.filter((n) => INSTITUTION_VALUE.test(n)).length * 2 > names.length;
    if (!namesInstitutions && !prefixOfIds) continue;
    const pairs = [...pairOf].slice(0, 3).map(([a, b]) => `${a} = ${b}`);
    const more = pairOf.size > 3 ? `, and ${pairOf.size - 3} more` : '';
    const alternative = NAMES.label
      .map((name) => header.find((h) => h !== label && normal(h) === name))
      .find((h) => h !== undefined);
    return (
      `The label column "${label}" looks like the holding museum or source, not an object type: each of its ` +
      `${pairOf.size} values goes with one value of "${other}" (${pairs.join(', ')}${more}). A model trained on it ` +
      'would learn which museum holds an object, not what the object is. Choose the column that holds the object ' +
      `type with --column label=${alternative ?? '<column>'} (or answer "n" to "Use these columns?" and name it); ` +
      'with no such column, --column label= imports the objects unlabelled.'
    );
  }
  return undefined;
}
