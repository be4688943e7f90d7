#!/usr/bin/env node
// The `vitrine` command. npm scripts and npx run it under the Node 24 that the `node` devDependency
// ships, which runs our TypeScript sources directly (type stripping). Started with an older Node,
// it says so in one line: so this file only uses syntax and imports that old Node versions load,
// and imports the TypeScript after the check.
import { readFileSync } from 'node:fs';
import { nodeProblem } from './check-node.js';

// A reader that stops early (`vitrine init … | head`) closes the pipe. The command then goes on to its
// end without output, rather than dying on the next line it prints and leaving its work half-done.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
  });
}

const { engines } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const problem = nodeProblem({ version: process.versions.node, engines: engines.node, execPath: process.execPath });
// Every refusal and failure the CLI prints begins "error: " (its terminal logger's word): this one, and a failure
// that escapes the command's own error boundary, which Node would print as "Error: …" with a stack trace.
if (problem) {
  process.stderr.write(`error: ${problem}\n`);
  // 1: the command failed, the message says why (the exit codes in `vitrine --help`).
  process.exitCode = 1;
} else {
  import('../pipeline/cli.ts')
    .then(({ main }) => main(process.argv.slice(2)))
    .then(
      (code) => {
        process.exitCode = code;
      },
      (error) => {
        process.stderr.write(
          `error: Something went wrong that Vitrine did not expect: ${error?.message ?? error}\n` +
            'Please report this with the output of the same command run with --verbose.\n',
        );
        if (process.argv.includes('--verbose') && error?.stack) process.stderr.write(`debug: ${error.stack}\n`);
        // 70: a bug (the exit codes in `vitrine --help`).
        process.exitCode = 70;
      },
    );
}
