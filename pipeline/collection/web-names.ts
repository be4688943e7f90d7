/*
 * Image names written as a web address writes them: "vase%20avec%20anse.jpg" for "vase avec anse.jpg", "C%C3%A9ramique"
 * for "Céramique". Web-based collection systems export their media paths so; an outside tester's (T6 F6) were each
 * "not found", with no word of why. Import reads such a name decoded when the name as written is no file (a file may
 * hold a "%" in its own name, "100%25.jpg"), and says so once.
 */

/** `name` with its %XX escapes decoded, or undefined when it has none or they are not valid UTF-8. */
export function percentDecoded(name: string): string | undefined {
  if (!/%[0-9a-f]{2}/i.test(name)) return undefined;
  try {
    const plain = decodeURIComponent(name);
    return plain === name || plain.includes('\0') ? undefined : plain;
  } catch {
    return undefined;
  }
}

/** What import says of the image names it read decoded: the count and a few, as the export wrote them. */
export function decodedNamesWords(names: { cell: string; file: string }[]): string {
  const shown = names.slice(0, 3).map(({ cell, file }) => `"${cell}" is ${file}`);
  const one = names.length === 1;
  return (
    `${names.length} image name${one ? ' is' : 's are'} written as in a web address, with %20 for a space (or ` +
    `%C3%A9 for é), e.g. ${shown.join(', ')}: ${one ? 'that file was' : 'those files were'} used.`
  );
}
