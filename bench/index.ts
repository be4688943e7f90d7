/*
 * `npm run bench`: every benchmark, one after the other, printing its figures. Targets are printed
 * beside the measured figures; a missed target is reported, never hidden by a smaller benchmark.
 * Run one alone with `npx node bench/<name>.ts`, or `npm run bench -- data model`.
 * `scale` (issue 16's figures at 100,000 objects, most of an hour on 2 cores) runs only when named:
 * `npm run bench -- scale`. `familiarity` (the unfamiliar-photograph rule on the Egyptian and five-museums
 * photographs, docs/backbone.md) also runs only when named, and so does `init` (init, commit and run on the whole
 * Egyptian export, as a museum starts: about 5 minutes).
 */
const all = ['data', 'model', 'monitor', 'pipeline', 'site', 'evaluate', 'publish', 'vocabulary', 'rights'] as const;
const optIn = ['scale', 'familiarity', 'init'] as const;
const known: readonly string[] = [...all, ...optIn];
const chosen = process.argv.slice(2).filter((a) => known.includes(a));
for (const name of chosen.length > 0 ? chosen : all) {
  console.log(`\n=== bench/${name}.ts ===`);
  const started = performance.now();
  const module = (await import(`./${name}.ts`)) as { run(): Promise<void> };
  await module.run();
  console.log(`(bench/${name}.ts took ${((performance.now() - started) / 1000).toFixed(1)} s)`);
}
