import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Command, CommandContext, OptionSpec } from './cli/command.ts';
import commandTable from './cli/command-table.json' with { type: 'json' };
import { type CommandEntry, loadCommand } from './cli/command-table.ts';
import { completionCommand, SHELLS } from './cli/completion.ts';
import { environmentProblem } from './cli/fs-errors.ts';
import { terminalLogger } from './cli/logger.ts';
import { findRepositoryRoot } from './cli/root.ts';
import { closest, didYouMean } from './cli/suggest.ts';
import { isVitrineError, messageOf, systemProblem } from './errors.ts';
import { shellWord } from './init/invocation.ts';
import { type Clock, type Logger, systemClock } from './log.ts';
import { workspace } from './paths.ts';
import { STAGE_NAMES } from './stages/stage.ts';
import type { Metrics } from './types.ts';

/*
 * `vitrine <command>`: the boundary where arguments, the environment and the terminal meet the
 * pipeline. Everything below receives plain options; only this file prints and picks exit codes.
 */

/**
 * All commands, in the order `vitrine --help` lists them: from the command table (cli/command-table.ts), each
 * command's code loaded only when it runs.
 */
export async function allCommands(): Promise<Command[]> {
  const commands: Command[] = (commandTable as CommandEntry[]).map(lazyCommand);
  commands.push(
    completionCommand(async () => ({
      commands,
      globalOptions: GLOBAL_OPTIONS,
      argumentWords: argumentWords(commands),
    })),
  );
  return commands;
}

/**
 * A command of the table, its code loaded as it starts to run: inside main's error boundary, so a module that fails
 * to load is said as any failure of that command is (exit 70 for a bug, a VitrineError's own words, the machine's).
 */
function lazyCommand({ module, ...spec }: CommandEntry): Command {
  return {
    ...spec,
    run: async (ctx, input) => (await loadCommand({ module, name: spec.name })).run(ctx, input),
  };
}

const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  help: { type: 'boolean', short: 'h', description: 'Show help for the command.' },
  json: { type: 'boolean', description: 'Print one JSON document on stdout (commands that report).' },
  quiet: { type: 'boolean', short: 'q', description: 'Print only warnings, errors and results.' },
  verbose: { type: 'boolean', short: 'v', description: 'Show detail for maintainers.' },
  cwd: { type: 'string', short: 'C', description: 'Run in this repository folder instead of the current one.' },
};

/**
 * Exit codes, the same for every command (documented in --help and the README):
 * 0 done; 1 the command failed (the message says why); 2 a mistake in the command line;
 * 3 the promotion gate failed and --fail-on-gate was given; 70 a bug in Vitrine.
 */
export const EXIT = { ok: 0, failure: 1, usage: 2, gateFailed: 3, bug: 70 } as const;

/** Error codes that mean the command line itself was wrong (exit 2), wherever they are thrown. */
const USAGE_CODES = new Set(['USAGE', 'CLI_USAGE', 'STAGE_UNKNOWN', 'PARAMS_KEY_UNKNOWN']);

export interface MainOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  stdout?: (text: string) => void;
  log?: Logger;
  clock?: Clock;
  /** Questions (vitrine init) are asked only when a person is at a terminal. */
  interactive?: boolean;
  stdin?: NodeJS.ReadableStream;
  prompts?: NodeJS.WritableStream;
}

/**
 * Global options may come before the command (`vitrine -C repo --json data status`, as git and npm
 * allow): move them after the command words, where each command parses them.
 */
export function hoistGlobalOptions(argv: string[]): string[] {
  const lead: string[] = [];
  let i = 0;
  while (i < argv.length) {
    const word = argv[i]!;
    const long = /^--([a-z-]+)(=.*)?$/.exec(word);
    const name = long ? long[1]! : Object.keys(GLOBAL_OPTIONS).find((k) => `-${GLOBAL_OPTIONS[k]!.short}` === word);
    const spec = name === undefined ? undefined : GLOBAL_OPTIONS[name];
    // --help is handled as the first word; a leading --version too.
    if (!spec || name === 'help') break;
    const takesValue = spec.type === 'string' && !long?.[2];
    if (takesValue && argv[i + 1] === undefined) break;
    lead.push(...argv.slice(i, i + (takesValue ? 2 : 1)));
    i += takesValue ? 2 : 1;
  }
  if (lead.length === 0) return argv;
  const rest = argv.slice(i);
  // `vitrine -C ../museum` alone, or before --help, -h, -V or --version: as without -C (git -C does the same).
  if (rest.length === 0) return [];
  if (rest[0]!.startsWith('-')) return [...rest, ...lead];
  // The command is the next one or two words that are not options.
  const words = rest.findIndex((w) => w.startsWith('-'));
  const commandWords = Math.min(2, words === -1 ? rest.length : words);
  return [...rest.slice(0, commandWords), ...lead, ...rest.slice(commandWords)];
}

