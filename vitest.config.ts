import { readdirSync, readFileSync } from 'node:fs';
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
  'test/cli/init-e2e.test.ts', // 217 on the whole export; 62 on a third of it (December 2026)
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

/*
 * Test files that share their worker (isolate: false): a worker runs one file after another and evaluates the modules
 * they share once, instead of a new worker and all its modules again for each file (about 0.3 s to start and as much
 * again to import; vitest's own estimate for the whole suite was at least 70 s of the 1,279 s). Measured on six of
 * these folders (157 files, all of their files, December 2026, a machine loaded 13-15 times over): 543 s and 3 min 39 s
 * CPU isolated, 285 s and 1 min 48 s CPU shared; 196 files of these folders, 382 s CPU isolated and 202 s shared (loaded
 * 12-25 and 12-17 times over). Only folders of plain functions over files, whose tests pass either way (also on
 * Node 22.19, .ci/run's second pass). The rest stays isolated: the files that start TF.js (its backend is chosen, and
 * said, once per process), browsers, or the vitrine command's stages. test/init and test/shard since (15 files, run
 * alone, shared twice in two orders): 53.4 s CPU isolated, 33.8 s shared; test/github (32 files): 151.3 s and 109-112 s.
 * test/registry (30 files, run alone on a machine loaded 15-28 times over): 155.1 s CPU isolated, 95.3 s shared just
 * after; shared, it passed in three orders of files (95.3, 101.1 and 113.5 s, the last two beside other test runs).
 * It starts TF.js (to annotate the collection), but none of its tests reads the backend's notice. The one failure seen
 * before under load (rollback-run-lock: a 2.5 s sleep ended before the command reached the lock) was the test's, and
 * isolated as well; it now waits until the command says that it waits.
 * test/site since (each file builds small sites, most read them in Chromium; helpers close browsers, servers and
 * folders in afterAll): a worker loads Playwright and the catalogue's build code once, not once a file. Ten search
 * files first (159.8 s CPU isolated, 145.6 s shared), then the rest but demo (STAYS_ISOLATED). 27 of them (those
 * under about 10 s; 7 December 2026, load 11-15, CPU of vitest and every process it started, Chromium's included, read
 * from a cpuacct cgroup): 99.0 s isolated, 73.9 s shared, about 0.9 s a file. All of test/site but demo and dates
 * (which times itself) passed shared, the heaviest 14 together, and 30 files in the reverse order.
 */
const SHARED_FOLDERS = [
  'test/params',
  'test/collection',
  'test/report',
  'test/review',
  'test/monitor',
  'test/catalogue',
  'test/dataset',
  'test/security',
  'test/data',
  'test/init',
  'test/shard',
  'test/github',
  'test/registry',
  'test/site',
];

/*
 * Files of plain functions (scores, wording, paths, settings: each under 1.5 s in a run of the suite) in the folders
 * that stay isolated for their other files (TF.js chosen once per process, browsers, the stages) share their worker
 * too. Measured on 6 December 2026 on a machine loaded 25-30 times over, these files with test/cli/serve: 72.0 s CPU
 * isolated (vitest, its workers and the children they waited for), 27.1 and 27.9 s shared in two orders (forward and
 * reversed), all passing in the second; in the first, serve's wait of about 10 s for the `vitrine serve` it spawns
 * ran out, so it stays isolated. The test/cli and test/stages files among them ran shared on Node 22.19 too (.ci/run).
 * Tried and not taken: the whole of test/evaluate and test/model shared (49 files, 283 s CPU isolated): files that
 * train or embed failed shared (model/backend's "chooses once per process", evaluate/stages, evaluate/labels-lost,
 * model/backbone, model/predict), not chased. Names without ".test.ts".
 * 40 more on 7 December 2026: the files of test/cli, demo, fixtures, fs, publish, reliability, scale, stages and
 * workflows under about 3.5 s in a run of the suite that pass the checks below (serve aside, above). Their CPU (vitest
 * and every process it started, from a cpuacct cgroup; load 15-18): 34.1 s isolated, 20.5 and 21.7 s shared in two
 * orders (forward and reversed), all passing; the test/cli ones passed shared on Node 22.19 in both orders too.
 * Then 30 of 3.5-15 s (but those that wait on purpose for run locks, servers or signals: run-lock, import-run-lock,
 * serve-parent, stopped-transfers, evaluate-progress): 77.7 s CPU isolated, 59.4 and 71.6 s shared in two orders
 * (load 12-16: runs differ by 10 s there), all passing, and the test/cli ones on Node 22.19 in both orders.
 */
