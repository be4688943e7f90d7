import { createHash, createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { SignatureV4 } from '@smithy/signature-v4';

/*
 * Single-object S3 requests (PUT, GET, HEAD) over Node's own HTTP client with keep-alive, signed with
 * the AWS SDK's signer (@smithy/signature-v4). For 10,000 small images the SDK's per-request middleware
 * cost more CPU than the transfers themselves; the same requests, signed the same way, cost a fraction.
 * Listing still goes through the SDK (one request per 1,000 objects). Failures are thrown shaped like
 * the SDK's (error name = the S3 error code, `$metadata.httpStatusCode`), so one function reports both.
 */

export interface S3Identity {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** An S3 error response, named by its code as the SDK names its errors. */
export class S3ResponseError extends Error {
  readonly $metadata: { httpStatusCode: number };
  /** The server's clock minus this computer's (ms), from the answer's Date header, when it had one. */
  clockOffsetMs?: number;
  /**
   * Set when a refusal as too old (RequestTimeTooSkewed) came while the clocks agree: how long (ms) passed between
   * signing the request and the answer, by this computer's clock. The request was too slow, not the clock wrong.
   */
  lateMs?: number;
  constructor(name: string, message: string, status: number) {
    super(message);
    this.name = name;
    this.$metadata = { httpStatusCode: status };
  }
}

/** How far apart two clocks may be before S3 (and MinIO, s3rver) refuses a signed request. */
export const MAX_CLOCK_SKEW_MS = 15 * 60_000;

/**
 * How far the server's time (its Date header) must be from this computer's clock, as the refused request used it,
 * when the answer came, for a refusal about the clocks to be taken as theirs and the request signed again with the
 * server's time: the AWS SDKs' own threshold (isClockSkewed, 5 minutes, also against the time now), below S3's 15 so
 * that a server with a stricter limit is corrected too.
 */
export const CLOCK_CORRECTED_MS = 5 * 60_000;

export interface ObjectResponse {
  status: number;
  etag?: string;
  contentLength?: number;
  body: IncomingMessage;
}

export interface S3Objects {
  /**
   * One PUT. `body` is the bytes, or, for a large file, a function that opens a fresh stream of
   * `length` bytes (called again when the request is retried), so the file is never held whole.
   */
  put(options: {
    key: string;
    body: Buffer | (() => Readable);
    length?: number;
    contentMd5: string;
  }): Promise<StoredAnswer>;
  /** The response stream of a GET (status 200); a failure throws S3ResponseError. */
  get(options: { key: string }): Promise<ObjectResponse>;
  /** Size and ETag, or null when there is no such object. */
  head(options: { key: string }): Promise<({ size: number } & StoredAnswer) | null>;
  /**
   * False only when the server says the bucket does not exist (HEAD of an absent object cannot tell that
   * apart from an absent object: both are a bare 404).
   */
  bucketExists(): Promise<boolean>;
}

/** What a server says of an object it stores (a PUT's answer, a HEAD's). */
export interface StoredAnswer {
  /** As the server sent it (quotes and all), when it sent one. */
  etag?: string;
  /**
   * Set when the object is encrypted so that its ETag is not the md5 of its bytes: "aws:kms" (also "aws:kms:dsse"),
   * Huawei OBS's "kms", Google Cloud's "Cloud KMS", or "SSE-C" (a key the client gave). Not for S3's own default
   * encryption ("AES256"), whose ETag is the md5.
   */
  etagNotMd5?: string;
}

/** StoredAnswer.etagNotMd5 from an answer's headers. */
function etagNotMd5Of(response: IncomingMessage): string | undefined {
  const sse = response.headers['x-amz-server-side-encryption'];
  // "kms": Huawei OBS's SSE-KMS; Google Cloud Storage names its customer-managed key in a header of its own (V9).
  if (typeof sse === 'string' && /^(aws:)?kms/i.test(sse.trim())) return sse.trim();
  if (response.headers['x-amz-server-side-encryption-customer-algorithm']) return 'SSE-C';
  if (response.headers['x-goog-encryption-kms-key-name']) return 'Cloud KMS';
  return undefined;
}

/** The address a client talks to, for messages. */
export function s3Endpoint({ endpoint, region }: { endpoint?: string; region?: string }): string {
  return shownAddress(endpoint || `https://s3.${region || 'us-east-1'}.amazonaws.com`);
}

/**
 * An address as messages show it: without a user name and password (`http://user:pw@host` → `http://host`), as git
 * shows a remote's, since a terminal's or CI log's lines are kept and read by others.
 */
export function shownAddress(url: string): string {
  // Greedy up to the last "@" before the path: a password may hold one.
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1');
}

/** Network errors of a connection that was dropped (often a kept-alive one the server closed): tried again. */
const RETRIED_NETWORK_ERRORS = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT']);

/** How long a connection may stay silent (no byte either way) before the request is given up: DVC's default. */
export const DEFAULT_IDLE_TIMEOUT_MS = 60_000;

/** A request given up because the server sent nothing for `idleMs` (named as the AWS SDK names its own). */
export class S3IdleTimeoutError extends Error {
  readonly code = 'ETIMEDOUT';
  readonly idleMs: number;
  /** Requests made for this transfer, the last one included (a caller that starts it again raises it). */
  tries: number;
  constructor(idleMs: number, tries = 1) {
    super(`the server sent nothing for ${idleMs} ms`);
    this.name = 'TimeoutError';
    this.idleMs = idleMs;
    this.tries = tries;
  }
}

/** Bucket names Amazon S3 accepts in the host name (no dots: they break the TLS certificate's match). */
const VIRTUAL_HOST_BUCKET = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

/** S3's path escaping: every byte but unreserved characters and "/" percent-encoded. */
function escapeKey(key: string): string {
  return encodeURIComponent(key)
    .replace(/%2F/g, '/')
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** node:crypto's hashes in the shape the signer wants (`new Sha256(secret?)`, update, digest). */
type SourceData = string | ArrayBuffer | ArrayBufferView;
const bytesOf = (data: SourceData) =>
  typeof data === 'string'
    ? data
    : ArrayBuffer.isView(data)
      ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
      : new Uint8Array(data);

/*
 * HMAC keys as KeyObjects, made once per key: the signer signs every request with the same day's key,
 * and Node checks a raw key by a test that throws (an exception per request costs more than the HMAC).
 */
const keyObjects = new WeakMap<object, KeyObject>();
function hmacKey(secret: SourceData): KeyObject | string | Uint8Array {
  if (typeof secret === 'string') return secret;
  let key = keyObjects.get(secret);
  if (!key) {
    key = createSecretKey(bytesOf(secret) as Uint8Array);
    keyObjects.set(secret, key);
  }
  return key;
}

class Sha256 {
  private readonly hash;
  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', hmacKey(secret));
  }
  update(data: SourceData): void {
    this.hash.update(bytesOf(data));
  }
  async digest(): Promise<Uint8Array> {
    return this.hash.digest();
  }
}

/** The whole body of a response (events rather than an async iterator: cheaper per small object). */
function readAll(body: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    body.on('data', (chunk: Buffer) => chunks.push(chunk));
    body.on('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
    body.on('error', reject);
  });
}

/**
 * At most this much of an error response's body is read: S3 puts its <Code> and <Message> first, and a body
 * that runs on (a proxy's page, a server gone wrong, an endless stream) must not fill the memory.
 */
export const ERROR_BODY_LIMIT = 64 * 1024;

/**
 * The first `limit` bytes of `body` (all of it when shorter, `complete` then true). Past the limit nothing
 * more is read: the stream is destroyed (for a response, its connection closed).
 */
export function readAtMost(body: Readable, limit: number): Promise<{ bytes: Buffer; complete: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (complete: boolean) => {
      if (settled) return;
      settled = true;
      body.off('data', onData);
      const bytes = Buffer.concat(chunks);
      resolve({ bytes: complete ? bytes : bytes.subarray(0, limit), complete });
    };
    const onData = (chunk: Buffer) => {
      chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
      size += chunk.length;
      if (size > limit) {
        settle(false);
        body.destroy();
      }
    };
    body.on('data', onData);
    body.once('end', () => settle(true));
    body.once('error', (error) => {
      if (!settled) {
        settled = true;
        reject(error);
      }
    });
    // Closed without an end (the server cut it): what came is all there is.
    body.once('close', () => settle(size <= limit && body.readableEnded));
  });
}

