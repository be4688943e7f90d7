import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { main } from '../../pipeline/cli.ts';
import { memoryLogger } from '../../pipeline/log.ts';
import { loadParams } from '../../pipeline/params.ts';

/*
 * `vitrine params` and `vitrine params get <key>`: the settings as the stages read them, for workflow steps that
 * read params.yaml with awk before (which misread Windows line endings, a four-space indent, a quoted "#").
 * And `vitrine catalogue --check-addresses <file>`, which the catalogue action runs on the addresses it downloads.
 */

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-params-cmd-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A repository folder holding `params` as its params.yaml (none when null). */
async function repo(name: string, params: string | null): Promise<string> {
  const dir = path.join(root, name);
  await mkdir(path.join(dir, '.git'), { recursive: true });
  if (params !== null) await writeFile(path.join(dir, 'params.yaml'), params);
  return dir;
}

async function vitrine(dir: string, args: string[]) {
  let stdout = '';
  const log = memoryLogger();
  const code = await main(args, { cwd: dir, env: {}, stdout: (t) => (stdout += t), log });
  return { code, stdout, messages: log.lines.map((l) => `${l.level}: ${l.message}`).join('\n') };
}

// Written by hand by a museum: Windows line endings, four-space indents, a "#" inside a quoted value, comments.
const MUSEUM = [
  '# Our settings',
  'collection:',
  '    name: "Gallery #5 Collection"   # the public name',
  '    vocabulary: [coin, mask]',
  'catalogue:',
  "    title: 'Room #2'",
  '    site: "https://museum.example.org/collection"  # the published site',
  '    publish: s3',
  'scale:',
  '    shards: 3',
  '',
].join('\r\n');

describe('vitrine params get', () => {
  it('reads a params.yaml with CRLF line endings, four-space indents and a quoted "#" as the stages do', async () => {
    const dir = await repo('museum', MUSEUM);
    const get = async (key: string, json = false) => {
      const result = await vitrine(dir, ['params', 'get', key, ...(json ? ['--json'] : [])]);
      expect(result.code, result.messages).toBe(0);
      return result.stdout;
    };
    expect(await get('catalogue.site')).toBe('https://museum.example.org/collection\n');
    expect(await get('catalogue.publish')).toBe('s3\n');
    expect(await get('collection.name')).toBe('Gallery #5 Collection\n');
    expect(await get('catalogue.title')).toBe('Room #2\n');
    expect(await get('scale.shards')).toBe('3\n');
    // Left out: the default, as the stages use it.
    expect(await get('catalogue.base')).toBe('/\n');
    expect(await get('retrain.on_drift')).toBe('true\n');
    // A section or a list is JSON; with --json every value is.
    expect(JSON.parse(await get('collection.vocabulary'))).toEqual(['coin', 'mask']);
    expect(JSON.parse(await get('scale'))).toEqual({ shards: 3 });
    expect(await get('catalogue.site', true)).toBe('"https://museum.example.org/collection"\n');
    expect(await get('scale.shards', true)).toBe('3\n');
  });

  it('gives the defaults when there is no params.yaml', async () => {
    const dir = await repo('defaults', null);
    const { code, stdout } = await vitrine(dir, ['params', 'get', 'catalogue.publish']);
    expect(code).toBe(0);
    expect(stdout).toBe('pages\n');
    expect((await vitrine(dir, ['params', 'get', 'catalogue.site'])).stdout).toBe('\n');
  });

  it('names a key that is not a setting, with the nearest one, and exits 2', async () => {
    const dir = await repo('unknown-key', MUSEUM);
    const near = await vitrine(dir, ['params', 'get', 'catalogue.sit']);
    expect(near.code).toBe(2);
    expect(near.stdout).toBe('');
    expect(near.messages).toContain('"catalogue.sit" is not a setting in params.yaml. Did you mean "catalogue.site"?');
    expect(near.messages).toContain('The settings in "catalogue" are: title, base, site,');
    // The setting's name alone: the section it is in.
    const bare = await vitrine(dir, ['params', 'get', 'shards']);
    expect(bare.code).toBe(2);
    expect(bare.messages).toContain('Did you mean "scale.shards"?');
    // Inside a value, or a name every JavaScript object has: not settings either.
    for (const key of ['catalogue.site.host', 'constructor', 'collection.vocabulary.length', 'catalogue.', '']) {
      const result = await vitrine(dir, ['params', 'get', key]);
      expect(result.code, key).toBe(2);
      expect(result.messages, key).toContain(`"${key}" is not a setting in params.yaml.`);
    }
  });

  it('refuses a params.yaml that is not valid, naming the file and line, with exit 1 and nothing printed', async () => {
    const wrong = await repo('invalid', 'collection:\n  name: x\ntrain:\n  epochs: many\n');
    const result = await vitrine(wrong, ['params', 'get', 'collection.name']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.messages).toContain('params.yaml:4: "train.epochs" is "many", expected a whole number');
    // A tab indent is no YAML indent: refused too, where awk would have read on.
    const tabs = await repo('tabs', 'collection:\n\tname: x\ncatalogue:\n\tsite: https://example.org\n');
    const tabbed = await vitrine(tabs, ['params', 'get', 'catalogue.site']);
    expect(tabbed.code).toBe(1);
    expect(tabbed.stdout).toBe('');
    expect(tabbed.messages).toMatch(/^error: params\.yaml:2: /);
    // The glued comment a name cannot have (params.ts): the same words as every stage.
    const glued = await repo('glued', 'collection:\n  name: Gallery #5 Collection\n');
    const hash = await vitrine(glued, ['params', 'get', 'collection.name']);
    expect(hash.code).toBe(1);
    expect(hash.messages).toContain('which YAML reads as a comment');
  });
});

