import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { GetObjectCommand, ListObjectsCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { exists, mkdirBelow } from '../data/cache.ts';
import { readDvcConfig } from '../data/config.ts';
import {
  folderMissingError,
  longerWait,
  notTheRemoteError,
  s3Connection,
  s3Error,
  sayClockCorrected,
  silence,
} from '../data/remote.ts';
import { s3Client, s3Endpoint, sdkBodyAtMost } from '../data/s3-client.ts';
import { DEFAULT_IDLE_TIMEOUT_MS } from '../data/s3-objects.ts';
import { VitrineError } from '../errors.ts';
import { isInside, writeFileAtomic } from '../fs.ts';
import type { Logger } from '../log.ts';

/*
 * The shard caches' index on the data remote. Every cache file (embedding segments, image analyses,
 * thumbnails) travels as an ordinary DVC object through the data layer's remote, by its md5; what the
 * remote cannot do by md5 is let a job find the others' files. So each shard writes one small index
 * file under `<remote>/vitrine/shard-caches/`, named by its own md5, and the other jobs list that
 * folder. Same remote, same keys and the same S3 client settings as the data (s3-client.ts).
 */

/** An index file is a few KB per shard; one over this size is not one (64 MB). */
export const MAX_INDEX_BYTES = 64 * 1024 * 1024;

/** The folder, under the remote's root, that holds the index files. */
export const INDEX_FOLDER = 'vitrine/shard-caches';

export interface ShardIndexStore {
  /** Where it is, for messages. */
  where: string;
  /** Names of the index files. */
  list(): Promise<string[]>;
  read(name: string): Promise<Buffer>;
  /** Write (whole or not at all). */
  write(name: string, bytes: Uint8Array): Promise<void>;
}

/** The index beside the default remote of `.dvc/config` (+ `.dvc/config.local`). */
export async function openShardIndex({
  root,
  env = process.env,
  maxIndexBytes = MAX_INDEX_BYTES,
  log,
}: {
  /** Where a clock corrected to the storage server's time is said (once per command, with the data remote's). */
  log?: Logger;
  root: string;
  /** Read when opened: AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL stand in for endpointurl, as for the data. */
  env?: Record<string, string | undefined>;
  /** An index file on an S3 remote larger than this is refused (REMOTE_FILE_TOO_LARGE) rather than read whole. */
  maxIndexBytes?: number;
}): Promise<ShardIndexStore> {
  const config = await readDvcConfig({ root });
  const remote = config.defaultRemote ? config.remotes[config.defaultRemote] : undefined;
  if (!remote?.url)
    throw new VitrineError(
      'DVC_NO_REMOTE',
      'Sharing work between runners needs the data remote (the shards send their caches there): ' +
        'run "vitrine data init" or set core.remote in .dvc/config.',
      {},
    );
  if (!remote.url.startsWith('s3://')) return folderIndex({ root, remote: remote.name, url: remote.url });
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(remote.url)!;
  const bucket = m[1]!;
  const prefix = [m[2]!.replace(/\/+$/, ''), INDEX_FOLDER].filter(Boolean).join('/');
  // The same server, region and keys as the data remote's (AWS_ENDPOINT_URL… included).
  const connection = s3Connection({ settings: remote.options, env });
  const endpoint = s3Endpoint(connection);
  const client = s3Client({
    ...connection,
    onClockCorrected: (offsetMs) => sayClockCorrected({ log, remote: remote.name, endpoint, offsetMs }),
  });
  const where = `s3://${bucket}/${prefix}/`;
  const fail = (action: 'list' | 'download' | 'upload', name: string, error: unknown) => {
    const classified = s3Error({
      remote: remote.name,
      endpoint,
      bucket,
      action,
      md5: `${INDEX_FOLDER}/${name}`,
      error,
      idleMs: connection.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
    });
    if (classified.data.reason !== 'timeout') return classified;
    // The data layer's words, with what was being sent or fetched, and where.
    const doing = {
      list: `listing the shard caches' index (${where})`,
      download: `fetching the shard caches' index file s3://${bucket}/${prefix}/${name}`,
      upload: `sending the shard caches' index file s3://${bucket}/${prefix}/${name}`,
    }[action];
    return new VitrineError(
      'REMOTE_UNAVAILABLE',
      `The storage server at ${endpoint} did not answer while Vitrine was ${doing} (remote "${remote.name}": ` +
        `${silence(classified.data)}). Check that it is running and that this computer can reach it (network, ` +
        'VPN), then run the command again: what is already on the remote is not sent twice. ' +
        longerWait({ remote: remote.name, readTimeout: remote.options.read_timeout }),
      { ...classified.data, bucket, ...(name ? { object: `${prefix}/${name}` } : {}) },
      { cause: error },
    );
  };
  return {
    where,
    async list() {
      const names: string[] = [];
      let after: string | undefined;
      do {
        let page;
        try {
          // ListObjects v1 with Marker, as the data remote lists (every S3-compatible server has it).
          page = await client.send(
            new ListObjectsCommand({ Bucket: bucket, Prefix: `${prefix}/`, ...(after ? { Marker: after } : {}) }),
          );
        } catch (error) {
          throw fail('list', '', error);
        }
        const keys = (page.Contents ?? []).map((c) => c.Key ?? '');
        names.push(...keys.map((k) => k.slice(prefix.length + 1)).filter((n) => /^[0-9a-f]{32}\.json$/.test(n)));
        after = page.IsTruncated && keys.length > 0 ? keys.at(-1) : undefined;
      } while (after);
      return names.sort();
    },
    async read(name) {
      let read: { bytes: Buffer; complete: boolean };
      try {
        const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: `${prefix}/${name}` }));
        read = await sdkBodyAtMost(response.Body, maxIndexBytes);
      } catch (error) {
        throw fail('download', name, error);
      }
      if (!read.complete)
        throw new VitrineError(
          'REMOTE_FILE_TOO_LARGE',
          `The shard caches' index file s3://${bucket}/${prefix}/${name} on the remote "${remote.name}" is larger than ` +
            `${maxIndexBytes} bytes, far more than an index holds, so Vitrine stopped reading it. Something other than ` +
            'Vitrine wrote it, or the server sent something else: delete that file from the remote (the shard that wrote ' +
            'it sends its caches again on its next run).',
          { remote: remote.name, bucket, object: `${prefix}/${name}`, limit: maxIndexBytes },
        );
      return read.bytes;
    },
    async write(name, bytes) {
      try {
        await client.send(new PutObjectCommand({ Bucket: bucket, Key: `${prefix}/${name}`, Body: bytes }));
      } catch (error) {
        throw fail('upload', name, error);
      }
    },
  };
}

