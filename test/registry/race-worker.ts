// Registers one version from a separate process, for the concurrent-promotion test.
import { memoryLogger } from '../../pipeline/log.ts';
import type { RegistrationInput } from '../../pipeline/registry/registry.ts';
import { registerVersion } from '../../pipeline/registry/registry.ts';

const [dir, commit, recordJson, startAt] = process.argv.slice(2) as [string, string, string, string];
// Start together: both processes wait for the same moment before reading the registry.
await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(startAt) - Date.now())));
const result = await registerVersion({
  dir,
  name: 'collection-classifier',
  commit,
  record: JSON.parse(recordJson) as RegistrationInput,
  clock: { now: () => new Date() },
  log: memoryLogger(),
});
process.stdout.write(JSON.stringify({ version: result.version, attempts: result.attempts }));
