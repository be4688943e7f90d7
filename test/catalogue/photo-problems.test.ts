import { describe, expect, it } from 'vitest';
import { photoProblemsOf } from '../../pipeline/catalogue/photo-problems.ts';
import type { DatasetIssue } from '../../pipeline/types.ts';

/*
 * The reason an object page gives for a photograph that cannot be used, and the file the review queue names, from
 * dataset.json's issues as the dataset stage writes them (pipeline/dataset/build.ts).
 */

const issue = (object: string, code: string, message: string): DatasetIssue => ({
  code,
  message: `data/objects.csv:2: ${message}`,
  file: 'data/objects.csv',
  line: 2,
  object,
});

const issues: DatasetIssue[] = [
  issue(
    'big',
    'IMAGE_TOO_LARGE',
    'object "big": data/images/big.png: the image has more than 5,000 pixels (dataset.image.max_pixels); it was ' +
      'refused to protect memory. Resize it, or raise the limit if it is genuine.',
  ),
  issue('gone', 'OBJECT_NO_IMAGE', 'the image of object "gone" is missing (no file data/images/gone.jpg).'),
  issue('none', 'OBJECT_NO_IMAGE', 'object "none" has no image.'),
  issue(
    'far',
    'OBJECT_NO_IMAGE',
    'the image of object "far" ("../far.jpg") is outside the data folder; image paths are relative to data/, like ' +
      '"images/far.jpg".',
  ),
  issue(
    'empty',
    'IMAGE_UNREADABLE',
    'object "empty": data/images/empty.jpg: the file is empty (0 bytes), so there is no picture in it: it was not ' +
      'copied whole, or is a placeholder. Copy the photograph again from where it came from.',
  ),
  // As a dataset made before the dataset said it in its own words.
  issue(
    'was-empty',
    'IMAGE_UNREADABLE',
    'object "was-empty": data/images/was-empty.jpg: this image cannot be decoded; it may be damaged or in an ' +
      'unsupported format (Input Buffer is empty).',
  ),
  { code: 'LABEL_UNKNOWN_OBJECT', message: 'labels.csv:4: there is no object "zz"', file: 'labels.csv', object: 'zz' },
];

describe('photoProblemsOf', () => {
  it('gives each broken photograph a plain reason and its file as the objects table names it', () => {
    const images = new Map([
      ['big', 'images/big.png'],
      ['gone', 'images\\gone.jpg'],
      ['far', '../far.jpg'],
      ['empty', 'images/empty.jpg'],
      ['was-empty', 'images/was-empty.jpg'],
    ]);
    expect(Object.fromEntries(photoProblemsOf({ issues, images }))).toEqual({
      big: { file: 'data/images/big.png', reason: 'the file is too large to be shown' },
      gone: { file: 'data/images/gone.jpg', reason: 'the file is missing' },
      // A path outside data/ is not shown on the public page: it is someone's computer, not the data folder.
      far: { file: null, reason: "the file is outside the collection's data folder" },
      empty: { file: 'data/images/empty.jpg', reason: 'the file is empty' },
      'was-empty': { file: 'data/images/was-empty.jpg', reason: 'the file is empty' },
    });
  });

  it('takes the file from the message when the objects table cannot be read; no photograph named is no problem', () => {
    const found = photoProblemsOf({ issues, images: null });
    expect(found.get('far')?.file).toBeNull();
    const desktop = photoProblemsOf({ issues, images: new Map([['far', '/Users/jane/Desktop/IMG_1.jpg']]) });
    expect(desktop.get('far')?.file).toBeNull();
    expect(photoProblemsOf({ issues, images: new Map([['far', 'C:/Photos/far.jpg']]) }).get('far')?.file).toBeNull();
    expect([...found.keys()].sort()).toEqual(['big', 'empty', 'far', 'gone', 'was-empty']);
    expect(found.get('gone')).toEqual({ file: 'data/images/gone.jpg', reason: 'the file is missing' });
    expect(found.get('empty')?.file).toBe('data/images/empty.jpg');
  });
});
