import type { Stage } from '../../pipeline/stages/stage.ts';

/**
 * The stages the catalogue reads from (dataset, promote), named for the stage graph's plan: a catalogue run with
 * `single` (`vitrine run catalogue --single`) does not run them, and one that did would fail here.
 */
export function upstreamNotRun(): Stage[] {
  return (['dataset', 'promote'] as const).map((name) => ({
    name,
    summary: name,
    deps: { paths: [], params: [], stages: [] },
    outs: [],
    run: () => Promise.reject(new Error(`${name} is not run here`)),
  }));
}
