import { fileURLToPath } from 'node:url';
import type { Command } from './command.ts';

/*
 * The commands' code is loaded only when a command runs. Loaded all at once, it made every `vitrine` (its --help, a
 * mistyped command, `vitrine params`) load some 600 modules first, TF.js, sharp, isomorphic-git and the S3 client
 * among them: about 1.7 s of CPU before the first word was looked at. What the command line needs without running a
 * command (the names, summaries, help, options and arguments, for --help, "did you mean", the checks of the
 * command line and the completion script) is a table kept in command-table.json, written from the commands
 * themselves:
 *
 *   npx node pipeline/cli/command-table.ts
 *
 * after changing a command's name, summary, help, options or arguments (test/cli/lazy-commands.test.ts says when the
 * table differs from the commands).
 */

/** Where each command's code is, by the name the table gives it; in the order `vitrine --help` lists them. */
export const COMMAND_MODULES = {
  init: async () => [(await import('../init/command.ts')).initCommand],
  core: async () => (await import('./core-commands.ts')).coreCommands,
  params: async () => (await import('./params-commands.ts')).paramsCommands,
  data: async () => (await import('../data/commands.ts')).dataCommands,
  registry: async () => (await import('../registry/commands.ts')).registryCommands,
  monitor: async () => (await import('../monitor/commands.ts')).monitorCommands,
  review: async () => (await import('../review/commands.ts')).reviewCommands,
  publish: async () => (await import('../publish/command.ts')).publishCommands,
} satisfies Record<string, () => Promise<Command[]>>;

export type CommandModule = keyof typeof COMMAND_MODULES;

/** A command as the table holds it: all but its code, and the module that has the code. */
export type CommandEntry = Omit<Command, 'run'> & { module: CommandModule };

/** The command named `name` in `module`, its code loaded. */
export async function loadCommand({ module, name }: { module: CommandModule; name: string }): Promise<Command> {
  const command = (await COMMAND_MODULES[module]()).find((c) => c.name === name);
  // A command renamed or removed without writing the table again: a mistake in Vitrine, not the user's.
  if (!command)
    throw new Error(
      `pipeline/cli/command-table.json lists "vitrine ${name}", which its module (${module}) does not have: ` +
        'write the table again with "npx node pipeline/cli/command-table.ts"',
    );
  return command;
}

/** The table as the commands' modules say it, in the order of COMMAND_MODULES (this loads every command's code). */
export async function describeCommands(): Promise<CommandEntry[]> {
  const entries: CommandEntry[] = [];
  for (const module of Object.keys(COMMAND_MODULES) as CommandModule[])
    for (const { run: _code, ...spec } of await COMMAND_MODULES[module]()) entries.push({ module, ...spec });
  // As JSON holds it: no keys set to undefined.
  return JSON.parse(JSON.stringify(entries)) as CommandEntry[];
}

/** Write command-table.json from the commands. */
export async function writeCommandTable(): Promise<void> {
  const { writeFileAtomic } = await import('../fs.ts');
  const file = fileURLToPath(new URL('./command-table.json', import.meta.url));
  await writeFileAtomic({ file, data: `${JSON.stringify(await describeCommands(), null, 2)}\n` });
}

if (import.meta.main) await writeCommandTable();
