import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { oneLine } from '../log.ts';

/*
 * How a museum's repository runs Vitrine. `npx vitrine` runs Vitrine only where Vitrine is installed: in a
 * copy of Vitrine's repository (the documented adoption path, "Use this template") or with Vitrine in its
 * node_modules. Anywhere else npx fetches whatever package is called "vitrine" from the npm registry and runs
 * it, so a repository init made in another folder runs Vitrine from Vitrine's own folder, naming itself with -C.
 */

/** The Vitrine package's own folder (no trailing separator). */
export const VITRINE_HOME = path.resolve(fileURLToPath(new URL('../../', import.meta.url)));

export interface VitrineInvocation {
  /** The folder to run the command in: the repository itself, or Vitrine's folder. */
  folder: string;
  /** The command up to the subcommand: `npx vitrine`, or `npx vitrine -C <repository>`. */
  vitrine: string;
  /** True when Vitrine is installed in the repository (npx finds it there). */
  inRepository: boolean;
}

export async function vitrineInvocation({ root }: { root: string }): Promise<VitrineInvocation> {
  const repository = path.resolve(root);
  if (await holdsVitrine(repository)) return { folder: repository, vitrine: 'npx vitrine', inRepository: true };
  return { folder: VITRINE_HOME, vitrine: `npx vitrine -C ${shellWord(repository)}`, inRepository: false };
}

/**
 * The command that runs Vitrine for the repository at `root`, as a report suggests it: the trusted run's report
 * (pipeline/report) and a fork's comment rendered again by the report action, which judges the museum's checkout
 * it runs in (tester: a repository made with `vitrine init -C` was told "npx vitrine review", which fetches an
 * unknown package there). The path is a placeholder: the report is read far from the machine that wrote it, and
 * the repository's README says where.
 */
export async function reportCommand({ root }: { root: string }): Promise<string> {
  const { inRepository } = await vitrineInvocation({ root });
  return inRepository ? 'npx vitrine' : `npx vitrine -C ${shellWord(`path/to/${path.basename(path.resolve(root))}`)}`;
}

/** A command line that runs `vitrine <args>` for the repository at `root`, typed in any folder. */
export async function vitrineCommandLine({ root, args }: { root: string; args: string }): Promise<string> {
  const run = await vitrineInvocation({ root });
  return `cd ${shellWord(run.folder)} && ${run.vitrine} ${args}`;
}

async function holdsVitrine(folder: string): Promise<boolean> {
  if (folder === VITRINE_HOME) return true;
  const name = async (file: string) =>
    readFile(file, 'utf8').then(
      (text) => (JSON.parse(text) as { name?: unknown }).name,
      () => undefined,
    );
  return (
    (await name(path.join(folder, 'package.json'))) === 'vitrine' ||
    (await name(path.join(folder, 'node_modules', 'vitrine', 'package.json'))) === 'vitrine'
  );
}

/** A path as one word of a POSIX shell command line (quoted only when it needs to be). */
export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * Free text (a rollback's reason) as one word of a command line shown to the user. With a control character in it
 * (a line break, an escape sequence) the word is bash's $'…', its control characters written as escapes by oneLine
 * as names are shown (pipeline/cli/shown.ts): the screen or a workflow's log never gets the character itself (a line
 * break would start a line of its own, "::error::…" in GitHub Actions), and bash or zsh read the word back as the
 * same text. Otherwise shellWord's plain quoting.
 */
export function shellText(text: string): string {
  if (oneLine(text) === text) return shellWord(text);
  return `$'${oneLine(text.replaceAll('\\', '\\\\').replaceAll("'", "\\'"))}'`;
}

/**
 * A commit message as one word of a shell command line: in double quotes when nothing in it means something there
 * (the usual "Start Vitrine for The Museum"), else in single quotes, so a name with `"`, `$`, a backtick, `\` or `!`
 * is pasted as written and never runs anything.
 */
export function shellMessage(message: string): string {
  return /^[^"$`\\!]*$/.test(message) ? `"${message}"` : shellWord(message);
}

/** `folder` as the user would type it from `cwd`: relative when that is shorter, else absolute. */
export function pathFrom({ cwd, folder }: { cwd: string; folder: string }): string {
  const relative = path.relative(cwd, folder) || '.';
  return shellWord(relative.length < folder.length ? relative : folder);
}
