/*
 * Rights as museums write them ("CC0 (Met Open Access)", "In copyright — educational use only")
 * mapped to the standard statements aggregators and visitors recognise: Creative Commons licences
 * and public-domain tools, and rightsstatements.org for everything else. Whether the site offers
 * the image for download follows from the statement: yes for open licences and no-copyright
 * statements, no for in-copyright, unevaluated or unknown rights.
 */

import {
  artistCredited,
  commercialUseRestricted,
  copyrightSigns,
  copyrightStatusAsRead,
  inCopyrightWordsSaid,
  licenceDoubted,
  NOT_PUBLIC_DOMAIN,
  PUBLIC_DOMAIN_ELSEWHERE,
  photographLicensed,
  publicDomainAnsweredNo,
  publicDomainDeniedElsewhere,
  recordSaysProtected,
  rightsUnknown,
  showsLess,
  UNKNOWN_ELSEWHERE,
  withoutAddresses,
  workReadings,
} from './rights-doubts.ts';
import { markReadings } from './unseen-marks.ts';

/**
 * The version of this reading of rights texts: raise it whenever a text would be read otherwise, so that what a site
 * shows follows the reading that built it. The catalogue stage records it (its fingerprint, in .vitrine/lock.json): a
 * new reading rebuilds the catalogue, and `vitrine publish` refuses a site built under another one. 2: "Not in
 * copyright" (as the whole text) and the No Copyright codes read as open; ARS and VAGA as rights societies. 3: a
 * field name before the statement ("Copyright: Not in copyright", "Rights: Public domain") is not read. 4: a word after
 * "Copyright:" that names no holder ("Copyright: unknown", "Copyright: none") is read as the text without the colon
 * is, unknown, as are "Copyright none" and "Copyright n/a"; "Copyright Freeman Studio" names a holder (it was read as
 * "copyright free"); after "Copyright:" only a statement alone is read as it ("Copyright: Jane Doe (CC BY 4.0)" reads
 * as "© Jane Doe (CC BY 4.0)"), and a status word names no holder only at a clause's end ("Copyright Free Library").
 * 5: a field naming a holder or photographer ("Rights holder: Jane Doe; CC BY 4.0", "Photo: Jane Doe / CC BY") is read
 * as "© Jane Doe" is, In Copyright ("Photo: CC BY 4.0", "Foto: unbekannt; CC0" and "Photo: CC0 via Europeana" stay the
 * licence), in other languages too ("Urheberrecht:", "Droits d'auteur :", "fot. Jan Kowalski"); "all rights reserved"
 * in other languages and word orders ("Alle Rechte vorbehalten", "Reservados todos los derechos", "版权所有") as the
 * English words are, In Copyright; "No rights reserved" (CC0's words) is no sign of copyright ("CC0 – No rights
 * reserved" is CC0; it was In Copyright), unless an exception follows ("No rights reserved except the photograph") or
 * "No" ends the line above ("Commercial use: No\nRights reserved"). From 5 on, the reading includes whether a text says
 * not to publish the photograph (forbidsPublication in image-rules.ts: "Culturally sensitive - do not display").
 * 6: "public domain" in other languages ("Domaine public", "Gemeinfrei", "Dominio público", "Pubblico dominio", "Publiek
 * domein", "Domínio público", "Domena publiczna") as the Public Domain Mark, alone; denied ("Nicht gemeinfrei", "Pas dans
 * le domaine public") In Copyright, still to come or pending ("Wird 2040 gemeinfrei", "Dominio público (TBC)") unknown;
 * a licence not confirmed ("Rights: TBC; CC0", "TBC; CC0", "CC BY 4.0 (unverified)", "Public domain?") unknown; a
 * permission asked for or reuse forbidden ("Permission required", "Verwendung nur mit Genehmigung", "Not for reuse",
 * "Urheberrecht vorbehalten", "Geschützt" alone, "Bildrecht: Museum Ludwig") In Copyright; a doubt in another language
 * as in English ("Domaine public ?", "Gemeinfrei (vorläufig)", "CC0 (à vérifier)", "Domaine public, sauf la
 * photographie", "Droits : à vérifier ; CC0") unknown, as is an open statement hedged ("Probably public domain",
 * "Vermutlich gemeinfrei"); "Geschützt" as a clause of its own beside an open statement ("CC0; Geschützt") In Copyright.
 * 7: "Geschützt"/"beschermd" beside a protected monument ("Rijksmonument; beschermd; publiek domein") is no copyright;
 * commercial use limited beside an open statement that allows it ("Public domain; no commercial use without
 * permission") unknown; "Courtesy of the artist" In Copyright.
 * 8: a CC licence beside the artist credited is the licence ("Courtesy of the artist; CC BY 4.0"); of two statements
 * that conflict, the one that shows less ("CC0; No Copyright - Contractual Restrictions" NoC-CR, a NoC-US address
 * beside an InC one In Copyright, "Public domain; CC BY-NC 4.0" CC BY-NC, "CC0; copyright not evaluated" Not
 * Evaluated); the codes NKC, CNE and UND as a clause of their own ("CC0 | UND").
 * 9: a licence of the record is never the work's, whatever parts it from the rest ("Courtesy of the artist, Metadata:
 * CC0" In Copyright, not CC0); the rights said to be unknown beside another statement show less ("NKC; rights
 * unknown", "CC0; copyright unknown" unknown).
 * 10: a statement of the record is never the work's as a code, address or name either ("Metadata: NoC-US" unknown,
 * not No Copyright - United States; "Metadata: InC; CC0" CC0); a new line parts the record's licence from the work's
 * ("Metadata: CC0\nCC BY 4.0" CC BY, not unknown), not a line that names the record and nothing more from the next
 * ("Metadata:\nCC0", "CC0\n(metadata only)" unknown), nor a field name after the record ("Courtesy of the artist,
 * Metadata licence: CC0" In Copyright, not CC0); In Copyright is the record's only where its clause names the
 * catalogue's text (metadata, data, a catalogue record or entry) and nothing else: it stays where the clause names
 * anything more ("InC (applies to text or images); CC BY 4.0", "Metadata and media: InC; CC BY 4.0", "Painting
 * metadata: In Copyright; CC0" In Copyright) or no catalogue text ("Record sleeve: In Copyright; CC BY 4.0",
 * "Rights statement for this record\nIn Copyright\nCC BY 4.0" In Copyright); "unknown" in German, French,
 * Spanish, Portuguese, Italian, Dutch and Swedish as in English ("CC0; unbekannt", "NKC; Rechte unbekannt" unknown;
 * "Copyright: unbekannt" unknown, not a holder named).
 * 11: the record's name in German, French, Spanish, Italian, Dutch, the Nordic languages and Portuguese as in English
 * ("Metadaten: CC0", "Métadonnées : CC0", "CC0 (nur Metadaten)" unknown, not CC0; "Courtesy of the artist, Metadaten:
 * CC0" In Copyright), In Copyright of the record kept there ("Metadaten: In Copyright; CC0" In Copyright); the record
 * and the image joined as "and" joins them by ", or", "and/or", "(or", "or an" and a scan or reproduction named ("Text
 * and/or image: CC BY-NC 4.0\nCC0" CC BY-NC, not CC0); a photographic, photo or image record, a record photograph or
 * shot, and media, files, assets, digital surrogates or scans beside the record ("Metadaten und Medien") are the image
 * ("Photographic record: CC BY-NC 4.0\nCC0", "Metadata and media: CC BY-NC 4.0\nCC0" CC BY-NC, not CC0). Reviewer V23:
 * a public domain denied in the record's clause stays ("Datensatz: Werk nicht gemeinfrei. Bild: CC0" In Copyright); a
 * picture beside the record is a whole word ("Courtesy of the artist and Fotohof, metadata: CC0" In Copyright); "of"
 * and "per" join or name the record only beside a Dutch or Italian record word ("Metadata of the image: CC0" unknown,
 * "Public domain; photograph CC BY-NC 4.0 per the data supplied" CC BY-NC); a record word of two meanings followed
 * by a picture is the picture ("Public domain; Registro de fotografía: CC BY-NC 4.0" CC BY-NC); recordings beside the
 * record are the work ("Recordings and metadata: CC BY-NC 4.0\nCC0" CC BY-NC).
 * 12 (tester T12): "expired copyright" as "copyright expired" is ("Public Domain (expired copyright)" the Public Domain
 * Mark, not In Copyright); "Image:" naming a body or person beside a licence as "Photo:" is ("Image: Harbour Town
 * Photo Archive. CC BY-SA 4.0" In Copyright); "all rights reserved" in Arabic, Persian, Hebrew, Korean and Greek ("جميع
 * الحقوق محفوظة", "כל הזכויות שמורות", "판권 소유") In Copyright; "not PD" as "not public domain" ("not PD; CC0",
 * "Metadata and media:\nnot PD\nCC0" In Copyright, not CC0). Reviewer V29: "expired copyright" is open only as a
 * clause alone ("Public Domain (not yet expired copyright)", "(lapsed copyright; renewed 1990)" In Copyright); all
 * rights reserved with Arabic vowel marks, a right-to-left mark, in more word orders and Korean run together;
 * "Imagen:" and "Bild:" naming someone beside a licence as "Image:" ("Bild: John Smith; CC0" In Copyright).
 * 13 (task D39; 12 was released in 0.3.0): an invisible mark inside a word (a direction mark, a zero-width space, a
 * soft hyphen) read as a break and as nothing, the reading that shows less kept ("Public\u200fdomain" unknown, not the
 * Public Domain Mark; "Not\u200ein copyright" and "CC0; not\u200bPD" In Copyright); Hebrew with vowel marks as without
 * them ("כָּל הַזְּכוּיוֹת שְׁמוּרוֹת" In Copyright); CNE or UND after "Bild:", "Photo:" or another holder field as the
 * code alone ("Bild: UND; CC0" Undetermined, not CC0). Reviewer V32 (task D49): marks read as image-rules.ts reads
 * them (unseen-marks.ts: each kind and each mark one way, the rest the other: "In\u200eCo\u200bpyright; CC0" In
 * Copyright), the braille blank and other blanks as marks; CNE or UND after a holder field parted as clauses are
 * ("Photo: UND (CC0)", "Bild: UND CC0" Undetermined); a text not recognised labelled as the museum wrote it.
 * test/catalogue/rights-reading-version.test.ts fails when the reading changes and this does not.
 */
