import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { buildCatalogueData } from '../../pipeline/catalogue/index.ts';
import { cutTitle } from '../../pipeline/catalogue/shown-title.ts';
import { withoutControls } from '../../pipeline/control-characters.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { tempDir } from '../fixtures/temp.ts';
import { writeFixture } from '../site/fixture.ts';

/*
 * An outside tester (F6): a title "Safe \u202Egnp.exe\u202C title \u0007bell" was published as it was on the
 * object's page (<title>, h1, alt, JSON-LD), in catalogue.json and .csv and in the IIIF manifest: the heading read
 * "Safe exe.png title" (the override reverses what follows it), and U+0007 is a control character in an HTML page.
 * The pull-request comment drops such characters. The catalogue now reads every text field of an object without them.
 */

const RLO = '\u202e';
const PDF = '\u202c';
const [LRI, RLI, FSI, PDI] = ['\u2066', '\u2067', '\u2068', '\u2069'];

describe('control and bidi override characters in an object’s text', () => {
  it('are left out: C0 and C1 controls, embeddings and overrides; tabs and line breaks stay', () => {
    expect(withoutControls(`Safe ${RLO}gnp.exe${PDF} title \u0007bell`)).toBe('Safe gnp.exe title bell');
    expect(withoutControls('a\u0000b\u001bc\u007fd\u0085e\u009ff')).toBe('abcdef');
    expect(withoutControls('\u202a\u202b\u202c\u202d\u202e')).toBe('');
    expect(withoutControls('Found at Thebes.\nBlue glaze.\tRim')).toBe('Found at Thebes.\nBlue glaze.\tRim');
    // Text without any is the same string.
    const plain = 'Ṭāhā ḥusayn — مصحف 1900';
    expect(withoutControls(plain)).toBe(plain);
  });

  it('keep an isolate that is closed (text of the other direction, kept apart); one left open is left out', () => {
    // U+2066–2069 are how Unicode asks text of the other direction to be written; closed, their effect ends there.
    const closed = `Qur’an leaf, ${RLI}مصحف${PDI} (${FSI}x${PDI}), ${LRI}${RLI}a${PDI}b${PDI}`;
    expect(withoutControls(closed)).toBe(closed);
    // Open, an isolate runs on into what a page puts after the field ("…, by Maker, 1900"): left out; so is a
    // closing one with nothing open.
    expect(withoutControls(`Safe ${RLI}gnp.exe title`)).toBe('Safe gnp.exe title');
    expect(withoutControls(`a${PDI}b ${RLI}c${PDI}${PDI}`)).toBe(`ab ${RLI}c${PDI}`);
    expect(withoutControls(`${LRI}${RLI}a${PDI}`)).toBe(`${RLI}a${PDI}`);
  });

  it('a title cut to be shown closes an isolate the cut left open', () => {
    const title = `${'word '.repeat(30)}${RLI}${'مصحف '.repeat(30)}${PDI} end`;
    const cut = cutTitle({ title, max: 200 });
    expect(cut.endsWith(`${PDI}…`)).toBe(true);
    expect(withoutControls(cut)).toBe(cut);
  });

  it('never reach the catalogue’s data, its downloads or its IIIF manifests', async () => {
    const root = await tempDir('vitrine-controls-');
    const image = path.join(root, 'photo.png');
    const pixels = sharp({ create: { width: 320, height: 200, channels: 3, background: '#8a6d3b' } });
    await writeFile(image, await pixels.png().toBuffer());
    await writeFixture({
      root,
      objects: [
        {
          id: 'H-BIDI',
          title: `Safe ${RLO}gnp.exe${PDF} title \u0007bell`,
          maker: `M${RLO}aker`,
          date: '1900\u0000',
          department: `Dept${RLI}`,
          medium: 'Wood\u001b',
          creditLine: `Gift${RLO}`,
          description: `<p>Line one.</p><p>Line &#8238;two&#7;</p>`,
          extra: { Inscription: `x${RLO}y`, [`Note${RLO}`]: 'n' },
          label: 'Figurine',
          image,
        },
      ],
      labels: ['Figurine', 'Vessel'],
      withMetrics: false,
    });
    const params = defaultParams();
    params.catalogue.site = 'https://museum.example.org';
    const { catalogue } = await buildCatalogueData({ ws: workspace(root), params, log: memoryLogger() });
    const o = catalogue.objects.find((x) => x.id === 'H-BIDI')!;
    expect(o.title).toBe('Safe gnp.exe title bell');
    expect(o.maker).toBe('Maker');
    expect(o.date).toBe('1900');
    expect(o.department).toBe('Dept');
    expect(o.medium).toBe('Wood');
    expect(o.creditLine).toBe('Gift');
    // Written as entities in the export's HTML, read as characters: left out too.
    expect(o.description).toBe('Line one.\nLine two');
    expect(o.extra).toEqual({ Inscription: 'xy', Note: 'n' });
    expect(o.alt).toContain('Safe gnp.exe title bell');
    const controls = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e]|\\u00(0|1[0-9a-f]|7f)/i;
    const out = path.join(root, '.vitrine', 'catalogue');
    const written = [path.join(out, 'catalogue.json'), path.join(out, 'public', 'data', 'catalogue.csv')];
    const iiif = path.join(out, 'public', 'iiif');
    for (const entry of await readdir(iiif, { recursive: true }))
      if (entry.endsWith('.json')) written.push(path.join(iiif, entry));
    expect(written.some((f) => f.includes('manifest'))).toBe(true);
    for (const file of written) {
      const text = await readFile(file, 'utf8');
      expect(text.match(controls), file).toBeNull();
      expect(text.includes(RLI), file).toBe(false);
    }
  });
});
