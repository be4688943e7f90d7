import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'yaml';
import { VitrineError } from '../errors.ts';
import { loadParams } from '../params.ts';
import type { Command, CommandContext } from './command.ts';
import { shownName } from './shown.ts';
import { closest } from './suggest.ts';

/*
 * `vitrine params` and `vitrine params get <key>`: the settings as the stages read them (params.yaml checked
 * against the schema, defaults filled in), for people and for workflow steps, which would otherwise read
 * params.yaml with awk and misread a file saved with Windows line endings or indented by four spaces.
 */

const paramsCommand: Command = {
  name: 'params',
  summary: 'Check params.yaml and print every setting, with the defaults for the ones it leaves out.',
  help: `Reads params.yaml as every stage does: a misspelt key or a wrong value stops it with the line to fix
(exit code 1). With --json, prints the settings as one JSON document.

  npx vitrine params get catalogue.site      print one setting (see "npx vitrine params get --help")

With --check-merged <file>, checks a pull request's params.yaml merged into this one as the museum's runner
checks a pull request's own (exit 1 and why when refused): the data workflow runs it after its merge.`,
  options: {
    'check-merged': {
      type: 'string',
      description:
        "Check a pull request's params.yaml merged into this one as the guard checks a pull request's own (exit 1 when not).",
    },
  },
  async run(ctx, { values }) {
    if (typeof values['check-merged'] === 'string') return checkMerged(ctx, values['check-merged']);
    const params = await loadParams({ file: ctx.ws.params });
    if (ctx.json) {
      ctx.out(`${JSON.stringify(params, null, 2)}\n`);
      return;
    }
    const written = await stat(ctx.ws.params).then(
      () => true,
      () => false,
    );
    const heading = written
      ? 'params.yaml as Vitrine reads it, with the default of every setting it leaves out'
      : "No params.yaml: Vitrine's default settings";
    ctx.out(`# ${heading}.\n${stringify(params)}`);
  },
};

const paramsGetCommand: Command = {
  name: 'params get',
  summary: 'Print one setting from params.yaml (or its default), such as catalogue.site.',
  args: '<key>',
  help: `The key is the setting's sections and name joined by dots, as in the error messages: catalogue.site,
scale.shards, train.epochs. Text, numbers and true/false are printed as they are; a section or a list
as JSON (and every value with --json). For scripts and workflow steps:

  site="$(npx vitrine params get catalogue.site)"

params.yaml is checked first: when it is not valid, nothing is printed and the exit code is 1; a key
that is not a setting gives exit code 2.`,
  async run(ctx, { positionals }) {
    const key = positionals[0]!;
    const params = await loadParams({ file: ctx.ws.params });
    const value = settingAt({ settings: params, key });
    ctx.out(`${shownValue({ value, json: ctx.json })}\n`);
  },
};

/**
 * `vitrine params --check-merged <file>`: a pull request's params.yaml merged three ways into this checkout's (the
 * base branch's newer one) is checked as the guard checked the pull request's own file (paramsProblems: valid, no
 * custom backbone, no path, address or locked setting changed from this checkout's). Two changes that each pass can
 * merge into one that does not. The verdict on stdout, one line ("<file>: …"), as --check-addresses says its own.
 */
async function checkMerged(ctx: CommandContext, given: string): Promise<number> {
  const file = path.resolve(ctx.cwd ?? ctx.ws.root, given);
  const merged = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT')
      throw new VitrineError('PARAMS_MISSING', `There is no file ${shownName(given)} to check.`);
    throw error;
  });
  const base = await readFile(ctx.ws.params, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  // Loaded here only: `vitrine params get` stays quick. One line: the workflow's error annotation and pull request note.
  const { paramsProblems } = await import('../github/guard.ts');
  const problems = paramsProblems({ head: merged, base }).map((p) => p.replace(/\s*\n\s*/g, ' '));
  ctx.out(`${shownName(given)}: ${problems.length === 0 ? "passes a pull request's checks" : problems.join('; ')}\n`);
  return problems.length === 0 ? 0 : 1;
}

/** A setting's value: text, a number or true/false as it is; a section or a list (or anything with --json) as JSON. */
function shownValue({ value, json }: { value: unknown; json: boolean }): string {
  if (!json && (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'))
    return String(value);
  const plain = typeof value !== 'object' || value === null;
  return JSON.stringify(value, null, json || plain ? undefined : 2);
}

/**
 * The value at a dotted key ("catalogue.site"). Only the settings' own keys count (not "constructor" or a list's
 * "length"); a key that is not a setting is a mistake in the command line, named with the nearest setting.
 */
export function settingAt({ settings, key }: { settings: object; key: string }): unknown {
  const parts = key.split('.');
  let node: unknown = settings;
  for (const [i, part] of parts.entries()) {
    const found = Array.isArray(node)
      ? /^\d+$/.test(part) && Number(part) < node.length
      : node !== null && typeof node === 'object'
        ? Object.hasOwn(node, part)
        : false;
    if (!found) throw unknownSetting({ settings, key, known: parts.slice(0, i), node });
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

function unknownSetting({
  settings,
  key,
  known,
  node,
}: {
  settings: object;
  key: string;
  known: string[];
  node: unknown;
}): VitrineError {
  const keys = settingKeys(settings);
  const last = key.split('.').at(-1)!.toLowerCase();
  // "shards" alone is scale.shards; "catalogue.sit" is catalogue.site.
  const near = keys.find((k) => k.split('.').at(-1)!.toLowerCase() === last && k !== key) ?? closest(key, keys);
  const hint = near ? ` Did you mean "${near}"?` : '';
  const section = known.join('.');
  const here =
    known.length === 0
      ? ` The sections are: ${Object.keys(settings).join(', ')}.`
      : node !== null && typeof node === 'object' && !Array.isArray(node)
        ? ` The settings in "${section}" are: ${Object.keys(node).join(', ') || 'none yet'}.`
        : ` "${section}" is ${Array.isArray(node) ? 'a list' : 'one value'}, with no settings inside.`;
  return new VitrineError('PARAMS_KEY_UNKNOWN', `"${key}" is not a setting in params.yaml.${hint}${here}`, { key });
}

/** Every dotted key of the settings, sections and values (not into lists). */
function settingKeys(node: object, prefix = ''): string[] {
  return Object.entries(node).flatMap(([k, v]) => [
    `${prefix}${k}`,
    ...(v !== null && typeof v === 'object' && !Array.isArray(v) ? settingKeys(v, `${prefix}${k}.`) : []),
  ]);
}

export const paramsCommands: Command[] = [paramsCommand, paramsGetCommand];
