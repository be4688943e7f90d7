import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/*
 * Every catalogue build bundles the site's pages (site/src) with the pipeline modules they import, and Astro's
 * bundler reads each module of that graph, whatever the pages use of it. The model page took `listWords` from
 * pipeline/data/ops.ts and `noneLeftOutWords` from pipeline/registry/card.ts: with them came git, the S3 client,
 * TF.js, the stages and the registry, 64 pipeline modules of the 90 the pages reached. Read from the sources, not
 * timed: the value imports (not `import type`) from site/src, followed through the repository's own files.
 */

const ROOT = path.resolve(import.meta.dirname, '..', '..');

/** Module specifiers `text` imports for their values (type-only imports are erased before bundling). */
function valueImports(text: string): string[] {
  const found: string[] = [];
  const statement =
    /^\s*(?:import|export)\s+(type\s+)?([^'";]*?)\s*from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm;
  for (const m of text.matchAll(statement)) {
    if (m[1]) continue;
    const names = m[2]?.trim() ?? '';
    const onlyTypes =
      /^\{[^}]*\}$/.test(names) &&
      names
        .slice(1, -1)
        .split(',')
        .map((n) => n.trim())
        .filter(Boolean)
        .every((n) => n.startsWith('type '));
    if (!onlyTypes) found.push(m[3] ?? m[4]!);
  }
  return found;
}

/** `file` as the bundler finds it: as written, or with the ending an import may leave out. */
async function resolved(file: string): Promise<string> {
  for (const f of [file, `${file}.ts`, `${file}.js`, path.join(file, 'index.ts')])
    if (
      await readFile(f).then(
        () => true,
        () => false,
      )
    )
      return f;
  throw new Error(`${file} is imported but not found`);
}

/** The repository files and the packages the site's pages reach, each file with the one that imported it. */
async function siteGraph(): Promise<{ files: Map<string, string | null>; packages: Map<string, string> }> {
  const files = new Map<string, string | null>();
  const packages = new Map<string, string>();
  const visit = async (file: string, from: string | null): Promise<void> => {
    if (files.has(file)) return;
    files.set(file, from);
    for (const spec of valueImports(await readFile(file, 'utf8'))) {
      if (spec.startsWith('.'))
        await visit(await resolved(path.resolve(path.dirname(file), spec.replace(/\?.*$/, ''))), file);
      else if (!spec.startsWith('node:') && !packages.has(spec)) packages.set(spec, file);
    }
  };
  const src = path.join(ROOT, 'site', 'src');
  for (const e of await readdir(src, { withFileTypes: true, recursive: true }))
    if (e.isFile() && /\.(astro|ts|mjs|js)$/.test(e.name)) await visit(path.join(e.parentPath, e.name), null);
  return { files, packages };
}

/** "pipeline/a.ts <- site/src/pages/b.astro": how the pages reach `file`. */
function chain(files: Map<string, string | null>, file: string): string {
  const names: string[] = [];
  for (let f: string | null | undefined = file; f; f = files.get(f)) names.push(path.relative(ROOT, f));
  return names.join(' <- ');
}

describe('what the site’s pages bundle', () => {
  it('reaches no git, S3 client, TF.js or image library, nor the data layer, stages or registry', async () => {
    const { files, packages } = await siteGraph();
    const heavy = [...packages.keys()].filter((p) =>
      /^(isomorphic-git|@aws-sdk\/|@smithy\/|@tensorflow\/|sharp$|nsfwjs$)/.test(p),
    );
    expect(heavy.map((p) => `${p} <- ${chain(files, packages.get(p)!)}`)).toEqual([]);
    const pipeline = [...files.keys()]
      .map((f) => path.relative(ROOT, f).split(path.sep).join('/'))
      .filter((f) => /^pipeline\/((data|git|stages|model)\/|registry\/(?!words\.ts$))/.test(f));
    expect(pipeline.map((f) => chain(files, path.join(ROOT, f)))).toEqual([]);
    // The walk itself: the pages do reach the catalogue's own modules.
    expect(files.has(path.join(ROOT, 'pipeline', 'catalogue', 'derive.ts'))).toBe(true);
  });
});
