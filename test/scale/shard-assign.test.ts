import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isVitrineError } from '../../pipeline/errors.ts';
import { inShard, jumpHash, parseShard } from '../../pipeline/shard/assign.ts';

const md5s = Array.from({ length: 4000 }, (_, i) => createHash('md5').update(`image ${i}`).digest('hex'));
const bucket = (md5: string, n: number) => jumpHash(BigInt(`0x${md5.slice(0, 16)}`), n);

describe('which runner does which image', () => {
  it('gives every image to exactly one shard, in near-equal shares', () => {
    for (const n of [1, 2, 3, 5]) {
      const counts = new Array(n).fill(0);
      for (const md5 of md5s) {
        const owners = Array.from({ length: n }, (_, i) => inShard({ md5, shard: { index: i + 1, count: n } }));
        expect(owners.filter(Boolean)).toHaveLength(1);
        counts[owners.indexOf(true)]++;
      }
      for (const c of counts) expect(Math.abs(c - md5s.length / n)).toBeLessThan((md5s.length / n) * 0.1);
    }
  });

  it('moves only the new runner’s share when a runner is added (a modulo would move most images)', () => {
    for (const n of [2, 3, 4, 8]) {
      const moved = md5s.filter((m) => bucket(m, n) !== bucket(m, n + 1));
      // Every moved image goes to the new runner, and about 1/(n+1) of them move.
      expect(moved.every((m) => bucket(m, n + 1) === n)).toBe(true);
      expect(Math.abs(moved.length / md5s.length - 1 / (n + 1))).toBeLessThan(0.03);
      const modulo = md5s.filter(
        (m) => BigInt(`0x${m.slice(0, 16)}`) % BigInt(n) !== BigInt(`0x${m.slice(0, 16)}`) % BigInt(n + 1),
      );
      expect(moved.length).toBeLessThan(modulo.length * 0.6);
    }
  });

  it('reads "i/n" and refuses anything else with a usage error naming --shard', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    expect(parseShard('1/1')).toEqual({ index: 1, count: 1 });
    for (const bad of ['0/3', '4/3', '1/0', 'a/b', '1.5/3', '2', '-1/2', '', '1/2/3']) {
      let error: unknown;
      try {
        parseShard(bad);
      } catch (e) {
        error = e;
      }
      expect(isVitrineError(error, 'USAGE'), bad).toBe(true);
      expect((error as Error).message, bad).toContain('--shard takes "i/n"');
    }
  });
});
