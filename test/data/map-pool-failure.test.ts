import { describe, expect, it } from 'vitest';
import { mapPool } from '../../pipeline/data/hash.ts';

/*
 * A push's uploads run in a pool: when one fails (the remote's folder went away), no other begins, and the push
 * says how many were sent only once those under way have ended, so none goes on behind its message.
 */

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('mapPool when an item fails', () => {
  it('begins no item after the failure and throws once the items under way have ended', async () => {
    const begun: number[] = [];
    const ended: number[] = [];
    const items = Array.from({ length: 20 }, (_, i) => i);
    const error = await mapPool(items, 4, async (i) => {
      begun.push(i);
      if (i === 0) throw new Error('the remote went away');
      await wait(30);
      ended.push(i);
    }).catch((e: unknown) => e);
    const thrownWhenEnded = [...ended];
    expect((error as Error).message).toBe('the remote went away');
    // Items 1 to 3 were under way; the worker that failed began none after.
    expect(begun).toEqual([0, 1, 2, 3]);
    expect(thrownWhenEnded.sort()).toEqual([1, 2, 3]);
    await wait(100);
    expect(begun).toEqual([0, 1, 2, 3]);
  });

  it('throws the first failure, whatever fails after it', async () => {
    const error = await mapPool([0, 1, 2], 3, async (i) => {
      await wait(10 * (i + 1));
      throw new Error(`item ${i}`);
    }).catch((e: unknown) => e);
    expect((error as Error).message).toBe('item 0');
  });
});
