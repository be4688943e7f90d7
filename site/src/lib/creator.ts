/*
 * The schema.org `creator` an object page's JSON-LD gives its maker. schema.org expects a Person or an Organization,
 * but a museum's maker field is often neither, or not known to be a person: "Egyptian", "Mint of Chang'an", "Workshop
 * of Rubens", "Tiffany & Co.", "Unknown". Whether a name is a person's cannot be told from the name, so no maker is
 * typed a Person (an outside tester found every maker typed so). The rules, in this order:
 *
 * 1. Unknown or anonymous (in English, French, German, Dutch, Italian or Spanish): no creator.
 * 2. An attribution ("Workshop of", "Circle of", "Attributed to", "Follower of", "School of", "After"…, at the start
 *    or after a comma or bracket: "Rubens, workshop of"): no creator. The artist named did not make it, and who did
 *    is not named.
 * 3. A name with an organisation's word (mint, workshop, factory, manufactory, company, "& Co", studio, pottery,
 *    foundry… in the same languages; German and Dutch ones also at the end of a compound: "Porzellanmanufaktur"):
 *    an Organization.
 * 4. Anything else: the name as plain text, typed neither way (schema.org takes text where it expects a thing).
 *    A culture ("Egyptian") or a people stays so, as a person's name does.
 *
 * docs/catalogue.md (Findable) says the same.
 */

const L = '\\p{L}\\p{N}';

/** Words saying the maker is not known. */
const UNKNOWN = new RegExp(
  `(?<![${L}])(?:unknown|anonymous|unidentified|not known|inconnue?|anonyme|unbekannt|anonym|onbekend|anoniem|` +
    `sconosciuto|anonimo|ignoto|desconocido|anónimo)(?![${L}])`,
  'iu',
);

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
    `studios?|pottery|potteries|foundry|works|press|` +
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

/** An object page's JSON-LD `creator` for `maker`: an Organization, the name as text, or none (see above). */
export function jsonLdCreator(maker: string): { '@type': 'Organization'; name: string } | string | undefined {
  const name = maker.trim();
  if (!name || UNKNOWN.test(name) || ATTRIBUTION.test(name)) return undefined;
  if (ORGANISATION_WORD.test(name) || ORGANISATION_END.test(name) || FIRM.test(name))
    return { '@type': 'Organization', name };
  return name;
}
