/*
 * Tag names in the format of GTO (iterative/gto, "Git Tag Ops"), so a team that runs `gto show`
 * on the repository sees the same registry as `vitrine models list`:
 *
 *   name@v1.2.0          register version v1.2.0 (GTO's "simple" registration, no counter)
 *   name@v1.2.0!#5       deregister version v1.2.0
 *   name#prod#6          assign stage prod (the counter is one more than the artifact's highest)
 *   name#prod!#7         unassign stage prod
 *   name@deprecated#8    deprecate the whole artifact
 *
 * The counter is shared by all of an artifact's tags (GTO's `name_tag`), not kept per stage.
 * Tags are annotated; their message is free text for GTO, and Vitrine appends a JSON block to it.
 */

export type GtoAction = 'register' | 'deregister' | 'assign' | 'unassign' | 'deprecate';

/** A parsed GTO tag name. */
export interface GtoTag {
  action: GtoAction;
  /** Artifact (model) name. */
  name: string;
  /** For register / deregister: "v1.2.0". */
  version?: string;
  /** For assign / unassign: "prod". */
  stage?: string;
  /** The `#N` counter, when present. */
  counter?: number;
}

// GTO's constants.py: name = [a-z0-9]([a-z0-9-/]*[a-z0-9])?, semver with optional pre-release / build.
const NAME = '[a-z0-9](?:[a-z0-9-/]*[a-z0-9])?';
const SEMVER =
  '(?:0|[1-9]\\d*)\\.(?:0|[1-9]\\d*)\\.(?:0|[1-9]\\d*)' +
  '(?:-(?:(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?' +
  '(?:\\+[0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*)?';
// GTO allows a "dir:name" artifact path, written "dir=name" in tags.
const ARTIFACT = `(?:[a-z0-9-_./]+=)?${NAME}`;
const TAG_RE = new RegExp(
  `^(?<artifact>${ARTIFACT})(?:(?:#(?<stage>${NAME})|@(?<version>v${SEMVER}))(?<cancel>!?)|@(?<deprecated>deprecated))` +
    '(?:#(?<counter>[0-9]+))?$',
);
const NAME_RE = new RegExp(`^${NAME}$`);
const VERSION_RE = new RegExp(`^v${SEMVER}$`);

/** Parse a tag name in GTO's format; null for any other tag. */
export function parseGtoTag(tag: string): GtoTag | null {
  const m = TAG_RE.exec(tag);
  if (!m?.groups) return null;
  const g = m.groups;
  const counter = g.counter === undefined ? undefined : Number(g.counter);
  const base = { name: g.artifact!, ...(counter === undefined ? {} : { counter }) };
  if (g.deprecated) return { action: 'deprecate', ...base };
  if (g.version) return { action: g.cancel ? 'deregister' : 'register', version: g.version, ...base };
  return { action: g.cancel ? 'unassign' : 'assign', stage: g.stage!, ...base };
}

/** True when `name` is a valid GTO artifact or stage name. */
export function isGtoName(name: string): boolean {
  return NAME_RE.test(name);
}

/** True for "v1.2.0" (GTO versions always carry the "v"). */
export function isGtoVersion(version: string): boolean {
  return VERSION_RE.test(version);
}

/** `name@v1.2.0`: the registration tag (no counter, as `gto register` writes it). */
export function registerTagName({ name, version }: { name: string; version: string }): string {
  return `${name}@${version}`;
}

/** `name#prod#N`: the stage assignment tag with the artifact's next counter. */
export function assignTagName({ name, stage, counter }: { name: string; stage: string; counter: number }): string {
  return `${name}#${stage}#${counter}`;
}

/** `name@v1.2.0!#N`: the deregistration tag. */
export function deregisterTagName({
  name,
  version,
  counter,
}: {
  name: string;
  version: string;
  counter: number;
}): string {
  return `${name}@${version}!#${counter}`;
}

/** `name#prod!#N`: the unassignment tag. */
export function unassignTagName({ name, stage, counter }: { name: string; stage: string; counter: number }): string {
  return `${name}#${stage}!#${counter}`;
}

/** The next `#N` counter for an artifact: one more than the highest on any of its tags (GTO's rule). */
export function nextCounter({ name, tags }: { name: string; tags: string[] }): number {
  let max = 0;
  for (const tag of tags) {
    const parsed = parseGtoTag(tag);
    if (parsed && parsed.name === name && parsed.counter !== undefined && parsed.counter > max) max = parsed.counter;
  }
  return max + 1;
}

/** GTO's default first line of each tag message. */
export function gtoMessage({
  action,
  name,
  version,
  stage,
}: {
  action: GtoAction;
  name: string;
  version: string;
  stage?: string;
}): string {
  switch (action) {
    case 'register':
      return `Registering artifact ${name} version ${version}`;
    case 'deregister':
      return `Deregistering artifact ${name} version ${version}`;
    case 'assign':
      return `Assigning stage ${stage} to artifact ${name} version ${version}`;
    case 'unassign':
      return `Unassigning stage '${stage}' to artifact '${name}' version '${version}'`;
    case 'deprecate':
      return `Deprecating artifact '${name}'`;
  }
}
