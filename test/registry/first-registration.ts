import { defaultParams } from '../../pipeline/params.ts';
import type { Registration } from '../../pipeline/registry/registry.ts';

/** A first version's registration over `labels` (default params, wasm, no evidence): what the card tests build from. */
export function firstRegistration(labels: string[]): Registration {
  return {
    schema: 'vitrine.registration/1',
    model: 'collection-classifier',
    version: 'v1.0.0',
    previous: null,
    bump: 'first',
    reason: 'first version of this model',
    manifest: { md5: 'x.dir', files: [] },
    evidence: null,
    remote: 'local',
    inputs: { labels, data: 'd', labelsMd5: 'l' },
    headline: { accuracy: 1, macroF1: 1, macroF1Low: 1, macroF1High: 1, n: 8, labels },
    lineage: {
      data: { hash: 'd1.dir', source: 'data.dvc' },
      labels: { md5: 'l', commit: null },
      params: { md5: 'p', values: defaultParams() },
      code: { commit: 'abc' },
      backbone: { id: 'nsfwjs-mobilenet_v2@4.4.0#flatten_1', source: 'npm:nsfwjs', licence: 'MIT' },
      backend: 'wasm',
      runtime: { node: 'v24', packages: {} },
      durations: { embedMs: 1000, trainMs: 2000, evaluateMs: null },
      pullRequest: null,
      run: null,
      promotedAt: '2026-12-07T10:00:00.000Z',
    },
  } as unknown as Registration;
}
