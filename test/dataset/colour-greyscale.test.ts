import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { buildDataset } from '../../pipeline/dataset/build.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import type { DatasetObject } from '../../pipeline/types.ts';
import { makeCollection, object, removeTempDirs, testParams } from './fixtures.ts';

/*
 * A black-and-white photograph of an object got a palette of one colour: its backdrop is told from the object by
 * colour, and lightness counted only a third (for the backdrop's shading), so every grey of the object within a
 * wide band of the backdrop's went with the backdrop. A jug with a white glaze, a black band and grey shadows on a
 * light grey backdrop was "black" alone. And a plain grey was named "slate", a blue-grey. The photographs here are
 * made with sharp, written to a temp dir and read by the dataset stage as a collection’s are.
 */

afterAll(removeTempDirs);

/** A jug on `backdrop`: white glaze, a black band, a grey shadow under it. Without a backdrop, on transparency. */
function jug(backdrop?: string): Buffer {
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="500">
    ${backdrop ? `<rect width="400" height="500" fill="${backdrop}"/>` : ''}
    <ellipse cx="200" cy="290" rx="110" ry="160" fill="#e8e8e8"/>
    <rect x="100" y="250" width="200" height="60" fill="#1a1a1a"/>
    <ellipse cx="200" cy="390" rx="80" ry="40" fill="#707070"/>
  </svg>`,
  );
}

/** Each object's palette as name: share, after the dataset stage read its photograph. */
async function palettes(images: Record<string, Buffer>): Promise<Record<string, DatasetObject['colours']>> {
  const objects = Object.keys(images).map((id) => object(id));
  const ws = await makeCollection({
    objects,
    images: Object.fromEntries(objects.map((o) => [o.image, images[o.id]!])),
    labels: objects.map((o) => ({ objectId: o.id, label: 'vessel' })),
  });
  const dataset = await buildDataset({ ws, params: testParams(), log: memoryLogger(), jobs: 2 });
  return Object.fromEntries(dataset.objects.map((o) => [o.id, o.colours]));
}

const families = (colours: DatasetObject['colours']) => [...new Set(colours.map((c) => c.family))].sort();

describe('the palette of a black-and-white photograph', () => {
  it('has the greys of the object, not one colour, in one channel, in three and as JPEG', async () => {
    const images: Record<string, Buffer> = {};
    for (const backdrop of ['#b0b0b0', '#8c8c8c', '#505050']) {
      const name = backdrop.slice(1);
      images[`grey-jpeg-${name}`] = await sharp(jug(backdrop)).toColourspace('b-w').jpeg({ quality: 90 }).toBuffer();
      images[`grey-png-${name}`] = await sharp(jug(backdrop)).toColourspace('b-w').png().toBuffer();
      images[`rgb-${name}`] = await sharp(jug(backdrop)).png().toBuffer();
    }
    expect((await sharp(images['grey-jpeg-b0b0b0']).metadata()).channels).toBe(1);
    const found = await palettes(images);
    for (const [id, colours] of Object.entries(found)) {
      expect(families(colours), id).toEqual(['black', 'grey', 'white']);
      // The white glaze most; the band and the shadow each a good share, as drawn.
      expect(colours[0]!.name, id).toBe('white');
      expect(colours[0]!.share, id).toBeGreaterThan(0.45);
      for (const name of ['black', 'grey'])
        expect(colours.find((c) => c.name === name)?.share, `${id}: ${name}`).toBeGreaterThan(0.1);
    }
  });

  it('keeps every grey of an object on transparency, white too (grey and alpha, two channels; and RGBA)', async () => {
    const grey = await sharp(jug()).toColourspace('b-w').png().toBuffer();
    expect((await sharp(grey).metadata()).channels).toBe(2);
    const rgba = await sharp(jug()).png().toBuffer();
    expect((await sharp(rgba).metadata()).channels).toBe(4);
    // Transparency is flattened on white (dataset.image.background): the white glaze must not go with it.
    const found = await palettes({ 'alpha-grey': grey, 'alpha-rgba': rgba });
    for (const [id, colours] of Object.entries(found)) {
      expect(families(colours), id).toEqual(['black', 'grey', 'white']);
      expect(colours[0]!.name, id).toBe('white');
      expect(colours[0]!.share, id).toBeGreaterThan(0.45);
    }
  });

  it('names a plain grey among the greys, and a tinted grey of a colour photograph by its tint', async () => {
    const vase = (backdrop: string, fill: string) =>
      sharp(
        Buffer.from(
          `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="500"><rect width="400" height="500" ` +
            `fill="${backdrop}"/><ellipse cx="200" cy="290" rx="110" ry="160" fill="${fill}"/></svg>`,
        ),
      )
        .jpeg({ quality: 90 })
        .toBuffer();
    const found = await palettes({
      plain: await vase('#f6f6f6', '#606060'),
      pewter: await vase('#b0b0b0', '#5d6875'),
      stone: await vase('#8c8c8c', '#8a8072'),
    });
    expect(found.plain!.map((c) => [c.name, c.family])).toEqual([['grey', 'grey']]);
    expect(found.pewter!.map((c) => [c.name, c.family])).toEqual([['slate', 'grey']]);
    expect(found.stone!.map((c) => [c.name, c.family])).toEqual([['taupe', 'brown']]);
  });
});
