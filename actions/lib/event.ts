import { readFile } from 'node:fs/promises';
import { VitrineError } from '../../pipeline/errors.ts';

/**
 * The event payload GitHub writes for the run, at GITHUB_EVENT_PATH ({} when the variable is not set, as outside a
 * workflow). A file that cannot be read or parsed fails with the variable's name and the file, not a bare ENOENT.
 */
export async function readEvent({ env }: { env: Record<string, string | undefined> }): Promise<unknown> {
  const file = env.GITHUB_EVENT_PATH;
  if (!file) return {};
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'there is no such file' : String(error);
    throw new VitrineError(
      'ACTION_EVENT_UNREADABLE',
      `The event file GitHub names in GITHUB_EVENT_PATH (${file}) cannot be read: ${why}. On GitHub the runner writes ` +
        'it for each job; when running the action by hand, set GITHUB_EVENT_PATH to a file with the event, or unset it.',
      { file },
      { cause: error },
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new VitrineError(
      'ACTION_EVENT_UNREADABLE',
      `The event file GitHub names in GITHUB_EVENT_PATH (${file}) is not JSON: ${(error as Error).message}.`,
      { file },
      { cause: error },
    );
  }
}