/** The command named after `vitrine help`: its words without the options, and without -C's folder. */
function helpWords(argv: string[]): string[] {
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '-C' || argv[i] === '--cwd') i++;
    else if (!argv[i]!.startsWith('-')) words.push(argv[i]!);
  }
  return words;
}

/** Run the CLI with `argv` (without `node vitrine`); returns the exit code. */
export async function main(givenArgv: string[], mainOptions: MainOptions = {}): Promise<number> {
  const argv = hoistGlobalOptions(givenArgv);
  // `vitrine --json` alone (or after -C): a script that parses stdout would get the human help.
  const jsonAlone = argv.length === 0 && givenArgv.some((word) => /^--json(=|$)/.test(word));
  const {
    env = process.env,
    cwd = process.cwd(),
    stdout = (t: string) => process.stdout.write(t),
    log,
    clock = systemClock,
  } = mainOptions;
  const { stdin = process.stdin, prompts = process.stderr } = mainOptions;
  const interactive = mainOptions.interactive ?? Boolean(process.stdin.isTTY && process.stderr.isTTY);
  const githubActions = env.GITHUB_ACTIONS === 'true';
  const flagsBefore = argv.includes('--') ? argv.slice(0, argv.indexOf('--')) : argv;
  const verbose = flagsBefore.includes('--verbose') || flagsBefore.includes('-v');
  const quiet = flagsBefore.includes('--quiet') || flagsBefore.includes('-q');
  const logger = quietened(log ?? terminalLogger({ githubActions, verbose }), quiet && !verbose);
  let commands: Command[];
  try {
    commands = await allCommands();
  } catch (error) {
    logger.error(`Vitrine could not start: ${messageOf(error)}`);
    return EXIT.bug;
  }
  const first = argv[0];
  if (jsonAlone) {
    logger.error(
      '--json needs a command to go with it, such as "npx vitrine --json data status". ' +
        'Run "npx vitrine --help" to see the commands.',
    );
    return EXIT.usage;
  }
  if (first === undefined || first === '--help' || first === '-h') {
    stdout(generalHelp(commands));
    return EXIT.ok;
  }
  if (first === '--version' || first === '-V') {
    stdout(`vitrine ${await version()}\n`);
    return EXIT.ok;
  }
  // `vitrine help <command>` is `vitrine <command> --help`.
  if (first === 'help') {
    if (argv.length === 1) {
      stdout(generalHelp(commands));
      return EXIT.ok;
    }
    return main([...helpWords(argv.slice(1)), '--help'], { ...mainOptions, log: logger });
  }
  const command = findCommand(commands, argv);
  if (!command) return unknownCommand({ argv, commands, logger, stdout });
  const rest = argv.slice(command.name.split(' ').length);
  const options = { ...GLOBAL_OPTIONS, ...(command.options ?? {}) };
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: rest,
      // parseArgs refuses keys set to undefined, so only defined ones are passed.
      options: Object.fromEntries(
        Object.entries(options).map(([name, spec]) => [
          name,
          Object.fromEntries(
            Object.entries({
              type: spec.type,
              short: spec.short,
              multiple: spec.multiple,
              default: spec.default,
            }).filter(([, v]) => v !== undefined),
          ) as never,
        ]),
      ),
      allowPositionals: true,
      strict: true,
    }) as typeof parsed;
  } catch (error) {
    logger.error(
      `${optionMistake({ error, command, options })} Run "npx vitrine ${command.name} --help" for the options.`,
    );
    return EXIT.usage;
  }
  if (parsed.values.help) {
    stdout(commandHelp(command));
    return EXIT.ok;
  }
  const argumentsMistake = checkArguments(command, parsed.positionals);
  if (argumentsMistake) {
    logger.error(
      `${argumentsMistake} Usage: npx vitrine ${command.name}${command.args ? ` ${command.args}` : ''} [options]`,
    );
    return EXIT.usage;
  }
  // -C names the repository (or init's new one); otherwise look up from here, as git does.
  const named = typeof parsed.values.cwd === 'string' ? path.resolve(cwd, parsed.values.cwd) : undefined;
  const start = named ?? path.resolve(cwd);
  const isFolder = (folder: string) =>
    stat(folder).then(
      (s) => s.isDirectory(),
      () => false,
    );
  const toBeMade = Boolean(named && command.createsFolder) && !(await stat(start).catch(() => undefined));
  if (toBeMade && !(await isFolder(path.dirname(start)))) {
    logger.error(
      `The folder ${path.dirname(start)} does not exist: ${command.name} makes the folder ${path.basename(start)} ` +
        'in an existing one. Make it first, or name another with -C <folder>.',
    );
    return EXIT.failure;
  }
  if (!toBeMade && !(await isFolder(start))) {
    logger.error(
      `The folder ${start} does not exist. Run vitrine in your collection's repository, or name it with -C <folder>.`,
    );
    return EXIT.failure;
  }
  // -C is "as if started in": the same search as without it (a folder with no repository above it is refused,
  // rather than written into as if it were one).
  const root = command.outsideRepository ? start : await findRepositoryRoot(start);
  if (root === undefined) {
    logger.error(
      `Not inside a Vitrine repository (no params.yaml, .git or .dvc found in ${start} or its parents). ` +
        'Run "npx vitrine init --from <export>" to start one, or name the repository with -C <folder>.',
    );
    return EXIT.failure;
  }
  const json = Boolean(parsed.values.json);
  // init too: its own refusals ("npx vitrine init --from …") lack the -C; the steps it prints that have one keep it.
  const typed = typeof parsed.values.cwd === 'string' ? parsed.values.cwd : undefined;
  // "npx vitrine" first, so that -C is then added to the "npx vitrine" it writes.
  const withNpx = throughNpx({ commands });
  const withC = typed === undefined ? undefined : namingRepository({ typed, commands });
  const asTyped = (message: string) => (withC ? withC(withNpx(message)) : withNpx(message));
  const runLog = rewording(logger, asTyped);
  const ctx: CommandContext = {
    ws: workspace(root),
    cwd: start,
    shellCwd: path.resolve(cwd),
    log: runLog,
    asTyped,
    clock,
    env,
    json,
    out: stdout,
    interactive,
    stdin,
    prompts,
  };
  try {
    const code = (await command.run(ctx, parsed)) ?? EXIT.ok;
    if (code === EXIT.ok && parsed.values['fail-on-gate']) return await gateExit(ctx);
    return code;
  } catch (error) {
    if (isVitrineError(error)) {
      runLog.error(error.message, {
        file: error.data.file as string | undefined,
        line: error.data.line as number | undefined,
        object: error.data.object as string | undefined,
      });
      // Promotion refused by the gate is what --fail-on-gate is for, whichever stage noticed it.
      if (error.code === 'PROMOTE_GATE_FAILED' && parsed.values['fail-on-gate']) return EXIT.gateFailed;
      return USAGE_CODES.has(error.code) ? EXIT.usage : EXIT.failure;
    }
    // A full disk or a locked file is the machine, not a bug: say which folder or file, and exit 1.
    const machine =
      environmentProblem({ error, root: ctx.ws.root, command: commandAsTyped(argv) }) ??
      systemProblem({ error, root: ctx.ws.root });
    if (machine) {
      runLog.error(machine);
      runLog.debug(error instanceof Error && error.stack ? error.stack : String(error));
      return EXIT.failure;
    }
    runLog.error(
      `Something went wrong that Vitrine did not expect, in "vitrine ${command.name}": ` +
        `${messageOf(error)}\nPlease report this with the output of the same command run with --verbose.`,
    );
    runLog.debug(error instanceof Error && error.stack ? error.stack : String(error));
    return EXIT.bug;
  }
}