describe('vitrine params', () => {
  it('prints every setting as YAML, or JSON with --json, the same as the stages load', async () => {
    const dir = await repo('all', MUSEUM);
    const expected = await loadParams({ file: path.join(dir, 'params.yaml') });
    const yaml = await vitrine(dir, ['params']);
    expect(yaml.code).toBe(0);
    expect(yaml.stdout).toMatch(/^# params\.yaml as Vitrine reads it/);
    expect(parse(yaml.stdout)).toEqual(expected);
    const json = await vitrine(dir, ['params', '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual(expected);
    const none = await vitrine(await repo('all-defaults', null), ['params']);
    expect(none.stdout).toMatch(/^# No params\.yaml: Vitrine's default settings\./);
  });

  it('refuses a params.yaml that is not valid with exit 1', async () => {
    const dir = await repo('all-invalid', 'catalogue:\n  publish: ftp\n');
    const result = await vitrine(dir, ['params']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.messages).toContain('params.yaml:2: "catalogue.publish" is "ftp", expected one of "pages", "s3"');
  });
});

describe('vitrine catalogue --check-addresses', () => {
  const published = JSON.stringify({
    about: 'addresses',
    ids: ['DM-0267', 'DM 0267'],
    slugs: ['dm-0267', 'dm-0267-1a2b3c4d'],
  });

  it('takes a copy of what the catalogue publishes, and says what is wrong with anything else (exit 1)', async () => {
    const dir = await repo(
      'addresses',
      'collection:\n  name: x\n  vocabulary: [coin, figurine, mask, print, textile, vessel]\n',
    );
    const check = async (text: string) => {
      await writeFile(path.join(dir, 'download'), text);
      return vitrine(dir, ['catalogue', '--check-addresses', 'download']);
    };
    const good = await check(published);
    expect(good).toMatchObject({ code: 0, stdout: 'download: the addresses of 2 objects\n' });
    expect((await check(JSON.stringify({ ids: [], slugs: [] }))).code).toBe(0);
    const cases: [string, RegExp][] = [
      ['<!DOCTYPE html>\n<html><body>Page not found</body></html>', /a web page \(HTML\), not JSON/],
      [published.slice(0, 40), /not valid JSON \(cut short/],
      ['', /empty/],
      ['{"ids": ["A"]}', /without the "ids" and "slugs" lists/],
      ['[1, 2]', /without the "ids" and "slugs" lists/],
      ['{"ids": ["A", "B"], "slugs": ["a"]}', /differ in length \(2 and 1\)/],
      ['{"ids": ["A", 7], "slugs": ["a", "b"]}', /entry 2 of "ids" is not an object number/],
      ['{"ids": ["A", "A"], "slugs": ["a", "b"]}', /entry 2 of "ids" repeats an earlier object number/],
      ['{"ids": ["A"], "slugs": ["../../etc"]}', /entry 1 of "slugs" is not a page address/],
    ];
    for (const [text, says] of cases) {
      const result = await check(text);
      expect(result.code, text).toBe(1);
      expect(result.stdout, text).toMatch(/^download: /);
      expect(result.stdout, text).toMatch(says);
      // The file's bytes are never quoted (the action puts these words in a workflow message).
      expect(result.stdout, text).not.toContain('Page not found');
    }
    const json = await vitrine(dir, ['catalogue', '--check-addresses', 'download', '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ file: 'download', valid: false });
  });

  it('builds nothing, and refuses the build options with it', async () => {
    const dir = await repo(
      'addresses-only',
      'collection:\n  name: x\n  vocabulary: [coin, figurine, mask, print, textile, vessel]\n',
    );
    await writeFile(path.join(dir, 'download'), published);
    const forced = await vitrine(dir, ['catalogue', '--check-addresses', 'download', '--force']);
    expect(forced.code).toBe(2);
    expect(forced.messages).toContain('--check-addresses and --force cannot be used together');
    const missing = await vitrine(dir, ['catalogue', '--check-addresses', 'nothing.json']);
    expect(missing.code).toBe(1);
    expect(missing.messages).toContain('There is no file nothing.json to check.');
    await vitrine(dir, ['catalogue', '--check-addresses', 'download']);
    await expect(stat(path.join(dir, '.vitrine'))).rejects.toThrow();
  });
});
