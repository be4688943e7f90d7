import { readDvcConfig } from '../data/config.ts';
import type { S3Credentials } from '../data/s3-client.ts';
import { VitrineError } from '../errors.ts';
import type { Params } from '../params.ts';
import { catalogueLocation } from '../stages/catalogue.ts';

/*
 * Where `vitrine publish` sends the catalogue: `catalogue.s3` in params.yaml says which bucket; the
 * access key comes from the environment or from .dvc/config.local (never from params.yaml, which is
 * committed).
 */

/** A bucket to publish the site to, with everything resolved. */
export interface PublishTarget {
  bucket: string;
  /** Folder in the bucket, without slashes at either end ("" = the top). */
  prefix: string;
  /** "" = Amazon S3. */
  endpoint: string;
  region: string;
  /** Absent: the AWS SDK's own sources (AWS_ACCESS_KEY_ID…, profiles, instance roles). */
  credentials?: S3Credentials;
  /** Where media/ is served from, when not next to the pages ("" = next to them). */
  imageBaseUrl: string;
  /** The site's base path, as it was built ("/" or "/collection/"): links to rewrite start with it. */
  base: string;
  /** Uploads at once. */
  jobs?: number;
}

const ENV = {
  id: 'VITRINE_PUBLISH_ACCESS_KEY_ID',
  secret: 'VITRINE_PUBLISH_SECRET_ACCESS_KEY',
  token: 'VITRINE_PUBLISH_SESSION_TOKEN',
} as const;

function settingsError(key: string, message: string): VitrineError {
  return new VitrineError('PUBLISH_SETTINGS', message, { key, file: 'params.yaml' });
}

/** The publish target from params.yaml, the environment and .dvc/config(.local). Errors name the key to set. */
export async function publishSettings({
  params,
  env,
  root,
}: {
  params: Params;
  env: Record<string, string | undefined>;
  root: string;
}): Promise<PublishTarget> {
  const { publish, s3 } = params.catalogue;
  if (publish !== 's3') {
    throw new VitrineError(
      'PUBLISH_NOT_S3',
      `"catalogue.publish" in params.yaml is "${publish}": the GitHub Pages workflow publishes the site, ` +
        'so there is nothing for "npx vitrine publish" to do. ' +
        'To publish to a bucket, set catalogue.publish: s3 and the bucket under catalogue.s3 (docs/scale.md).',
      { key: 'catalogue.publish', file: 'params.yaml' },
    );
  }
  if (!s3.bucket.trim())
    throw settingsError(
      'catalogue.s3.bucket',
      '"catalogue.s3.bucket" in params.yaml is empty: name the bucket the catalogue is published to (docs/scale.md).',
    );
  return {
    bucket: s3.bucket.trim(),
    prefix: bucketFolder(s3.prefix),
    endpoint: s3.endpoint.replace(/\/+$/, ''),
    region: s3.region || 'us-east-1',
    credentials: await credentials({ env, root, remote: s3.credentials_remote.trim() }),
    imageBaseUrl: s3.image_base_url.replace(/\/+$/, ''),
    base: catalogueLocation({ params, env }).base,
    jobs: s3.jobs,
  };
}

/**
 * catalogue.s3.prefix without slashes at its ends. S3 keys are plain strings, so "site/../other" would not be the
 * folder "other" but keys with ".." in them, which servers and CDNs resolve differently or refuse: "..", ".",
 * empty folders ("a//b") and backslashes are refused.
 */
function bucketFolder(prefix: string): string {
  const folder = prefix.replace(/^\/+|\/+$/g, '');
  const refuse = (problem: string) =>
    settingsError(
      'catalogue.s3.prefix',
      `"catalogue.s3.prefix" in params.yaml is ${JSON.stringify(prefix)}, which ${problem}.`,
    );
  if (folder.includes('\\')) throw refuse('has a backslash: separate folders with "/", as in "museum/collection"');
  if (!folder) return folder;
  const segments = folder.split('/');
  if (segments.some((segment) => segment === '..' || segment === '.'))
    throw refuse(
      'has a "." or ".." folder: name the folder in the bucket itself, as in "collection" or "museum/collection"',
    );
  if (segments.includes('')) throw refuse('has an empty folder ("//"): separate folders with one "/"');
  return folder;
}

/** VITRINE_PUBLISH_* first, then the remote named by catalogue.s3.credentials_remote; none: the SDK's sources. */
async function credentials({
  env,
  root,
  remote,
}: {
  env: Record<string, string | undefined>;
  root: string;
  remote: string;
}): Promise<S3Credentials | undefined> {
  const id = env[ENV.id]?.trim();
  const secret = env[ENV.secret]?.trim();
  if (id || secret) {
    if (!id || !secret) {
      const missing = id ? ENV.secret : ENV.id;
      throw settingsError(
        missing,
        `${id ? ENV.id : ENV.secret} is set but ${missing} is not: ` +
          'set both (the access key id and its secret) to publish the catalogue.',
      );
    }
    const token = env[ENV.token]?.trim();
    return { accessKeyId: id, secretAccessKey: secret, ...(token ? { sessionToken: token } : {}) };
  }
  if (!remote) return undefined;
  const config = await readDvcConfig({ root });
  const options = config.remotes[remote]?.options;
  if (!options) {
    const known = Object.keys(config.remotes);
    const knownList = known.length ? ` (known: ${known.join(', ')})` : '';
    throw settingsError(
      'catalogue.s3.credentials_remote',
      `"catalogue.s3.credentials_remote" in params.yaml is "${remote}", ` +
        `but .dvc/config and .dvc/config.local have no remote of that name${knownList}.`,
    );
  }
  if (!options.access_key_id || !options.secret_access_key) {
    throw settingsError(
      'catalogue.s3.credentials_remote',
      `"catalogue.s3.credentials_remote" in params.yaml names the remote "${remote}", ` +
        'which has no access_key_id and secret_access_key in .dvc/config.local. ' +
        `Add the lines "access_key_id = KEY" and "secret_access_key = SECRET" under ['remote "${remote}"'] ` +
        `in .dvc/config.local, or set ${ENV.id} and ${ENV.secret}.`,
    );
  }
  return {
    accessKeyId: options.access_key_id,
    secretAccessKey: options.secret_access_key,
    ...(options.session_token ? { sessionToken: options.session_token } : {}),
  };
}
