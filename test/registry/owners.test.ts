import { describe, expect, it } from 'vitest';
import { memoryLogger } from '../../pipeline/log.ts';
import { defaultParams } from '../../pipeline/params.ts';
import { workspace } from '../../pipeline/paths.ts';
import { writeCards } from '../../pipeline/registry/publish.ts';
import type { RegistryState } from '../../pipeline/registry/registry.ts';
import { tempDir } from '../fixtures/temp.ts';

/*
 * An outside tester: the public model card named "Collections Data Team", the placeholder registry.owners starts
 * with. The cards leave it out now; the maintainer is told in the run's log where to name the owners.
 */

const state = {
  name: 'collection-classifier',
  versions: [{ version: 'v1.0.0', registration: null, stages: ['prod'] }],
  stages: { prod: 'v1.0.0' },
  deprecated: false,
  events: [],
} as unknown as RegistryState;

describe('writing the model cards', () => {
  it('tells the maintainer how to name the owners while registry.owners is the placeholder', async () => {
    const ws = workspace(await tempDir('vitrine-owners-'));
    const log = memoryLogger();
    await writeCards({ ws, params: defaultParams(), state, log });
    const said = log.lines.filter((l) => l.level === 'warn').map((l) => l.message);
    expect(said).toContainEqual(expect.stringContaining('registry.owners in params.yaml is still the placeholder'));
    expect(said.join('\n')).toContain('owners: [Registrar, Collections Department]');

    const named = defaultParams();
    named.registry.owners = ['Registrar'];
    const quiet = memoryLogger();
    await writeCards({ ws, params: named, state, log: quiet });
    expect(quiet.lines.map((l) => l.message).join('\n')).not.toContain('registry.owners');
  });
});
