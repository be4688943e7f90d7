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

/*
 * The artist credited for the work or its photograph ("Courtesy of the artist", "Courtesy the artist and Gagosian"):
 * the artist, or the estate, holds the rights and lent them; a living artist's work is in copyright (task F3: it was
 * unknown). A body credited ("Courtesy of the Library of Congress") says nothing of copyright.
 */
const ARTIST_CREDITED = new RegExp(
  `${DENIED}(?:${[
    "\\bcourtesy (?:of )?(?:the )?(?:artist(?:s|['’]s?)?(?: estate)?|estate of)\\b",
    "\\b(?:avec l['’])?aimable autorisation de (?:l['’]artiste|la succession)",
    '\\bmit freundlicher genehmigung (?:des künstlers|der künstlerin|der künstler|des nachlasses)',
    '\\bcortes[íi]a (?:de )?(?:la |el |los )?artistas?\\b',
    "\\bper gentile concessione dell['’]artista",
    '\\bmet (?:dank aan|toestemming van) de kunstenaar',
  ].join('|')})`,
);

/**
 * The artist or the estate credited ("Courtesy of the artist"): In Copyright, unless the text gives the work a CC
 * licence too ("Courtesy of the artist; CC BY 4.0", task D4), which rights.ts decides. A credit line says who lent
 * the picture; a licence says what anyone may do with it, and only the holder, the artist here, can give one.
 */
export function artistCredited(t: string): boolean {
  return ARTIST_CREDITED.test(withoutAddresses(t));
}

/*
 * A permission asked for, a reuse or reproduction forbidden, a right reserved in words other than "all rights reserved"
 * (task R9: these were not recognised, and the photograph shown in full): "Permission required", "Reproduction only
 * with permission", "Use by permission only", "Verwendung nur mit Genehmigung", "Reproduction soumise à autorisation",
 * "Reproducción prohibida sin permiso", "Riproduzione soggetta ad autorizzazione", "Alleen met toestemming", "Not for
 * reuse", "Urheberrecht vorbehalten". Read clause by clause: one that speaks of commercial use says a licence's own
 * terms ("CC BY-NC 4.0; commercial use only with permission"), and is not read.
 */
const PERMISSION_WORDS =
  '(?:permission|consent|genehmigung|erlaubnis|zustimmung|autorisation|autorizaci[óo]n|permiso|' +
  'autorizzazione|permesso|toestemming)';
// Words that deny what follows them ("no", "keine", "aucune", "sin", "nessuna", "geen").
const NOT_WORDS =
  "(?:no|not|never|without|don['’]t|doesn['’]t|keine?|nicht|aucune?|pas|sans|sin|ning[úu]n[oa]?|nessun[oa]?|non|senza|" +
  'geen|niet|zonder)';
