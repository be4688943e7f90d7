import { appendFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

/*
 * Loaded with `node --import` before `vitrine` (test/cli/lazy-commands.test.ts): writes the address of every module
 * the process loads into the file VITRINE_TEST_LOADS names, one a line; and when VITRINE_TEST_BREAK names a file
 * (a path ending), that module fails as it loads, with an Error, or with a VitrineError when VITRINE_TEST_BREAK_AS
 * is "vitrine": as a module whose own imports fail would (a native library missing, a file cut short).
 */

const record = process.env.VITRINE_TEST_LOADS;
const broken = process.env.VITRINE_TEST_BREAK;
const errors = new URL('../../pipeline/errors.ts', import.meta.url).href;

registerHooks({
  load(url, context, nextLoad) {
    if (record) appendFileSync(record, `${url}\n`);
    if (broken && url.endsWith(broken)) {
      const source =
        process.env.VITRINE_TEST_BREAK_AS === 'vitrine'
          ? `import { VitrineError } from ${JSON.stringify(errors)};\n` +
            `throw new VitrineError('TEST_BROKEN', 'The test broke ${broken} on purpose.');\n`
          : `throw new Error('the test broke ${broken} on purpose');\n`;
      return { format: 'module', source, shortCircuit: true };
    }
    return nextLoad(url, context);
  },
});
