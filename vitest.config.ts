import os from 'node:os';
import path from 'node:path';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/*
 * The slowest test files, started first. On a clean clone vitest has no timings of an earlier run and starts the
 * largest files first; init-e2e (a small file, about 200 s) then started among the last, and the other worker sat
 * idle for its last minute or two. Longest first, the two workers finish together. Seconds: a whole run of the suite
 * on 4 December 2026, on a machine also running other work.
 */
const SLOW_FIRST = [
  'test/cli/init-e2e.test.ts', // 217
  'test/site/incremental.test.ts', // 81
  'test/e2e/demo-loop.test.ts', // 70
  'test/site/object-number-search.test.ts', // 57
  'test/evaluate/demo-review.test.ts', // 54
  'test/reliability/data.test.ts', // 48
  'test/site/search-index.test.ts', // 46
  'test/publish/unfinished-build.test.ts', // 40
  // 48 then; its three passes run at once since (150 -> 119 s alone under load): about 38.
  'test/site/a11y.test.ts',
  'test/cli/import-interrupted.test.ts', // 32
  'test/site/demo.test.ts', // 30
  'test/site/site.test.ts', // 26
];

/*
 * Every Node process the tests start compiles the same modules again: vitest's worker for each test file (Playwright,
 * sharp, TF.js), each `vitrine` command spawned, and each catalogue build's children (planning, Astro, placing).
 * Node's compile cache keeps V8's code for them on disk, keyed by each file's content and Node's version: a tiny
 * site build takes about 1.4 s less CPU of 7, `vitrine --help` 0.7 s of 1.6. Children inherit it from the workers'
 * environment. One folder per user, beside the trained demo's (test/evaluate/helpers-trained-demo.ts).
 */
process.env.NODE_COMPILE_CACHE ??= path.join(os.tmpdir(), `vitrine-test-cache-${os.userInfo().uid}`, 'node-compile');

class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (spec: TestSpecification) => {
      const i = SLOW_FIRST.indexOf(path.relative(spec.project.config.root, spec.moduleId).split(path.sep).join('/'));
      return i === -1 ? SLOW_FIRST.length : i;
    };
    // A stable sort: the other files keep vitest's order (by an earlier run's timings, else by size).
    return sorted
      .map((spec, i) => ({ spec, i }))
      .sort((a, b) => rank(a.spec) - rank(b.spec) || a.i - b.i)
      .map((x) => x.spec);
  }
}

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Real images, real TensorFlow.js training and real site builds take seconds, not milliseconds.
    testTimeout: 180_000,
    hookTimeout: 300_000,
    // Two cores: two test files at a time.
    maxWorkers: 2,
    sequence: { sequencer: SlowFirstSequencer },
  },
});