/**
 * The command as typed after "vitrine" (`argv` with the global options moved after the command's words), to run
 * again once the machine is mended: "run --force dataset", not "run" (a tester's retry hint dropped the
 * arguments). Without -C, which messages add where it is needed; a secret typed on the command line is not repeated.
 */
export function commandAsTyped(argv: string[]): string {
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (word === '--') {
      words.push(...argv.slice(i).map((w) => shellWord(withoutPassword(w))));
      break;
    }
    if (word === '-C' || word === '--cwd') i++;
    else if (word.startsWith('--cwd=') || /^-C./.test(word)) continue;
    // A placeholder a shell refuses (bash: "syntax error", PowerShell: "< is reserved"): copied as it is, the command
    // fails instead of storing the placeholder as the key.
    else if (/^--secret-access-key=/.test(word)) words.push('--secret-access-key <your-secret-key>');
    else if (word === '--secret-access-key') {
      words.push(word, '<your-secret-key>');
      i++;
    } else words.push(shellWord(withoutPassword(word)));
  }
  return words.join(' ');
}

/** An address with a user and password in it ("https://user:token@host/…") without them: never repeated in a log. */
function withoutPassword(word: string): string {
  // Up to the last "@" before the host's "/": a password may hold an "@" itself.
  return word.replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s]*@/gi, '$1');
}

