import * as core from '@actions/core';
import { messageOf } from '../../pipeline/errors.ts';
import { DATA_CACHE_PREFIX, restoreDataCache, saveDataCache } from '../lib/actions-cache.ts';
import { booleanInput, inputsFromEnv, pathInput, stringInput } from '../lib/inputs.ts';
import { actionsLogger } from '../lib/logger.ts';

/** Names shared by action.yml, the entry and the tests. */
export const STATE = { restored: 'restored', hit: 'hit' } as const;

/**
 * The data-cache action. The main step restores `.dvc/cache`; the post step (same bundle, run when
 * the job ends) prunes it to the current data version and saves it unless this exact version was restored;
 * with save-images 'false' neither happens. Cache trouble only warns.
 */
export async function run({ env = process.env }: { env?: Record<string, string | undefined> } = {}): Promise<void> {
  const log = actionsLogger();
  try {
    const get = inputsFromEnv(env);
    const workspace = env.GITHUB_WORKSPACE ?? process.cwd();
    const root = pathInput({ get, name: 'path', workspace, fallback: '.' });
    const prefix = stringInput({ get, name: 'key-prefix', fallback: DATA_CACHE_PREFIX });
    const images = booleanInput({ get, name: 'save-images', fallback: true });
    if (core.getState(STATE.restored) === 'true') {
      await saveDataCache({ root, log, prefix, images, hit: core.getState(STATE.hit) === 'true' });
      return;
    }
    const { hit } = await restoreDataCache({ root, log, prefix, images });
    core.saveState(STATE.restored, 'true');
    core.saveState(STATE.hit, String(hit));
    core.setOutput('cache-hit', String(hit));
  } catch (error) {
    core.setFailed(messageOf(error));
  }
}
