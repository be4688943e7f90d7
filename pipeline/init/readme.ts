import type { RemoteChoice } from './scaffold.ts';

/** The README of a museum's Vitrine repository: what is where, and the staff's and maintainers' steps. */
export function museumReadme({
  name,
  remote,
  vocabulary,
  from,
}: {
  name: string;
  remote: RemoteChoice;
  vocabulary: string[];
  from: string;
}): string {
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

Maintainers, on a machine with Node.js:

\`\`\`sh
npx vitrine run                 # dataset → train → evaluate → report → promote → catalogue
npx vitrine serve               # look at the catalogue on http://127.0.0.1:4321/
npx vitrine import --metadata ${from}   # bring in a newer export (labels in labels.csv are kept)
npx vitrine data push           # send new images to the data remote
npx vitrine models list         # model versions; "models rollback <version>" puts one back
\`\`\`

\`npx vitrine help <command>\` explains each command. Exit codes: 0 done, 1 failed, 2 a mistake in the
command line, 3 the promotion gate failed (with \`--fail-on-gate\`).
`;
}
