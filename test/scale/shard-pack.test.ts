import { describe, expect, it } from 'vitest';
import { isVitrineError } from '../../pipeline/errors.ts';
import { packFiles, unpackFiles } from '../../pipeline/shard/file-pack.ts';

describe('packs of thumbnails', () => {
  it('gives back the same files, byte for byte and in order', () => {
    const files = [
      { name: 'abc-240.webp', bytes: Buffer.from([1, 2, 3]) },
      { name: 'abc-240.jpg', bytes: Buffer.alloc(0) },
      { name: 'def-960.webp', bytes: Buffer.from('x'.repeat(1000)) },
    ];
    const back = unpackFiles({ bytes: packFiles({ files }), where: 'test' });
    expect(back.map((f) => [f.name, Buffer.from(f.bytes).toString('hex')])).toEqual(
      files.map((f) => [f.name, f.bytes.toString('hex')]),
    );
  });

  it('refuses a truncated pack and a name that would leave the thumbnails folder', () => {
    const good = packFiles({ files: [{ name: 'a.webp', bytes: Buffer.from('abcdef') }] });
    const bad = [
      good.subarray(0, good.length - 2),
      ...['../x', '.', '..', '...', ''].map((name) => packFiles({ files: [{ name, bytes: Buffer.from('a') }] })),
    ];
    for (const bytes of bad) {
      let error: unknown;
      try {
        unpackFiles({ bytes, where: 'remote object 123' });
      } catch (e) {
        error = e;
      }
      expect(isVitrineError(error, 'SHARD_PACK_DAMAGED')).toBe(true);
      expect((error as Error).message).toContain('remote object 123');
    }
  });
});
