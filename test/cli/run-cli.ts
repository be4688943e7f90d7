import { readFile } from 'node:fs/promises';
import { type MainOptions, main } from '../../pipeline/cli.ts';
import { memoryLogger } from '../../pipeline/log.ts';

/**
 * `npx vitrine <args>` run in this process in `cwd`, with no environment variables and `options` (default none) for
 * main: its exit code, its stdout, and its messages as "level: message" lines.
 */
export async function runCli(
  cwd: string,
  args: string[],
  options: Pick<MainOptions, 'interactive'> = {},
): Promise<{ code: number; stdout: string; messages: string }> {
  let stdout = '';
  const log = memoryLogger();
  const code = await main(args, { cwd, env: {}, stdout: (t) => (stdout += t), log, ...options });
  return { code, stdout, messages: log.lines.map((l) => `${l.level}: ${l.message}`).join('\n') };
}

/** Vitrine's version, as package.json says it. */
export const packageVersion = (
  JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