/** "vitrine <command>" as a regular expression over quoted or bracketed command lines in messages. */
function quotedCommand(commands: Command[]): RegExp {
  // A quoted or bracketed "vitrine run evaluate" is a command line too; "Vitrine's folder" or "vitrine-hints" is prose.
  const words = [...new Set(commands.map((c) => c.name.split(' ')[0]!))].join('|');
  return new RegExp(`(?<=["'\`(])vitrine(?= (?:${words})\\b)`, 'g');
}

/**
 * The steps messages suggest are typed as README types them, "npx vitrine run": a bare "vitrine" is not a
 * command in a museum's clone (nothing puts it on PATH), so "run \"vitrine data push\"" would fail as typed.
 */
function throughNpx({ commands }: { commands: Command[] }): (message: string) => string {
  const quoted = quotedCommand(commands);
  return (message) => message.replace(quoted, 'npx vitrine');
}

/** `logger` with every message passed through `named` first. */
function rewording(logger: Logger, named: (message: string) => string): Logger {
  return {
    ...logger,
    info: (message) => logger.info(named(message)),
    warn: (message, where) => logger.warn(named(message), where),
    error: (message, where) => logger.error(named(message), where),
    debug: (message) => logger.debug(named(message)),
  };
}

/**
 * With -C, the next steps that messages suggest (`npx vitrine catalogue`) carry the same -C: in a repository
 * made by init elsewhere, a bare `npx vitrine` would fetch whatever npm package is called vitrine.
 */
