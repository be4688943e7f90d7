import path from 'node:path';
import { labelList } from '../collection/vocabulary.ts';
import type { VitrineInvocation } from './invocation.ts';
import { shellWord } from './invocation.ts';
import type { RemoteChoice } from './scaffold.ts';

/** The README of a museum's Vitrine repository: what is where, and the staff's and maintainers' steps. */
export function museumReadme({
  name,
  root,
  remote,
  vocabulary,
  from,
  repository = '',
  run,
}: {
  name: string;
  /** The repository's folder on this machine: committed text names other folders from it, never absolutely. */
  root: string;
  remote: RemoteChoice;
  vocabulary: string[];
  from: string;
  /** collection.repository (owner/name); "" (default) when init could not tell: the catalogue has no correction link. */
  repository?: string;
  /** How this repository runs Vitrine (in it, or from Vitrine's folder with -C). */
  run: VitrineInvocation;
}): string {
  // Whoever clones the repository has other folders: Vitrine's folder and this one are named from each other
  // (right when the clone sits as this one does, beside Vitrine say), or as placeholders when the two share no
  // folder but the top of the disk (a path from there would name this machine's folders).
  const toVitrine = nearPath({ from: root, to: run.folder }) ?? 'path/to/vitrine';
  const toRepository = nearPath({ from: run.folder, to: root }) ?? `path/to/${path.basename(root)}`;
  const placeholders = toVitrine === 'path/to/vitrine';
  const v = run.inRepository ? run.vitrine : `npx vitrine -C ${shellWord(toRepository)}`;
  const how = run.inRepository
    ? 'Maintainers, in this folder on a machine with Node.js (run `npm ci` once first):\n\n```sh\n'
    : "Vitrine itself is not installed in this repository: maintainers run it from Vitrine's own folder\n" +
      "(a clone of Vitrine's repository where `npm ci` was run once), naming this repository with `-C`.\n" +
      (placeholders
        ? `From this folder, with \`path/to/vitrine\` the path to that folder and \`${toRepository}\` the path from\n` +
          'it to this one:\n\n```sh\n'
        : `When this repository was set up, Vitrine's folder was \`${toVitrine}\` from here; from this folder, with\n` +
          'the two folders placed the same way, that is:\n\n```sh\n') +
      `cd ${shellWord(toVitrine)}   # Vitrine's folder: elsewhere, npx would fetch an unknown "vitrine" from npm\n`;
  const s3 = /^s3:\/\//i.test(remote.url);
  // A folder remote as .dvc/config holds it: from this folder (a remote given from elsewhere is absolute here).
  const folder = path.relative(root, path.resolve(root, remote.url)).split(path.sep).join('/') || '.';
  const where = s3
    ? `\`${remote.url}\` (S3). Keys are in \`.dvc/config.local\`, which is never committed; in GitHub they are the ` +
      'secrets `VITRINE_REMOTE_ACCESS_KEY_ID` and `VITRINE_REMOTE_SECRET_ACCESS_KEY`.'
    : `the folder \`${path.isAbsolute(folder) ? remote.url : folder}\` (from this folder).`;
  // The catalogue links to labels.csv on GitHub only once collection.repository names it (outside tester T6 F9).
  const suggest = repository
    ? `Staff: edit \`labels.csv\` on GitHub (each object's page in the catalogue has a "Suggest a correction"
link), open a pull request`
    : `Staff: edit \`labels.csv\` on GitHub, open a pull request`;
  const noLink = repository
    ? ''
    : `\nThe catalogue's object pages have no "Suggest a correction" link until \`collection.repository\` in
\`params.yaml\` names this repository on GitHub, as \`owner/name\` (set it once the repository is on GitHub).
`;
  return `# ${name}: collection labels and model

This repository runs Vitrine for ${name}: the collection's photographs are
versioned with a DVC-compatible data layer, the labels staff give objects live in \`labels.csv\` (one
line per object), and every pull request that changes labels trains, evaluates and reports on an image
classifier. Merging promotes the model and rebuilds the public catalogue.

It was set up with \`vitrine init\` from the export \`${from}\`.

## What is where

| | |
| --- | --- |
| \`labels.csv\` | The labels, \`object_id,label\`, sorted by object id. Staff edit it in pull requests. |
| \`params.yaml\` | Every setting. The labels the model learns: \`collection.vocabulary\` (${labelList(vocabulary)}). |
| \`data.dvc\` | Which version of \`data/\` (the images and \`objects.csv\`) this commit uses. |
| \`.dvc/config\` | Where the images are stored: ${where} |
| \`.github/workflows/\` | The pull-request report, promotion on merge, scheduled retraining and rollback; \
\`${v} init --update-workflows\` brings them to a newer Vitrine's. |
| \`.vitrine/\` | Outputs of every stage on this machine (not committed; delete it to start clean). |

## Photographs on the public catalogue

The catalogue publishes every object's record and photograph on the public web, as \`catalogue.images\` in
\`params.yaml\` says: works whose rights read as in copyright are shown small only (\`thumbnail\`), others in full.
To show no photograph of works in copyright, set \`catalogue.images.in_copyright: none\`; to hold back photographs
whose rights are not recorded, set \`catalogue.images.unknown\` to \`thumbnail\` or \`none\`. The model still learns
from every photograph.

## Everyday steps

${suggest}, read Vitrine's comment ("did this change make the model better?").
A maintainer merges.
${noLink}
${how}${v} run                 # dataset → train → evaluate → report → promote → catalogue
${v} serve               # look at the catalogue on http://127.0.0.1:4321/
${v} import              # bring in a newer export (import.metadata; labels in labels.csv are kept)
${v} data push           # send new images to the data remote
${v} models list         # model versions; "models rollback <version>" puts one back
\`\`\`

\`${v} help <command>\` explains each command. Exit codes: 0 done, 1 failed, 2 a mistake in the
command line, 3 the promotion gate failed (with \`--fail-on-gate\`).
`;
}

/**
 * `to` named from `from` when the two share a folder below the top of the disk (`../vitrine`), else undefined:
 * a path up to the top and down again would spell out this machine's folders (a home folder's user name).
 */
export function nearPath({ from, to }: { from: string; to: string }): string | undefined {
  const relative = path.relative(from, to);
  if (path.isAbsolute(relative)) return undefined; // another drive
  const top = (p: string) =>
    path
      .resolve(p)
      .slice(path.parse(path.resolve(p)).root.length)
      .split(path.sep)[0];
  if (top(from) !== top(to)) return undefined;
  return relative.split(path.sep).join('/') || '.';
}