export const RIGHTS_READING = 13;

/** An object's rights as the site shows them. */
export interface Rights {
  /** The museum's own text, shown as it is. */
  text: string;
  /** The standard statement's URI, null when the text is not recognised. */
  uri: string | null;
  /** The statement's name ("CC0 1.0 Universal", "In Copyright - Educational Use Permitted"). */
  label: string;
  /** Short badge text ("CC0", "CC BY 4.0", "In Copyright"), null when not recognised. */
  badge: string | null;
  /** The site offers the image for download. */
  download: boolean;
}

const RS = 'http://rightsstatements.org/vocab';

/**
 * `first`, then `then` after it on the same line: what `/first.*then/` finds, `first` a phrase of fixed words. Read
 * from the phrase's first place on each line only, which leaves the most after it: `/in copyright.*educational/`
 * looked from every "In Copyright" to the line's end, and 100,000 characters of them took 20 s (task D41).
 */
function laterOnLine(first: string, then: RegExp): Pick<RegExp, 'test'> {
  const after = new RegExp(then.source, 'g');
  return {
    test: (text) =>
      text.split(/[\n\r\u2028\u2029]/).some((line) => {
        const at = line.indexOf(first);
        if (at < 0) return false;
        after.lastIndex = at + first.length;
        return after.test(line);
      }),
  };
}

