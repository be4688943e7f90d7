import { describe, expect, it } from 'vitest';
import { nearestNeighbours } from '../../pipeline/catalogue/neighbours.ts';
import { silentLogger } from '../../pipeline/log.ts';
import { selectBackend } from '../../pipeline/model/backend.ts';
import { seededUniform } from '../../pipeline/random.ts';

const tf = async () => (await selectBackend({ preference: 'auto', log: silentLogger })).tf;

/** Clustered vectors: `clusters` random centres, each object its centre plus a little noise. */
function clustered({ n, d, clusters, seed }: { n: number; d: number; clusters: number; seed: number }): {
  vectors: Float32Array[];
  cluster: number[];
} {
  const r = seededUniform(seed);
  const centres = Array.from({ length: clusters }, () => Float32Array.from({ length: d }, () => r() - 0.5));
  const cluster = Array.from({ length: n }, (_, i) => i % clusters);
  const vectors = cluster.map((c) => Float32Array.from(centres[c]!, (x) => x + (r() - 0.5) * 0.15));
  return { vectors, cluster };
}

/** Brute-force cosine neighbours, the reference. */
function reference(vectors: Float32Array[], k: number): number[][] {
  const unit = vectors.map((v) => {
    const s = Math.sqrt(v.reduce((a, x) => a + x * x, 0));
    return Array.from(v, (x) => x / s);
  });
  return unit.map((a, i) =>
    unit
      .map((b, j) => ({ j, cos: a.reduce((s, x, t) => s + x * b[t]!, 0) }))
      .filter((x) => x.j !== i)
      .sort((p, q) => q.cos - p.cos)
      .slice(0, k)
      .map((x) => x.j),
  );
}

describe('more like this: nearest neighbours', () => {
  it('finds exactly the cosine-nearest objects, nearest first, never the object itself', async () => {
    const { vectors } = clustered({ n: 60, d: 16, clusters: 5, seed: 3 });
    const { neighbours, reducedTo } = await nearestNeighbours({ vectors, k: 4, tf: await tf() });
    expect(reducedTo).toBeNull();
    expect(neighbours).toEqual(reference(vectors, 4));
  });

  it('reduces long vectors of a large collection first and still finds neighbours in the same group', async () => {
    const { vectors, cluster } = clustered({ n: 4000, d: 1280, clusters: 40, seed: 5 });
    const { neighbours, reducedTo } = await nearestNeighbours({ vectors, k: 6, tf: await tf() });
    expect(reducedTo).toBe(64);
    let same = 0;
    neighbours.forEach((list, i) => {
      expect(list).toHaveLength(6);
      expect(list).not.toContain(i);
      same += list.filter((j) => cluster[j] === cluster[i]).length;
    });
    expect(same / (4000 * 6)).toBeGreaterThan(0.99);
  });

  it('handles tiny collections', async () => {
    const t = await tf();
    expect((await nearestNeighbours({ vectors: [], k: 3, tf: t })).neighbours).toEqual([]);
    expect((await nearestNeighbours({ vectors: [Float32Array.of(1, 0)], k: 3, tf: t })).neighbours).toEqual([[]]);
    expect(
      (await nearestNeighbours({ vectors: [Float32Array.of(1, 0), Float32Array.of(0, 1)], k: 3, tf: t })).neighbours,
    ).toEqual([[1], [0]]);
  });
});
