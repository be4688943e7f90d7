// Rebuilds what is generated from the actions: each JavaScript action's bundle (dist/index.mjs) and
// the usage section of docs/actions.md. `npm run build:actions` writes them; `--check` (and the test
// in test/github) fails when the committed files differ from a fresh build.
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { parse } from 'yaml';

const ACTIONS = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.dirname(ACTIONS);
/** The file each action's usage block is generated into. */
export const DOCS_FILE = path.join(ROOT, 'docs', 'actions.md');
const BEGIN = '<!-- BEGIN GENERATED: npm run build:actions -->';
const END = '<!-- END GENERATED -->';

interface ActionYaml {
  name: string;
  description: string;
  inputs?: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs?: Record<string, { description: string; value?: string }>;
  runs: { using: string; main?: string };
}

/**
 * Actions whose bundle is minified (the others stay readable in review). The report's came back past 2 MB with
 * zod's forty locales and undici, even with constants folded: 2,001,463 bytes on 8 December 2026.
 */
const MINIFIED = new Set(['data-cache', 'report']);

/** The action folders (those with an action.yml), sorted. */
export async function actionNames(): Promise<string[]> {
  const entries = await readdir(ACTIONS, { withFileTypes: true });
  const names: string[] = [];
  for (const e of entries) {
    if (!e.isDirectory()) continue;
    try {
      await readFile(path.join(ACTIONS, e.name, 'action.yml'));
      names.push(e.name);
    } catch {
      // Not an action (lib/).
    }
  }
  return names.sort();
}

/** Parsed action.yml of an action. */
export async function readAction(name: string): Promise<ActionYaml> {
  return parse(await readFile(path.join(ACTIONS, name, 'action.yml'), 'utf8')) as ActionYaml;
}

/** The bundle of a JavaScript action (null for composite actions), built in memory. */
export async function bundleAction(name: string): Promise<{ file: string; text: string } | null> {
  const action = await readAction(name);
  if (!action.runs.using.startsWith('node') || !action.runs.main) return null;
  const result = await esbuild.build({
    entryPoints: [path.join(ACTIONS, name, 'index.ts')],
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    write: false,
    // The cache client brings Azure's storage SDK, the report zod's locales and undici; minified, their bundles stay
    // under 2 MB. The others keep their names and one statement a line, with constants folded and dead branches
    // dropped.
    minify: MINIFIED.has(name),
    minifySyntax: true,
    legalComments: 'eof',
    // Relative, stable source paths in comments: the bundle must not depend on where it was built.
    absWorkingDir: ROOT,
    preserveSymlinks: true,
    // Some CommonJS dependencies call require(); give the ESM bundle one.
    banner: {
      js:
        "import { createRequire as __vitrineCreateRequire } from 'node:module';\nconst require = " +
        '__vitrineCreateRequire(import.meta.url);',
    },
    logLevel: 'silent',
  });
  return { file: path.join(ACTIONS, name, action.runs.main), text: result.outputFiles[0]!.text };
}

/** docs/actions.md with its generated usage section rebuilt from every action.yml. */
export async function renderDocs(current: string): Promise<string> {
  const blocks: string[] = [];
  for (const name of await actionNames()) {
    const a = await readAction(name);
    const inputs = Object.entries(a.inputs ?? {});
    const outputs = Object.entries(a.outputs ?? {});
    const withLines = inputs.flatMap(([k, v]) => [
      wrap({ text: v.description, first: '    # ', rest: '    # ' }),
      ...(v.default !== undefined && v.default !== '' ? [`    # Default: ${v.default}`] : []),
      `    ${k}: ''${v.required ? ' # required' : ''}`,
      '',
    ]);
    const usage = [
      '```yaml',
      `- uses: <owner>/<repo>/actions/${name}@<commit>`,
      ...(inputs.length ? ['  with:', ...withLines.slice(0, -1)] : []),
      '```',
    ].join('\n');
    // A list rather than a table: a table's row is one line, as long as its description.
    const list = (rows: [string, string][], header: string) =>
      rows.length
        ? `${header}s:\n\n${rows.map(([k, d]) => wrap({ text: `\`${k}\`: ${d}`, first: '- ', rest: '  ' })).join('\n')}`
        : `No ${header.toLowerCase()}s.`;
    blocks.push(
      [
        `### \`${name}\`: ${a.name}`,
        wrap({ text: a.description }),
        wrap({
          text: `Runs as: ${
            a.runs.using === 'composite'
              ? 'a composite action (installs Vitrine with npm ci, then calls the vitrine command)'
              : `a ${a.runs.using} JavaScript action (bundled in \`actions/${name}/${a.runs.main}\`)`
          }.`,
        }),
        usage,
        list(
          inputs.map(([k, v]) => [
            k,
            `${v.description}${v.default !== undefined && v.default !== '' ? ` Default: \`${v.default}\`.` : ''}`,
          ]),
          'Input',
        ),
        list(
          outputs.map(([k, v]) => [k, v.description]),
          'Output',
        ),
      ].join('\n\n'),
    );
  }
  const generated = `${BEGIN}\n\n${blocks.join('\n\n')}\n\n${END}`;
  const start = current.indexOf(BEGIN);
  const end = current.indexOf(END);
  if (start === -1 || end === -1) return `${current.trimEnd()}\n\n${generated}\n`;
  return `${current.slice(0, start)}${generated}${current.slice(end + END.length)}`;
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** Widest generated line: the docs read whole in a side-by-side diff (a longer word keeps a line of its own). */
const WIDTH = 110;

/** `text` on one line or more of at most WIDTH characters, the first after `first`, the others after `rest`. */
function wrap({ text, first = '', rest = '' }: { text: string; first?: string; rest?: string }): string {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of oneLine(text).split(' ')) {
    if (!empty && line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = rest + word;
    } else line = empty ? line + word : `${line} ${word}`;
    empty = false;
  }
  lines.push(line);
  return lines.join('\n');
}

/** Every generated file with its fresh content. */
export async function generatedFiles(): Promise<{ file: string; text: string }[]> {
  const files: { file: string; text: string }[] = [];
  for (const name of await actionNames()) {
    const bundle = await bundleAction(name);
    if (bundle) files.push(bundle);
  }
  const docs = await readFile(DOCS_FILE, 'utf8').catch(() => "# Vitrine's GitHub Actions\n");
  files.push({ file: DOCS_FILE, text: await renderDocs(docs) });
  return files;
}

/** Files whose committed content differs from a fresh build (root-relative). */
export async function staleFiles(): Promise<string[]> {
  const stale: string[] = [];
  for (const { file, text } of await generatedFiles()) {
    const current = await readFile(file, 'utf8').catch(() => null);
    if (current !== text) stale.push(path.relative(ROOT, file));
  }
  return stale;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--check')) {
    const stale = await staleFiles();
    if (stale.length > 0) {
      process.stderr.write(
        `These generated files are out of date: ${stale.join(', ')}. Run "npm run build:actions" and commit the result.\n`,
      );
      process.exitCode = 1;
    } else process.stdout.write('Action bundles and docs/actions.md are up to date.\n');
  } else {
    for (const { file, text } of await generatedFiles()) {
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, text);
      process.stdout.write(`wrote ${path.relative(ROOT, file)} (${Math.round(text.length / 1024)} KiB)\n`);
    }
  }
}