/** An answer as it came: when it was asked and signed, and with which clock offset (see `send`). */
interface Sent {
  response: IncomingMessage;
  /** This computer's clock (ms) when the request was signed, and when the answer's headers arrived. */
  signedAt: number;
  arrivedAt: number;
  /** The offset (server minus this computer, ms) the request was signed with. */
  offsetMs: number;
  /** An error body already read (to find whether a refusal was about the clocks). */
  text?: string;
}

/** A year: a Date header further than this from this computer's clock is not a clock, but a box with none (1970). */
const ABSURD_CLOCK_MS = 365 * 86_400_000;

/** IMF-fixdate, the one form of HTTP date servers send (RFC 9110): "Sun, 06 Dec 2026 11:32:41 GMT". */
const HTTP_DATE =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/**
 * The server's time from an answer's Date header, or undefined when there is none to trust: not an HTTP date, or
 * more than a year from this computer's clock (`now`), or a web page's (a proxy or captive portal answered).
 */
export function serverTimeOf(response: IncomingMessage, now: number): number | undefined {
  return trustedDate({ date: response.headers.date, contentType: response.headers['content-type'], now });
}

/**
 * A Date header's time (ms), or undefined when it is none to trust (serverTimeOf): `date` and `contentType` as the
 * answer's headers give them, `now` this computer's clock. With `iso`, the date is an S3 error's <ServerTime>
 * (2026-12-06T11:32:41Z) rather than an HTTP date.
 */
