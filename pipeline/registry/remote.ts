import { isUrl } from '../data/config.ts';
import { openRemote } from '../data/index.ts';
import type { Logger } from '../log.ts';
import type { Workspace } from '../paths.ts';
import type { ModelRemote } from './store.ts';

/**
 * Open the repository's default data remote (the one `.dvc/config` names), where model files are stored. `log`: where
 * an S3 remote says it corrected this computer's clock to the server's (the stage's or command's log).
 */
export async function openModelRemote({
  ws,
  name,
  log,
}: {
  ws: Workspace;
  name?: string;
  log?: Logger;
}): Promise<ModelRemote> {
  return await openRemote({ root: ws.root, ...(name ? { name } : {}), ...(log ? { log } : {}) });
}

/** How a remote is named in a tag message: its URL when it is one, else its name (never a local path). */
export function describeRemote(remote: ModelRemote): string {
  return isUrl(remote.url) ? remote.url : `${remote.name ?? 'local'} (a folder remote)`;
}
