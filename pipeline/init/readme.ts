import type { VitrineInvocation } from './invocation.ts';
import { shellWord } from './invocation.ts';
import type { RemoteChoice } from './scaffold.ts';

/** The README of a museum's Vitrine repository: what is where, and the staff's and maintainers' steps. */
export function museumReadme({
  name,
  remote,
  vocabulary,
  from,
  run,
}: {
  name: string;
  remote: RemoteChoice;
  vocabulary: string[];
  from: string;
  /** How this repository runs Vitrine (in it, or from Vitrine's folder with -C). */
  run: VitrineInvocation;
}): string {
  const v = run.vitrine;
  const how = run.inRepository
    ? 'Maintainers, in this folder on a machine with Node.js (run `npm ci` once first):\n\n```sh\n'
    : "Vitrine itself is not installed in this repository: maintainers run it from Vitrine's own folder\n" +
      "(a clone of Vitrine's repository where `npm ci` was run once), naming this repository with `-C`.\n" +
      'On the machine where this repository was set up, that is:\n\n```sh\n' +
      `cd ${shellWord(run.folder)}   # Vitrine's folder: elsewhere, npx would fetch an unknown "vitrine" from npm\n`;
  const s3 = /^s3:\/\//i.test(remote.url);
  const where = s3
    ? `\`${remote.url}\` (S3). Keys are in \`.dvc/config.local\`, which is never committed; in GitHub they are the ` +
      'secrets `VITRINE_REMOTE_ACCESS_KEY_ID` and `VITRINE_REMOTE_SECRET_ACCESS_KEY`.'
    : `the folder \`${remote.url}\`.`;
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
| \`params.yaml\` | Every setting. The labels the model learns: \`collection.vocabulary\` (${vocabulary.join(', ')}). |
| \`data.dvc\` | Which version of \`data/\` (the images and \`objects.csv\`) this commit uses. |
| \`.dvc/config\` | Where the images are stored: ${where} |
| \`.github/workflows/\` | The pull-request report, promotion on merge, scheduled retraining and rollback. |
| \`.vitrine/\` | Outputs of every stage on this machine (not committed; delete it to start clean). |

## Everyday steps

Staff: edit \`labels.csv\` on GitHub (each object's page in the catalogue has a "Suggest a correction"
link), open a pull request, read Vitrine's comment ("did this change make the model better?").
A maintainer merges.

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
