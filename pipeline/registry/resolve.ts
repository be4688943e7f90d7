import type { Logger } from '../log.ts';
import type { Params } from '../params.ts';
import type { Workspace } from '../paths.ts';
import { findVersion, readRegistry } from './registry.ts';
import { openModelRemote } from './remote.ts';
import { folderMatches, type ModelRemote, restoreFolder, versionCacheDir } from './store.ts';

/**
 * A local folder holding a registered model version's files (TF.js `model.json`, weights and
 * `model-info.json`, the layout of `.vitrine/model/`). `version` is a version ("v1.2.0") or a
 * stage ("prod"). Files come from the local cache, else from `.vitrine/model` when it holds the
 * same bytes, else from the data remote. Null when nothing is registered under that name or stage.
 */
export async function resolveModelDir({
  ws,
  params,
  version,
  log,
  remote,
}: {
  ws: Workspace;
  params: Params;
  version: string;
  log: Logger;
  /** The data remote; by default the repository's configured one, opened only when a file is missing. */
  remote?: ModelRemote;
}): Promise<{ version: string; dir: string } | null> {
  const name = params.registry.model_name;
  const state = await readRegistry({ dir: ws.root, name });
  const found = findVersion({ state, version });
  if (!found) {
    log.debug(`registry: no model version "${version}" of ${name}`);
    return null;
  }
  if (!found.registration) {
    log.warn(
      `Model version ${found.version} of ${name} was registered without Vitrine's file list (by another ` +
        `tool); its files cannot be restored.`,
    );
    return null;
  }
  const manifest = found.registration.manifest;
  const dir = versionCacheDir({ ws, name, version: found.version });
  if (await folderMatches({ dir, manifest })) return { version: found.version, dir };
  const { copied, fetched } = await restoreFolder({
    dir,
    manifest,
    sources: [ws.model],
    remote: remote ? async () => remote : () => openModelRemote({ ws, log }),
    log,
  });
  log.info(
    `Restored model version ${found.version} (${copied + fetched} files${fetched ? `, ${fetched} from the data remote` : ''}).`,
  );
  return { version: found.version, dir };
}