export function trustedDate({
  date,
  contentType,
  now,
  iso = false,
}: {
  date: unknown;
  contentType?: unknown;
  now: number;
  iso?: boolean;
}): number | undefined {
  if (typeof date !== 'string' || !(iso ? ISO_DATE : HTTP_DATE).test(date.trim())) return undefined;
  if (/text\/html/i.test(String(contentType ?? ''))) return undefined;
  const time = Date.parse(date);
  return Number.isNaN(time) || Math.abs(time - now) > ABSURD_CLOCK_MS ? undefined : time;
}

/** An S3 error's <ServerTime>: "2026-12-06T11:32:41Z", "2026-12-06T11:32:41.123Z". */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/**
 * What the server's time (`serverTime`) says of a refusal, compared with this computer's clock as the request used it
 * (`offsetMs` added) when the answer came (`arrivedAt`), not when the request was signed (`signedAt`): a slow upload
 * is answered long after it was signed whatever the clocks. `skewed`: the clocks differ (the request may be signed
 * again with the server's time); `late`: they agree, and the request took too long to reach the server; `apart`:
 * signed with the server's own time and quick, yet this computer's clock is far from the server's.
 */
export function refusalClock({
  serverTime,
  signedAt,
  arrivedAt,
  offsetMs,
}: {
  serverTime: number;
  signedAt: number;
  arrivedAt: number;
  offsetMs: number;
}): 'skewed' | 'late' | 'apart' {
  if (Math.abs(serverTime - (arrivedAt + offsetMs)) > CLOCK_CORRECTED_MS) return 'skewed';
  if (arrivedAt - signedAt > CLOCK_CORRECTED_MS || Math.abs(serverTime - arrivedAt) <= CLOCK_CORRECTED_MS)
    return 'late';
  return 'apart';
}

