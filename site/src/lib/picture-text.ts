/*
 * The text of an object's photograph on its page. The catalogue's ("Photograph of <title>, by <maker>, <date>") says
 * again the heading and line just above it, read two or three times (tester T17): the record's description says what
 * the photograph shows, when it is short enough to be read as a picture's text.
 */

/** The longest description used as a picture's text (a sentence or two; longer ones are in the details). */
export const PICTURE_TEXT_MAX = 150;

/** The object page's text of the photograph: the description when short, else the catalogue's `alt`. */
export function pictureText({ alt, description }: { alt: string; description: string }): string {
  const said = description.replace(/\s+/g, ' ').trim();
  return said && said.length <= PICTURE_TEXT_MAX ? said : alt;
}
