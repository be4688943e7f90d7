/*
 * Characters that print nothing but change how text is read or parsed, found in text a museum's export or a labels
 * file brings (an outside tester's title "Safe \u202Egnp.exe\u202C title" read "Safe exe.png title" on its page):
 * control characters (a bell, an escape: in an HTML page each is a parse error) and the bidi embeddings and overrides,
 * which make what follows them read the other way. The one definition for the pull-request comment, the model card
 * and the catalogue (its pages, downloads, search index and IIIF manifests all take the catalogue's text).
 *
 * The bidi isolates (U+2066–2069) are how Unicode asks text of the other direction to be set inside a sentence (an
 * Arabic name in an English title): the catalogue keeps one that is closed, whose effect ends where it closes, and
 * leaves out one left open, which would run on into what a page puts after the field ("…, by Maker, 1900"). The
 * comment and the card leave out every one (CONTROLS): a line of a table has no need of them.
 */

/** C0 controls but tab and line breaks, DEL, C1 controls; bidi embeddings and overrides (U+202A–202E). */
const CONTROL_OR_OVERRIDE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e]/g;

/** Every character CONTROL_OR_OVERRIDE finds and the bidi isolates: what a comment or a card leaves out. */
export const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

const ISOLATE = /[\u2066-\u2069]/;
const POP_ISOLATE = '\u2069';

/**
 * `value` without control characters, bidi embeddings and overrides, nor bidi isolates left open or closing nothing;
 * tabs, line breaks and closed isolates stay. Text with none of them is returned as it is.
 */
export function withoutControls(value: string): string {
  const s = value.replace(CONTROL_OR_OVERRIDE, '');
  if (!ISOLATE.test(s)) return s;
  // Pair each pop with the isolate it closes (they nest); an unpaired one of either kind is left out.
  const kept = new Array<boolean>(s.length).fill(true);
  const open: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === POP_ISOLATE) {
      if (open.length > 0) open.pop();
      else kept[i] = false;
    } else if (ISOLATE.test(c)) open.push(i);
  }
  for (const i of open) kept[i] = false;
  let out = '';
  for (let i = 0; i < s.length; i++) if (kept[i]) out += s[i];
  return out;
}

/** How many bidi isolates `value` leaves open at its end (a text cut short): close them before adding to it. */
export function openIsolates(value: string): number {
  let open = 0;
  for (const c of value) {
    if (c === POP_ISOLATE) open = Math.max(0, open - 1);
    else if (ISOLATE.test(c)) open++;
  }
  return open;
}

/** The bidi embeddings, overrides and isolates by name, as messages say them. */
const BIDI_NAMES: Readonly<Record<string, string>> = {
  '\u202a': 'left-to-right embedding',
  '\u202b': 'right-to-left embedding',
  '\u202c': 'pop directional formatting',
  '\u202d': 'left-to-right override',
  '\u202e': 'right-to-left override',
  '\u2066': 'left-to-right isolate',
  '\u2067': 'right-to-left isolate',
  '\u2068': 'first strong isolate',
  '\u2069': 'pop directional isolate',
};

/** One character CONTROLS finds. */
const CONTROL = new RegExp(CONTROLS.source);

/**
 * The name of `character` when CONTROLS finds it ("right-to-left override", "control character"), for a message that
 * refuses it (a label of params.yaml or labels.csv); undefined for any other character.
 */
export function controlName(character: string): string | undefined {
  if (!CONTROL.test(character)) return undefined;
  return BIDI_NAMES[character] ?? 'control character';
}