/** rightsstatements.org statements: code, name, whether reuse (download) is offered, and how museums write it. */
const STATEMENTS: { code: string; name: string; badge: string; download: boolean; pattern: Pick<RegExp, 'test'> }[] = [
  {
    code: 'InC-OW-EU',
    name: 'In Copyright - EU Orphan Work',
    badge: 'In Copyright',
    download: false,
    pattern: /orphan work/,
  },
  {
    code: 'InC-EDU',
    name: 'In Copyright - Educational Use Permitted',
    badge: 'In Copyright',
    download: false,
    pattern: laterOnLine('in copyright', /educational/),
  },
  {
    code: 'InC-NC',
    name: 'In Copyright - Non-Commercial Use Permitted',
    badge: 'In Copyright',
    download: false,
    pattern: laterOnLine('in copyright', /non[- ]?commercial/),
  },
  {
    code: 'InC-RUU',
    name: 'In Copyright - Rights-holder(s) Unlocatable or Unidentifiable',
    badge: 'In Copyright',
    download: false,
    pattern: laterOnLine('in copyright', /(unlocatable|unidentifiable)/),
  },
  {
    code: 'InC',
    name: 'In Copyright',
    badge: 'In Copyright',
    download: false,
    pattern: /in copyright|all rights reserved|©|\(c\)\s*\d{4}|^copyright\s+\d{4}/,
  },
  {
    code: 'NoC-CR',
    name: 'No Copyright - Contractual Restrictions',
    badge: 'No Copyright',
    download: false,
    pattern: laterOnLine('no copyright', /contractual/),
  },
  {
    code: 'NoC-NC',
    name: 'No Copyright - Non-Commercial Use Only',
    badge: 'No Copyright',
    download: true,
    pattern: laterOnLine('no copyright', /non[- ]?commercial/),
  },
  {
    code: 'NoC-OKLR',
    name: 'No Copyright - Other Known Legal Restrictions',
    badge: 'No Copyright',
    download: false,
    pattern: laterOnLine('no copyright', /legal restrictions/),
  },
  {
    code: 'NoC-US',
    name: 'No Copyright - United States',
    badge: 'No Copyright',
    download: true,
    pattern: laterOnLine('no copyright', /united states/),
  },
  {
    code: 'NKC',
    name: 'No Known Copyright',
    badge: 'No Known Copyright',
    download: true,
    pattern: /no known copyright/,
  },
  {
    code: 'CNE',
    name: 'Copyright Not Evaluated',
    badge: 'Not Evaluated',
    download: false,
    pattern: /copyright not evaluated|not evaluated/,
  },
  {
    code: 'UND',
    name: 'Copyright Undetermined',
    badge: 'Undetermined',
    download: false,
    pattern: /copyright undetermined|undetermined/,
  },
];

const CC_NAMES: Record<string, string> = {
  by: 'Attribution',
  nc: 'NonCommercial',
  sa: 'ShareAlike',
  nd: 'NoDerivatives',
};

// "Creative Commons Attribution-NonCommercial-ShareAlike 4.0": the words, then an optional version.
const CC_WORD =
  '(?:attribution|noncommercial|non-commercial|sharealike|share-alike|noderivatives|noderivs|no derivatives)';
const CC_LONG = new RegExp(`creative commons\\s+(${CC_WORD}(?:[\\s-]+${CC_WORD})*)(?:\\s+(\\d\\.\\d))?`);

function creativeCommons(parts: string[], version: string | undefined): Omit<Rights, 'text'> {
  const code = parts.join('-');
  const v = version ?? '4.0';
  return {
    uri: `https://creativecommons.org/licenses/${code}/${v}/`,
    label: `Creative Commons ${parts.map((p) => CC_NAMES[p]).join('-')} ${v}`,
    badge: `CC ${code.toUpperCase()} ${v}`,
    download: true,
  };
}

// What may follow "copyright" to say how it stands, naming no holder: "copyright unknown", "copyright none",
// "copyright status: unknown". At a clause's end: "Copyright Freeman Studio", "Copyright Free Library of
// Philadelphia" name a holder (review V4).
// "Unknown" in other languages too ("Copyright: unbekannt", task D3: it named a holder "unbekannt").
const COPYRIGHT_STATUS =
  '(?:status\\s*[:\\s-]\\s*)?(?:not evaluated|undetermined|unknown|not known|free|expired|none|unclear|uncertain|n/a|' +
  `${UNKNOWN_ELSEWHERE})` +
  '(?=\\s*(?:$|[^\\s\\w]))';
// "copyright" said of a work that has one: not "no (known) copyright", "copyright not evaluated", "copyright-free"...
const NO_COPYRIGHT_SAID = new RegExp(`\\bno\\s+(?:known\\s+)?copyright|copyright[\\s-]+${COPYRIGHT_STATUS}`, 'g');
// A value that only says how the copyright stands, after the field name "Copyright:" ("Copyright: unknown").
const STATUS_ALONE = new RegExp(`^(?:copyright[\\s-]+)?(?:status[\\s-]+)?(?!status)${COPYRIGHT_STATUS}[.!]?$`);
// The rightsstatements.org codes as collection systems export them ("InC", "InC-EDU"), and the artists' rights
// societies that license works in copyright ("© DACS 2019"): case kept, so that "Inc." or "Arts" are not read.
const IN_COPYRIGHT_CODE =
  /(?<![\w/-])(InC(?:-(?:EDU|NC|RUU|OW-EU))?|DACS|ADAGP|VG Bild-Kunst|SIAE|VEGAP|SABAM|ARS|VAGA|Artists Rights Society)\b/;