// Up to `n` words between, none that denies: "Reuse requires no permission" asks for none.
const WORDS = (n: number) => `(?:(?!${NOT_WORDS} )[\\p{L}'’-]+ ){0,${n}}`;
// Asked for: not when denied just before ("No permission required", "Keine Genehmigung erforderlich", "No se requiere
// permiso", "Aucune autorisation requise", "Geen toestemming vereist", "does not require permission").
const PERMISSION_ASKED = new RegExp(
  `(?<![\\p{L}\\p{N}])(?<!(?<![\\p{L}\\p{N}])${NOT_WORDS} (?:[\\p{L}'’-]+ ){0,2})(?:${[
    // English.
    `${PERMISSION_WORDS} ${WORDS(4)}(?:required|needed|necessary|must be (?:obtained|sought|requested))`,
    `(?:requires?|need(?:s|ed)?) ${WORDS(3)}${PERMISSION_WORDS}`,
    `(?:requires?|need(?:s|ed)?) ${WORDS(2)}licen[cs]e`,
    `permissions? ?: ?(?:please )?(?:contact|ask|apply|write)`,
    `(?:with|by) ${WORDS(3)}permission only`,
    `only (?:with|by|after) ${WORDS(3)}${PERMISSION_WORDS}`,
    `(?:reproduced|used|published|reprinted|shown|reproductions?|use|re-?use|publication) (?:by|with) ` +
      `${WORDS(2)}permission`,
    `subject to ${WORDS(3)}(?:permission|consent|approval|authori[sz]ation)`,
    `(?:ask|request|seek|obtain|contact) ${WORDS(4)}(?:for )?${PERMISSION_WORDS}`,
    // German.
    `nur mit ${WORDS(2)}${PERMISSION_WORDS}`,
    `${PERMISSION_WORDS} ${WORDS(1)}(?:erforderlich|notwendig|n[öo]tig)`,
    'genehmigungspflichtig',
    // French.
    `soumis(?:e|es)? (?:à|a) ${WORDS(2)}autorisation`,
    `sur autorisation`,
    `(?:avec|sur) ${WORDS(2)}autorisation uniquement`,
    `uniquement (?:avec|sur) ${WORDS(2)}autorisation`,
    `autorisation ${WORDS(1)}(?:requise|obligatoire|n[ée]cessaire)`,
    `(?:demander|solliciter|obtenir) ${WORDS(2)}(?:l['’])?autorisation`,
    // Spanish.
    `(?:s[óo]lo|solamente|[úu]nicamente) (?:con|bajo|previa) ${WORDS(2)}(?:autorizaci[óo]n|permiso)`,
    `(?:se )?requiere ${WORDS(2)}(?:autorizaci[óo]n|permiso)`,
    `(?:autorizaci[óo]n|permiso) ${WORDS(1)}(?:requerid[oa]|necesari[oa]|obligatori[oa])`,
    `sujet[oa]s? a ${WORDS(2)}(?:autorizaci[óo]n|permiso)`,
    // Italian.
    `(?:solo|soltanto) (?:su|con|previa|dietro) ${WORDS(2)}(?:autorizzazione|permesso)`,
    'previa autorizzazione',
    `soggett[oaie] (?:ad? )?${WORDS(2)}(?:autorizzazione|permesso)`,
    `(?:autorizzazione|permesso) ${WORDS(1)}(?:richiest[oa]|necessari[oa]|obbligatori[oa])`,
    // Dutch.
    `alleen (?:met|na) ${WORDS(2)}toestemming`,
    `toestemming ${WORDS(1)}(?:vereist|verplicht|nodig)`,
  ].join('|')})(?![\\p{L}\\p{N}])`,
  'u',
);
// Forbidden or reserved, the denial in the words themselves: "Not for reuse", "No reproduction without permission",
// "Reproduction interdite", "Prohibida la reproducción", "Urheberrecht vorbehalten".
const REUSE_FORBIDDEN = new RegExp(
  `(?<![\\p{L}\\p{N}])(?:${[
    `(?:no|not|never|may not|must not|cannot|prohibited|forbidden) ${WORDS(4)}without ${WORDS(3)}` +
      `(?:permission|consent|authori[sz]ation)`,
    'not (?:for|to be) (?:re-?us(?:e|ed)|reproduced|reproduction|republi(?:shed|cation))',
    're-?use (?:is |are )?(?:not (?:permitted|allowed)|prohibited|forbidden)',
    'nicht zur (?:weiter|nach)?(?:verwendung|nutzung|vervielf[äa]ltigung)',
    `ohne ${WORDS(2)}(?:genehmigung|erlaubnis|zustimmung) keine`,
    '(?:weiterverwendung|vervielf[äa]ltigung|reproduktion|abdruck|nachdruck) (?:ist )?' +
      '(?:nicht gestattet|untersagt|verboten)',
    '(?:urheber|bild|nutzungs|verwertungs)rechte? (?:sind |ist )?vorbehalten',
    'reproductions? (?:est |sont )?interdites?',
    "droits? d['’]auteur r[ée]serv[ée]s",
    '(?:reproducci[óo]n|uso) (?:est[áa] )?prohibid[oa]',
    'prohibid[oa] (?:la|su) (?:reproducci[óo]n|uso)',
    '(?:riproduzione|uso) (?:è )?vietat[oa]',
    'vietat[oa] la riproduzione',
    'reproductie (?:is )?verboden',
    'niet voor hergebruik',
    'hergebruik (?:is )?niet toegestaan',
  ].join('|')})(?![\\p{L}\\p{N}])`,
  'u',
);
// As a clause of its own only, since they may say something else beside other words ("Protected area"): "Geschützt",
// "Protected", "CC0; Geschützt" (review V7: beside an open statement they were read as it).
const PROTECTED_ALONE =
  /^(?:(?:urheberrechtlich )?gesch(?:ü|ue)tzt|protected|prot[ée]g[ée]e?s?|protegid[oa]s?|protett[oaie]|beschermd)[.!]?$/u;
// A protected monument or building named: "Rijksmonument", "Beschermd monument", "Baudenkmal", "denkmalgeschützt",
// "Listed building", "Scheduled monument", "Monument historique", "Bien de interés cultural", "Zabytek". Beside it,
// "beschermd", "geschützt" or "protected" as a clause says the monument is protected, not a copyright (task F3:
// "Rijksmonument; beschermd; publiek domein" was In Copyright).
const MONUMENT = new RegExp(
  `(?<![\\p{L}\\p{N}])(?:${[
    '(?:rijks|gemeentelijk |provinciaal |beschermd )monument(?:en)?',
    'beschermd (?:stads- en dorps)?gezicht',
    '(?:bau|boden|kultur|kunst|natur)?denkmal(?:e|schutz|liste)?',
    'denkmalgesch(?:ü|ue)tzt',
    '(?:grade [i12*]+ )?listed (?:building|structure)',
    '(?:scheduled|ancient|national|historic) monument',
    'monuments? historiques?',
    'bien de inter[ée]s cultural',
    'monumento (?:nacional|nazionale|hist[óo]rico|storico)',
    'zabyt(?:ek|ku|ki)',
  ].join('|')})(?![\\p{L}\\p{N}])`,
  'u',
);
// As the whole text only: "Licensed image" beside a licence is the image licensed under it ("CC BY 4.0; licensed image").
const LICENSED_ALONE = /^licen[cs]ed (?:image|photo|photograph|picture|reproduction)s?[.!]?$/u;
// What says commercial use, in those languages: a licence's own terms beside it.
const COMMERCIAL = /commerci|kommerziell|comercial/u;

/** The text asks for a permission, forbids reuse or reserves a right in other words (task R9). */
function permissionAsked(t: string): boolean {
  if (LICENSED_ALONE.test(t.trim())) return true;
  const monument = MONUMENT.test(t);
  return t
    .split(/[;|,\n()[\]]|\.\s|\s-\s|\s\/\s/)
    .some(
      (c) =>
        (!monument && PROTECTED_ALONE.test(c.trim())) ||
        (!COMMERCIAL.test(c) && (PERMISSION_ASKED.test(c) || REUSE_FORBIDDEN.test(c))),
    );
}

/** The text says in other words that the work or its photograph is in copyright: read as "©" beside it is. */
export function inCopyrightWordsSaid(t: string): 'statement' | null {
  const plain = withoutAddresses(t);
  return IN_COPYRIGHT_WORDS.test(plain) || permissionAsked(plain) ? 'statement' : null;
}

/**
 * The text with its web addresses made one word ("address"): "copyright" in "https://museum.org/copyright" is no
 * holder (tester T3, F12), but an address still names someone where a holder is expected ("Photo: https://…").
 */
export function withoutAddresses(t: string): string {
  return t.replace(/\b(?:https?:\/\/|www\.)\S+/g, ' address ');
}

/**
 * "Public domain" in the languages exports come in (tester T3, F16): French, German, Spanish, Italian (both word
 * orders), Dutch, Portuguese and Polish (its cases: "w domenie publicznej"), read as "public domain" is. The text is
 * rights.ts's plain one, in lower case.
 */
export const PUBLIC_DOMAIN_ELSEWHERE =
  '(?<![\\p{L}\\p{N}])(?:domaine publi(?:c|que)|gemeinfrei(?:e[mnrs]?)?|dominio p[úu]blico|pubblico dominio|' +
  'dominio pubblico|publieke? domein|dom[íi]nio p[úu]blico|domen(?:a|y|ie|ę|ą) publiczn(?:a|ej|ą))(?![\\p{L}\\p{N}])';

// Words that deny what follows them, in those languages, and the words between (none that ends a clause): "pas dans
// le domaine public", "n'appartient pas au domaine public", "n'est plus dans le domaine public", "nicht gemeinfrei",
// "kein gemeinfreies Werk", "no es de dominio público", "non è di pubblico dominio", "niet in het publiek domein", "não
// é de domínio público", "nie jest w domenie publicznej", "hors domaine public".
const DENIAL_ELSEWHERE =
  "(?<![\\p{L}\\p{N}])(?:pas|hors|n['’]\\p{L}+\\s+(?:plus|jamais)|ne\\s+\\p{L}+\\s+(?:plus|jamais)|nicht|" +
  'kein(?:e[mnrs]?)?|no|non|niet|geen|n[ãa]o|nie)' +
  // Up to three words between, none that ends a clause or is a dash: "No restrictions - dominio público" is two.
  '(?:\\s+[^\\s,;.:|/()-][^\\s,;.:|/()]*){0,3}?\\s+';
const PUBLIC_DOMAIN_DENIED = new RegExp(`${DENIAL_ELSEWHERE}${PUBLIC_DOMAIN_ELSEWHERE}`, 'u');

// "Not in the public domain", "no longer in the public domain": said of a work in copyright. "PD" as well ("not PD;
// CC0": tester T12, it was read as CC0 and offered for download).
export const NOT_PUBLIC_DOMAIN = /\b(?:not|no longer)\s+(?:in\s+)?(?:the\s+)?(?:public domain|pd\b)/;

// A public domain answered "no" at the end of its clause, as an export writes a yes/no field out with its name:
// "Public Domain: no", "Public domain = false", "Gemeinfrei: nein", "PD: no" (reviewer V31: read as the Public Domain
// Mark, with a download). Not "Public Domain - No known copyright restrictions": the "no" must end the clause.
const PUBLIC_DOMAIN_ANSWERED_NO = new RegExp(
  `(?:\\bpublic domain|\\bpd|${PUBLIC_DOMAIN_ELSEWHERE})\\s*(?:[:=–—-]\\s*|\\s+)` +
    '(?:no|not|false|nein|non|nee|nej|n[ãa]o|nie)(?![\\p{L}\\p{N}])(?=\\s*(?:$|[,;.)|/\\n]))',
  'u',
);

/** The text (lower case) answers a public domain "no" at the end of its clause ("Public Domain: no"). */
export function publicDomainAnsweredNo(t: string): boolean {
  return PUBLIC_DOMAIN_ANSWERED_NO.test(t);
}

/** The text (lower case) says in English or another language that the work is not in the public domain. */
function publicDomainDenied(t: string): boolean {
  return NOT_PUBLIC_DOMAIN.test(t) || publicDomainDeniedElsewhere(t) || publicDomainAnsweredNo(t);
}

/**
 * The text says in another language that the work is not in the public domain ("Nicht gemeinfrei", "Pas dans le
 * domaine public"): In Copyright, as "Not in the public domain" is.
 */
export function publicDomainDeniedElsewhere(t: string): boolean {
  return PUBLIC_DOMAIN_DENIED.test(withoutAddresses(t));
}

// A public domain still to come, in those languages: a future tense before it in the clause ("Tombera dans le domaine
// public", "Wird gemeinfrei", "Pasará al dominio público", "Sarà di pubblico dominio", "Przejdzie do domeny
// publicznej"); a verb of becoming with a year ("Valt in 2040 in het publiek domein", "Entre dans le domaine public
// en 2040"); or a year it starts from ("Gemeinfrei ab 2045", "Ab 2045 gemeinfrei", "Domaine public à partir de 2040",
// "Domaine public en 2040"). Not a year said of something else ("Domaine public (auteur mort en 1890)").
// At most 80 characters: a clause that says this is short, and a text pasted by mistake is not read for long.
const CLAUSE = '[^,;.|/()\\n]{0,80}?';
const FUTURE_VERB =
  '(?:tomber(?:a|ont)|entrer(?:a|ont)|passer(?:a|ont)|deviendr(?:a|ont)|ser(?:a|ont)|wird|werden|pasar[áa]n?|' +
  'entrar[áa]n?|ser[áa]n?|caer[áa]n?|sar[àa]|saranno|entrer[àa]|entreranno|passer[àa]|diventer[àa]|zal|zullen|' +
  'cair[áa]|passar[áa]|passar[ãa]o|entrar[ãa]o|przejdzie|przejd[ąa]|wejdzie|stanie|b[ęe]dzie)';
const BECOMING_VERB =
  '(?:tombe(?:nt)?|entre(?:nt)?|passe(?:nt)?|devient|pasa(?:n)?|entra(?:n)?|cae(?:n)?|diventa|valt|vallen|komt|' +
  'komen|wordt|worden|cai|przechodzi)';
const FROM_YEAR =
  "(?:[àa] partir (?:de|du|do)|d[èe]s|ab|seit dem|vanaf|per|od|dal(?:l['’])?|desde el|en|in|im|nel|em|w|el|le|au)" +
  '\\s+(?:(?:1er|1|premier|primo)\\s+)?(?:\\p{L}+\\s+)?\\d{4}(?![\\p{L}\\p{N}])';
const PUBLIC_DOMAIN_TO_COME = new RegExp(
  [
    `(?<![\\p{L}\\p{N}])${FUTURE_VERB}(?![\\p{L}\\p{N}])${CLAUSE}${PUBLIC_DOMAIN_ELSEWHERE}`,
    `(?<![\\p{L}\\p{N}])${BECOMING_VERB}(?![\\p{L}\\p{N}])(?=${CLAUSE}\\d{4})${CLAUSE}${PUBLIC_DOMAIN_ELSEWHERE}`,
    `(?<![\\p{L}\\p{N}])${BECOMING_VERB}(?![\\p{L}\\p{N}])${CLAUSE}${PUBLIC_DOMAIN_ELSEWHERE}${CLAUSE}\\d{4}`,
    `${PUBLIC_DOMAIN_ELSEWHERE}\\s*${FROM_YEAR}`,
    `(?<![\\p{L}\\p{N}])(?:[àa] partir de|d[èe]s|ab|vanaf|od|a partir de|dal)\\s+\\d{4}${CLAUSE}${PUBLIC_DOMAIN_ELSEWHERE}`,
  ].join('|'),
  'u',
);

// An open licence or public-domain statement named, in a plain text.
const OPEN_NAMED = new RegExp(
  `\\bcc0\\b|\\bcc[\\s-]+(?:by|zero)|creative commons|public domain|no known copyright|\\bpdm\\b|${PUBLIC_DOMAIN_ELSEWHERE}`,
  'u',
);

/*
 * A photographic, photo or image record, a record photograph or shot, is the image (task D10: "Photographic record:
 * CC BY-NC 4.0" was blanked as the record's, and a CC0 beside it offered the image for download). On one line only:
 * "… for the image\nRecord: CC0" names the record. "Photo" in its own forms only ("Photoworks record" is a name).
 */
const PHOTO_FORMS = 'photo(?:s|graph(?:s|y|ic)?)?';
// Spaces or one hyphen between, not a spaced dash, which parts a name from the record ("Magnum Photos - record: CC0":
// sweep of reviewer V25's texts, the record's CC0 went to the work).
const PICTURE_RECORD_NOT =
  `(?<!\\b(?:${PHOTO_FORMS}|images?|pictures?|scans?)(?:[^\\S\\n\\r]+|-))` +
  `(?=records?(?!(?:[^\\S\\n\\r]+|-)(?:${PHOTO_FORMS}|shots?)(?![\\p{L}\\p{N}])))`;
// What is licensed other than the photograph: the record, its data or text ("Metadata: CC0", "Text CC BY-SA 4.0").
const RECORD_IN_ENGLISH =
  '(?:the\\s+|this\\s+|all\\s+|our\\s+)?(?:(?:object\\s+|catalogue\\s+|catalog\\s+|collection\\s+)?' +
  // Not "Image data: CC0", the picture's own file.
  `(?:meta-?data|(?<!\\b(?:image|photo|picture|scan)s?\\s)data|texts?|${PICTURE_RECORD_NOT}records?|descriptions?)|` +
  '(?:catalogue|catalog)\\s+entr(?:y|ies))\\b';
// An accented letter as one character or as the letter and its combining mark (text in NFD): "é" or "e" + U+0301.
const [E_ACUTE, A_UMLAUT, O_ACUTE] = ['(?:é|e\\u0301?)', '(?:ä|a\\u0308|ae)', '(?:ó|o\\u0301?)'];
const [A_ACUTE, A_GRAVE, U_ACUTE, C_CEDILLA] = [
  '(?:á|a\\u0301?)',
  '(?:à|a\\u0300?)',
  '(?:ú|u\\u0301?)',
  '(?:ç|c\\u0327?)',
];
const [I_ACUTE, A_TILDE, O_TILDE, E_UMLAUT] = ['(?:í|i\\u0301?)', '(?:ã|a\\u0303)', '(?:õ|o\\u0303)', '(?:ë|e\\u0308)'];
// Media, files, assets, surrogates, digitisation, named beside the record, are the image too (task D10: "Metadata
// and media: CC BY-NC 4.0" was blanked as the record's): "digital media", "Medien", "fichiers", "medios", "mídias".
const MEDIA =
  '(?:(?:digital(?:e[nrs]?)?|associated|related|linked|accompanying)\\s+)?(?:' +
  [
    `media|medien|medier|m${E_ACUTE}dias?|medios|m${I_ACUTE}dias?|multimedia`,
    'files?|filer|dateien|fichiers?|archivos|ficheros?|ficheiros|arquivos|bestanden',
    'assets|surrogates?|digitalisate?|imagery|visuals|visuels',
    `digiti[sz](?:ations?|ed\\s+\\p{L}+)|digitali(?:sierungen|sierung|zaciones|zaci${O_ACUTE}n|zzazion[ei]|` +
      `seringen|sering|seringar|za${C_CEDILLA}(?:${A_TILDE}o|${O_TILDE}es))|num${E_ACUTE}ri(?:sations?|ques)`,
    `riproduzion[ei]|reproducciones|reproducci${O_ACUTE}n|reprodu${C_CEDILLA}(?:${A_TILDE}o|${O_TILDE}es)|` +
      'beeld(?:en|materiaal)?',
  ].join('|') +
  ')(?![\\p{L}\\p{N}])';
/*
 * A picture named, in those languages and English: "Metadaten und Bilder", "Text or scan". Whole words, in their own
 * forms (reviewer V23, F2: "Fotohof", "Afterimage", "the Etruscan" and "Studio Lichtbild" before "metadata: CC0" were
 * pictures, and the CC0 went to a living artist's work). Recordings, audio and video beside the record are the work,
 * as the image is (task D10: "Recordings and metadata: CC BY-NC 4.0" was blanked as the record's).
 */
const PICTURE =
  `(?<![\\p{L}\\p{N}])(?:${MEDIA}|images?|${PHOTO_FORMS}|photographies?|pictures?|scans?|reproductions?|` +
  `bild(?:er|ern|es|en|e|s)?|billeder?|foto(?:s|grafie(?:n|${E_UMLAUT}n)?|grafias?|graf${I_ACUTE}as?|grafii)?|` +
  `imag(?:en|enes|em|ens|ine|ini)|im${A_ACUTE}genes|immagin[ei]|afbeelding(?:en)?|abbildung(?:en)?|aufnahmen?|` +
  '(?:(?:audio|sound|video)\\s+)?recordings?|audio|videos?|films?)(?![\\p{L}\\p{N}])';
// What says a picture after a record's name in the other languages: "registro fotográfico", "notice photographique",
// "registro gráfico", "registro audiovisual", "scheda iconografica", "registro digital" (reviewer V25, F4).
const PICTURE_ADJECTIVE =
  `(?<![\\p{L}\\p{N}])(?:(?:foto|photo|icono)?gr${A_ACUTE}fic[oaie]s?|(?:foto|icono)?grafich[ei]|` +
  '(?:photo|icono)?graphiques?|audiovisu(?:al(?:es)?|el(?:le)?s?|ali?)|visuel(?:le)?s?|digital(?:es)?)' +
  '(?![\\p{L}\\p{N}])';
/*
 * What joins two names, whole words: "and", "or", "and/or", ", or", "(or", a slash, "und", "et", "y", "o"... Not
 * "of", Dutch for "or" but English "of" too (reviewer V23, F3: "Metadata of the image: CC0" was the image's, offered
 * for download): beside the Dutch record's name only (OF_THE_PICTURE, NOT_AFTER_THE_PICTURE).
 */
const JOINER =
  '(?:\\(\\s*)?(?:,\\s*)?(?:&|\\+|,|\\/|(?<![\\p{L}\\p{N}])(?:and\\s*\\/\\s*or|and|or|as well as|und|oder|sowie|' +
  'et|ou|y|e|o|en|och|eller|og)(?![\\p{L}\\p{N}]))';
// An article or a possessive between: "Text or an image", "Text and the scan", "métadonnées et les images".
const ARTICLE_BEFORE =
  '(?:(?:the|an?|its|their|die|der|das|den|dem|des|les?|la|los|las|el|il|gli|lo|de|het|os|as|un|une|ein|eine)\\s+|' +
  "l['’]\\s*)?";
/*
 * After a record's name of two meanings, the picture it is of names the picture (reviewer V23, F4: "Registro de
 * fotografía", "Registro (fotografía)", "Registro: foto", "Scheda immagine", "La notice de l'image", "Données de
 * numérisation", "Datensatz Digitalisat", "Beschrijving van de afbeelding" or "of afbeelding" were blanked as the
 * record's, and a NonCommercial licence beside "Public domain" lost). "Metadata of the image" stays the record's.
 */
// Reviewer V25, F4: "Datensatz zum Foto", "Scheda sull'immagine", "Beschrijving bij de afbeelding", "La notice sur
// la photo", "Données relatives à l'image", "Registro para la fotografía", "Registro del objeto y fotografía".
const OF_WORDS =
  "de|del|da|do|di|della|dello|dell['’]|des|du|d['’]|van|von|of|zum|zur|zu|über|sull['’]|sulla|sullo|sul|bij|" +
  `sur|relati(?:ve|f)s?\\s+${A_GRAVE}|para`;
const OF_THE_PICTURE =
  `(?!(?:\\s*[(:]\\s*|\\s+(?:${OF_WORDS})\\s*|\\s+)` +
  '(?:(?:this|these|its|deze|dit|esta|este|estas|estes|cette|ce|ces|questa|questo|diese[snmr]?|dieser)\\s+)?' +
  `${ARTICLE_BEFORE}(?:${PICTURE}|${PICTURE_ADJECTIVE})|` +
  `\\s+(?:${OF_WORDS})\\s*${ARTICLE_BEFORE}(?:[\\p{L}'’-]+\\s+){1,3}?${JOINER}\\s*${ARTICLE_BEFORE}${PICTURE})`;
/*
 * A picture word joined before the record is surely the picture only where it opens its clause, after an article at
 * most ("Video and metadata:", "Text; the films and metadata:"); elsewhere it may end a name in a credit (reviewer
 * V25, F1: "Courtesy of the artist and LUX Films, metadata: CC0" gave the record's CC0 to the work, offered for
 * download), and the text is read both ways (PICTURE_BEFORE).
 */
const PICTURE_OPENS_CLAUSE = `(?:^|[;.:|(\\n\\r])\\s*${ARTICLE_BEFORE}${PICTURE}`;
/*
 * After the record, a picture word followed by a word naming text may be that text, the record's (reviewer V25, F3:
 * "Metadata and video captions: CC0" was the video's, offered for download): read both ways (READINGS).
 */
const TEXT_WORDS =
  'captions?|titles?|credits?|descriptions?|subtitles?|subtitling|transcripts?|transcriptions?|texts?|' +
  'untertitel|beschreibung(?:en)?|transkript(?:e|ion(?:en)?)?|titel|ondertiteling|ondertitels?';
const PICTURE_NOT_TEXT = `${PICTURE}(?!(?:\\s+|-)(?:${TEXT_WORDS})(?![\\p{L}\\p{N}]))`;
// Nor the Dutch record's name after the picture and "of" (or): "Afbeelding of beschrijving". Read once the word is
// found: before it, at every word's start, a long text took three times as long.
const NOT_AFTER_THE_PICTURE = `(?<!${PICTURE}\\s+of\\s+(?:(?:de|het)\\s+)?beschrijving(?:en)?)`;
/*
 * The record's name in the other languages exports come in (task D6, session 61: "Metadaten: CC0" was the work's
 * licence, offered for download), only words that name the catalogue's text and never the work or its picture:
 * German "Metadaten", "Datensatz", "Katalogdaten", "Katalogeintrag"; French "métadonnées", "données" (not of the
 * image), "notice" said to be the catalogue's ("notice descriptive", "la notice": "Notice:" alone is as often an
 * English notice); Spanish "metadatos", "registro" and Portuguese "registo" (not "registro fotográfico");
 * Italian "metadati", "scheda" (not "scheda fotografica"); Dutch "beschrijving"; Swedish "metadatan", Danish and
 * Norwegian "metadataen"; Portuguese "metadados". Dutch, Danish, Norwegian and Swedish "metadata" is the English
 * word. No word for the text alone ("Texte", "texto"): a letter's text is the work. Their articles before them.
 * The words of two meanings followed by a picture are the picture's (OF_THE_PICTURE).
 */
const RECORD_ELSEWHERE =
  `(?<![\\p{L}\\p{N}])(?:(?:die|diese|alle|unsere|les|ces|nos|toutes\\s+les|los|las|el|` +
  "estos|i|gli|questi|de|het|deze|os|estes)\\s+|l['’]\\s*)?(?:" +
  [
    `meta-?daten|katalog(?:daten|eintr(?:ag|${A_UMLAUT}ge))|m${E_ACUTE}ta-?donn${E_ACUTE}es`,
    `metadatos|metadados|metadati|metadata(?:n|en|ene)`,
    `(?:datens(?:atz|${A_UMLAUT}tze)|` +
      `donn${E_ACUTE}es(?!\\s+(?:de\\s+l['’]\\s*|d['’]\\s*|des\\s+|du\\s+)?(?:images?|photo|clich))|` +
      `notices?\\s+(?:descriptives?|catalographiques?|documentaires?)|(?:la|cette|les|ces)\\s+notices?|` +
      'registros?(?!\\s+fotogr)|registos?(?!\\s+fotogr)|sched[ae](?!\\s+fotogr)|' +
      `(?:beschrijvingen|beschrijving)${NOT_AFTER_THE_PICTURE})` +
      `(?![\\p{L}\\p{N}])${OF_THE_PICTURE}`,
  ].join('|') +
  ')(?![\\p{L}\\p{N}])';
// Not "Metadata and images: CC0", "CC0 for data & images", "Text or image: CC BY-NC 4.0" (reviewer X2: with a CC0
// on the next line, the NonCommercial licence was blanked as the record's and the CC0 offered for download), nor
// "Text, or image", "Text and/or image", "Text (or image)", "Text or an image", "Text or scan" (task D6, session 61).
// A photographer named after the record may be the photograph's credit, as before: "Metadata and photographer credit".
// `pictureAfter`: the picture words read here, PICTURE or PICTURE_NOT_TEXT (READINGS).
const NOT_THE_PICTURE_TOO = (pictureAfter: string) =>
  `(?!\\s*${JOINER}\\s*${ARTICLE_BEFORE}(?:${pictureAfter}|photographers?(?![\\p{L}\\p{N}])))`;
const NOT_THE_PHOTOGRAPH = (pictureAfter: string) =>
  `(?:${RECORD_IN_ENGLISH}|${RECORD_ELSEWHERE})${NOT_THE_PICTURE_TOO(pictureAfter)}`;

// The record named first, as the clause's subject or heading: "Metadata: CC0", "Metadata licence:", "This record is".
const RECORD_FIRST = (pictureAfter: string) =>
  `^\\s*(?:(?:rights|licen[cs]e|usage|terms)\\s*:\\s*)?${NOT_THE_PHOTOGRAPH(pictureAfter)}`;
// The record named after, as what a statement covers: "(metadata only)", "for the record", "applies to metadata".
// "Only" in those languages: "nur", "uniquement", "seulement", "solo", "únicamente", "alleen", "endast", "kun"...
const ONLY_ELSEWHERE =
  `nur|uniquement|seulement|s${O_ACUTE}lo|solamente|${U_ACUTE}nicamente|soltanto|alleen|uitsluitend|endast|bara|` +
  'kun|apenas|somente';
const RECORD_AFTER = (pictureAfter: string) =>
  [
    `\\b(?:for|of|to|on|covers)\\s+${NOT_THE_PHOTOGRAPH(pictureAfter)}`,
    `\\b(?:meta-?data|data|texts?|${PICTURE_RECORD_NOT}records?|descriptions?)\\s+only\\b`,
    // In the other languages: "pour les métadonnées", "(nur Metadaten)", "(métadonnées uniquement)".
    `(?<![\\p{L}\\p{N}])(?:f(?:ü|u\\u0308|ue)r|pour|sur|para|voor|f(?:ö|o\\u0308)r|for)\\s+${NOT_THE_PHOTOGRAPH(pictureAfter)}`,
    // Italian "per" before the record's name in another language only: "CC0 per i metadati", not the English "per the
    // data supplied" (reviewer V23, F5: a photograph's NonCommercial licence was blanked as the record's).
    `(?<![\\p{L}\\p{N}])per\\s+${RECORD_ELSEWHERE}${NOT_THE_PICTURE_TOO(pictureAfter)}`,
    `(?<![\\p{L}\\p{N}])(?:${ONLY_ELSEWHERE})\\s+${RECORD_ELSEWHERE}`,
    `${RECORD_ELSEWHERE}${NOT_THE_PICTURE_TOO(pictureAfter)}\\s+(?:${ONLY_ELSEWHERE})(?![\\p{L}\\p{N}])`,
  ].join('|');
/**
 * A clause said of the metadata only: "Metadata: CC0", "Text CC BY-SA 4.0", "CC0 (metadata only)", "CC BY 4.0 for
 * metadata only", "CC0 for the record". Not "Metadata and images: CC0". Read on the text as given, case ignored.
 */
const METADATA_ONLY = (pictureAfter: string) =>
  new RegExp(`${RECORD_FIRST(pictureAfter)}|${RECORD_AFTER(pictureAfter)}`, 'iu');

// The rightsstatements.org codes, case kept as rights.ts reads them ("NoC-US", "InC-EDU"; not "Inc." or "und").
const RS_CODE = '(?<![\\w/-])(?:InC(?:-(?:EDU|NC|RUU|OW-EU))?|NoC-(?:US|NC|CR|OKLR)|NKC|CNE|UND)(?![\\w-])';
// The standard statements by address or name: rightsstatements.org's and Creative Commons', the public domain in the
// languages rights.ts reads it in. What a clause about the record says of them is the record's (task D3).
const STATEMENT_NAMED =
  '(?:https?:\\/\\/)?(?:www\\.)?(?:creativecommons|rightsstatements)\\.org\\/\\S*|' +
  '\\bin[ -]?copyright\\b|\\bno copyright\\b|\\bcopyright not evaluated\\b|\\bcopyright undetermined\\b|' +
  `\\bno known copyright(?: restrictions)?\\b|${PUBLIC_DOMAIN_ELSEWHERE}`;

/**
 * The raw text with the statements said of the record blanked, each character a space, case and new lines kept, so
 * that rights.ts reads its codes and words on what is left: the work's. A clause (parted by ";", "|", a new line or
 * ". ") about the metadata, record, data, text, description or catalogue entry loses every standard statement it
 * names, as a licence ("Metadata: CC0"), a code ("Metadata: NoC-US"), an address or a name ("Record: No Copyright -
 * United States"), whatever else it says; the record named then a statement loses both, whatever parts them from the
 * rest ("Courtesy of the artist Metadata: NoC-US", task D6). A "©" or a holder stays: a claim, read as before.
 * In Copyright stays where its clause names the image, photograph, picture, scan or text too ("InC (applies to text
 * or images)", "Letter text In Copyright"): a letter's text is the work, and showing less is the safe mistake.
 * It stays too where its clause names no metadata, data or catalogue record or entry ("Record sleeve: In Copyright",
 * "For the record, this work is In Copyright"), or is lines joined (reviewer V20, F3: offered for download).
 * Task D3: the codes were read on the raw text first, and "Metadata: NoC-US" offered the photograph for download;
 * the text was read with its new lines made spaces, and "Metadata: CC0\nCC BY 4.0" lost its second line too.
 */
export function recordStatementsBlanked(raw: string, options: { picturesAnywhere?: boolean } = {}): string {
  const reading = READINGS[options.picturesAnywhere ? 'anywhere' : 'opening'];
  return recordClauses(raw, reading)
    .map((c) => {
      // A public domain denied is In Copyright said, and stays as In Copyright does (reviewer V23, F1: "Datensatz:
      // Werk nicht gemeinfrei. Bild: CC0" lost "gemeinfrei", kept "nicht", and offered the work for download).
      const incStays = inCopyrightStays(c);
      const denied = publicDomainDenied(
        c
          .replace(/[‐-―−]/g, '-')
          .normalize('NFC')
          .toLowerCase(),
      );
      const keep = (found: string) => (incStays && isInCopyright(found)) || (denied && isPublicDomain(found));
      // Dashes made plain first, as the other readings of the clause make them ("Meta‐data" with U+2010: V22).
      const about = reading.metadataOnly.test(withoutAddresses(c.replace(/[‐-―−]/g, '-').toLowerCase()));
      return blanked(about ? blanked(c, STATEMENTS_IN_CLAUSE, keep) : c, [reading.namedThenStatement], keep);
    })
    .join('');
}

/**
 * The raw text with the record's statements blanked (recordStatementsBlanked), read one way, or both ways where a
 * picture word beside the record may be read two ways (READINGS), the two texts if they differ: rights.ts keeps the
 * reading that shows less. Looked for first: reading every text twice made a long one take twice as long.
 */
export function workReadings(raw: string): string[] {
  const work = recordStatementsBlanked(raw);
  if (!TWO_WAYS.test(raw.replace(/[‐-―−]/g, '-'))) return [work];
  const either = recordStatementsBlanked(raw, { picturesAnywhere: true });
  return either === work ? [work] : [work, either];
}

/**
 * The raw text cut into clauses at ";", "|", ". " and new lines, each with the parting after it. A new line parts a
 * clause about the record only when that clause names its statement itself ("Metadata: CC0\nCC BY 4.0"): one that
 * names the record and nothing more, or ends naming it, goes with the next line ("Metadata:\nCC0", "Gift of Jane
 * Doe, metadata released under\nCC0"), one that says "metadata only" or "for the record" with the line before
 * ("CC0\n(metadata only)"). Reviewer V19, F1: they were parted, and the record's CC0 was offered for download as the
 * photograph's.
 */
function recordClauses(raw: string, reading: Reading): string[] {
  const parts = raw.split(/(\r\n|[;|\n\r]|(?<=\.\s))/);
  const clauses: string[] = [];
  // The clause being read, in pieces joined once it ends, with its length, start and end kept as lines join: sliced
  // from the whole clause at each line (a string joined a piece at a time is copied whole to be sliced), 1,000,000
  // characters of "Metadata:" lines took 4 minutes, their square (task D41).
  let pieces: string[] = [];
  let length = 0;
  let head = '';
  let tail = '';
  const add = (piece: string) => {
    pieces.push(piece);
    length += piece.length;
    if (head.length < CLAUSE_ENDS) head = (head + piece).slice(0, CLAUSE_ENDS);
    tail = (tail + piece).slice(-CLAUSE_ENDS);
  };
  // The clause's end, a word put before a long one's so that its first word is not read as the clause's opening.
  const end = () => (length > CLAUSE_ENDS ? `x ${tail}` : tail);
  add(parts[0] ?? '');
  // Whether the last clause names a statement, kept as lines join: read on the whole clause at each line, a long
  // text of such lines took its square (90,000 characters of "Metadata:" lines, 45 s).
  let named = namesStatement(parts[0] ?? '');
  for (let i = 1; i < parts.length; i += 2) {
    const parting = parts[i] ?? '';
    const next = parts[i + 1] ?? '';
    const joined =
      /^[\n\r]/.test(parting) &&
      ((!named && reading.recordFirst.test(plainLower(head))) ||
        reading.atEnd.test(`${end().replace(/[‐-―−]/g, '-')} `) ||
        namesRecordOnly(next, reading.recordAfter));
    if (joined) {
      named = named || namesStatement(end() + parting + next);
      add(parting);
      add(next);
    } else {
      clauses.push(pieces.join(''), parting);
      pieces = [];
      length = 0;
      head = '';
      tail = '';
      add(next);
      named = namesStatement(next);
    }
  }
  clauses.push(pieces.join(''));
  return clauses;
}

// How much of a clause's start or end the record named there is looked for in: more than its words and a picture's
// before them; the rest of a long clause cannot change what they say.
const CLAUSE_ENDS = 400;
/** The clause in lower case, its dashes plain and its web addresses one word. */
function plainLower(clause: string): string {
  return withoutAddresses(clause.replace(/[‐-―−]/g, '-').toLowerCase());
}
/** The clause names a standard statement. */
function namesStatement(clause: string): boolean {
  const plain = clause.replace(/[‐-―−]/g, '-');
  return STATEMENT_IN_CLAUSE.some((p) => p.test(plain));
}

/** The clause names the record as `pattern` says, and no standard statement. */
function namesRecordOnly(clause: string, pattern: RegExp): boolean {
  const plain = clause.replace(/[‐-―−]/g, '-');
  return pattern.test(withoutAddresses(plain.toLowerCase())) && !STATEMENT_IN_CLAUSE.some((p) => p.test(plain));
}

// The record as the catalogue's own text: the metadata, the data, a catalogue record or entry ("Metadata: InC",
// "Record metadata:", "Catalogue record:"). Not "record" alone, which is as often the work or an idiom ("Record
// sleeve", "Records of the Smith family", "For the record"): reviewer V20, F3.
const CATALOGUE_TEXT = new RegExp(
  '(?<![\\p{L}\\p{N}])(?:meta-?data|(?<!(?:image|photo|picture|scan)s?\\s)data|' +
    '(?:catalogue|catalog|collection)\\s+(?:records?|entr(?:y|ies)))(?![\\p{L}\\p{N}])',
  'giu',
);
// Words beside the catalogue text that name nothing else: "the", "only", "applies to", "for this record", a field name
// ("Metadata licence:"). Read after the statements are blanked and before the catalogue text is.
const RECORD_FILLER = new RegExp(
  '(?<![\\p{L}\\p{N}])(?:for\\s+(?:this|the)\\s+record|record\\s+metadata|the|this|these|our|all|only|is|are|' +
    'appl(?:y|ies)\\s+to|rights|licen[cs]es?|status|statement|terms|usage)(?![\\p{L}\\p{N}])',
  'giu',
);

/**
 * In Copyright in this clause stays the work's unless the clause names the catalogue text and nothing else ("Metadata:
 * InC", "InC (metadata only)"). Any other word may be the work: "Metadata and media", "Audio data", "Metadata of the
 * painting" (reviewer V21, F1: a short list of such words let every other one through, offered for download). It stays
 * too in lines joined ("Rights statement for this record\nIn Copyright": the line says which record the rights are
 * of). In Copyright dropped by mistake offers a work for download; kept by mistake shows it small.
 */
function inCopyrightStays(clause: string): boolean {
  if (/[\n\r]/.test(clause)) return true;
  const plain = clause.replace(/[‐-―−]/g, '-');
  CATALOGUE_TEXT.lastIndex = 0;
  if (!CATALOGUE_TEXT.test(plain)) return true;
  // Only In Copyright itself is blanked: another statement beside it ("CC0, metadata: InC") is more than the
  // catalogue's text, and the In Copyright stays (reviewer V22).
  const rest = blanked(plain, STATEMENTS_IN_CLAUSE, (found) => !isInCopyright(found))
    .replace(RECORD_FILLER, ' ')
    .replace(CATALOGUE_TEXT, ' ')
    .replace(RECORD_FILLER, ' ');
  return /[\p{L}\p{N}]/u.test(rest);
}

/*
 * A public domain denied, or the work said protected, in a clause about the record (reviewer V25, F5: "Metadata: not
 * PD. Image: CC0", "Metadata: work still protected. …" offered the work for download): the record's clause says so of
 * the work, whose In Copyright shows less. Not "not protected", "no longer protected".
 */
const RECORD_CLAUSE_PROTECTED = new RegExp(
  '(?<![\\p{L}\\p{N}])(?:(?:not|non|never|no longer)(?:\\s+|-)(?:(?:yet|in|into|the)\\s+)*(?:public\\s+domain|pd)|' +
    '(?<!(?:not|no longer|never|nicht|nicht mehr|non|pas|no|niet|niet meer)[\\s-]+)' +
    `(?:protected|gesch(?:ü|ue)tzt|prot${E_ACUTE}g${E_ACUTE}e?s?|protegid[oa]s?|protett[oaie]|beschermd))` +
    '(?![\\p{L}\\p{N}])',
  'u',
);
const CATALOGUE_TEXT_NAMED = new RegExp(CATALOGUE_TEXT.source, 'iu');

/** A clause about the record denies the work a public domain, or says it protected: In Copyright (F5). */
export function recordSaysProtected(raw: string): boolean {
  // Looked for in the whole text first: most texts say neither, and are not cut into clauses.
  if (!RECORD_CLAUSE_PROTECTED.test(raw.normalize('NFC').toLowerCase())) return false;
  return recordClauses(raw, READINGS.opening).some((c) => {
    const plain = withoutAddresses(
      c
        .replace(/[‐-―−]/g, '-')
        .normalize('NFC')
        .toLowerCase(),
    );
    return (
      (READINGS.opening.metadataOnly.test(plain) || CATALOGUE_TEXT_NAMED.test(plain)) &&
      RECORD_CLAUSE_PROTECTED.test(plain)
    );
  });
}

/** What was found names the public domain, in English or another language ("Public domain", "gemeinfrei"). */
function isPublicDomain(found: string): boolean {
  return PUBLIC_DOMAIN_NAMED.test(found.normalize('NFC').toLowerCase());
}
const PUBLIC_DOMAIN_NAMED = new RegExp(`public domain|${PUBLIC_DOMAIN_ELSEWHERE}`, 'u');

/** What was found names In Copyright: its words, its code or its address ("InC-EDU", "…/vocab/InC/1.0/"). */
function isInCopyright(found: string): boolean {
  return /\bin[ -]?copyright\b|(?<![\w-])inc(?!\w)/i.test(found);
}

/**
 * `text` with what each pattern (flag g) finds made spaces, one for each character, new lines kept; not what `keep`
 * says stays.
 */
function blanked(text: string, patterns: RegExp[], keep: (found: string) => boolean = () => false): string {
  let out = text;
  for (const pattern of patterns) {
    // Found on the text with its dashes and spaces made plain, one character for one, as rights.ts reads them.
    const plain = out.replace(/[‐-―−]/g, '-').replace(/[^\S\n\r]/g, ' ');
    let next = '';
    let at = 0;
    // exec, not matchAll, which copies the pattern each call: a long text of many lines took a tenth of a second.
    pattern.lastIndex = 0;
    for (let m = pattern.exec(plain); m; m = pattern.exec(plain)) {
      if (!m[0]) pattern.lastIndex++;
      if (keep(m[0])) continue;
      next += out.slice(at, m.index) + m[0].replace(/[^\n\r]/g, ' ');
      at = m.index + m[0].length;
    }
    out = next + out.slice(at);
  }
  return out;
}

/**
 * Words that say a licence is still to come or not confirmed: "pending", "TBC", "TBD", "not yet granted",
 * "unverified", "provisional", "under review".
 */
const PENDING =
  '(?:pending|tbc|tbd|to be (?:confirmed|determined|checked|verified|cleared)|' +
  'not yet (?:granted|given|licen[cs]ed|cleared|released|confirmed|agreed|verified|checked)|unverified|' +
  'not verified|unconfirmed|not confirmed|provisional|under review|' +
  // The same in the other languages exports come in: "à confirmer", "noch zu prüfen", "por confirmar"…
  '[àa] confirmer|en attente|(?:noch )?zu pr(?:ü|ue)fen|ungepr(?:ü|ue)ft|ausstehend|por confirmar|pendiente|' +
  'da confermare|in attesa|nog te bevestigen|in afwachting|a confirmar|do potwierdzenia|' +
  // Review V7: "provisoire", "à vérifier", "vorläufig", "in Klärung", "en revisión", "da verificare", "voorlopig"…
  'provisoire(?:ment)?|[àa] v[ée]rifier|non (?:v[ée]rifi[ée]e?s?|confirm[ée]e?s?)|' +
  // "Sous réserve" alone, not a condition of reuse ("sous réserve de mentionner la source": review V8).
  'sous r[ée]serve(?!\\s*(?:de|du|des|d[\\x27\\u2019]|que|qu[\\x27\\u2019]))|en cours de v[ée]rification|' +
  'vorl(?:ä|ae)ufig|in kl(?:ä|ae)rung|(?:noch )?zu kl(?:ä|ae)ren|ungekl(?:ä|ae)rt|nicht (?:gepr(?:ü|ue)ft|best(?:ä|ae)tigt)|' +
  'unbest(?:ä|ae)tigt|en revisi[óo]n|sin (?:verificar|confirmar)|no (?:verificad|confirmad)[oa]s?|' +
  'da verificare|provvisori[oa]|non (?:verificat|confermat)[oaie]|in (?:fase di )?verifica|onder voorbehoud|voorlopig|' +
  'te bevestigen|niet (?:geverifieerd|bevestigd)|ongeverifieerd|pendente|provis[óo]ri[oa]|em revis[ãa]o|' +
  'n[ãa]o (?:verificad|confirmad)[oa]s?|do weryfikacji)';

// A licence's name, as the words a doubt may follow: "CC0", "CC BY-SA 4.0", "Creative Commons Attribution 4.0
// International", "Public domain".
const LICENCE_NAME =
  '(?:\\bcc0|\\bcc[\\s-]+by(?:[\\s-]+(?:nc|sa|nd))*(?:[\\s-]+\\d\\.\\d)?|\\bpublic domain|' +
  '\\bcreative commons(?:[\\s-]+[a-z]+){0,6}?(?:\\s+\\d\\.\\d)?(?:\\s+(?:international|universal|unported|generic))?)';

// A licence's name to its end ("CC0 1.0 Universal", "Creative Commons Zero"), a CC address, No Known Copyright.
const LICENCE_TO_ITS_END =
  `(?:${LICENCE_NAME}|\\bno known copyright|(?:https?:\\/\\/)?(?:www\\.)?creativecommons\\.org\\/\\S*)` +
  '(?:[\\s-]+(?:\\d\\.\\d|by|nc|sa|nd|zero|universal|international|unported|generic|mark|dedication|' +
  'restrictions|licen[cs]e|attribution|non-?commercial|share-?alike|no-?deriv\\w*))*';

// A field name after the record's name in the other languages: "Metadaten-Lizenz", "licence des métadonnées"...
const FIELD_ELSEWHERE = `lizenz|rechte|licence|droits|licencia|derechos|licenza|diritti|licentie|rechten|licens|licen${C_CEDILLA}a`;
// The words between the record's name and its licence there: a verb, "under", "licence", an article.
const BETWEEN_ELSEWHERE = [
  'ist|sind|steht|stehen|unter|der|die|einer|lizenz|freigegeben',
  'ver(?:ö|o\\u0308|oe)ffentlicht|verf(?:ü|u\\u0308|ue)gbar',
  `est|sont|sous|licence|la|le|publi${E_ACUTE}es|diffus${E_ACUTE}es|plac${E_ACUTE}es|disponibles|mises|${A_GRAVE}|disposition`,
  `es|son|est${A_ACUTE}n?|bajo|licencia|con|publicad[oa]s|licenciad[oa]s|disponibles`,
  `(?:è|e\\u0300)|sono|rilasciat[ie]|pubblicat[ie]|disponibili|licenza|sotto`,
  `zijn|is|onder|licentie|(?:ä|a\\u0308)r|under|licens|er|(?:é|e\\u0301)|s(?:ã|a\\u0303)o|sob|licen${C_CEDILLA}a|com|uma?|una?`,
].join('|');

/*
 * The record, its data, text, description or catalogue entry named, then a licence, wherever it stands in the text
 * (task D6, review V14): "Courtesy of the artist, Metadata: CC0", "… / Record: CC0 1.0", "… This record is CC0",
 * "… metadata released under CC0". A comma, a slash or a dash parts no clause, so a clause that begins with the
 * record's name is not enough: the licence went to the work, and a living artist's work was offered for download.
 * Not "Image and metadata: CC0", "Photo and text: CC BY 4.0".
 */
const RECORD_LICENSED = (pictureBefore: string, pictureAfter: string) =>
  `(?<![\\p{L}\\p{N}])(?<!(?:${pictureBefore})\\s*${JOINER}\\s*)(?:` +
  // A field name may follow: "Courtesy of the artist, Metadata licence: CC0" was CC0, offered for download.
  `${RECORD_IN_ENGLISH}${NOT_THE_PICTURE_TOO(pictureAfter)}(?:\\s+(?:licen[cs]es?|rights|terms|usage))?\\s*(?:[:=-]\\s*)?` +
  '(?:(?:is|are)\\s+)?' +
  '(?:(?:released|licen[cs]ed|available|published|shared|made available|offered|dedicated|provided)\\s+)?' +
  '(?:(?:under|as|with|via|to)\\s+)?(?:(?:a|an|the)\\s+)?|' +
  // In the other languages, a field name ("Metadaten-Lizenz:") and the words between, in a closed list: "Die
  // Metadaten stehen unter CC0", "les métadonnées sont sous licence CC0", "metadatos bajo licencia CC0".
  `${RECORD_ELSEWHERE}${NOT_THE_PICTURE_TOO(pictureAfter)}(?:[\\s-]+(?:${FIELD_ELSEWHERE}))?\\s*(?:[:=-]\\s*)?` +
  `(?:(?:${BETWEEN_ELSEWHERE})\\s+){0,4})`;
// The same with a statement by code, address or name too (task D3: "Gift of Jane Doe, metadata: NoC-US"), case
// ignored: a code only where its clause ends, so that "Text und Bild" names no code UND.
/*
 * The record's patterns read two ways (reviewer V25, F1 and F3). A picture word joined before the record may end a
 * name ("Gift of Jane Doe and LUX Films, metadata: CC0") or be the picture ("All videos and metadata: CC BY-NC 4.0");
 * one after it, followed by a word naming text, may be that text ("Metadata and video captions: CC0") or the
 * picture. `opening`: the picture before only where it opens its clause, none after followed by text; `anywhere`:
 * every picture word, as before. rights.ts reads the text both ways and keeps the reading that shows less.
 */
type Reading = {
  metadataOnly: RegExp;
  recordFirst: RegExp;
  recordAfter: RegExp;
  namedThenStatement: RegExp;
  atEnd: RegExp;
};
function reading(pictureBefore: string, pictureAfter: string): Reading {
  const licensed = RECORD_LICENSED(pictureBefore, pictureAfter);
  return {
    metadataOnly: METADATA_ONLY(pictureAfter),
    recordFirst: new RegExp(RECORD_FIRST(pictureAfter), 'iu'),
    recordAfter: new RegExp(RECORD_AFTER(pictureAfter), 'iu'),
    // The record named then a statement by code, address or name too (task D3: "Gift of Jane Doe, metadata:
    // NoC-US"), case ignored: a code only where its clause ends, so that "Text und Bild" names no code UND.
    namedThenStatement: new RegExp(
      `${licensed}(?:${LICENCE_TO_ITS_END}|${STATEMENT_NAMED}|${RS_CODE}(?=\\s*(?:$|[;|,.)\\n\\r])))`,
      'giu',
    ),
    // The record named where a line ends, its statement to come on the next: "Courtesy of the artist, Metadata:",
    // "… metadata released under". Read with a space after the line, which "under" and "the" are followed by.
    atEnd: new RegExp(`${licensed}$`, 'iu'),
  };
}
const READINGS = {
  opening: reading(PICTURE_OPENS_CLAUSE, PICTURE_NOT_TEXT),
  anywhere: reading(PICTURE, PICTURE),
};
// Where the two readings may differ: a picture word joined before the record, or one before a word naming text.
const TWO_WAYS = new RegExp(
  `${PICTURE}\\s*${JOINER}\\s*(?:${RECORD_IN_ENGLISH}|${RECORD_ELSEWHERE})|` +
    `${PICTURE}(?:\\s+|-)(?:${TEXT_WORDS})(?![\\p{L}\\p{N}])`,
  'iu',
);
// What a clause about the record may name: a code (case kept), then a licence, an address or a statement's name.
const STATEMENTS_IN_CLAUSE = [new RegExp(RS_CODE, 'g'), new RegExp(`${LICENCE_TO_ITS_END}|${STATEMENT_NAMED}`, 'giu')];
// The same, to ask whether a clause names one (no flag g: test would start where the last one stopped).
const STATEMENT_IN_CLAUSE = STATEMENTS_IN_CLAUSE.map((p) => new RegExp(p.source, p.flags.replace('g', '')));

/**
 * A licence denied, still to come or pending, or the photograph excepted from it: "Not CC0", "Will enter the public
 * domain in 2040", "Public domain from 2040", "CC BY 4.0 – licence not yet granted", "(licence pending)", "CC BY 4.0
 * (unverified)", "TBC; CC0", "CC0 except the photograph", "not the image".
 */
const LICENCE_DOUBTED = new RegExp(
  [
    '\\b(?:not|never|no longer)\\s+(?:(?:under|licen[cs]ed under|released under|available under|covered by|a|an)\\s+)*' +
      '(?:the\\s+)?(?:cc0|cc[\\s-]+(?:by|zero)|creative commons|open licen)',
    '\\b(?:enters|becomes|passes into|falls into)\\s+(?:the\\s+)?public domain',
    // "Public domain from 2040", "as of 1 January 2045", "after January 1, 2045"; not "since 1990".
    '\\bpublic domain\\s+(?:from|after|as of|starting|beginning|on)\\s+(?:in\\s+)?' +
      '(?:\\d{1,2}\\s+[a-z]+\\s+|[a-z]+\\s+\\d{1,2},?\\s+)?\\d{4}\\b',
    // Pending next to a licence or its words only: "Public domain; accession pending", "date TBC" are other matters
    // (review V6); "(licence pending)", "rights: TBC", "Rights status: unverified", "CC0 - TBC", "CC BY 4.0 (pending)"
    // doubt the licence.
    '\\b(?:licen[cs]e|licensing|rights?|clearance|permission|copyright|' +
      // The same field names in the other languages exports come in (review V7): "Droits : à vérifier", "Lizenz:
      // ungeklärt", "Rechtslage ungeklärt", "Derechos: pendiente", "Licenza: da verificare", "Rechten: voorlopig".
      'droits?|lizenz|rechte|rechtslage|rechtsstatus|derechos|licencia|diritti|licenza|rechten|licentie|' +
      'direitos|licen[çc]a|prawa|licencja)(?:\\s+(?:status|statement|information))?' +
      `\\s*(?:is\\s+|are\\s+|:\\s*)?${PENDING}(?![\\p{L}\\p{N}])`,
    `${LICENCE_NAME}\\s*(?:[-–—:,;|]\\s*|\\(\\s*)?${PENDING}(?![\\p{L}\\p{N}])`,
    // A question mark after it: "Public domain?", "CC0 (?)".
    `${LICENCE_NAME}\\s*(?:\\(\\s*)?\\?`,
    // Pending as a clause of its own, which can only be said of the rights: "TBC; CC0", "CC0 | TBD".
    `(?:^|[;|\\n,]|\\s-\\s)\\s*${PENDING}\\s*[.!]?\\s*(?=$|[;|\\n,]|\\s-\\s)`,
    '\\bawaiting\\s+(?:permission|clearance|licen[cs]|confirmation|approval)',
    '\\b(?:except|excluding|excludes|other than|but not|not)\\s+(?:for\\s+)?(?:the\\s+|this\\s+|its\\s+|their\\s+)?' +
      '(?:photo|photograph|image|picture|reproduction|scan|photography)s?\\b',
  ].join('|'),
  'u',
);

/**
 * The open licence a text names may not be the photograph's: it is denied, still to come, pending, or the photograph
 * is excepted. Such a text is never read as open: unknown, or In Copyright when it says so (tester T3, F18).
 */
export function licenceDoubted(t: string): boolean {
  // A licence's own address is its name here ("https://creativecommons.org/publicdomain/zero/1.0/ (TBC)"); any other
  // address is a word of no meaning.
  const plain = withoutAddresses(t.replace(/\b(?:https?:\/\/|www\.)(?:www\.)?creativecommons\.org\/\S*/g, ' cc0 '));
  return (
    LICENCE_DOUBTED.test(plain) ||
    laterInSentence(plain, /\bwill\b/, /\bpublic domain/g) ||
    PUBLIC_DOMAIN_TO_COME.test(plain) ||
    PUBLIC_DOMAIN_PENDING.test(plain) ||
    (OPEN_NAMED.test(plain) && PHOTOGRAPH_EXCEPTED_ELSEWHERE.test(plain)) ||
    HEDGED.test(plain)
  );
}

/**
 * `first` and, after it in the same sentence (no "." or ";" between), `then`: "It will, in 2040, be public domain".
 * Read once a sentence, from the first `first`: as a pattern (`will[^;.]*public domain`) it looked from each "will"
 * through the rest of the sentence, and a long text pasted by mistake took seconds. `then` has the flag g.
 */
export function laterInSentence(t: string, first: RegExp, then: RegExp): boolean {
  for (const sentence of t.split(/[;.]/)) {
    const at = first.exec(sentence);
    if (!at) continue;
    then.lastIndex = at.index + at[0].length;
    if (then.test(sentence)) return true;
  }
  return false;
}

// "Dominio público (TBC)", "Gemeinfrei – noch zu prüfen": pending next to a public domain in another language; a
// question mark after it ("Domaine public ?", "Gemeinfrei?", "¿Dominio público?"), as after "Public domain?" (review V7:
// read as the Public Domain Mark).
const PUBLIC_DOMAIN_PENDING = new RegExp(
  `${PUBLIC_DOMAIN_ELSEWHERE}\\s*(?:(?:[-–—:,;]\\s*|\\(\\s*)?${PENDING}|(?:\\(\\s*)?\\?)`,
  'u',
);

// The photograph left out of the licence, in the other languages exports come in, as "but not the photograph" is in
// English (review V7: "Domaine public, sauf la photographie" was read as the Public Domain Mark): a word that excepts
// ("sauf", "außer", "excepto", "tranne", "behalve"), an article or possessive, then the photograph; or a "not" with an
// article after it ("aber nicht die Fotografie", "mais pas la photo"), not without ("pas de photo" says there is none,
// "no reproduction fees" is no exception). "Dominio público (fotografía incluida)" excepts nothing.
const EXCEPTING_WORDS = [
  'au(?:ß|ss)er|ausgenommen|mit ausnahme (?:der|des|von)',
  "sauf|hormis|except[ée]e?s?|(?:[àa] )?l['’]exception d(?:e|u|es)",
  'excepto|salvo|menos|exclu(?:id[oa]s?|yendo)|(?:a|con) excepci[óo]n de(?:l)?',
  'tranne|eccetto|esclus[oaie]|(?:ad|a|con) eccezione d(?:i|el|ella|ello|elle|egli)',
  'behalve|uitgezonderd|met uitzondering van|exclusief',
  'exceto|com exce[çc][ãa]o d[eoa]s?|z wyj[aą]tkiem|opr[óo]cz|ale nie',
].join('|');
const ARTICLE =
  "(?:die|das|der|den|dem|des|diese[snmr]?|seine[snmr]?|ihre[snmr]?|la|le|les|l['’]|cette|ce|ces|sa|son|ses|el|los|" +
  'las|esta|este|su|sus|il|lo|gli|i|questa|questo|sua|suo|de|het|deze|dit|zijn|haar|a|o|as|os|seu)';
const NOT_WITH_ARTICLE = [
  '(?:aber |jedoch |doch )?nicht (?:die|das|der|den|dem|diese[snmr]?|seine[snmr]?|ihre[snmr]?)',
  "(?:mais )?(?:pas|non) (?:la|le|les|l['’]|cette|ce|ces|sa|son|ses)",
  '(?:pero )?no (?:la|el|los|las|esta|este|su|sus)',
  "(?:ma )?non (?:la|il|lo|l['’]|le|i|gli|questa|questo|sua|suo)",
  '(?:maar )?niet (?:de|het|deze|dit|zijn|haar)',
  '(?:mas )?n[ãa]o (?:a|o|as|os|esta|este|sua|seu)',
].join('|');
const PHOTOGRAPH_WORD =
  '(?:fotograf(?:ie|ien|ia|ias|ieën|ía|ías|ii)|fotos?|photos?|photographies?|aufnahmen?|abbildung(?:en)?|clich[ée]s?|' +
  'imag(?:e|es|en|enes|em|ens|ine|ini)|immagin[ei]|afbeelding(?:en)?|reprodu(?:ktion|ction|cci[óo]n|zione|ctie|[çc][ãa]o)s?|' +
  'zdj[ęe](?:cia|[ćc])|reprodukcji)';
const PHOTOGRAPH_EXCEPTED_ELSEWHERE = new RegExp(
  '(?<![\\p{L}\\p{N}])(?:' +
    `(?:${EXCEPTING_WORDS})\\s+(?:(?:f(?:ü|ue)r|pour|para|per|voor)\\s+)?(?:${ARTICLE}(?:\\s+|(?<=['’])\\s*))?` +
    `|(?:${NOT_WITH_ARTICLE})(?:\\s+|(?<=['’])\\s*)` +
    `)${PHOTOGRAPH_WORD}(?![\\p{L}\\p{N}])` +
    // Or after it: "Abbildung ausgenommen", "photographie exclue", "fotografía excluida", "foto uitgezonderd".
    `|(?<![\\p{L}\\p{N}])${PHOTOGRAPH_WORD}\\s+(?:ausgenommen|except[ée]e?s?|exclue?s?|non comprise?s?|` +
    'excluid[oa]s?|no incluid[oa]s?|esclus[oaie]|non inclus[oaie]|uitgezonderd|niet inbegrepen|exclu[íi]d[oa]s?)' +
    '(?![\\p{L}\\p{N}])',
  'u',
);

// A photograph named, in English and the other languages exports come in: "photo", "photograph", "Foto", "image";
// a photographic record, a record shot, media or files (task D10), as the record's words read them; film, video,
// audio, recordings, "Bild" (reviewer V25, F2: "Courtesy of the artist. Video and metadata: CC0" was CC0).
const PHOTOGRAPH_NAMED = new RegExp(
  `(?<![\\p{L}\\p{N}])(?:${PHOTOGRAPH_WORD}|photograph(?:s|y|ic)?|pictures?|scans?|record[\\s-]+shots?|${MEDIA})` +
    `(?![\\p{L}\\p{N}])|${PICTURE}`,
  'u',
);

/**
 * A clause gives an open statement to the photograph only ("photo: CC BY 4.0", "Foto CC0"): beside the artist
 * credited, the work itself is still the artist's, and the photograph shows it. A picture named then a dash before
 * its licence is read as with ":" (reviewer V27, F1: "Video and metadata - CC0" was CC0, offered for download).
 * The text comes with its dashes made "-" (rights.ts, plainRights).
 */
export function photographLicensed(t: string): boolean {
  return t.split(/[;|\n]|\.\s|\s\/\s/).some((clause) => {
    const parts = clause.split(/\s[-–—]\s/);
    return parts.some(
      (c, i) => OPEN_NAMED.test(c) && (PHOTOGRAPH_NAMED.test(c) || (i > 0 && PHOTOGRAPH_NAMED.test(parts[i - 1]!))),
    );
  });
}

// Words that say the museum is not sure, in English and the other languages exports come in: "probably", "presumed",
// "uncertain", "vermutlich", "unklar", "présumé", "incertain", "dudoso", "incerto", "waarschijnlijk", "onzeker". Not
// "possible" or "mogelijk", which also say a reuse is possible ("Hergebruik mogelijk onder CC BY").
const HEDGE =
  '(?:probably|possibly|presumably|presumed|assumed|likely|perhaps|maybe|believed|uncertain|unclear|doubtful|' +
  'thought|appears?|seems?|probable|unsure|not sure|voraussichtlich|angenommen|provavelmente|prov[áa]vel|' +
  'questionable|vermutlich|wahrscheinlich|m(?:ö|oe)glicherweise|vielleicht|mutma(?:ß|ss)lich|unklar|fraglich|unsicher|' +
  'probablement|peut[- ][êe]tre|pr[ée]sum[ée]e?s?|suppos[ée]e?s?|incertaine?s?|douteu(?:x|se)|probablemente|' +
  'posiblemente|quiz[áa]s?|presunt[oa]|supuest[oa]|dudos[oa]|inciert[oa]|probabilmente|forse|presumibilmente|' +
  'incert[oa]|dubbi[oa]|waarschijnlijk|vermoedelijk|misschien|onzeker|onduidelijk)';
/**
 * An open statement hedged (review V7 follow-up): a hedge up to four words before it in the clause ("Probably public
 * domain", "Believed to be in the public domain", "Vermutlich gemeinfrei") or right after it, ending its clause
 * ("Public domain (uncertain)", "Gemeinfrei – unklar"). A hedge of something else is none ("Public domain; date
 * uncertain", "Public domain - probably 18th century").
 */
const HEDGED = new RegExp(
  `(?<![\\p{L}\\p{N}])${HEDGE}(?:\\s+[^\\s,;.:|/()-]+){0,4}?\\s+(?:${OPEN_NAMED.source})|` +
    // After it, the hedge ends its clause: "Public domain (uncertain)", not "Public domain; uncertain date" (V8).
    `(?:${OPEN_NAMED.source})\\s*(?:[-–—:,;|]\\s*|\\(\\s*)?${HEDGE}(?=\\s*(?:[)?!.;,|]|$))`,
  'u',
);

// A field name that says the value is the copyright's status, as collection systems export it: "Copyright status:",
// "Copyright information:" (TMS, EMu, Axiell).
const COPYRIGHT_STATUS_FIELD = /^copyright\s+(?:status|information|info|statement)\s*:\s*/i;

// "Expired copyright" as a whole clause ending the text: alone, "Public domain (expired copyright)" or "Public
// domain; expired copyright", a "." after at most. Not with a clause after ("…; renewed 1990", "… until 2030"), a word
// between ("Public Domain: no (expired copyright)"), a bracket around ("((expired copyright))") (reviewer V31), a word
// before it or a line break ("(not\nexpired copyright)", reviewer V29).
const EXPIRED_COPYRIGHT_ALONE = new RegExp(
  '(^|\\bpublic[ \\t]+domain[ \\t]*;[ \\t]*)(?:expired|lapsed)[ \\t]+copyright(?=[ \\t]*\\.?\\s*$)|' +
    '(\\bpublic[ \\t]+domain[ \\t]*\\([ \\t]*)(?:expired|lapsed)[ \\t]+copyright(?=[ \\t]*\\)[ \\t]*\\.?\\s*$)',
  'gi',
);

/**
 * A text read as another that says the same in the words rights.ts reads (tester T3, F5): "Copyright status: Public
 * Domain" as "Copyright: Public Domain"; "Copyright has expired" as "Copyright expired" and "Free of copyright" as
 * "Copyright free", unknown rights, not In Copyright (docs/catalogue.md says why they are not read as open).
 */
export function copyrightStatusAsRead(raw: string): string {
  return (
    raw
      .replace(COPYRIGHT_STATUS_FIELD, 'Copyright: ')
      .replace(/\bcopyright\s+(?:has|have)\s+(?:expired|lapsed)\b/gi, 'Copyright expired')
      // "Public Domain (expired copyright)" as "Public domain (copyright expired)" (tester T12: the copyright was read
      // as a holder's, In Copyright). Only when the clause says nothing else: any word before it may deny it ("not
      // yet expired copyright", "no: expired copyright"), a clause after may take it back ("; renewed 1990")
      // (reviewer V29).
      .replace(EXPIRED_COPYRIGHT_ALONE, (_, clause, bracket) => `${clause ?? bracket}copyright expired`)
      .replace(/\bfree of copyright\b/gi, 'Copyright free')
  );
}

// What commercial use is called: "commercial use", "commercial purposes", "usage commercial", "kommerzielle Nutzung".
const COMMERCIAL_USE = '(?:use|uses|reuse|re-use|purposes?|exploitation|reproduction|publication|licensing)';
/**
 * Commercial use forbidden, limited or asked a permission or a licence for, in English and the other languages exports
 * come in: "No commercial use without permission", "Commercial use requires a licence", "Non-commercial use only",
 * "Not for commercial use", "For commercial use please contact the museum", "Usage commercial interdit", "Keine
 * kommerzielle Nutzung", "Uso comercial prohibido", "Uso commerciale vietato", "Geen commercieel gebruik". Not commercial
 * use allowed or asked nothing for ("Commercial use permitted", "No commercial restrictions", "Commercial use requires no
 * permission", "Free for non-commercial and commercial use").
 */
const COMMERCIAL_RESTRICTED = new RegExp(
  `(?<![\\p{L}\\p{N}])(?:${[
    // English.
    '(?:no|not for|never for|except(?:ing)?(?: for)?|excluding|but not(?: for)?) (?:any )?commercial(?:ly)?' +
      '(?! (?:restrictions?|limitations?))',
    `(?:not|never) (?:to )?(?:be )?(?:used|reproduced|exploited|published) (?:for (?:any )?commercial|commercially)`,
    `non-?commercial (?:${COMMERCIAL_USE} )?only`,
    'only (?:for |with )?non-?commercial',
    `(?:for|limited to|restricted to) non-?commercial ${COMMERCIAL_USE}(?!\\s*(?:and|or|&|\\+|/))`,
    `commercial ${COMMERCIAL_USE}s?\\s*(?::\\s*)?(?:is |are |only )?(?:not (?:permitted|allowed)|prohibited|` +
      'forbidden|restricted|excluded|reserved|no(?=\\s*(?:$|[.;,|)]))|(?:requires?|needs?)(?! no\\b)|' +
      'only (?:with|by|after)|(?:by|with) (?:prior )?(?:written )?permission|subject to|(?:up)?on request|' +
      'by arrangement|(?:please )?contact|must be (?:licen[cs]ed|agreed|approved|cleared|requested|authori[sz]ed))',
    `for commercial ${COMMERCIAL_USE}s?,?\\s*(?:please )?(?:contact|apply|ask|write|request|permission|` +
      '(?:a )?licen[cs]e|(?:a )?fees?)',
    // French.
    "pas d['’](?:usage|utilisation|exploitation) commerciale?",
    '(?:usage|utilisation|exploitation|reproduction)s? commerciale?s? (?:est |sont )?(?:interdite?s?|soumise?s?|' +
      'non autoris[ée]e?s?|exclue?s?|sur autorisation|payante?s?|r[ée]serv[ée]e?s?)',
    '(?:usage|utilisation|fins?) non commerciale?s? (?:uniquement|seulement)',
    '(?:uniquement|seulement|exclusivement) (?:[àa] des fins|pour (?:un |une )?(?:usage|utilisation)) non commerciale?s?',
    '(?:sauf|hors) (?:usage|utilisation|exploitation) commerciale?',
    // German.
    'keine (?:kommerzielle|gewerbliche) (?:nutzung|verwendung|verwertung)',
    '(?:kommerzielle|gewerbliche) (?:nutzung|verwendung|verwertung) (?:ist )?(?:nicht (?:gestattet|erlaubt)|' +
      'untersagt|verboten|ausgeschlossen|nur mit|genehmigungspflichtig|kostenpflichtig)',
    'nur (?:f(?:ü|ue)r )?(?:die )?nicht[- ]?(?:kommerzielle|gewerbliche)',
    'nicht (?:f(?:ü|ue)r (?:die )?|zur )(?:kommerzielle|gewerbliche)',
    // Spanish and Portuguese.
    '(?:uso|utilizaci[óo]n|explotaci[óo]n) comercial (?:est[áa] )?(?:prohibid[oa]|proibid[oa]|no permitid[oa]|' +
      'n[ãa]o permitid[oa]|sujet[oa]|requiere|s[óo]lo con)',
    'prohibid[oa] (?:el |su )?uso comercial',
    'proibid[oa] o uso comercial',
    '(?:s[óo]lo|solamente|[úu]nicamente|apenas) (?:para )?(?:uso|usos|fines) no comerciales?',
    'sin fines comerciales',
    'sem fins comerciais',
    // Italian.
    '(?:uso|utilizzo) commerciale (?:è )?(?:vietato|non consentito|non permesso|soggetto)',
    "vietato (?:l['’])?(?:uso|utilizzo) commerciale",
    '(?:solo|esclusivamente) (?:per )?(?:uso|usi|scopi|fini) non commerciali?',
    // Dutch.
    'geen commercieel gebruik',
    'commercieel gebruik (?:is )?(?:niet toegestaan|verboden|alleen met|uitgesloten)',
    '(?:alleen|uitsluitend) (?:voor )?niet[- ]commercie(?:el|le)',
  ].join('|')})(?![\\p{L}\\p{N}])`,
  'u',
);

/**
 * The text limits commercial use ("Public domain; no commercial use without permission", "CC BY 4.0; commercial use
 * requires a licence"). Beside an open statement that allows it (the Public Domain Mark, CC0, CC BY, BY-SA, BY-ND), it
 * contradicts the statement: rights.ts reads the text as unknown, not as the statement offered for download. Beside a
 * NonCommercial licence it is the licence's own terms. `t` is rights.ts's plain text.
 */
export function commercialUseRestricted(t: string): boolean {
  return COMMERCIAL_RESTRICTED.test(withoutAddresses(t));
}

/*
 * Two statements in one text that conflict (task D4): "CC0; No Copyright - Contractual Restrictions", "Public domain;
 * CC BY-NC 4.0", a No Copyright address beside an In Copyright one. Nobody can tell which the museum meant, and the
 * first named is not more likely: the one that shows less is read. In Copyright first (a small picture), then Not
 * Evaluated and Undetermined (catalogue.images.unknown), then No Copyright with restrictions (shown, no download),
 * then the licence that allows least: NonCommercial, then NoDerivatives, then ShareAlike, then Attribution, and
 * last CC0, the Public Domain Mark, No Copyright - United States and No Known Copyright, which ask nothing.
 */

/** How much a statement lets the site and its visitors do with the photograph: less is smaller. */
function reach(s: { uri: string | null; download: boolean }): number {
  const uri = s.uri ?? '';
  if (/\/vocab\/InC(?:-[A-Z-]+)?\//.test(uri)) return 0;
  if (s.uri === null || /\/vocab\/(?:CNE|UND)\//.test(uri)) return 1;
  if (!s.download) return 2;
  const cc = /\/licenses\/([a-z-]+)\//.exec(uri)?.[1]?.split('-') ?? [];
  if (/\/vocab\/NoC-NC\//.test(uri)) cc.push('nc');
  const terms: Record<string, number> = { nc: 8, nd: 4, sa: 2, by: 1 };
  return 3 + 16 - cc.reduce((sum, term) => sum + (terms[term] ?? 0), 0);
}

/**
 * "Unknown" in the languages other than English that museums write rights in, each a word whose every form here was
 * checked (task D3): German "unbekannt", French "inconnu(e)(s)", Spanish "desconocido(a)(s)", Portuguese
 * "desconhecido(a)(s)", Italian "sconosciuto(a)(i)(e)", Dutch "onbekend", Swedish "okänd", "okänt", "okända". Read
 * as "unknown" is: alone, after a field name, or after the word for rights ("Rechte unbekannt", "droits inconnus").
 * No other language is guessed at; one more is one more word here and in RIGHTS_WORDS.
 */
export const UNKNOWN_ELSEWHERE =
  'unbekannt|inconnue?s?|desconocid[oa]s?|desconhecid[oa]s?|sconosciut[oaie]|onbekend|ok[äa]n(?:d|t|da)';
// The rights, the copyright or the licence, as a field name or before "unknown", in those languages: "Rechte",
// "Urheberrecht", "droits", "droit d'auteur", "derechos (de autor)", "direitos (autorais)", "diritti", "diritto
// d'autore", "rechten", "auteursrecht", "rättigheter", "upphovsrätt".
const RIGHTS_WORDS =
  "copyright|rights?|licen[cs]e|licensing|rechte|urheberrechte?|droits?(?: d['’]auteur)?|" +
  "derechos(?: de autor)?|direitos(?: autorais| de autor)?|diritt[oi](?: d['’]autore)?|rechten|auteursrecht(?:en)?|" +
  'r[äa]ttigheter(?:na)?|upphovsr[äa]tt(?:en)?';

/*
 * The rights said to be unknown, as a clause of its own (task D6, review V14): "Unknown", "Copyright status: unknown",
 * "Rights unknown", and in other languages (task D3: "CC0; unbekannt" was CC0). Beside another statement it is one
 * more, Undetermined, and shows less: "NKC; rights unknown" was No Known Copyright, offered for download. Not
 * something else unknown: "Public domain; date unknown", "Photographer: unknown; CC0", "Foto: unbekannt; CC0". Read on
 * the text as given, whose new lines part clauses.
 */
const RIGHTS_UNKNOWN = new RegExp(
  [
    // "Unknown", "Rights unknown", "Copyright status: unknown", "Licence: not known", "Droits : inconnus".
    `^(?:(?:${RIGHTS_WORDS})(?:[\\s-]+status)?\\s*[:\\s-]\\s*)?(?:unknown|not known|${UNKNOWN_ELSEWHERE})[.!]?$`,
    // "Unknown copyright", "Unknown rights status".
    '^unknown\\s+(?:copyright|rights?)(?:\\s+status)?[.!]?$',
  ].join('|'),
  'u',
);

/** The text says, as a clause of its own, that the rights are unknown. */
export function rightsUnknown(raw: string): boolean {
  return raw
    .normalize('NFC')
    .toLowerCase()
    .split(/[;|,\n]|\.\s/)
    .some((c) => RIGHTS_UNKNOWN.test(c.replace(/\s+/g, ' ').trim()));
}

/** Of the statements a text names, the one that shows less; of two that show as much, the first. */
export function showsLess<T extends { uri: string | null; download: boolean }>(statements: readonly T[]): T | null {
  let least: T | null = null;
  for (const s of statements) if (least === null || reach(s) < reach(least)) least = s;
  return least;
}
