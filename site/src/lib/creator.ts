/*
 * The schema.org `creator` an object page's JSON-LD gives its maker. schema.org expects a Person or an Organization,
 * but a museum's maker field is often neither, or not known to be a person: "Egyptian", "Mint of Chang'an", "Workshop
 * of Rubens", "Tiffany & Co.", "Unknown". Whether a name is a person's cannot be told from the name, so no maker is
 * typed a Person (an outside tester found every maker typed so). The rules, in this order:
 *
 * 0. The maker is the name given first. A later part that names someone else is left out: the artist a print is
 *    after ("Jan Saenredam, after Hendrick Goltzius", "Marcantonio Raimondi (after Raphael)", "d'après", "nach",
 *    "naar", "según": the engraver made the print), or someone unknown ("Ando Hiroshige, Unknown publisher").
 *    A master and workshop ("Giovanni Bellini e bottega", "Rubens and workshop") is the master.
 * 1. Unknown or anonymous (in English, French, German, Dutch, Italian or Spanish): no creator.
 * 2. An attribution ("Workshop of", "Circle of", "Attributed to", "Follower of", "School of", "After"…, at the start
 *    or after a comma or bracket: "Rubens, workshop of"): no creator. The artist named did not make it, and who did
 *    is not named.
 * 3. A name with an organisation's word (mint, workshop, factory, manufactory, company, "& Co", studios, pottery,
 *    foundry… in the same languages; German and Dutch ones also at the end of a compound: "Porzellanmanufaktur"):
 *    an Organization. "Press" and "Studio" are also people's names or part of one ("Ellen Press", "Studio Job"):
 *    unsure, so they make none ("University Press" does).
 * 4. Anything else: the name as plain text, typed neither way (schema.org takes text where it expects a thing).
 *    A culture ("Egyptian") or a people stays so, as a person's name does.
 *
 * docs/catalogue.md (Findable) says the same.
 */

import { UNKNOWN_MAKER as UNKNOWN } from '../../../pipeline/catalogue/maker-unknown.ts';

const L = '\\p{L}\\p{N}';

/** Attribution words, at the start or after a comma, semicolon or bracket. */
const ATTRIBUTION = new RegExp(
  `(?:^|[,;(\\[])\\s*(?:` +
    // English
    `(?:workshop|studio|circle|school|follower|followers|manner|style|imitator|pupil|assistant|copy) of|` +
    `(?:formerly |traditionally )?attributed(?: to)?|after|possibly|probably|` +
    // French
    `(?:atelier|cercle|entourage|école|suiveur|manière|genre|style|élève) (?:de|du|des)|atelier d['’]|` +
    `attribuée? à|d['’]après|` +
    // German
    `(?:werkstatt|umkreis|nachfolger|schule|art|kreis|schüler) (?:des|der|von)|zugeschrieben|kopie nach|nach|` +
    // Dutch
    `(?:atelier|kring|navolger|school|omgeving|werkplaats|stijl|trant|leerling) van|toegeschreven(?: aan)?|naar|` +
    // Italian
    `(?:bottega|cerchia|seguace|scuola|maniera|ambito|allievo|laboratorio) (?:di|del|della|dello|dei|degli)|` +
    `attribuit[oa](?: a)?|copia da|` +
    // Spanish
    `(?:taller|círculo|seguidor|escuela|estilo|manera|discípulo) (?:de|del)|atribuid[oa](?: a)?|copia de|según` +
    `)(?![${L}])`,
  'iu',
);

/** An organisation's words, whole. */
const ORGANISATION_WORD = new RegExp(
  `(?<![${L}])(?:` +
    // English
    `mint|workshops?|factory|factories|manufactory|company|co\\.|corporation|corp\\.?|inc\\.?|ltd\\.?|limited|` +
    `studios|pottery|potteries|foundry|works|university press|` +
    // French
    `monnaie|ateliers?|manufacture|fabrique|compagnie|cie|société|poterie|faïencerie|fonderie|` +
    // German (also compounds, below)
    `gmbh|` +
    // Dutch
    `rijksmunt|rijks munt|munt van|n\\.v\\.|b\\.v\\.|` +
    // Italian
    `zecca|bottega|fabbrica|manifattura|laboratorio|società|officina|fonderia|s\\.p\\.a\\.|` +
    // Spanish
    `ceca|casa de moneda|taller|fábrica|compañía|cía\\.?|estudio|alfarería|fundición|s\\.a\\.` +
    `)(?![${L}])`,
  'iu',
);

/** German and Dutch organisation words, alone or ending a compound ("Porzellanmanufaktur", "Staatsmünze"). */
const ORGANISATION_END = new RegExp(
  `(?:münze|münzstätte|werkstatt|werkstätten?|manufaktur|fabrik|töpferei|gießerei|gesellschaft|` +
    `werkplaats|fabriek|maatschappij|pottenbakkerij|plateelbakkerij|gieterij)(?![${L}])`,
  'iu',
);

/** "& Co.", "& Sons" and their kind: a firm. */
const FIRM = new RegExp(
  `(?:&|\\band\\b|\\bet\\b|\\bund\\b|\\ben\\b|\\be\\b|\\by\\b)\\s*` +
    `(?:co|cie|cía|sons|söhne|zonen|fils|figli|hijos)(?![${L}])`,
  'iu',
);

/** A later part naming the artist a print is after: "after Goltzius", "d'après Poussin", "nach", "naar", "según". */
const AFTER = new RegExp(`^(?:after|d['’]\\s*après|nach|naar|según)\\s+[${L}]`, 'iu');

/** A master and workshop, ending the name: "e bottega", "and his workshop", "und Werkstatt", "y taller". */
const AND_WORKSHOP = new RegExp(
  `\\s+(?:and|&|with|et|und|en|e|y)\\s+(?:(?:his|her|the|son|sa|seiner|seine|zijn|sua|su)\\s+)?` +
    `(?:workshop|studio|assistants|atelier|werkstatt|werkplaats|bottega|taller)$`,
  'iu',
);

/**
 * The maker named first (rule 0): `maker` up to a later part (after a comma, semicolon or bracket) that names the
 * artist a print is after or someone unknown, without a workshop named with the master.
 */
function namedFirst(maker: string): string {
  const [first = '', ...later] = maker.split(/(?=[,;([])/u);
  let kept = first;
  for (const part of later) {
    const text = part.replace(/^[,;([]\s*/u, '');
    if (AFTER.test(text) || UNKNOWN.test(text)) break;
    kept += part;
  }
  return kept.trim().replace(AND_WORKSHOP, '');
}

/** An object page's JSON-LD `creator` for `maker`: an Organization, the name as text, or none (see above). */
export function jsonLdCreator(maker: string): { '@type': 'Organization'; name: string } | string | undefined {
  const name = namedFirst(maker.trim());
  if (!name || UNKNOWN.test(name) || ATTRIBUTION.test(name)) return undefined;
  if (ORGANISATION_WORD.test(name) || ORGANISATION_END.test(name) || FIRM.test(name))
    return { '@type': 'Organization', name };
  return name;
}
