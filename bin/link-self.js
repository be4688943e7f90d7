#!/usr/bin/env node
// npm's prepare step (after `npm ci` or `npm install` in Vitrine's own folder): link the project's own
// command into node_modules/.bin. npm links the bins of dependencies only; without this link, `npx vitrine`
// falls back to looking "vitrine" up on the npm registry when it cannot read the project (seen when two
// started at once), and would then run whatever someone published under that name.
// Plain JavaScript that old Node versions load, like vitrine.js: npm may run it with any Node.
import { mkdirSync, renameSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const folder = path.join(root, 'node_modules', '.bin');
const link = path.join(folder, 'vitrine');
const target = path.relative(folder, path.join(root, 'bin', 'vitrine.js'));

// Windows: npm's own shims are .cmd files; npx there goes on to find the project itself as before.
if (process.platform !== 'win32') {
  // A file system without symbolic links (a shared folder, `npm ci --no-bin-links`) must not fail the install:
  // say what to type instead.
  try {
    mkdirSync(folder, { recursive: true });
    // A new link under a temporary name, then renamed over the old one: a second install at the same moment
    // never sees the command missing.
    const temporary = `${link}.${process.pid}.tmp`;
    symlinkSync(target, temporary);
    renameSync(temporary, link);
  } catch (error) {
    console.warn(
      `vitrine: could not link the vitrine command into node_modules/.bin (${error.code ?? error.message}); ` +
        'use "npm run vitrine -- <command>" or "node bin/vitrine.js <command>" in this folder instead of npx.',
    );
  }
}