/** The S3 error of a failed response: its XML <Code> and <Message>, or a name from the status (HEAD has no body). */
async function responseError(sent: Sent, method: string): Promise<S3ResponseError> {
  const { response } = sent;
  const status = response.statusCode ?? 0;
  // At most ERROR_BODY_LIMIT bytes; the connection of a longer body is closed rather than drained.
  const text =
    sent.text ?? (method === 'HEAD' ? '' : (await readAtMost(response, ERROR_BODY_LIMIT)).bytes.toString('utf8'));
  const code = /<Code>([^<]*)<\/Code>/.exec(text)?.[1];
  const message = /<Message>([^<]*)<\/Message>/.exec(text)?.[1];
  const fallback = status === 404 ? 'NotFound' : status === 403 ? 'Forbidden' : `Http${status}`;
  // Amazon answers a request sent to the wrong region with 301 (HEAD has no body to say so) and
  // names the bucket's region in a header: that is the one thing to fix.
  const bucketRegion = response.headers['x-amz-bucket-region'];
  if ((status === 301 || status === 400) && typeof bucketRegion === 'string' && /^[a-z0-9-]+$/.test(bucketRegion)) {
    const hint = `the bucket is in region ${bucketRegion}: set region = ${bucketRegion} for this remote (.dvc/config)`;
    return new S3ResponseError('WrongRegion', hint, status);
  }
  // A web page (a website at the address, not storage); a proxy's page for a server error is the server's error.
  const type = String(response.headers['content-type'] ?? '');
  if (!code && status < 500 && /text\/html/i.test(type)) return new S3ResponseError('NotStorage', 'a web page', status);
  // The server's time: a refusal for a request signed too far from it says so in its <Code>; a HEAD has no body, and
  // its bare 403 is told apart from a key's refusal by the Date header, when it is further than S3 allows from the
  // clock the request was signed with (after a correction, the server's own: then it is the key's refusal).
  const serverTime = serverTimeOf(response, sent.arrivedAt);
  const offset = serverTime === undefined ? undefined : serverTime - sent.arrivedAt;
  const judged = serverTime === undefined ? undefined : refusalClock({ serverTime, ...sent });
  const skewed =
    !code &&
    method === 'HEAD' &&
    status === 403 &&
    serverTime !== undefined &&
    Math.abs(serverTime - (sent.arrivedAt + sent.offsetMs)) > MAX_CLOCK_SKEW_MS;
  const error = skewed
    ? new S3ResponseError('RequestTimeTooSkewed', 'the clocks differ too much', status)
    : new S3ResponseError(code || fallback, message || code || `HTTP ${status}`, status);
  if (offset !== undefined) error.clockOffsetMs = offset;
  // Refused as too old though the clocks agree: the request took that long to reach the server (a slow upload).
  if (error.name === 'RequestTimeTooSkewed' && judged === 'late') error.lateMs = sent.arrivedAt - sent.signedAt;
  return error;
}

/**
 * A client for single objects of `bucket`. `endpoint` empty means Amazon S3 in `region` (bucket in the
 * host name when it may be); any other server is addressed by path, as the SDK client is set up.
 */
