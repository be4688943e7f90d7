// Plain JavaScript that old Node versions parse: bin/vitrine.js runs it before loading anything
// that needs a supported Node (the TypeScript sources need Node's type stripping, 22.18+).

/** "22.19.0" → [22, 19, 0] */
function parts(version) {
  return version.split('.').map((n) => Number.parseInt(n, 10) || 0);
}

function atLeast(version, floor) {
  for (let i = 0; i < 3; i++) if (version[i] !== floor[i]) return version[i] > floor[i];
  return true;
}

/** One range of package.json engines: "^22.19.0" (the same major) or ">=22.19.0"; other forms are not checked. */
function allows(range, version) {
  const match = /^(\^|>=)\s*(\d+(?:\.\d+){0,2})$/.exec(range.trim());
  if (!match) return undefined;
  const floor = parts(match[2]);
  return atLeast(version, floor) && (match[1] === '>=' || version[0] === floor[0]);
}

/** "^22.19.0 || ^24.0.0" → "22.19 or a later 22.x, or 24.x" */
function describe(ranges) {
  return ranges
    .map((range) => {
      const [, kind, floor] = /^(\^|>=)\s*(.*)$/.exec(range.trim()) ?? [];
      const [major, minor = 0, patch = 0] = parts(floor ?? range);
      const exact = patch > 0 ? `${major}.${minor}.${patch}` : `${major}.${minor}`;
      if (kind === '>=') return `${exact} or newer`;
      return minor === 0 && patch === 0 ? `${major}.x` : `${exact} or a later ${major}.x`;
    })
    .join(', or ');
}

/**
 * Why this Node cannot run Vitrine (one line), or undefined when it can. `engines` is package.json's
 * engines.node; a range written in a form this does not read lets the Node through.
 */
export function nodeProblem({ version, engines, execPath }) {
  const ranges = engines.split('||');
  const verdicts = ranges.map((range) => allows(range, parts(version)));
  if (verdicts.some((v) => v !== false)) return undefined;
  return (
    `Vitrine cannot run on Node.js ${version} (${execPath}): it needs Node.js ${describe(ranges)} ` +
    `(package.json engines: ${engines}). In Vitrine's folder, run "npm ci" once and then "npx vitrine …", ` +
    `which uses the Node 24 that npm ci installs; or install a supported Node, e.g. "nvm install 24".`
  );
}
