import { describe, expect, it } from 'vitest';
import { warnTooSmall } from '../../pipeline/dataset/small-images.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import type { DatasetIssue } from '../../pipeline/types.ts';

/* Session 4, 2026-12-02: the very small images were listed in code-point order (OBJ-1, OBJ-10, OBJ-11, …, OBJ-2). */

describe('very small images', () => {
  it('are listed in natural order of their ids (OBJ-2 before OBJ-10)', () => {
    // In data/objects.csv order: by code point.
    const ids = Array.from({ length: 20 }, (_, i) => `OBJ-${i + 1}`).sort();
    const issues: DatasetIssue[] = ids.map((id) => ({
      code: 'IMAGE_TOO_SMALL',
      message: `object "${id}": data/images/${id}.jpg is 8×8 pixels`,
      file: 'data/objects.csv',
      object: id,
    }));
    const log = memoryLogger();
    warnTooSmall({ issues, log, labelsName: 'labels.csv' });
    const said = log.lines.map((l) => l.message);
    expect(said[0]).toMatch(/"OBJ-1"/);
    expect(said[1]).toMatch(/"OBJ-2"/);
    expect(said.at(-1)).toMatch(/OBJ-6, OBJ-7, OBJ-8, OBJ-9, OBJ-10, OBJ-11/);
  });
});