const SHARED_FILES: Record<string, string[]> = {
  'test/cli': [
    'cli',
    'closed-pipe',
    'ctrl-c-head',
    'cwd-top-level',
    'demo-clone',
    'disk-full',
    'engines',
    'fs-errors-boundary',
    'hints-repository',
    'import-after-stopped-pull',
    'import-failed-after-placed',
    'import-not-recorded',
    'import-push-advice',
    'import-refused-file-kept',
    'import-remove-missing',
    'import-summary-kept',
    'import-without-collection',
    'init',
    'init-accents',
    'init-actions',
    'init-branch',
    'init-label-source',
    'init-resume',
    'init-review',
    'init-tryout',
    'init-words',
    'lazy-commands',
    'line-length',
    'linked-images-words',
    'logger-bar',
    'module-boundaries',
    'node-version',
    'npx-in-advice',
    'npx-local',
    'params-command',
    'root',
    'skipped-summary',
    'system-errors',
    'terminal-names',
    'unknown-command',
    'usage',
  ],
  'test/demo': ['data-dvc', 'fix-labels', 'guard', 'kept-labels-summary', 'labels-link'],
  'test/evaluate': [
    'annotate',
    'bootstrap',
    'boundary',
    'card',
    'chance-words',
    'confident-learning',
    'cv-summary',
    'gate-classes',
    'gate-evidence',
    'gate-unseen',
    'label-change-words',
    'metrics',
    'overlap',
    'publication',
    'report-sections',
    'review',
    'scores',
    'trained-with',
    'verdict-words',
  ],
  'test/fixtures': ['temp-removed'],
  'test/fs': ['owner-only'],
  'test/publish': [
    'built-for',
    'clock',
    'failures',
    'files',
    'forged-record',
    'interrupted',
    'order',
    'prefix',
    'record',
    'record-size',
    'replaced-interrupted',
    's3',
    'settings',
    'timeout',
    'workflow',
  ],
  'test/reliability': ['lock'],
  'test/scale': ['shard-assign', 'shard-dataset', 'shard-final-hint', 'shard-index', 'shard-pack', 'shard-pull'],
  'test/stages': [
    'catalogue-disk',
    'dataset-presence',
    'dataset-small-images',
    'graph',
    'inputs-read-once',
    'labels-during-run',
    'lock-unreadable',
    'note-read-only',
    'promote-gate-wording',
    'run-during-data-merge',
    'single-stale',
    'stopped-stage',
    'train-flagged-unchecked',
    'train-inputs',
    'train-wording',
  ],
  'test/workflows': ['catalogue-addresses', 'gate-failed-merge', 'replay', 'rollback', 'workflow-age', 'workflows'],
};

/*
 * Kept isolated even in those folders: a file that, itself or through the test helpers it imports, changes
 * what the next file in the worker would see (environment variables, timers, process listeners, globals, mocks), or
 * imports a helper that registers hooks at its top level (a module evaluated once would register them for the first
 * file only). The shared helpers' clean-up when a file ends (temp folders, lock holders) is in test/fixtures/setup.ts,
 * which vitest runs again for each file.
 */
const CHANGES_THE_PROCESS = new RegExp(
  [
    /useFakeTimers|vi\.(spyOn|mock|doMock|stubGlobal|stubEnv)/,
    /process\.env(\.\w+|\[[^\]]+\]) =|delete process\.env/,
    /process\.(on|once|prependListener)\(|setMaxListeners/,
    /globalThis\.\w+ =|chdir|process\.exitCode|process\.umask/,
  ]
    .map((r) => r.source)
    .join('|'),
);
const HOOKS_AT_TOP = /^(afterAll|beforeAll|afterEach|beforeEach)\(/m;
/*
 * Files that time their own code (a bound in ms or CPU seconds) keep a fresh worker, with the small heap their bounds
 * were set on: one took 11 s for a 3 s bound in a shared worker on a machine loaded 15 times over (6-7 s alone).
 */
const TIMES_ITSELF = /performance\.now\(\)|process\.cpuUsage\(|Date\.now\(\) - \w+\)\.toBeLessThan\(/;

/*
 * In a shared folder, yet isolated: site/demo starts TF.js in its worker (it embeds photographs with the backbone),
 * whose backend is chosen once per process (see SHARED_FILES).
 */
const STAYS_ISOLATED = ['test/site/demo.test.ts'];

/** `file` and the test helpers (files under test/) it imports, directly or not. */
function testHelpersOf(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const m of readFileSync(file, 'utf8').matchAll(/(?:from|import\()\s*'(\.[^']+\.ts)'/g)) {
    const helper = path.resolve(path.dirname(file), m[1]!);
    if (helper.startsWith(path.join(import.meta.dirname, 'test') + path.sep)) testHelpersOf(helper, seen);
  }
  return seen;
}

function sharesItsWorker(file: string): boolean {
  const abs = path.join(import.meta.dirname, file);
  return [...testHelpersOf(abs)].every((f) => {
    const text = readFileSync(f, 'utf8');
    return !CHANGES_THE_PROCESS.test(text) && !TIMES_ITSELF.test(text) && (f === abs || !HOOKS_AT_TOP.test(text));
  });
}

const testFiles = readdirSync(path.join(import.meta.dirname, 'test'), { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.test.ts'))
  .map((f) => `test/${f.split(path.sep).join('/')}`);
const listed = new Set(
  Object.entries(SHARED_FILES).flatMap(([folder, names]) => names.map((name) => `${folder}/${name}.test.ts`)),
);
const shared = testFiles.filter(
  (f) =>
    (SHARED_FOLDERS.some((d) => f.startsWith(`${d}/`)) || listed.has(f)) &&
    !STAYS_ISOLATED.includes(f) &&
    sharesItsWorker(f),
);

export default defineConfig({
  test: {
    projects: [
      { extends: true, test: { name: 'shared', include: shared, isolate: false } },
      // Listed, not excluded: a project's own `exclude` would drop the --exclude given on the command line (.ci/run).
      { extends: true, test: { name: 'isolated', include: testFiles.filter((f) => !shared.includes(f)) } },
    ],
    setupFiles: ['test/fixtures/setup.ts'],
    // Real images, real TensorFlow.js training and real site builds take seconds, not milliseconds.
    testTimeout: 180_000,
    hookTimeout: 300_000,
    // Two cores: two test files at a time.
    maxWorkers: 2,
    sequence: { sequencer: SlowFirstSequencer },
  },
});
