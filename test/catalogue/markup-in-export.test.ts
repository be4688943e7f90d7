import { describe, expect, it } from 'vitest';
import { buildCatalogueData } from '../../pipeline/catalogue/index.ts';
import { plainText } from '../../pipeline/catalogue/plain-text.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { tempDir } from '../fixtures/temp.ts';
import { writeFixture } from '../site/fixture.ts';

/*
 * An outside tester's export held HTML from its collection system ("<i>…</i>", "<p>", "&amp;"): the public pages
 * showed the tags and entities as text (safely escaped; nothing ran). The catalogue reads such fields as the text
 * they stand for; a field without markup is kept exactly.
 */

describe('markup from the collection system in an export’s fields', () => {
  it('is read as the text it stands for: tags gone, paragraphs as lines, entities as characters', () => {
    expect(plainText('<i>Book of the Dead</i> of Nesmin')).toBe('Book of the Dead of Nesmin');
    expect(plainText('<p>Found at Thebes.</p><p>Gift of J. &amp; M. Smith</p>')).toBe(
      'Found at Thebes.\nGift of J. & M. Smith',
    );
    expect(plainText('Bowl<br/>with lid')).toBe('Bowl\nwith lid');
    expect(plainText('Caf&eacute; &#233;t&eacute;')).toBe('Café été');
    expect(plainText('<span style="font-weight:bold">Faience</span>, glazed')).toBe('Faience, glazed');
  });

  it('leaves text that only looks like it alone', () => {
    for (const text of ['Jones & Son', 'Height <3 cm', 'a < b > c', '<unknown> type', 'R&D; B&Q']) {
      expect(plainText(text)).toBe(text);
    }
    // Any tag other than formatting: the field is shown as it was written (escaped), not half-read.
    for (const text of [
      '<script>x()</script> <b>Bowl</b>',
      '<p>Gift <img src="https://t.example/p.png"></p>',
      // A reviewer: tags split by formatting tags, or written as entities, become markup only by being read.
      '<scr<b></b>ipt>alert(1)</scr<b></b>ipt>',
      '<b>x</b><img<i></i> src=x onerror=alert(1)>',
      'Bowl &lt;img src=x onerror=alert(1)&gt;',
    ]) {
      expect(plainText(text)).toBe(text);
    }
  });

  it('reaches the catalogue’s objects: title, maker, description, medium', async () => {
    const root = await tempDir('vitrine-markup-');
    await writeFixture({
      root,
      objects: [
        {
          id: 'O-1',
          title: '<i>Shabti</i> of Hekaemsaf',
          maker: 'Workshop of P. &amp; Sons',
          medium: 'Faience&nbsp;(glazed)',
          description: '<p>From the tomb.</p><p>Blue glaze.</p>',
          label: 'Figurine',
          image: null,
        },
      ],
      labels: ['Figurine', 'Vessel'],
      withMetrics: false,
    });
    const { catalogue } = await buildCatalogueData({
      ws: workspace(root),
      params: defaultParams(),
      log: memoryLogger(),
    });
    const o = catalogue.objects.find((x) => x.id === 'O-1')!;
    expect(o.title).toBe('Shabti of Hekaemsaf');
    expect(o.maker).toBe('Workshop of P. & Sons');
    expect(o.medium).toBe('Faience\u00a0(glazed)');
    expect(o.description).toBe('From the tomb.\nBlue glaze.');
  });
});
