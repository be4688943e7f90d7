import { S3Client } from '@aws-sdk/client-s3';
import { DEFAULT_IDLE_TIMEOUT_MS } from './s3-objects.ts';

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
 * the AWS SDK's usual sources apply (AWS_ACCESS_KEY_ID…, profiles).
 */
export function s3Client({
  endpoint,
  region,
  credentials,
  idleTimeoutMs = DEFAULT_IDLE_TIMEOUT_MS,
}: {
  endpoint?: string;
  region?: string;
  credentials?: S3Credentials;
  /** A connection attempt, or a connection silent this long, fails the try (TimeoutError; the SDK tries again). */
  idleTimeoutMs?: number;
}): S3Client {
  return new S3Client({
    region: region || 'us-east-1',
    ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
    ...(credentials ? { credentials } : {}),
    // Plain Content-MD5 integrity, which every S3-compatible server understands.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    // Without these a server that accepts the connection and never answers holds the request forever.
    // socketTimeout is the idle one (requestTimeout would be a total, and only warns).
    requestHandler: { connectionTimeout: idleTimeoutMs, socketTimeout: idleTimeoutMs },
  });
}

export { s3Endpoint } from './s3-objects.ts';
