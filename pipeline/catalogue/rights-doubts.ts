/*
 * Rights texts that doubt, deny or narrow what they seem to say (tester T3, F4, F8, F12, F13, F18): "copyrighted" and
 * "in copyright" in other languages, a licence of the metadata only or with the photograph excepted, a licence denied,
 * still to come or pending, and a web address whose words are not the text's. Shown in full by mistake is the museum's
 * legal risk, shown small is not: when unsure, a text is never read as open. rights.ts calls these; the texts they are
 * given are rights.ts's plain ones (lower case, spaces and dashes made plain).
 */

/**
 * The copyright sign as some systems write it, made the one rights.ts reads: the circled C ("Ⓒ Jane Doe", U+24B8, and
 * "ⓒ") as "©", a C between full-width brackets ("（c）2021 Jane Doe", "(ｃ)") as "(c)". Normalising (NFKC) does the
 * second and not the first.
 */
export function copyrightSigns(raw: string): string {
  return raw.replace(/[Ⓒⓒ]/g, '©').replace(/[（(]\s*[cCｃＣ]\s*[）)]/g, '(c)');
}

// Words before a statement that deny it: "nicht urheberrechtlich geschützt", "non protégé", "niet beschermd".
const DENIED = '(?<!\\b(?:not|never|no longer|nicht|nicht mehr|kein|non|ne|pas|niet|niet meer|no|nie|più)\\s)';

/**
 * "In copyright" said in other words: "copyrighted" ("not copyrighted" is made "no copyright" before), "Copr. 1950",
 * "urheberrechtlich geschützt", "protégé par le droit d'auteur", "auteursrechtelijk beschermd", "protegido por
 * derechos de autor", "protetto dal diritto d'autore", "sous droits", "rights managed" (a picture library's licensed
 * photograph), a photograph "licensed from" someone, reproduction rights held by someone, a photograph "protected",
 * reproduction prohibited, and the picture libraries that license photographs in copyright ("image: Getty Images").
 */
const IN_COPYRIGHT_WORDS = new RegExp(
  `${DENIED}(?:${[
    '\\bcopyrighted\\b',
    '\\bcopr\\.',
    '\\burheberrechtlich gesch(?:ü|ue)tzt',
    '\\bprot[ée]g[ée]e?s? par (?:le |les )?droits? d.auteur',
    '\\bauteursrechtelijk beschermd',
    '\\bprotegid[oa]s? por (?:los )?derechos de autor',
    '\\bprotett[oaie] da(?:l)? diritt[oi] d.autore',
    '\\brights?[ -]managed\\b',
    '\\bsous droits?\\b',
    // Not the data's ("CC0 (data licensed from Wikidata)", review V6): the record's licence says nothing of the photograph.
    '(?<!\\b(?:data|metadata|text|record|records|information)\\s)\\b(?:under licen[cs]e|licen[cs]ed) from\\b',
    // Reproduction rights held by someone ("reproduction rights: Jane Doe"), not a statement after the colon.
    '\\breproduction rights?\\s*(?:(?:are\\s+)?(?:held|owned|reserved|retained)\\s+by|belong(?:s|ing)?\\s+to|' +
      ':(?!\\s*(?:cc|creative|public|no\\b|none|n/a|unknown|not\\b|open|free|$)))',
    '\\b(?:photo|photograph|image|picture|reproduction|scan)s?\\s+(?:is|are)\\s+(?:still\\s+)?protected\\b',
    '\\breproductions?\\s+(?:is\\s+|are\\s+)?(?:strictly\\s+)?(?:prohibited|forbidden|not (?:permitted|allowed))\\b',
    '\\b(?:bridgeman (?:images|art library)|getty images|alamy|akg-images|art resource|scala archives|superstock)\\b',
  ].join('|')})`,
);

/** The text says in other words that the work or its photograph is in copyright: read as "©" beside it is. */
export function inCopyrightWordsSaid(t: string): 'statement' | null {
  return IN_COPYRIGHT_WORDS.test(withoutAddresses(t)) ? 'statement' : null;
}

/**
 * The text with its web addresses made one word ("address"): "copyright" in "https://museum.org/copyright" is no
 * holder (tester T3, F12), but an address still names someone where a holder is expected ("Photo: https://…").
 */
export function withoutAddresses(t: string): string {
  return t.replace(/\b(?:https?:\/\/|www\.)\S+/g, ' address ');
}

// An open licence or public-domain statement named, in a plain text.
const OPEN_NAMED = /\bcc0\b|\bcc[\s-]+(?:by|zero)|creative commons|public domain|no known copyright|\bpdm\b/;

// What is licensed other than the photograph: the record, its data or text ("Metadata: CC0", "Text CC BY-SA 4.0").
const NOT_THE_PHOTOGRAPH =
  '(?:the\\s+|this\\s+|all\\s+|our\\s+)?(?:object\\s+|catalogue\\s+|catalog\\s+|collection\\s+)?' +
  '(?:meta-?data|data|texts?|records?|descriptions?)\\b' +
  // Not "Metadata and images: CC0", "CC0 for data & images".
  '(?!\\s*(?:and|&|\\+|,)\\s*(?:the\\s+)?(?:images?|photo\\w*|pictures?))';

