import type { DatasetIssue } from '../types.ts';

/** Whether the issue leaves its object without a usable picture: the record is kept, not skipped. */
export function isPictureProblem(issue: Pick<DatasetIssue, 'code'>): boolean {
  return PICTURE_PROBLEMS.has(issue.code);
}

/** Problems that leave an object without a usable picture: its record is kept (build, "unpictured"). */
const PICTURE_PROBLEMS = new Set([
  'OBJECT_NO_IMAGE',
  'IMAGE_LINK_OUTSIDE',
  'IMAGE_LINK_NOT_FOLLOWED',
  'IMAGE_UNREADABLE',
  'IMAGE_TOO_LARGE',
  'IMAGE_MISSING',
  // Not a photograph of the object: a picture too small, or one placeholder given to many objects (small-images.ts).
  'IMAGE_TOO_SMALL',
  'IMAGE_PLACEHOLDER',
]);

/** How an IMAGE_UNREADABLE message says the file has 0 bytes (dataset/images.ts), which the catalogue reads. */
export const EMPTY_FILE = 'the file is empty (0 bytes)';

/** Whether the issue withheld a field far too long of its object (OBJECT_FIELD_TOO_LONG): the object is kept. */
export function isWithheldField(issue: Pick<DatasetIssue, 'code'>): boolean {
  return issue.code === 'OBJECT_FIELD_TOO_LONG';
}
