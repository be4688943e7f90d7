import { Readable } from 'node:stream';
import { S3Client } from '@aws-sdk/client-s3';
import {
  CLOCK_CORRECTED_MS,
  DEFAULT_IDLE_TIMEOUT_MS,
  ERROR_BODY_LIMIT,
  readAtMost,
  trustedDate,
} from './s3-objects.ts';

/*
 * One way to open an S3-compatible server, for every part of Vitrine that talks to one: the data
 * remote (remote.ts) and the catalogue's publishing.
 */

export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/**
 * An S3 client. `endpoint` empty means Amazon S3 in `region`; any other server is addressed by path
 * (bucket in the path, as MinIO, s3rver and most S3-compatible servers want). Without `credentials`,
 * the AWS SDK's usual sources apply (AWS_ACCESS_KEY_ID…, profiles); `profile` names the credentials file's
 * profile to use, as DVC's remote option does (it wins over AWS_PROFILE and keys in the environment, as in boto3).
 */
export function s3Client({
  endpoint,
  region,
  credentials,
  profile,
  idleTimeoutMs = DEFAULT_IDLE_TIMEOUT_MS,
  onClockCorrected,
}: {
  endpoint?: string;
  region?: string;
  credentials?: S3Credentials;
  profile?: string;
  /** A connection attempt, or a connection silent this long, fails the try (TimeoutError; the SDK tries again). */
  idleTimeoutMs?: number;
  /**
   * Told the offset (the server's clock minus this computer's, ms) after a request that left the SDK signing with a
   * time more than CLOCK_CORRECTED_MS from this computer's clock: the caller says so (once).
   */
  onClockCorrected?: (offsetMs: number) => void;
}): S3Client {
  const client = new S3Client({
    region: region || 'us-east-1',
    ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
    ...(credentials ? { credentials } : {}),
    // With keys in the environment too, the SDK would print a warning of its own on the console: not its to say.
    ...(profile && !credentials ? { profile, logger: SILENT_SDK_LOGGER } : {}),
    // Plain Content-MD5 integrity, which every S3-compatible server understands.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    // Without these a server that accepts the connection and never answers holds the request forever.
    // socketTimeout is the idle one (requestTimeout would be a total, and only warns).
    requestHandler: { connectionTimeout: idleTimeoutMs, socketTimeout: idleTimeoutMs },
  });
  // The SDK reads an error response's body whole to find its <Code>: an endless or huge one (a proxy's page, a
  // server gone wrong) would fill the memory. Inside the SDK's deserializer ('low' in its step), before it reads.
  client.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      const response = result.response as { statusCode?: number; body?: unknown };
      if ((response.statusCode ?? 0) >= 300 && response.body instanceof Readable)
        response.body = cappedStream(response.body, ERROR_BODY_LIMIT);
      return result;
    },
    { step: 'deserialize', priority: 'low', name: 'vitrineErrorBodyLimit' },
  );
  // The SDK moves its clock to any answer's Date header (and an error's <ServerTime>): a box with no clock (1970), a
  // date that is not an HTTP date, a web page's (a proxy, a captive portal) would have every later request signed
  // with that time. Such a date is taken out before the SDK's signer reads it (just inside it), as our own requests
  // do (trustedDate); a true one is left, so the SDK still signs with the server's time when the clocks differ.
  type Next = (args: object) => Promise<{ response: unknown }>;
  const trustedDates = (next: Next) => async (args: object) => {
    const untrusted = (response: unknown) => {
      const headers = (response as { headers?: Record<string, string> } | undefined)?.headers;
      if (
        headers &&
        trustedDate({ date: headers.date, contentType: headers['content-type'], now: Date.now() }) === undefined
      )
        delete headers.date;
      return headers;
    };
    try {
      const result = await next(args);
      untrusted(result.response);
      return result;
    } catch (error) {
      const failed = error as { ServerTime?: unknown; $response?: unknown };
      const headers = untrusted(failed?.$response);
      const html = /text\/html/i.test(String(headers?.['content-type'] ?? ''));
      if (
        failed?.ServerTime !== undefined &&
        (html || trustedDate({ date: failed.ServerTime, now: Date.now(), iso: true }) === undefined)
      )
        delete failed.ServerTime;
      throw error;
    }
  };
  client.middlewareStack.addRelativeTo(trustedDates as Parameters<typeof client.middlewareStack.addRelativeTo>[0], {
    relation: 'after',
    toMiddleware: 'httpSigningMiddleware',
    name: 'vitrineTrustedDate',
  });
  if (onClockCorrected)
    client.middlewareStack.add(
      (next) => async (args) => {
        const told = () => {
          const offset = (client.config as { systemClockOffset?: number }).systemClockOffset ?? 0;
          if (Math.abs(offset) > CLOCK_CORRECTED_MS) onClockCorrected(offset);
        };
        try {
          return await next(args);
        } finally {
          told();
        }
      },
      { step: 'initialize', name: 'vitrineClockCorrected' },
    );
  return client;
}

const SILENT_SDK_LOGGER = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * An error body of at most `limit` bytes; the rest is never read (`body` is destroyed). A cut body is not whole
 * XML, which the SDK cannot parse: its <Code> and <Message> (S3 sends them first) are passed on as a whole error.
 */
function cappedStream(body: Readable, limit: number): Readable {
  return Readable.from(
    (async function* () {
      const { bytes, complete } = await readAtMost(body, limit);
      if (complete) {
        yield bytes;
        return;
      }
      const text = bytes.toString('utf8');
      const code = /<Code>([^<]*)<\/Code>/.exec(text)?.[1];
      const message = /<Message>([^<]*)<\/Message>/.exec(text)?.[1];
      if (code !== undefined)
        yield Buffer.from(
          `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message ?? ''}</Message></Error>`,
        );
    })(),
  );
}

/**
 * The body of an SDK GetObject response, read up to `limit` bytes: `complete` false when there was more
 * (then nothing more was read and the connection is closed). For index and manifest files, whose callers
 * refuse one that large rather than hold it all in memory.
 */
export async function sdkBodyAtMost(body: unknown, limit: number): Promise<{ bytes: Buffer; complete: boolean }> {
  if (body instanceof Readable) return readAtMost(body, limit);
  const whole = body as { transformToByteArray?: () => Promise<Uint8Array> } | undefined;
  if (typeof whole?.transformToByteArray !== 'function') return { bytes: Buffer.alloc(0), complete: true };
  const bytes = Buffer.from(await whole.transformToByteArray());
  return bytes.length > limit ? { bytes: bytes.subarray(0, limit), complete: false } : { bytes, complete: true };
}

export { s3Endpoint } from './s3-objects.ts';