/** The index in a folder remote's folder (`url`), whose own folder is never made here. */
function folderIndex({ root, remote, url }: { root: string; remote: string; url: string }): ShardIndexStore {
  const dir = path.join(url, INDEX_FOLDER);
  return {
    where: dir,
    async list() {
      const names = await readdir(dir).catch(() => [] as string[]);
      return names.filter((n) => /^[0-9a-f]{32}\.json$/.test(n)).sort();
    },
    read: (name) => readFile(path.join(dir, name)),
    async write(name, bytes) {
      // Only the folders under the remote's: gone (a share unmounted after the caches were sent), making it again
      // would put the index on this computer's own disk.
      const below = (folder: string) =>
        isInside(url, folder) ? mkdirBelow({ base: url, dir: folder }) : mkdir(folder, { recursive: true });
      // There but without the stored files, though this computer sent some: the empty mount point of a share that is
      // not mounted, as the data's own uploads refuse it (reviewer V18). With files/md5 but not the folder list sent
      // there last: the mount point filled on this disk before (an older push, a "dvc push", a "mkdir -p"), as a
      // push refuses it too (remote.ts).
      const emptied = await notTheRemoteError({ root, name: remote, url });
      if (emptied) throw emptied;
      try {
        await writeFileAtomic({ file: path.join(dir, name), data: bytes, fs: { mkdir: below, writeFile, rename, rm } });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || (await exists(url))) throw error;
        throw folderMissingError({ remote, dir: url, partway: true, root });
      }
    },
  };
}
