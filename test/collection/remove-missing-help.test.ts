import { describe, expect, it } from 'vitest';
import { coreCommands } from '../../pipeline/cli/core-commands.ts';

/*
 * `vitrine import --help` said --remove-missing removes objects the export leaves out "even more than half of
 * them", but not the other refusals it lifts (docs/import.md): an export that removes every object (its header
 * line alone) and one whose image column is empty in every row (IMPORT_IMAGES_EMPTIED). Failed before the fix.
 */
describe('import --remove-missing help', () => {
  it('names every case the flag accepts', () => {
    const option = coreCommands.find((c) => c.name === 'import')!.options!['remove-missing']!;
    const text = option.description;
    expect(text).toMatch(/more than half/);
    expect(text).toMatch(/every (one|object)/);
    expect(text).toMatch(/image column is empty for many objects that have an image/);
    expect(text).toContain('IMPORT_IMAGES_EMPTIED');
  });
});