// A copyright holder named: "© Jane Doe", "(c) 2019 …", "Copyright Jane Doe", "some rights reserved" (Creative
// Commons' own words).
const HOLDER_SAID = /©|\(c\)\s*[\w(]|\bcopyright\b|some rights reserved/;
// A copyright said of the work or of its photograph ("work © the artist", "photo © Museum"), not only of a holder.
const WORK_OR_PHOTOGRAPH =
  /\b(?:work|artwork|object|design|image|photo|photograph|photography|picture|reproduction|scan)s?\b/;

// A field whose value names a person or body who holds a copyright, the work's or the photograph's: "Rights holder:
// Jane Doe", "Photographer: Jane Doe", "Photo: Jane Doe", "Foto: Jane Doe" (task R5: beside a licence it was read as
// the licence). Its value, to the end of the text, is read as "© Jane Doe" is, unless it names nobody ("Photo: CC BY
// 4.0").
const HOLDER_FIELD = new RegExp(
  '(?<![\\w/.-])(?:(?:(?:copyright|rights?)[ -]?(?:holder|owner)s?|holders?|licensors?|photographers?|' +
    'photo(?:graph)?s?(?: credits?)?|images?(?: credits?)?|' +
    // The same in other languages: "Foto:", "Fotograf:", "Crédit photo :", "Rechteinhaber:", "Titulaire des droits :".
    // "Bildrecht:" as well as "Bildrechte:" (task R9: the singular was not read, and the photograph shown in full).
    'fotos?|fot[oó]graf(?:o|a|os|as|ie|ia|ía|in|en)?|photographie|cr[ée]dits? photos?|rechteinhaber(?:in)?|' +
    // "Imagen:" and "Bild:" as "Image:" (reviewer V29: "Bild: John Smith; CC0" was read as CC0).
    'im[aá]gen(?:es)?|bild(?:er)?|' +
    'bildrechte?|rechthebbende|titulaires? des droits|ayants? droits?|titular(?:es)? de (?:los )?derechos|' +
    'titolare dei diritti|' +
    // A copyright or a photograph credited in other languages: "Urheberrecht:", "Bildnachweis:", "Fotograaf:",
    // "Droits d'auteur :", "Derechos de autor:", "Crediti fotografici:" (review V5: read as the licence beside them).
    'urheber(?:in|recht|rechte)?|bildnachweis(?:e)?|fotonachweis|fotograaf|auteursrecht(?:en)?|' +
    "droits? d['’]auteur|derechos de autor|direitos (?:de autor|autorais)|diritti d['’]autore|" +
    'crediti fotografici|credito fotografico|cr[ée]ditos? fotogr[áa]ficos?)\\s*:|' +
    // Polish "fot. Jan Kowalski": the photographer, no colon.
    'fot\\.(?=\\s*\\p{L}))',
  'gu',
);
// Field names that name nobody, in the value after a holder field ("Photo: CC BY 4.0; Metadata: CC0"), words that say
// the holder is not known, in other languages too ("Photographer: unknown; CC0", "Foto: unbekannt; CC0",
// "Photographer: [unknown]; CC0", "Photo: ?; CC0"), where the photograph was found ("Photo: CC0 via Europeana",
// "Photo: CC BY-SA 4.0 (Wikimedia Commons)", "Photo: Public domain (PD-Art)"), and public domain in other languages
// ("Crédit photo : inconnu ; Domaine public"), read as the text alone is. Review V5: they were read as a holder named,
// and whole collections were shown small.
const NOT_A_HOLDER = new RegExp(
  '(?<![\\w/.-])(?:rights(?: statement)?|licen[cs]e|metadata|data|record|object|work|artwork|image|usage|terms|texts?)' +
    '\\s*:|(?<![\\p{L}\\p{N}])(?:unknown|not known|anonymous|unidentified|none|n/a|not recorded|unrecorded|' +
    'not given|not stated|unbekannt|anonym|inconnue?|anonyme|desconocid[oa]|an[óo]nimo|sconosciut[oa]|onbekend|' +
    'nieznany|ok[äa]nd|ukendt|ukjent|(?:via )?(?:europeana|wikimedia commons|wikimedia|wikipedia)|' +
    'pd-(?:art|old|us|[\\p{L}\\p{N}]+)|domaine public|dominio p[úu]blico|dom[íi]nio p[úu]blico|gemeinfrei|' +
    'publiek domein|pubblico dominio)(?![\\p{L}\\p{N}])|[?[\\]]',
  'gu',
);

/**
 * A field names a copyright holder ("Rights holder: Jane Doe; CC BY 4.0"), not only a statement or nobody. The museum
 * itself named as the photograph's ("Domaine public (photographie : musée, domaine public)") is a holder too: the
 * photograph may carry a licence of its own ("Public domain (photo: museum, CC BY-NC 4.0)"), which an exception for the
 * museum read as the object's open statement (reviewer V9, HIGH). Cautious: such a text is In Copyright.
 */
function holderFieldSaid(t: string): boolean {
  // The first field's value only: a later field's value is its tail, only a statement too when the first is one
  // (reviewer V31: reading every tail took a minute for 100,000 characters of "image: cc0").
  for (const m of t.matchAll(HOLDER_FIELD)) {
    const value = t.slice(m.index + m[0].length);
    return !statementOnly(value.replace(NOT_A_HOLDER, ' '));
  }
  return false;
}

// What parts a rights text's clauses: ";", "|", ",", a new line, " / ", ". ", " - ".
const CLAUSE_PARTING = /[;|,\n]|\s\/\s|\.\s|\s-\s/g;

/** The parts of a rights text that say one thing each: "Image CC BY 4.0; work © the artist" is two. */
function clauses(t: string): { text: string; start: number }[] {
  const out: { text: string; start: number }[] = [];
  let start = 0;
  for (const m of t.matchAll(CLAUSE_PARTING)) {
    out.push({ text: t.slice(start, m.index), start });
    start = m.index + m[0].length;
  }
  out.push({ text: t.slice(start), start });
  return out;
}

/**
 * What a rights text says of copyright. `statement`: the work or its photograph is in copyright, whatever open licence
 * the text also names (an In Copyright statement or its code, "(all) rights reserved", "not in the public domain", an
 * artists' rights society, or "©", "(c)", "Copyright …" said of the work or the photograph: "work © the artist",
 * "photo © Museum"). `holder`: only a copyright holder is named ("© Jane Doe", "Copyright 2019 Jane Doe"), which an
 * open licence of the work overrides ("© Jane Doe / CC BY-SA 4.0"). `t` is the text in lower case with its spaces and
 * dashes made plain.
 */
function copyrightSaid(t: string, raw: string): 'statement' | 'holder' | null {
  if (IN_COPYRIGHT_CODE.test(raw) || NOT_PUBLIC_DOMAIN.test(t) || publicDomainDeniedElsewhere(t)) return 'statement';
  if (publicDomainAnsweredNo(t)) return 'statement';
  const rest = t.replace(NO_COPYRIGHT_SAID, ' ');
  if (/\bin copyright\b/.test(rest) || reservedSaid(raw)) return 'statement';
  let holder = false;
  for (const c of clauses(rest)) {
    if (!HOLDER_SAID.test(c.text)) continue;
    if (WORK_OR_PHOTOGRAPH.test(c.text)) return 'statement';
    holder = true;
  }
  return holder || holderFieldSaid(rest) ? 'holder' : null;
}

// What follows "no rights reserved" to claim some after all: "No rights reserved except the photograph" (review V5).
const EXCEPTION =
  '\\s*[.,;:(-]?\\s*(?:except(?:ing)?|but|apart from|save for|other than|excluding|excepto|salvo|sauf|au(?:ss|ß)er|' +
  'ausgenommen|tranne|behalve|utom|undtagen|z wyj[aą]tkiem)(?![\\p{L}\\p{N}])';
// "Some rights reserved" (Creative Commons' words: a holder named, HOLDER_SAID) and "no rights reserved" (CC0's and
// the Public Domain Mark's) claim no rights reserved, unless an exception follows.
const NOT_RESERVED = new RegExp(`(?<![\\p{L}\\p{N}])(?:some|no) rights reserved(?!${EXCEPTION})`, 'gu');

/**
 * The text says rights are reserved ("All rights reserved", "Alle Rechte vorbehalten", "No rights reserved except
 * the photograph"), read line by line: "Commercial use: No" above "Rights reserved" is no "no rights reserved"
 * (review V5: the lines were joined first).
 */
function reservedSaid(raw: string): boolean {
  const lines = raw.split(/\r\n|[\n\r\v\f\u0085\u2028\u2029]/).map((l) => plainRights(l).replace(NOT_RESERVED, ' '));
  return /rights reserved/.test(lines.join(' '));
}

// "All rights reserved" as other languages write it, and Creative Commons' "some rights reserved" and "no rights
// reserved" (CC0) in them: the words for all, for some, for none, then the phrase ("Alle Rechte vorbehalten", "Certains
// droits réservés"), accents optional. Read as the English words are (task R5: beside a licence they were read as the
// licence, alone as a text not recognised). Languages that say "no right reserved" in the singular need no entry.
const RESERVED_WORDS: { all: string; some: string; none?: string; phrase: string }[] = [
  { all: 'alle', some: 'einige', none: 'keine', phrase: 'rechte vorbehalten' },
  { all: 'tous(?: les)?', some: 'certains', phrase: 'droits (?:de reproduction )?r[ée]serv[ée]s' },
  { all: 'todos los', some: 'algunos', none: 'sin', phrase: 'derechos reservados' },
  { all: 'todos os', some: 'alguns', phrase: 'direitos reservados' },
  { all: 'tots els', some: 'alguns', phrase: 'drets reservats' },
  { all: 'tutti i', some: 'alcuni', phrase: 'diritti (?:sono )?riservati' },
  { all: 'alle', some: 'sommige', none: 'geen', phrase: 'rechten voorbehouden' },
  { all: 'wszelkie', some: 'niekt[óo]re', none: '[żz]adne', phrase: 'prawa zastrze[żz]one' },
  { all: 'alla', some: 'vissa', none: 'inga', phrase: 'r[äa]ttigheter (?:f[öo]rbeh[åa]llna|reserverade)' },
  { all: 'alle', some: 'visse', none: 'ingen', phrase: 'rettigheder forbehold(?:es|t)' },
  { all: 'alle', some: 'noen', none: 'ingen', phrase: 'rettigheter (?:reservert|forbeholdt)' },
  { all: 'kaikki', some: 'jotkin', phrase: 'oikeudet pid[äa]tet[äa][äa]n' },
  { all: 'v[šs]echna', some: 'n[ěe]kter[áa]', none: '[žz][áa]dn[áa]', phrase: 'pr[áa]va vyhrazena' },
  { all: 'v[šs]etky', some: 'niektor[ée]', none: '[žz]iadne', phrase: 'pr[áa]va vyhraden[ée]' },
  { all: 'все', some: 'некоторые', phrase: 'права защищены' },
  { all: '(?:усі|всі)', some: 'деякі', phrase: 'права захищені' },
  { all: 't[üu]m', some: 'baz[ıi]', phrase: 'haklar[ıi] sakl[ıi](?:d[ıi]r)?' },
  { all: 'minden', some: 'bizonyos', phrase: 'jog(?:ok)? fenntartva' },
  { all: 'toate', some: 'unele', phrase: 'drepturile (?:sunt )?rezervate' },
];
// "All rights reserved" in another word order ("Reservados todos los derechos"), and in Chinese and Japanese, which
// write no spaces: "版权所有" (copyright owned), "無断転載禁止" (no reproduction without permission) (review V5).
// Arabic, Persian, Hebrew, Korean and Greek (tester T12: "جميع الحقوق محفوظة" was not recognised, and the photograph
// shown in full): "(جميع) الحقوق محفوظة", "حقوق الطبع (والنشر) محفوظة", "کلیه حقوق (…) محفوظ است", "כל הזכויות
// שמורות", "판권 소유", "모든 권리 보유", "무단 전재 금지", "Με επιφύλαξη παντός δικαιώματος", "Όλα τα δικαιώματα
// διατηρούνται". Arabic and Persian letters both ways (ك ک, ي ی, ة ه), Greek accents optional.
const KO_JOIN = '[·・\\s\\-‐-―−]?';
const ALL_RESERVED = new RegExp(
  '(?<![\\p{L}\\p{N}])(?:reservados todos (?:los derechos|os direitos)|reservats tots els drets)(?![\\p{L}\\p{N}])|' +
    '版[权權]所有|著作[权權権]所有|無断転載禁止|禁止转载|' +
    '(?<![\\p{L}\\p{N}])(?:' +
    [
      'و?(?:(?:جميع|[كک]ل) )?الحقوق(?: (?:كلها|جميعها))? محفوظ[ةه]',
      'و?حقوق (?:الطبع|النشر|التأليف|الملكية)(?: و(?:الطبع|النشر|التأليف))? محفوظ[ةه]',
      '(?:[كک]ل[يی][ةه]|تمام[يی]|همه(?:\u200c?[يی])?) حقوق(?: [^\\s.;,|]+){0,6}? محفوظ',
      'حق(?:وق)? (?:چاپ|نشر|طبع)(?: و ?(?:چاپ|نشر|طبع))? محفوظ',
      // A word or two between ("כל הזכויות בתמונה שמורות", all rights in the image reserved), not "לא" (not).
      // With vowel marks written it is often spelt "זְכֻיּוֹת", without the "ו": "הזכיות" once they are gone.
      '(?:כל )?הזכו?יות(?: (?!(?:לא|אינן)(?!\\p{L}))[^\\s.;,|]+){0,3}? שמורות|זכו?יות (?:היוצרים )?שמורות',
      '(?:판권|저작권) ?소유',
      '모든 ?권리(?:를)? ?보유',
      // Run together or joined by a dot or a dash too ("무단전재·재배포금지", "무단 전재-재배포 금지").
      `무단${KO_JOIN}(?:전재|복제)(?:${KO_JOIN}(?:및${KO_JOIN})?(?:재배포|배포|복제|전재))?${KO_JOIN}금지`,
      // "The copyright is with (the museum)": "저작권은 박물관에 있습니다".
      '저작권[은이](?: [^\\s.;,|]+){1,3}? 있(?:습니다|음|다)',
      '(?:με )?επιφ[υύ]λαξη παντ[οό]ς (?:νομ[ιί]μου )?δικαι[ωώ]ματος',
      '[οό]λα τα δικαι[ωώ]ματα (?:διατηρο[υύ]νται|κατοχυρωμ[εέ]να|προστατε[υύ]ονται)',
    ].join('|') +
    ')',
  'gu',
);
const RESERVED = RESERVED_WORDS.map(
  ({ all, some, none = '(?!)', phrase }) =>
    new RegExp(`(?<![\\p{L}\\p{N}])(?:(${all}) |(${some}) |(${none}) )?${phrase}(?![\\p{L}\\p{N}])`, 'gu'),
);

// An Arabic or Persian letter, not the stretching line (U+0640) among them.
const ARABIC_LETTER = '[\u0620-\u063f\u0641-\u064a\u066e-\u066f\u0671-\u06d3\u06d5\u06fa-\u06fc\u06ff]';

/**
 * The text in lower case, every kind of space and dash made a plain one, runs of spaces one ("In\u00a0Copyright"),
 * "all rights reserved" in English whatever language it is written in.
 */
function plainRights(raw: string): string {
  let t = raw
    .normalize('NFC')
    .toLowerCase()
    // Arabic vowel marks (harakat) change no word (reviewer V29): "جميع الحقوق مَحفوظة" is "جميع الحقوق محفوظة".
    .replace(/[\u064b-\u065f\u0670]/g, '')
    // Nor do Hebrew vowel and cantillation marks (niqqud, task D39): "כָּל הַזְּכוּיוֹת שְׁמוּרוֹת" is "כל הזכויות שמורות".
    // Not the Hebrew hyphen (maqaf, U+05BE) nor the punctuation among them (U+05C0, U+05C3, U+05C6): they part words.
    .replace(/[\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7]/g, '')
    // Nor does the stretching line (tatweel) inside an Arabic word ("محفـوظة"). Elsewhere it, and the left-to-right,
    // right-to-left and Arabic letter marks, break words: "In\u200eCopyright" is "In Copyright", not "InCopyright"
    // (reviewer V31: deleted, they joined words and the licence beside was read).
    .replace(new RegExp(`(?<=${ARABIC_LETTER})\u0640+(?=${ARABIC_LETTER})`, 'g'), '')
    .replace(/[\u200e\u200f\u061c\u0640]/g, ' ')
    .replace(/\s+/g, ' ');
  for (const words of RESERVED)
    t = t.replace(words, (_, all, some, none) => `${all ? 'all ' : some ? 'some ' : none ? 'no ' : ''}rights reserved`);
  t = t.replace(ALL_RESERVED, ' all rights reserved ');
  return t
    .replace(/[‐-―−]/g, '-')
    .replace(/\s+/g, ' ')
    .replace(/\bin ?- ?copyright\b/g, 'in copyright')
    .replace(
      /\b(?:(?:not|no longer|never)(?: been)? in|out[ -]of)[ -]copyright\b|\bnot copyrighted\b/g,
      'no copyright',
    );
}

const PUBLIC_DOMAIN_MARK: Omit<Rights, 'text'> = {
  uri: 'https://creativecommons.org/publicdomain/mark/1.0/',
  label: 'Public Domain Mark 1.0',
  badge: 'Public domain',
  download: true,
};

// The Public Domain Mark's address, "public domain", and "public domain" in other languages ("Domaine public",
// "Gemeinfrei": tester T3, F16).
const MARK = new RegExp(`creativecommons\\.org\\/publicdomain\\/mark|public domain|${PUBLIC_DOMAIN_ELSEWHERE}`, 'u');

/**
 * The open licences and public-domain tools a text names, each time it names one: CC licences by address, CC0, the
 * Public Domain Mark, CC licences by their short and long names, in that order, so that of two that allow as much the
 * first is read ("Public domain (CC0)" is CC0, as before). Reading them all is task D4's: "Public domain; CC BY-NC
 * 4.0" read only the first, and showed the second's terms to nobody.
 */
function openLicences(t: string): Omit<Rights, 'text'>[] {
  const out: Omit<Rights, 'text'>[] = [];
  for (const m of t.matchAll(/creativecommons\.org\/licenses\/((?:by|nc|sa|nd)(?:-(?:by|nc|sa|nd))*)\/(\d\.\d)/g))
    out.push(creativeCommons(m[1]!.split('-'), m[2]));
  if (/creativecommons\.org\/publicdomain\/zero|\bcc0\b|cc zero|creative commons zero|public domain dedication/.test(t))
    out.push({
      uri: 'https://creativecommons.org/publicdomain/zero/1.0/',
      label: 'CC0 1.0 Universal (Public Domain Dedication)',
      badge: 'CC0',
      download: true,
    });
  if (MARK.test(t)) out.push(PUBLIC_DOMAIN_MARK);
  // "CC BY-NC-SA 4.0", "CC-BY".
  for (const m of t.matchAll(/\bcc[\s-]+(by(?:[\s-]+(?:nc|sa|nd))*)(?:\s+(\d\.\d))?/g))
    out.push(creativeCommons(m[1]!.split(/[\s-]+/), m[2]));
  // "Creative Commons Attribution-NonCommercial 4.0".
  for (const m of t.matchAll(new RegExp(CC_LONG, 'g'))) {
    const words = m[1]!;
    const parts = [
      'by',
      ...(/non-?commercial/.test(words) ? ['nc'] : []),
      ...(/share-?alike/.test(words) ? ['sa'] : []),
      ...(/no ?deriv/.test(words) ? ['nd'] : []),
    ];
    out.push(creativeCommons(parts, m[2]));
  }
  return out;
}

// A field's name written before its value, as exports that flatten fields write it: "Copyright: Not in copyright",
// "Rights: Public domain", "Licence: CC BY 4.0".
const FIELD_NAME = /^(?:copyright|rights(?:\s+statement)?|licen[cs]e)\s*:\s*/i;

/**
 * The standard statement behind a museum's rights text. A field name before it ("Copyright: Not in copyright") is not
 * read when what follows is a statement of its own; when it is not ("Copyright: Jane Doe", a holder named), the whole
 * text is read as before, so that "Copyright:" still says a copyright. After "Copyright:" the statement must be all
 * there is: a holder beside it, however set apart ("Copyright: Jane Doe (CC BY-SA 4.0)", "Copyright: CC BY 4.0 /
 * Jane Doe"), is read as "© Jane Doe …" is (review V3: separators were guessed at, and missed some). "Copyright:"
 * followed by a word alone that names no holder ("Copyright: unknown", "Copyright: none") is read as that text
 * without the colon ("Copyright unknown"): unknown rights, not a holder named "unknown".
 */
export function rightsOf(text: string): Rights {
  const raw = text.trim();
  // A run of spaces or tabs reads as one space, and of blank lines as one blank line: a field padded with thousands
  // of them made the patterns that look around the record's name take minutes (reviewer V27: 90,000 spaces, 4
  // minutes), and they say nothing more.
  const spaced = raw.replace(/[^\S\n\r]{2,}/g, ' ').replace(/(?:\r?\n[^\S\r\n]*){3,}/g, '\n\n');
  if (spaced !== raw) return { ...rightsOf(spaced), text: raw };
  // An invisible mark inside a word ("In\u200eCopyright", "Public\u200fdomain", a zero-width space) may be a word break
  // or nothing: the text is read as written, with the marks gone, as spaces, and each kind of mark and each mark one
  // way with the rest the other (markReadings, as image-rules.ts reads them), and the reading that shows less is
  // kept. So a mark never reads more open than the text without it, nor than before (task D39: a mark was a break,
  // and "Public\u200fdomain" read as the Public Domain Mark; reviewer V32: "In\u200eCo\u200bpyright; CC0" read as
  // CC0, one mark a break and the other nothing). Not recognised, the label is the museum's text, marks and all.
  const [asWritten = raw, ...others] = markReadings(raw);
  if (others.length) {
    const read = showsLess([rightsAsWritten(asWritten), ...others.map((r) => rightsOf(r))])!;
    return { ...read, text: raw, label: read.uri === null ? raw : read.label };
  }
  return rightsAsWritten(raw);
}

/** rightsOf of a text whose runs of spaces are one. */
function rightsAsWritten(raw: string): Rights {
  const asRead = copyrightStatusAsRead(raw);
  if (asRead !== raw) return { ...rightsOf(asRead), text: raw };
  const field = FIELD_NAME.exec(raw);
  if (field) {
    const rest = raw.slice(field[0].length);
    // "Copyright: unknown" is read as "Copyright unknown": the word after the field name names no holder.
    if (/^copyright/i.test(field[0]) && STATUS_ALONE.test(plainRights(rest).trim()))
      return { ...readRights(/^copyright\b/i.test(rest) ? rest : `Copyright ${rest}`), text: raw };
    const value = readRights(rest);
    const copyrightField = /^copyright\s*:/i.test(field[0]);
    if (value.uri !== null && (!copyrightField || statementOnly(rest))) return { ...value, text: raw };
  }
  return readRights(raw);
}

// The words of a standard statement, its code, URI or version: what "Copyright:" may be followed by and nothing else.
const STATEMENT_WORDS = new RegExp(
  [
    // Only the two sites whose addresses name a statement: any other address may be the holder's.
    'https?://(?:www\\.)?(?:creativecommons|rightsstatements)\\.org/\\S*',
    'creative commons',
    'cc[\\s-]*(?:by|0|zero)(?:[\\s-]*(?:nc|sa|nd))*',
    // A version ("4.0"), not a year: "CC BY 4.0 2019" names a year of a holder's copyright.
    '(?:version\\s*)?\\d(?:\\.\\d)?',
    'international',
    'universal',
    'unported',
    'generic',
    'public domain(?:\\s+mark)?(?:\\s+dedication)?',
    'pdm',
    'attribution',
    'non-?commercial',
    'share-?alike',
    'no-?deriv\\w*',
    'no derivatives',
    // CC0's and the Public Domain Mark's own words.
    'no rights reserved',
    'no known copyright restrictions',
    'no known copyright',
    'no copyright',
    'contractual restrictions',
    'other known legal restrictions',
    'united states',
    'use only',
    'copyright not evaluated',
    'not evaluated',
    'copyright undetermined',
    'undetermined',
    'expired',
    'noc[\\s-]*(?:us|nc|cr|oklr)',
    'nkc',
    'cne',
    'und',
    'licen[cs]e[ds]?',
  ]
    .map((w) => `\\b${w}\\b`)
    .join('|'),
  'g',
);

// "Public domain" in other languages, a statement too ("Copyright: Gemeinfrei").
const PUBLIC_DOMAIN_WORDS_ELSEWHERE = new RegExp(PUBLIC_DOMAIN_ELSEWHERE, 'gu');

/** The text says a standard statement and nothing else (no holder named beside it). */
function statementOnly(text: string): boolean {
  return (
    plainRights(text)
      .replace(STATEMENT_WORDS, ' ')
      .replace(PUBLIC_DOMAIN_WORDS_ELSEWHERE, ' ')
      .replace(/[\s.,;:()/|-]+/g, '') === ''
  );
}

// The CC licences and CC0: the tools a holder gives, which a credit to the artist yields to.
const CC_GIVEN = /^https:\/\/creativecommons\.org\/(?:licenses|publicdomain\/zero)\//;

// Not Evaluated and Undetermined beside another statement only in their full words ("CC0; copyright not evaluated"):
// "Public domain; date undetermined" says nothing of the rights.
const STRICT_PATTERNS: Record<string, RegExp> = {
  CNE: /copyright not evaluated/,
  UND: /copyright undetermined/,
};

/** The statement limits commercial use itself: a NonCommercial licence, No Copyright - Non-Commercial Use Only. */
function nonCommercial(r: Pick<Rights, 'uri'>): boolean {
  return /\/licenses\/[a-z-]*\bnc\b|\/NoC-NC\//.test(r.uri ?? '');
}

/**
 * The rightsstatements.org statements a text gives as addresses or codes, in the order it gives them: every address,
 * then the No Copyright codes ("NoC-US"), then the short codes as a clause of their own ("CNE", "CC0 | UND"), since
 * "UND" or "CNE" in a sentence may be words or initials.
 */
function codedStatements(raw: string): (typeof STATEMENTS)[number][] {
  const parts = raw.split(CLAUSE_PARTING).map((c) => c.trim());
  const found = [
    ...[...raw.matchAll(/rightsstatements\.org\/(?:vocab|page)\/([A-Za-z-]+)\/1\.0/gi)].map((m) => m[1]!),
    ...[...raw.matchAll(/(?<![\w/-])(NoC-(?:US|NC|CR|OKLR))(?![\w-])/g)].map((m) => m[1]!),
    ...parts.flatMap((c) => c.match(/^(NKC|CNE|UND)\.?$/)?.[1] ?? []),
    ...parts.flatMap((c) => codeAfterField(c)),
  ];
  return found.flatMap((code) => STATEMENTS.find((x) => x.code.toLowerCase() === code.toLowerCase()) ?? []);
}

// A holder field's name, then CNE or UND ("Bild: UND", "fot. CNE"), in lower case.
const FIELD_THEN_CODE = new RegExp(`^(?:${HOLDER_FIELD.source})\\s*(?:cne|und)$`, 'u');

/**
 * CNE or UND after a photograph's or holder's field name ("Bild: UND; CC0", "Photo: CNE", "Photo: UND (CC0)", "Bild:
 * UND CC0"): a code said of the photograph, read as when it stands alone (task D39: it named no holder and was
 * dropped, and the CC0 beside it offered for download; reviewer V32: only before ";", "|", "," or a new line). In
 * capitals only: "Bild: und; CC0" is German "and". Not NKC, which would open a text read as unknown now
 * ("Metadata: CC0; Bild: NKC").
 */
function codeAfterField(clause: string): string[] {
  const m = /^(.+?)\s*(CNE|UND)(?![\p{L}\p{N}])/u.exec(clause);
  return m && FIELD_THEN_CODE.test(`${m[1]!} ${m[2]!}`.toLowerCase()) ? [m[2]!] : [];
}

/** rightsOf without a field name. */
function readRights(text: string): Rights {
  const raw = text.trim();
  // A picture word before the record that may end a name ("Gift of Jane Doe and LUX Films, metadata: CC0") or be
  // the picture ("All videos and metadata: CC BY-NC 4.0"): read both ways, the reading that shows less is kept
  // (reviewer V25, F1).
  const [work = raw, ...others] = workReadings(raw);
  const reading = readWork(raw, work);
  return others.length ? (showsLess([reading, ...others.map((o) => readWork(raw, o))]) ?? reading) : reading;
}

/** `raw` read with `work`, its text with the record's statements blanked (rights-doubts.ts). */
function readWork(raw: string, work: string): Rights {
  const t = plainRights(copyrightSigns(raw));
  const none: Rights = {
    text: raw,
    uri: null,
    label: raw ? raw : 'Rights not yet determined',
    badge: null,
    download: false,
  };
  if (!t) return { ...none, label: 'Rights not yet determined' };
  const statement = (s: (typeof STATEMENTS)[number]): Rights => ({
    text: raw,
    uri: `${RS}/${s.code}/1.0/`,
    label: s.name,
    badge: s.badge,
    download: s.download,
  });
  // The statements are read on the work's text: what the record's clauses say of the metadata is not the work's,
  // be it a licence, a code, an address or a name (task D3: "Metadata: NoC-US" was No Copyright - United States).
  const aboutRecord = work !== raw;
  const w = aboutRecord ? plainRights(copyrightSigns(work)) : t;
  let said =
    copyrightSaid(withoutAddresses(w), work) ??
    inCopyrightWordsSaid(t) ??
    (recordSaysProtected(raw) ? 'statement' : null);
  const doubted = licenceDoubted(w);

  // URIs and codes given outright. One In Copyright wins over any other statement, wherever it stands.
  const codes = codedStatements(work);
  const incCoded = codes.find((s) => s.code.startsWith('InC'));
  if (incCoded) return statement(incCoded);
  const licences = openLicences(w);
  const worded = STATEMENTS.filter((s) => (STRICT_PATTERNS[s.code] ?? s.pattern).test(w));
  const unknown = rightsUnknown(raw);
  // The artist credited is In Copyright, unless the text gives a CC licence and nothing else: the artist gave it
  // ("Courtesy of the artist; CC BY 4.0", task D4). Not a licence doubted or of the photograph only, nor the public
  // domain or another statement beside the credit, which the artist could not give: those show less.
  if (!said && artistCredited(t)) {
    const ccOnly =
      licences.length > 0 &&
      licences.every((l) => CC_GIVEN.test(l.uri ?? '')) &&
      codes.length === 0 &&
      worded.length === 0 &&
      !unknown &&
      !doubted &&
      !photographLicensed(w) &&
      !commercialUseRestricted(t);
    if (!ccOnly) said = 'statement';
  }
  // In copyright anywhere in the text, a holder named too: that wins over an open licence or "public domain" named
  // beside it. "© Jane Doe / CC BY-SA 4.0" may be the work licensed by its holder, but "Public domain; © The National
  // Gallery" or "CC BY-NC 4.0 | © Estate of …" are as often a claim on the photograph or a licence of the photograph
  // only: shown in full by mistake is the museum's legal risk, shown small is not. The licence alone is read as it.
  if (said) {
    const inc = raw.match(IN_COPYRIGHT_CODE)?.[1];
    return statement(
      STATEMENTS.find((x) => x.code === inc) ??
        STATEMENTS.find((x) => x.code.startsWith('InC') && x.pattern.test(t)) ??
        STATEMENTS.find((x) => x.code === 'InC')!,
    );
  }
  // Every statement the text names; of two that conflict, the one that shows less (rights-doubts.ts, showsLess).
  // The rights said to be unknown are one, Undetermined, read as unknown (task D6: "NKC; rights unknown").
  const named = [
    ...codes.map((s) => statement(s)),
    ...licences.map((l) => ({ text: raw, ...l })),
    ...worded.map((s) => statement(s)),
    ...(unknown ? [none] : []),
  ];
  const chosen = showsLess(named);
  // Commercial use limited beside a statement that allows it ("Public domain; no commercial use without permission",
  // "CC BY 4.0; commercial use requires a licence"): the text contradicts itself, and the museum may claim the
  // photograph, so it is unknown, not offered for download (task F3). Not NoC-NC, which says a public-private
  // partnership limits it, unless the text says so in its words ("Public domain; No Copyright - Non-Commercial Use
  // Only"). Beside a NonCommercial licence the limit is the licence's own ("CC BY-NC 4.0; commercial use only with
  // permission").
  if (chosen?.download && !nonCommercial(chosen) && commercialUseRestricted(t)) {
    const nc = STATEMENTS.find((x) => x.code === 'NoC-NC')!;
    return nc.pattern.test(t) ? statement(nc) : none;
  }
  // A licence denied, to come, pending, or of the metadata only and none of the work: not open (rights-doubts.ts).
  if (doubted || (aboutRecord && !named.length)) {
    const unsure = STATEMENTS.find((x) => (x.code === 'CNE' || x.code === 'UND') && x.pattern.test(w));
    return unsure ? statement(unsure) : none;
  }
  if (chosen) return chosen;
  for (const s of STATEMENTS) if (s.pattern.test(w)) return statement(s);
  // "No copyright", "Not in copyright", "Out of copyright" as the whole text: free of known copyright. Not a text
  // that says more ("No copyright information available", "Possibly not in copyright").
  if (/^no copyright[.!]?$/.test(w.trim())) return { text: raw, ...PUBLIC_DOMAIN_MARK };
  // Unknown on purpose (task F3), shown as catalogue.images.unknown says and named in the build log: "Reuse permitted
  // with attribution" names no licence (CC BY says more: commercial use, changes, no other terms); "Libre de droits"
  // is royalty-free, a licence bought once, not the public domain (as "Copyright free" is unknown); "Open Access – no
  // permission required" names a museum's programme, whose licence differs from one museum to the next (CC0, CC BY,
  // some non-commercial).
  return none;
}