export function s3Objects({
  endpoint,
  region,
  bucket,
  credentials,
  idleTimeoutMs = DEFAULT_IDLE_TIMEOUT_MS,
  onClockCorrected,
}: {
  endpoint?: string;
  region: string;
  bucket: string;
  /**
   * Told the server's clock minus this computer's (ms) when a refusal showed them too far apart and requests are
   * signed with the server's time from then on (the AWS SDKs' systemClockOffset).
   */
  onClockCorrected?: (offsetMs: number) => void;
  /** Asked at each request (the SDK's usual sources, which remember them, when the config has no key). */
  credentials: () => Promise<S3Identity>;
  /**
   * A request whose connection stays silent this long (connecting, sending or receiving) is given up
   * with S3IdleTimeoutError. Idle, not total: a large transfer lasts as long as its bytes keep moving.
   */
  idleTimeoutMs?: number;
}): S3Objects {
  const virtualHost = !endpoint && VIRTUAL_HOST_BUCKET.test(bucket);
  const base = new URL(
    endpoint || (virtualHost ? `https://${bucket}.s3.${region}.amazonaws.com` : `https://s3.${region}.amazonaws.com`),
  );
  const basePath = base.pathname.replace(/\/+$/, '');
  const secure = base.protocol === 'https:';
  const port = base.port ? Number(base.port) : undefined;
  // Keep-alive: one connection per transfer at once, reused for the next object.
  const agent = secure ? new https.Agent({ keepAlive: true }) : new http.Agent({ keepAlive: true });
  const transport = secure ? https : http;
  // Credentials are asked for at each signature: the SDK's providers remember them and renew
  // temporary ones before they expire.
  const signer = new SignatureV4({ credentials, region, service: 's3', sha256: Sha256, uriEscapePath: false });
  // The server's clock minus this computer's, once a refusal showed them apart: requests are signed with its time.
  let clockOffsetMs = 0;

  type Body = Buffer | (() => Readable);
  /** `key` null: the bucket itself. */
  /** `attempt`: which try this is, for a timeout's message (a body read after the request counts it too). */
  const once = async (
    method: string,
    key: string | null,
    headers: Record<string, string>,
    body: Body | undefined,
    attempt: number,
    offsetMs: number,
  ) => {
    const bucketPath = `${basePath}${virtualHost ? '' : `/${bucket}`}`;
    const path = key === null ? bucketPath || '/' : `${bucketPath}/${escapeKey(key)}`;
    const request = {
      method,
      protocol: base.protocol,
      hostname: base.hostname,
      ...(port ? { port } : {}),
      path,
      query: {},
      headers: {
        host: base.host,
        // The payload is checked by Content-MD5 (PUT) or by its md5 after download: no second hash.
        'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
        ...headers,
        ...(Buffer.isBuffer(body) ? { 'content-length': String(body.length) } : {}),
      },
    };
    const signed = await signer.sign(request, { signingDate: new Date(Date.now() + offsetMs) });
    return new Promise<IncomingMessage>((resolve, reject) => {
      let response: IncomingMessage | undefined;
      // `timeout` is the socket's idle timeout, from the connection attempt on; it also covers the
      // response's body, which is read after this promise resolves.
      const req = transport.request(
        {
          method,
          host: base.hostname,
          port,
          path,
          headers: signed.headers as Record<string, string>,
          agent,
          timeout: idleTimeoutMs,
        },
        (res) => {
          response = res;
          resolve(res);
        },
      );
      req.on('timeout', () => {
        const error = new S3IdleTimeoutError(idleTimeoutMs, attempt);
        response?.destroy(error);
        req.destroy(error);
      });
      req.on('error', reject);
      if (typeof body === 'function') {
        const stream = body();
        stream.on('error', (error) => req.destroy(error));
        req.on('close', () => stream.destroy());
        stream.pipe(req);
      } else req.end(body);
    });
  };

  /**
   * A request, tried again (up to 3 times in all, after 0.1 then 0.4 s) as the SDK does when the
   * server is busy or failing (429, 5xx), drops a kept-alive connection or falls silent (idle timeout);
   * every request here is idempotent. A server that refuses connections is not tried again: it is down.
   */
  const send = async (
    method: string,
    key: string | null,
    headers: Record<string, string>,
    body?: Body,
  ): Promise<Sent> => {
    let corrected = false;
    for (let attempt = 1; ; attempt++) {
      const last = attempt >= 3;
      let response: IncomingMessage;
      const offsetMs = clockOffsetMs;
      const signedAt = Date.now();
      try {
        response = await once(method, key, headers, body, attempt, offsetMs);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? '';
        if (last || !RETRIED_NETWORK_ERRORS.has(code)) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 * 4 ** (attempt - 1)));
        continue;
      }
      const arrivedAt = Date.now();
      const status = response.statusCode ?? 0;
      const sent: Sent = { response, signedAt, arrivedAt, offsetMs };
      // A refusal about the clocks (RequestTimeTooSkewed, or a HEAD's bare 403), whose server time (a trusted Date
      // header) is far from this computer's clock as the request used it, when the answer came: signed again with
      // the server's time and sent again at once, once per request (as the AWS SDKs do). A refusal that comes again
      // is the caller's to name (responseError: the clocks, when they still differ).
      const serverTime = status === 403 && !corrected ? serverTimeOf(response, arrivedAt) : undefined;
      if (serverTime !== undefined && refusalClock({ serverTime, ...sent }) === 'skewed') {
        if (method !== 'HEAD') sent.text = (await readAtMost(response, ERROR_BODY_LIMIT)).bytes.toString('utf8');
        if (method === 'HEAD' || /<Code>RequestTimeTooSkewed<\/Code>/.test(sent.text ?? '')) {
          corrected = true;
          attempt--;
          clockOffsetMs = serverTime - arrivedAt;
          onClockCorrected?.(clockOffsetMs);
          response.resume();
          continue;
        }
      }
      if (last || !(status === 429 || status >= 500)) return sent;
      response.resume();
      await new Promise((resolve) => setTimeout(resolve, 100 * 4 ** (attempt - 1)));
    }
  };

  return {
    async put({ key, body, length, contentMd5 }) {
      const headers: Record<string, string> = { 'content-md5': contentMd5 };
      if (!Buffer.isBuffer(body)) headers['content-length'] = String(length ?? 0);
      const sent = await send('PUT', key, headers, body);
      const { response } = sent;
      if (response.statusCode !== 200) throw await responseError(sent, 'PUT');
      response.resume();
      const etag = response.headers.etag;
      const notMd5 = etagNotMd5Of(response);
      return { ...(typeof etag === 'string' ? { etag } : {}), ...(notMd5 ? { etagNotMd5: notMd5 } : {}) };
    },
    async get({ key }) {
      const sent = await send('GET', key, {});
      const { response } = sent;
      if (response.statusCode !== 200) throw await responseError(sent, 'GET');
      notWebPage(response);
      const length = response.headers['content-length'];
      return {
        status: 200,
        body: response,
        ...(typeof response.headers.etag === 'string' ? { etag: response.headers.etag } : {}),
        ...(length !== undefined ? { contentLength: Number(length) } : {}),
      };
    },
    async head({ key }) {
      const sent = await send('HEAD', key, {});
      const { response } = sent;
      response.resume();
      if (response.statusCode === 404) return null;
      if (response.statusCode !== 200) throw await responseError(sent, 'HEAD');
      notWebPage(response);
      const etag = response.headers.etag;
      // Every S3 server names an object's ETag: a 200 without one is something else answering "OK" to every address
      // (a load balancer, a health page), which read as "already there" would skip every upload (a tester).
      if (typeof etag !== 'string' || etag === '') throw new S3ResponseError('NotStorage', NO_ETAG, 200);
      const notMd5 = etagNotMd5Of(response);
      return {
        size: Number(response.headers['content-length'] ?? 0),
        ...(typeof etag === 'string' ? { etag } : {}),
        ...(notMd5 ? { etagNotMd5: notMd5 } : {}),
      };
    },
    async bucketExists() {
      const { response } = await send('HEAD', null, {});
      response.resume();
      const status = response.statusCode ?? 0;
      // A website at the address answers with a page, found or not: not a bucket that is missing.
      if (status < 500) notWebPage(response);
      return status !== 404;
    },
  };
}

/** What a server sent that answered a HEAD for an object with 200 but no ETag (S3ResponseError's message). */
export const NO_ETAG = 'an answer that says "found" without the ETag (checksum) S3 storage gives every object';

/**
 * Refuse a web page as an answer (NotStorage): a website at the address (a console, a single-page app) answers every
 * path with one, which read as "already there" would skip every upload. Objects stored under their md5 are never
 * served as HTML, whatever tool sent them (no file extension to guess a type from).
 */
function notWebPage(response: IncomingMessage): void {
  if (/text\/html/i.test(String(response.headers['content-type'] ?? '')))
    throw new S3ResponseError('NotStorage', 'a web page', response.statusCode ?? 0);
}

export { readAll as readObjectBody };