function namingRepository({ typed, commands }: { typed: string; commands: Command[] }): (message: string) => string {
  const C = `-C ${shellWord(typed)}`;
  const quoted = quotedCommand(commands);
  return (message: string) =>
    message
      // After "cd <folder> &&" the command already runs in the repository it names.
      .replace(/(?<!&& )\bnpx vitrine(?= |"|'|`|$)(?! -C\b)/gm, `npx vitrine ${C}`)
      .replace(quoted, `vitrine ${C}`);
}

/** With --quiet, information and progress are dropped; warnings, errors and results stay. */
function quietened(logger: Logger, quiet: boolean): Logger {
  if (!quiet) return logger;
  return { ...logger, info: () => {}, progress: () => ({ tick: () => {}, done: () => {} }) };
}

function unknownCommand({
  argv,
  commands,
  logger,
  stdout,
}: {
  argv: string[];
  commands: Command[];
  logger: Logger;
  stdout: (t: string) => void;
}): number {
  const first = argv[0]!;
  const group = commands.filter((c) => c.name.startsWith(`${first} `));
  const list = () => `${group.map((c) => `  vitrine ${c.name.padEnd(22)} ${c.summary}`).join('\n')}\n`;
  if (group.length > 0) {
    if (argv.includes('--help') || argv.includes('-h')) {
      stdout(list());
      return EXIT.ok;
    }
    const second = argv[1];
    const subs = group.map((c) => c.name.split(' ')[1]!);
    if (second === undefined || second.startsWith('-'))
      logger.error(
        `"vitrine ${first}" needs a command: ` + `${subs.join(', ')}. For example: npx vitrine ${group[0]!.name}`,
      );
    else
      logger.error(
        `"${second}" is not a "vitrine ${first}" ` +
          `command.${didYouMean(second, subs, (s) => `vitrine ${first} ${s}`)} The commands are: ${subs.join(', ')}.`,
      );
    return EXIT.usage;
  }
  if (first === '-C' || first === '--cwd') {
    logger.error(`${first} ${CWD_NEEDS}`);
    return EXIT.usage;
  }
  if (first.startsWith('-')) {
    const hint = didYouMean(first.replace(/^-+/, ''), [...Object.keys(GLOBAL_OPTIONS), 'version'], (o) => `--${o}`);
    logger.error(
      `"${first}" is not an option of vitrine itself.${hint} Give options after the command, like: npx vitrine run --force. ` +
        'Run "npx vitrine --help" to see the commands.',
    );
    return EXIT.usage;
  }
  logger.error(
    `"${first}" is not a vitrine command.${commandHint(first, commands)} Run "npx ` +
      `vitrine --help" to see the commands.`,
  );
  return EXIT.usage;
}

/** Other tools' words for Vitrine's commands (dvc repro). */
const ALIASES: Record<string, string> = { repro: 'run', site: 'catalogue', build: 'catalogue', drift: 'monitor' };

/**
 * "Did you mean" for an unknown first word: the second word of a two-word command said alone (`status` is
 * `data status`), a near miss of a command, a near miss of a second word, or another tool's word for it.
 */
function commandHint(word: string, commands: Command[]): string {
  const show = (name: string) => {
    // A group ("data") is no command by itself: say what it holds.
    const subs = commands.filter((c) => c.name.startsWith(`${name} `)).map((c) => c.name.split(' ')[1]!);
    const holds = subs.length > 0 ? ` Its commands are: ${subs.join(', ')} (see "vitrine ${name} --help").` : '';
    return ` Did you mean "vitrine ${name}"?${holds}`;
  };
  const second = new Map(commands.filter((c) => c.name.includes(' ')).map((c) => [c.name.split(' ')[1]!, c.name]));
  // `push` is both `data push` and `models push`: name each.
  const owners = commands.filter((c) => c.name.split(' ')[1] === word.toLowerCase()).map((c) => `"vitrine ${c.name}"`);
  if (owners.length > 1) return ` Did you mean ${owners.join(' or ')}?`;
  const exact = second.get(word.toLowerCase());
  if (exact) return show(exact);
  const words = [...new Set([...commands.map((c) => c.name.split(' ')[0]!), 'help'])];
  const near = closest(word, words) ?? second.get(closest(word, [...second.keys()]) ?? '');
  const alias = ALIASES[word.toLowerCase()];
  return near ? show(near) : alias ? show(alias) : '';
}

/** After "-C" with nothing (or an option) after it. */
const CWD_NEEDS = "needs the repository's folder after it, like: npx vitrine -C ../our-museum run.";

/** A plain sentence for what parseArgs refused, with "did you mean" for a mistyped option. */
function optionMistake({
  error,
  command,
  options,
}: {
  error: unknown;
  command: Command;
  options: Record<string, OptionSpec>;
}): string {
  const e = error as { code?: string; message: string };
  // Node's words ("Option '-C, --cwd <value>' argument missing"), said as the option that lacks its value.
  const missing = /^Option '(?:(-\w), )?(--[\w-]+) <value>' argument missing/.exec(e.message);
  if (missing) {
    const typed = missing[1] ?? missing[2]!;
    return missing[2] === '--cwd' ? `${typed} ${CWD_NEEDS}` : `${typed} needs a value after it.`;
  }
  const unknown = /^Unknown option '([^']+)'/.exec(e.message)?.[1];
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && unknown) {
    const name = unknown.replace(/^-+/, '');
    const names = Object.keys(options);
    return `"${unknown}" is not an option of "vitrine ${command.name}".${didYouMean(name, names, (o) => `--${o}`)}`;
  }
  return `${e.message.replace(/\.$/, '')}.`;
}

/** Required (<name>) and optional ([name]) arguments, from the usage line; `...` takes any number. */
export function checkArguments(command: Command, positionals: string[]): string | undefined {
  const tokens = (command.args ?? '').split(/\s+/).filter(Boolean);
  const required = tokens.filter((t) => t.startsWith('<'));
  const many = tokens.some((t) => t.includes('...'));
  if (positionals.length < required.length) {
    const missing = required.slice(positionals.length).join(' ');
    return `"vitrine ${command.name}" needs ${missing}.`;
  }
  if (!many && positionals.length > tokens.length) {
    const extra = positionals
      .slice(tokens.length)
      .map((p) => `"${p}"`)
      .join(' ');
    return tokens.length === 0
      ? `"vitrine ${command.name}" takes no arguments (got ${extra}).`
      : `"vitrine ` + `${command.name}" takes ${tokens.join(' ')} only (got also ${extra}).`;
  }
  return undefined;
}

