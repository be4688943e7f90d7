import type { Clock, Logger } from '../log.ts';
import type { Workspace } from '../paths.ts';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  /** One line for --help. */
  description: string;
  default?: string | boolean;
}

/** What every command is handed by the CLI boundary. */
export interface CommandContext {
  ws: Workspace;
  /** The folder the command was started in (a subfolder of ws.root, or ws.root): file names given in
   * the command line are relative to it, as in git. */
  cwd?: string;
  /** The shell's folder, before -C: where the commands a command prints for the user to type run. */
  shellCwd?: string;
  log: Logger;
  /** A line of a report written with `out`, with the commands it suggests typed as `log` types them (npx, -C). */
  asTyped?: (text: string) => string;
  clock: Clock;
  env: Record<string, string | undefined>;
  /** --json was given: print one JSON document with `out` and nothing else on stdout. */
  json: boolean;
  /** Write a result to stdout (reports, JSON); progress and messages go through `log`. */
  out(text: string): void;
  /** A person is at a terminal: a command may ask questions (read from `stdin`, asked on `prompts`). */
  interactive?: boolean;
  stdin?: NodeJS.ReadableStream;
  prompts?: NodeJS.WritableStream;
}

/**
 * A `vitrine` command. Each part of the pipeline exports its commands; `pipeline/cli/command-table.ts` lists their
 * modules, and command-table.json all but their code (write it again after changing what a command says or takes).
 * `run` returns the exit code (0 when omitted); a thrown VitrineError becomes a one-paragraph message.
 */
export interface Command {
  /** Words after `vitrine`, e.g. "data push". */
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Positional arguments for the usage line, e.g. "[stage...]". */
  args?: string;
  /** Longer help text (plain words, an example or two). */
  help?: string;
  options?: Record<string, OptionSpec>;
  /** Runs in its folder as it is, without looking for a repository up from it (init starts one). */
  outsideRepository?: boolean;
  /** -C may name a folder not made yet (its parent must exist): the command makes it (init). */
  createsFolder?: boolean;
  run(ctx: CommandContext, input: { values: Record<string, unknown>; positionals: string[] }): Promise<number | void>;
}
