import { describe, expect, it } from 'vitest';
import { isVitrineError } from '../../pipeline/errors.ts';
import {
  body,
  failingProxy,
  failure,
  head,
  keys,
  page,
  publishTo,
  recordingProxy,
  sampleSite,
  through,
  useBucket,
} from './fixture.ts';

/*
 * The order of a publish keeps the site whole at every moment: what pages use before the pages, Pagefind's
 * program just before the search switch, the search index switched last, deletes after everything
 * (fixture.ts: a proxy in front of s3rver records each request as it reaches the bucket).
 */

useBucket();

describe('the order of a publish', () => {
  it('uploads the new files before the pages, and deletes only after the pages are up', async () => {
    const old = sampleSite();
    await publishTo('order', old);
    const next = sampleSite();
    next['_astro/app.Z9.js'] = 'new';
    next['index.html'] = page('Home 2');
    delete next['robots.txt'];
    const seen: string[] = [];
    await through(
      failingProxy((method, url) => {
        if (method === 'PUT' || method === 'DELETE' || (method === 'POST' && url.includes('delete')))
          seen.push(`${method} ${decodeURIComponent(url)}`);
        return false;
      }),
      (endpoint) => publishTo('order', next, { target: { endpoint } }),
    );
    const at = (pattern: string) => seen.findIndex((s) => s.includes(pattern));
    expect(at('_astro/app.Z9.js')).toBeGreaterThanOrEqual(0);
    expect(at('_astro/app.Z9.js')).toBeLessThan(at('order/index.html'));
    expect(at('order/index.html')).toBeLessThan(seen.findIndex((s) => s.startsWith('POST') || s.startsWith('DELETE')));
  });

  it('switches the search index last, so no search finds a page twice while part 0 and its list change', async () => {
    // Part 0 (`pagefind/` itself, named by its entry) and the merged parts the list names, each with its pages.
    const entry = (id: string) => `{"version":"1.6.0","languages":{"en":{"hash":"en_${id}","wasm":"en"}}}`;
    const list = (part0: string, merged: string[]) =>
      JSON.stringify({
        version: 1,
        parts: [{ path: '', key: part0, pages: 1 }, ...merged.map((k) => ({ path: `parts/${k}/`, key: k, pages: 1 }))],
      });
    const pagesIn: Record<string, string[]> = {
      p0a: ['a', 'c'],
      p0b: ['a'],
      'parts/k1/': ['b'],
      'parts/k2/': ['c'],
      'parts/k3/': ['d'],
    };
    const siteWith = (part0: string, merged: string[]) => {
      const files = sampleSite();
      files['pagefind/pagefind-entry.json'] = entry(part0);
      files['pagefind/parts.json'] = list(part0, merged);
      for (const k of merged) files[`pagefind/parts/${k}/pagefind-entry.json`] = entry(k);
      files['index.html'] = page(`Home ${part0} ${merged.join(' ')}`);
      return files;
    };
    // What a visitor's search finds with what the bucket holds: part 0's pages, then each listed part's.
    const found = (part0: string, manifest: string) => [
      ...pagesIn[part0]!,
      ...(JSON.parse(manifest) as { parts: { path: string }[] }).parts.flatMap((p) => (p.path ? pagesIn[p.path]! : [])),
    ];
    const publishes = [
      // The collection shrank: page c moved from a merged part into part 0.
      { from: siteWith('p0b', ['k1', 'k2']), to: siteWith('p0a', ['k1']), pages: ['a', 'b', 'c'] },
      // It grew again: page c moved out of part 0 into a new merged part, with page d.
      { from: siteWith('p0a', ['k1']), to: siteWith('p0b', ['k1', 'k2', 'k3']), pages: ['a', 'b', 'c', 'd'] },
    ];
    for (const [i, { from, to, pages }] of publishes.entries()) {
      const prefix = `switch-${i}`;
      await publishTo(prefix, from);
      // Each upload as it reaches the bucket; after each one of the switch, what a search would find.
      const seen: string[] = [];
      const views: string[][] = [];
      let part0 = /en_(\w+)/.exec(from['pagefind/pagefind-entry.json'] as string)![1]!;
      let manifest = from['pagefind/parts.json'] as string;
      const recording = recordingProxy((method, url, body) => {
        if (method !== 'PUT') return;
        const file = decodeURIComponent(url).split('?')[0]!.slice(`/www/${prefix}/`.length);
        // The list of what Vitrine published, rewritten after the deletes, is no file of the site.
        if (file === '.vitrine-published.json') return;
        seen.push(file);
        if (file === 'pagefind/pagefind-entry.json') part0 = /en_(\w+)/.exec(body)![1]!;
        else if (file === 'pagefind/parts.json') manifest = /\{"version":1,.*\}/.exec(body)![0];
        else return;
        views.push(found(part0, manifest).sort());
      });
      await through(recording, (endpoint) => publishTo(prefix, to, { target: { endpoint } }));
      // Every other file first; then the switch, where a page may be missing for a moment, never twice.
      const first = seen.findIndex((f) => f === 'pagefind/pagefind-entry.json' || f === 'pagefind/parts.json');
      expect(first).toBeGreaterThan(0);
      for (const f of seen.slice(first)) expect(['pagefind/pagefind-entry.json', 'pagefind/parts.json']).toContain(f);
      expect(seen).toContain('index.html');
      for (const view of views) expect(view).toEqual([...new Set(view)]);
      expect(views.at(-1)).toEqual(pages);
      expect((await body(`${prefix}/pagefind/parts.json`)).toString()).toBe(to['pagefind/parts.json']);
      expect((await body(`${prefix}/pagefind/pagefind-entry.json`)).toString()).toBe(
        to['pagefind/pagefind-entry.json'],
      );
    }
  });

  /*
   * A reviewer: on a Pagefind upgrade the new WebAssembly (`wasm.en.pagefind`, a name that does not change with
   * its bytes) went up with the first files, and the script that loads it (`pagefind.js`) with the pages: for
   * the whole page upload a visitor's old script loaded a WebAssembly it does not fit, and browsers kept the
   * WebAssembly five minutes after the new script. Failed before the fix.
   */
  it('on a Pagefind upgrade, the files pagefind.js loads go up just before it, the scripts that load it after', async () => {
    const pagefind = (version: string) => ({
      'pagefind/wasm.en.pagefind': Buffer.from(`wasm ${version}`),
      'pagefind/wasm.unknown.pagefind': Buffer.from(`wasm unknown ${version}`),
      'pagefind/pagefind-worker.js': `worker ${version}`,
      'pagefind/pagefind.js': `export const version = '${version}'`,
      'pagefind/pagefind-ui.js': `import('./pagefind.js') // ${version}`,
      'pagefind/pagefind-ui.css': `.pf{} /* ${version} */`,
      'pagefind/pagefind-entry.json': `{"version":"${version}","languages":{"en":{"hash":"en_${version}"}}}`,
      [`pagefind/pagefind.en_${version}.pf_meta`]: Buffer.from(version),
    });
    const old = { ...sampleSite(), ...pagefind('1.5.0') };
    delete old['pagefind/pagefind.en_6329cce493.pf_meta'];
    await publishTo('upgrade', old);
    const next = { ...sampleSite(), ...pagefind('1.6.0') };
    delete next['pagefind/pagefind.en_6329cce493.pf_meta'];
    next['index.html'] = page('Home 2');
    next['objects/c-3/index.html'] = page('Cup');
    next['_astro/app.Z9.js'] = 'new';
    const seen: string[] = [];
    const recording = recordingProxy((method, url) => {
      const file = decodeURIComponent(url).split('?')[0]!.slice('/www/upgrade/'.length);
      if (method === 'PUT' && file !== '.vitrine-published.json') seen.push(file);
    });
    await through(recording, (endpoint) => publishTo('upgrade', next, { target: { endpoint, jobs: 1 } }));
    // What pagefind.js loads (its WebAssembly and worker), then pagefind.js, then the scripts that load it.
    const loaded = ['pagefind/wasm.en.pagefind', 'pagefind/wasm.unknown.pagefind', 'pagefind/pagefind-worker.js'];
    const at = (file: string) => seen.indexOf(file);
    for (const file of loaded) expect(at(file), file).toBeLessThan(at('pagefind/pagefind.js'));
    expect(at('pagefind/pagefind.js')).toBeLessThan(at('pagefind/pagefind-ui.js'));
    expect(at('pagefind/pagefind-ui.js')).toBeLessThan(at('pagefind/pagefind-entry.json'));
    // Nothing else goes up between the first of them and pagefind.js: an old script meets the new
    // WebAssembly only while those few files are sent, not during the whole upload of the pages.
    const first = Math.min(...loaded.map(at));
    expect(seen.slice(first, at('pagefind/pagefind.js')).sort()).toEqual([...loaded].sort());
    for (const file of [
      'index.html',
      'objects/c-3/index.html',
      '_astro/app.Z9.js',
      'pagefind/pagefind.en_1.6.0.pf_meta',
    ])
      expect(at(file), file).toBeLessThan(first);
    // A browser asks again for each of them (cheap: the ETag), so it never keeps an old one beside a new one.
    const revalidate = 'public, max-age=0, must-revalidate';
    for (const file of [...loaded, 'pagefind/pagefind.js', 'pagefind/pagefind-ui.js', 'pagefind/pagefind-ui.css'])
      expect((await head(`upgrade/${file}`)).CacheControl, file).toBe(revalidate);
    expect((await head('upgrade/pagefind/pagefind.en_1.6.0.pf_meta')).CacheControl).toBe(
      'public, max-age=31536000, immutable',
    );

    // Refused while the program goes up: says which of its files are new, and that search may not work meanwhile.
    await publishTo('upgrade', old);
    const error = await through(
      failingProxy((method, url) => method === 'PUT' && url.includes('pagefind/pagefind.js')),
      (endpoint) => failure(publishTo('upgrade', next, { target: { endpoint } })),
    );
    expect(isVitrineError(error), error.message).toBe(true);
    expect(error.message).toContain('Every page is the new one');
    expect(error.message).toMatch(/search may not work until this publish is finished: Pagefind's program is only/);
    expect(error.message).toMatch(
      /\(pagefind\/pagefind-worker\.js, pagefind\/wasm\.en\.pagefind, .* went up, not .*pagefind\.js\)/,
    );
    expect(error.message).toContain('Run "npx vitrine publish" again');
    const finished = await publishTo('upgrade', next);
    expect(finished.uploaded).toEqual(expect.arrayContaining(['pagefind/pagefind.js', 'pagefind/pagefind-entry.json']));
    expect((await body('upgrade/pagefind/pagefind.js')).toString()).toBe(next['pagefind/pagefind.js']);
  });

  /*
   * A reviewer: a publish that failed while it switched the search index said "N of M changed pages are already
   * the new ones", which does not say what search shows meanwhile. Failed before the fix.
   */
  it('a publish that fails while it switches the search index says what search shows, and the next finishes', async () => {
    const entry = (id: string) => `{"version":"1.6.0","languages":{"en":{"hash":"en_${id}","wasm":"en"}}}`;
    // `carried`: each part's entry comes with the list, as a compact index's does (search-index.ts).
    const list = (part0: string, merged: string[], carried = false) =>
      JSON.stringify({
        version: 1,
        parts: [part0, ...merged].map((key, i) => ({
          path: i === 0 ? '' : `parts/${key}/`,
          key,
          pages: 1,
          ...(carried ? { files: { 'pagefind-entry.json': Buffer.from(entry(key)).toString('base64') } } : {}),
        })),
      });
    const siteWith = (part0: string, merged: string[], carried = false) => {
      const files = sampleSite();
      files['pagefind/pagefind-entry.json'] = entry(part0);
      files['pagefind/parts.json'] = list(part0, merged, carried);
      for (const k of merged) files[`pagefind/parts/${k}/pagefind-entry.json`] = entry(k);
      files['index.html'] = page(`Home ${part0} ${merged.join(' ')}`);
      return files;
    };
    const cases = [
      // The shortened list (only the parts both builds list) is refused: search is the previous index, whole.
      { fail: 'pagefind/parts.json', nth: 1, says: /Search still uses the previous index, whole: .*were not changed/ },
      // Part 0 is refused after the shortened list went up.
      {
        fail: 'pagefind/pagefind-entry.json',
        nth: 1,
        says: /Search uses the previous index without the parts the new one drops \(pagefind\/parts\.json lists only/,
      },
      // The new list is refused after part 0 went up.
      {
        fail: 'pagefind/parts.json',
        nth: 2,
        says: /Search uses the new index's first part \(pagefind\/pagefind-entry\.json\) with only the other parts both/,
      },
      // Both lists carry their first part: no shortened list (the new list switches the whole index at once),
      // and while it is refused the search page still reads the previous list, whole.
      {
        fail: 'pagefind/parts.json',
        nth: 1,
        carried: [true, true],
        says: /Search still uses the previous index, whole: pagefind\/parts\.json, which carries its first part's/,
      },
      // Only the list online carries it (the new Pagefind script takes no files): as the lists that carry none.
      {
        fail: 'pagefind/parts.json',
        nth: 2,
        carried: [true, false],
        says: /Search uses the new index's first part \(pagefind\/pagefind-entry\.json\) with only the other parts both/,
      },
    ];
    for (const [i, { fail, nth, says, carried = [false, false] }] of cases.entries()) {
      const from = siteWith('p0a', ['k1', 'k2'], carried[0]);
      const to = siteWith('p0b', ['k1', 'k3'], carried[1]);
      const prefix = `switch-fail-${i}`;
      await publishTo(prefix, from);
      let puts = 0;
      const error = await through(
        failingProxy((method, url) => {
          if (method !== 'PUT' || !decodeURIComponent(url).includes(`/${prefix}/${fail}`)) return false;
          // From the nth on, retries included (the S3 client tries a refused upload again).
          return ++puts >= nth;
        }),
        (endpoint) => failure(publishTo(prefix, to, { target: { endpoint } })),
      );
      expect(isVitrineError(error), error.message).toBe(true);
      expect(error.message).toContain(fail);
      expect(error.message).toMatch(says);
      expect(error.message).toContain('Every page is the new one');
      expect(error.message).toContain('nothing was deleted');
      expect(error.message).toContain('Run "npx vitrine publish" again');
      expect(error.message).not.toMatch(/changed pages are already the new ones/);
      // The old merged part the new list drops is still online: whatever list is up, every part it names is there.
      expect(await keys(prefix)).toContain('pagefind/parts/k2/pagefind-entry.json');
      const result = await publishTo(prefix, to);
      expect(result.deleted).toEqual(['pagefind/parts/k2/pagefind-entry.json']);
      expect((await body(`${prefix}/pagefind/parts.json`)).toString()).toBe(to['pagefind/parts.json']);
      expect((await body(`${prefix}/pagefind/pagefind-entry.json`)).toString()).toBe(
        to['pagefind/pagefind-entry.json'],
      );
    }
  });
});