/** --fail-on-gate: exit 3 when the evaluation's promotion gate did not pass (read from metrics.json). */
export async function gateExit(ctx: CommandContext): Promise<number> {
  const file = path.join(ctx.ws.evaluate, 'metrics.json');
  let gate: { passed?: boolean; checks?: { name: string; passed: boolean; detail: string }[] } | undefined;
  let metrics: { gate?: typeof gate } & Pick<Partial<Metrics>, 'inputs'> = {};
  try {
    metrics = JSON.parse(await readFile(file, 'utf8')) as typeof metrics;
    gate = metrics.gate;
  } catch {
    gate = undefined;
  }
  // A model trained after the evaluation (`run train --single`) would be passed by another model's gate.
  const { evaluatedModel, folderIdentity, OTHER_MODEL_WORDS } = await import('./registry/identity.ts');
  const identity = await folderIdentity({ dir: ctx.ws.model }).catch(() => null);
  if (gate && evaluatedModel({ metrics, identity }) === 'other') {
    ctx.log.error(`--fail-on-gate: the gate cannot be checked: ${OTHER_MODEL_WORDS}.`);
    return EXIT.failure;
  }
  if (typeof gate?.passed !== 'boolean') {
    ctx.log.error(
      `--fail-on-gate: there is no gate result in ${path.relative(ctx.ws.root, file)} (the evaluate stage ` +
        `has not run), so the gate cannot be checked.`,
    );
    return EXIT.failure;
  }
  if (gate.passed) return EXIT.ok;
  const failed = (gate.checks ?? []).filter((c) => !c.passed).map((c) => `${c.name}: ${c.detail}`);
  ctx.log.error(
    `The promotion gate did not pass (--fail-on-gate gives exit code 3)${failed.length ? `:\n  ${failed.join('\n  ')}` : '.'}`,
  );
  return EXIT.gateFailed;
}

function argumentWords(commands: Command[]): Record<string, string[]> {
  return {
    run: [...STAGE_NAMES],
    completion: [...SHELLS],
    help: [...new Set(commands.map((c) => c.name.split(' ')[0]!))],
  };
}

function findCommand(commands: Command[], argv: string[]): Command | undefined {
  // The longest name that matches the leading words ("data push" before "data").
  const longestFirst = [...commands].sort((a, b) => b.name.split(' ').length - a.name.split(' ').length);
  return longestFirst.find((c) => c.name.split(' ').every((p, i) => argv[i] === p));
}

function generalHelp(commands: Command[]): string {
  return `Vitrine: machine learning for museum collections, run the GitOps way.

Usage: npx vitrine <command> [options]

Commands:
${commands.map((c) => `  ${c.name.padEnd(22)} ${c.summary}`).join('\n')}

  help <command>         Show the help of a command (the same as: npx vitrine <command> --help).

Options: -h/--help, -V/--version, -q/--quiet, -v/--verbose, --json, -C <folder>.
Exit codes: 0 done; 1 failed (the message says why); 2 a mistake in the command line;
3 the promotion gate failed and --fail-on-gate was given; 70 a bug in Vitrine (please report it).
Settings live in params.yaml; outputs go to .vitrine/ (delete it to start clean).
`;
}

/** The help text of one command (pinned by tests). */
export function commandHelp(command: Command): string {
  const options = { ...(command.options ?? {}), ...GLOBAL_OPTIONS };
  const lines = Object.entries(options).map(([name, spec]) => {
    const flag = `${spec.short ? `-${spec.short}, ` : '    '}--${name}${spec.type === 'string' ? ' <value>' : ''}`;
    return (
      `  ${flag.padEnd(28)} ` +
      `${spec.description}${spec.default !== undefined && spec.default !== false ? ` (default: ${spec.default})` : ''}`
    );
  });
  return `Usage: npx vitrine ${command.name}${command.args ? ` ${command.args}` : ''} [options]

${command.summary}
${command.help ? `\n${command.help.trim()}\n` : ''}
Options:
${lines.join('\n')}

Exit codes: 0 done, 1 failed, 2 a mistake in the command line${
    command.options?.['fail-on-gate'] ? ', 3 the gate ' + 'failed (with --fail-on-gate)' : ''
  }.
`;
}

async function version(): Promise<string> {
  const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
