#!/usr/bin/env node
// The `vitrine` command. npm scripts and npx run it under the Node 24 that the `node`
// devDependency ships, which runs our TypeScript sources directly (type stripping).
import { main } from '../pipeline/cli.ts';

process.exitCode = await main(process.argv.slice(2));
