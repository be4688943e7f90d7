import { stat } from 'node:fs/promises';
import path from 'node:path';

const exists = (file: string) =>
  stat(file).then(
    () => true,
    () => false,
  );

/**
 * The repository a command started in `start` works on, found as git and dvc find theirs: the nearest
 * folder up from `start` with a params.yaml, not looking past the top of a git repository or a DVC one (its
 * .dvc folder; one without a params.yaml runs on the default params). Undefined outside all of them.
 */
export async function findRepositoryRoot(start: string): Promise<string | undefined> {
  for (let folder = path.resolve(start); ; folder = path.dirname(folder)) {
    if (await exists(path.join(folder, 'params.yaml'))) return folder;
    if (await exists(path.join(folder, '.git'))) return folder;
    if (await exists(path.join(folder, '.dvc'))) return folder;
    if (path.dirname(folder) === folder) return undefined;
  }
}