/**
 * A clause whose licence is said of the metadata only: "Metadata: CC0", "Text CC BY-SA 4.0", "CC0 (metadata only)",
 * "CC BY 4.0 for metadata only", "CC0 for the record". Not "Metadata and images: CC0".
 */
const METADATA_ONLY = new RegExp(
  [
    `^\\s*(?:(?:rights|licen[cs]e|usage|terms)\\s*:\\s*)?${NOT_THE_PHOTOGRAPH}`,
    `\\b(?:for|of|to|on|covers)\\s+${NOT_THE_PHOTOGRAPH}`,
    '\\b(?:meta-?data|data|texts?|records?|descriptions?)\\s+only\\b',
  ].join('|'),
);

/**
 * The text without its clauses that license the metadata only ("Metadata: CC0; Image: CC BY 4.0" is read for "Image:
 * CC BY 4.0"), each made spaces. When nothing else names a licence, the photograph's rights are not said: unknown, or
 * In Copyright when a "©" is there (tester T3, F13).
 */
export function photographLicenceText(t: string): string {
  return t.replace(/[^;|\n]+/g, (clause) =>
    clause
      .split(/(?<=\.\s)/)
      .map((c) => (OPEN_NAMED.test(c) && METADATA_ONLY.test(withoutAddresses(c)) ? ' '.repeat(c.length) : c))
      .join(''),
  );
}

/**
 * A licence denied, still to come or pending, or the photograph excepted from it: "Not CC0", "Will enter the public
 * domain in 2040", "Public domain from 2040", "CC BY 4.0 – licence not yet granted", "(licence pending)", "CC0 except
 * the photograph", "not the image".
 */
/** Words that say a licence is still to come: "pending", "TBC", "not yet granted". */
const PENDING =
  '(?:pending|tbc|to be confirmed|not yet (?:granted|given|licen[cs]ed|cleared|released|confirmed|agreed))';

const LICENCE_DOUBTED = new RegExp(
  [
    '\\b(?:not|never|no longer)\\s+(?:(?:under|licen[cs]ed under|released under|available under|covered by|a|an)\\s+)*' +
      '(?:the\\s+)?(?:cc0|cc[\\s-]+(?:by|zero)|creative commons|open licen)',
    '\\bwill\\b[^;.]*\\bpublic domain',
    '\\b(?:enters|becomes|passes into|falls into)\\s+(?:the\\s+)?public domain',
    // "Public domain from 2040", "as of 1 January 2045", "after January 1, 2045"; not "since 1990".
    '\\bpublic domain\\s+(?:from|after|as of|starting|beginning|on)\\s+(?:in\\s+)?' +
      '(?:\\d{1,2}\\s+[a-z]+\\s+|[a-z]+\\s+\\d{1,2},?\\s+)?\\d{4}\\b',
    // Pending next to a licence or its words only: "Public domain; accession pending", "date TBC" are other matters
    // (review V6); "(licence pending)", "rights: TBC", "CC0 - TBC", "CC BY 4.0 (pending)" doubt the licence.
    `\\b(?:licen[cs]e|licensing|rights?|clearance|permission|copyright(?: status)?)\\s*(?:is\\s+|are\\s+|:\\s*)?${PENDING}\\b`,
    `(?:\\bcc0|\\bcc[\\s-]+by(?:[\\s-]+(?:nc|sa|nd))*(?:[\\s-]+\\d\\.\\d)?|\\bpublic domain)\\s*(?:[-–—:,;]\\s*|\\(\\s*)?` +
      `${PENDING}\\b`,
    '\\bawaiting\\s+(?:permission|clearance|licen[cs]|confirmation|approval)',
    '\\b(?:except|excluding|excludes|other than|but not|not)\\s+(?:for\\s+)?(?:the\\s+|this\\s+|its\\s+|their\\s+)?' +
      '(?:photo|photograph|image|picture|reproduction|scan|photography)s?\\b',
  ].join('|'),
);

/**
 * The open licence a text names may not be the photograph's: it is denied, still to come, pending, or the photograph
 * is excepted. Such a text is never read as open: unknown, or In Copyright when it says so (tester T3, F18).
 */
export function licenceDoubted(t: string): boolean {
  return LICENCE_DOUBTED.test(withoutAddresses(t));
}

// A field name that says the value is the copyright's status, as collection systems export it: "Copyright status:",
// "Copyright information:" (TMS, EMu, Axiell).
const COPYRIGHT_STATUS_FIELD = /^copyright\s+(?:status|information|info|statement)\s*:\s*/i;

/**
 * A text read as another that says the same in the words rights.ts reads (tester T3, F5): "Copyright status: Public
 * Domain" as "Copyright: Public Domain"; "Copyright has expired" as "Copyright expired" and "Free of copyright" as
 * "Copyright free", unknown rights, not In Copyright (docs/catalogue.md says why they are not read as open).
 */
export function copyrightStatusAsRead(raw: string): string {
  return raw
    .replace(COPYRIGHT_STATUS_FIELD, 'Copyright: ')
    .replace(/\bcopyright\s+(?:has|have)\s+(?:expired|lapsed)\b/gi, 'Copyright expired')
    .replace(/\bfree of copyright\b/gi, 'Copyright free');
}
