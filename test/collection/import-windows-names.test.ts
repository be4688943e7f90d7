import { describe, expect, it } from 'vitest';
import { imageFileNames, safeFileName } from '../../pipeline/collection/import.ts';
import { windowsUnsafeRelpath } from '../../pipeline/data/cache.ts';

/*
 * Import names each image in data/images/ after its object id. An object numbered "CON", "nul" or "COM1.2" would
 * become a file Windows cannot write (a device name, with any extension): a museum cloning the repository on
 * Windows could not check it out. Those ids get a name with "_" after the device name.
 */

describe('image file names from object ids, on Windows', () => {
  it.each([
    ['CON', 'CON_'],
    ['nul', 'nul_'],
    ['Aux', 'Aux_'],
    ['PRN', 'PRN_'],
    ['COM1', 'COM1_'],
    ['lpt9', 'lpt9_'],
    ['COM1.2', 'COM1_.2'],
    ['NUL.tar', 'NUL_.tar'],
  ])('%j becomes %j', (id, name) => {
    expect(safeFileName(id)).toBe(name);
  });

  it.each(['CONSOLE', 'COM10', 'COM0', 'icon', '1987.123.4a-b', 'LPT'])('%j is kept', (id) => {
    expect(safeFileName(id)).toBe(id);
  });

  it('names no image Windows cannot write, for ids that are devices or end in a dot or a space', () => {
    const ids = ['CON', 'nul', 'com3', 'LPT1.5', 'A.', 'B ', 'C..', 'aux.'];
    const names = imageFileNames(ids.map((id) => ({ id, ext: '.jpg' })));
    for (const id of ids) expect(windowsUnsafeRelpath(`images/${names.get(id)}`), names.get(id)).toBeUndefined();
    expect(new Set(names.values()).size).toBe(ids.length);
  });
});
