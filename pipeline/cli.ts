import { stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import path from 'node:path';
import { isVitrineError, messageOf } from './errors.ts';
import { systemClock, type Clock, type Logger } from './log.ts';
import { workspace } from './paths.ts';
import type { Command, CommandContext, OptionSpec } from './cli/command.ts';
import { terminalLogger } from './cli/logger.ts';
import { coreCommands } from './cli/core-commands.ts';

/*
 * `vitrine <command>`: the boundary where arguments, the environment and the terminal meet the
 * pipeline. Everything below receives plain options; only this file prints and picks exit codes.
 */

/** All commands, in the order `vitrine --help` lists them. */
export async function allCommands(): Promise<Command[]> {
  const [{ dataCommands }, { registryCommands }, { monitorCommands }, { reviewCommands }] = await Promise.all([
    import('./data/commands.ts'),
    import('./registry/commands.ts'),
    import('./monitor/commands.ts'),
    import('./review/commands.ts'),
  ]);
  return [...coreCommands, ...dataCommands, ...registryCommands, ...monitorCommands, ...reviewCommands];
}

const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  help: { type: 'boolean', short: 'h', description: 'Show help for the command.' },
  json: { type: 'boolean', description: 'Print one JSON document on stdout (commands that report).' },
  verbose: { type: 'boolean', short: 'v', description: 'Show detail for maintainers.' },
  cwd: { type: 'string', short: 'C', description: 'Run in this repository folder instead of the current one.' },
};

export interface MainOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  stdout?: (text: string) => void;
  log?: Logger;
  clock?: Clock;
}

/** Run the CLI with `argv` (without `node vitrine`); returns the exit code. */
export async function main(argv: string[], { env = process.env, cwd = process.cwd(), stdout = (t) => process.stdout.write(t), log, clock = systemClock }: MainOptions = {}): Promise<number> {
  const githubActions = env.GITHUB_ACTIONS === 'true';
  const verbose = argv.includes('--verbose') || argv.includes('-v');
  const logger = log ?? terminalLogger({ githubActions, verbose });
  let commands: Command[];
  try {
    commands = await allCommands();
  } catch (error) {
    logger.error(`Vitrine could not start: ${messageOf(error)}`);
    return 70;
  }
  const command = findCommand(commands, argv);
  if (!command) {
    if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
      stdout(generalHelp(commands));
      return 0;
    }
    if (argv[0] === '--version') {
      stdout(`vitrine ${await version()}\n`);
      return 0;
    }
    const group = commands.filter((c) => c.name.startsWith(`${argv[0]} `));
    if (group.length > 0) {
      stdout(`${group.map((c) => `  vitrine ${c.name.padEnd(22)} ${c.summary}`).join('\n')}\n`);
      return argv.includes('--help') || argv.includes('-h') ? 0 : 2;
    }
    logger.error(`"${argv.join(' ')}" is not a vitrine command. Run "npx vitrine --help" to see the commands.`);
    return 2;
  }
  const rest = argv.slice(command.name.split(' ').length);
  const options = { ...GLOBAL_OPTIONS, ...(command.options ?? {}) };
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: rest,
      // parseArgs refuses keys set to undefined, so only defined ones are passed.
      options: Object.fromEntries(Object.entries(options).map(([name, spec]) => [name, Object.fromEntries(Object.entries({ type: spec.type, short: spec.short, multiple: spec.multiple, default: spec.default }).filter(([, v]) => v !== undefined)) as never])),
      allowPositionals: true,
      strict: true,
    }) as typeof parsed;
  } catch (error) {
    logger.error(`${messageOf(error)}. Run "npx vitrine ${command.name} --help" for the options.`);
    return 2;
  }
  if (parsed.values.help) {
    stdout(commandHelp(command));
    return 0;
  }
  const root = path.resolve(cwd, typeof parsed.values.cwd === 'string' ? parsed.values.cwd : '.');
  if (!(await stat(root).then((s) => s.isDirectory(), () => false))) {
    logger.error(`The folder ${root} does not exist. Run vitrine in your collection's repository, or name it with -C <folder>.`);
    return 1;
  }
  const ctx: CommandContext = { ws: workspace(root), log: logger, clock, env, json: Boolean(parsed.values.json), out: stdout };
  try {
    return (await command.run(ctx, parsed)) ?? 0;
  } catch (error) {
    if (isVitrineError(error)) {
      logger.error(error.message, { file: error.data.file as string | undefined, line: error.data.line as number | undefined, object: error.data.object as string | undefined });
      return 1;
    }
    logger.error(`Something went wrong that Vitrine did not expect, in "vitrine ${command.name}": ${messageOf(error)}\nPlease report this with the output of the same command run with --verbose.`);
    logger.debug(error instanceof Error && error.stack ? error.stack : String(error));
    return 70;
  }
}

function findCommand(commands: Command[], argv: string[]): Command | undefined {
  // The longest name that matches the leading words ("data push" before "data").
  const words = argv.filter((a) => !a.startsWith('-'));
  return [...commands]
    .sort((a, b) => b.name.split(' ').length - a.name.split(' ').length)
    .find((c) => {
      const parts = c.name.split(' ');
      return parts.every((p, i) => argv[i] === p) && words.length >= parts.length;
    });
}

function generalHelp(commands: Command[]): string {
  return `Vitrine: machine learning for museum collections, run the GitOps way.

Usage: npx vitrine <command> [options]

Commands:
${commands.map((c) => `  ${c.name.padEnd(22)} ${c.summary}`).join('\n')}

Every command takes --help. Settings live in params.yaml; outputs go to .vitrine/ (delete it to start clean).
`;
}

/** The help text of one command (pinned by tests). */
export function commandHelp(command: Command): string {
  const options = { ...(command.options ?? {}), ...GLOBAL_OPTIONS };
  const lines = Object.entries(options).map(([name, spec]) => {
    const flag = `${spec.short ? `-${spec.short}, ` : '    '}--${name}${spec.type === 'string' ? ' <value>' : ''}`;
    return `  ${flag.padEnd(28)} ${spec.description}${spec.default !== undefined && spec.default !== false ? ` (default: ${spec.default})` : ''}`;
  });
  return `Usage: npx vitrine ${command.name}${command.args ? ` ${command.args}` : ''} [options]

${command.summary}
${command.help ? `\n${command.help.trim()}\n` : ''}
Options:
${lines.join('\n')}
`;
}

async function version(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
