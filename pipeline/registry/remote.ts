import { VitrineError } from '../errors.ts';
import type { Workspace } from '../paths.ts';
import type { ModelRemote } from './store.ts';

/** Open the repository's default data remote (the one `.dvc/config` names), where model files are stored. */
export async function openModelRemote({ ws, name }: { ws: Workspace; name?: string }): Promise<ModelRemote> {
  // The data layer's module is loaded on first use: most registry reads never need the remote.
  const specifier = '../data/index.ts';
  let data: { openRemote(input: { root: string; name?: string }): Promise<ModelRemote> | ModelRemote };
  try {
    data = (await import(specifier)) as typeof data;
  } catch (error) {
    throw new VitrineError('REMOTE_UNAVAILABLE', 'The data layer (pipeline/data) is not available, so model files cannot be stored or fetched.', {}, { cause: error });
  }
  return await data.openRemote({ root: ws.root, ...(name ? { name } : {}) });
}
