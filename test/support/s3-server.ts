/**
 * A small S3-compatible object server for tests: PUT / GET / DELETE Object, path-style (`/bucket/key`), objects in
 * memory, S3's XML errors. Every request must carry a valid AWS Signature Version 4 Authorization header, verified here
 * by recomputing it from what arrived, with node:crypto and nothing else, step by step as AWS documents it
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html): canonical request → string to sign
 * → signing key → HMAC. It deliberately shares no code with the client (which signs with the aws4 package), so a
 * passing test says the client follows the spec, not that two copies of one routine agree.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// ---- SigV4, from the spec ------------------------------------------------------------------------------------------

const sha256Hex = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();

/** UriEncode: every byte of the UTF-8 form except A-Z a-z 0-9 - . _ ~ becomes %XX (uppercase hex); `/` kept when asked. */
export function uriEncode(value: string, keepSlash: boolean): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-._~]/.test(c) || (keepSlash && c === '/')) out += c;
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

export interface CanonicalInput {
  method: string;
  /** The request path as sent (percent-encoded), without the query. */
  rawPath: string;
  /** The raw query string without `?` ('' for none). */
  rawQuery: string;
  /** Header name (any case) → value; a repeated header's values joined with ','. */
  headers: Record<string, string>;
  signedHeaders: string[];
  payloadHash: string;
}

/** The canonical request. S3 does not normalise the path: each segment is decoded once and UriEncoded again. */
export function canonicalRequest(i: CanonicalInput): string {
  const path = i.rawPath
    .split('/')
    .map((segment) => uriEncode(decodeURIComponent(segment), false))
    .join('/');
  const query = i.rawQuery
    ? i.rawQuery
        .split('&')
        .map((pair) => {
          const [k = '', v = ''] = pair.split('=');
          return [uriEncode(decodeURIComponent(k.replace(/\+/g, ' ')), false), uriEncode(decodeURIComponent(v.replace(/\+/g, ' ')), false)] as const;
        })
        .sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
        .map(([k, v]) => `${k}=${v}`)
        .join('&')
    : '';
  const lower: Record<string, string> = {};
  for (const [name, value] of Object.entries(i.headers)) lower[name.toLowerCase()] = value;
  const headers = i.signedHeaders.map((name) => `${name}:${(lower[name] ?? '').trim().replace(/ +/g, ' ')}\n`).join('');
  return [i.method, path || '/', query, headers, i.signedHeaders.join(';'), i.payloadHash].join('\n');
}

export function stringToSign(amzDate: string, scope: string, canonical: string): string {
  return ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonical)].join('\n');
}

export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
}

export function signature(secret: string, date: string, region: string, service: string, toSign: string): string {
  return createHmac('sha256', signingKey(secret, date, region, service))
    .update(toSign, 'utf8')
    .digest('hex');
}

// ---- the server ----------------------------------------------------------------------------------------------------

export interface S3TestServerOptions {
  region?: string;
  buckets?: string[];
  /** accessKeyId → secretAccessKey. */
  credentials?: Record<string, string>;
  /** Hold every answer this long (timeouts). */
  delayMs?: number;
}

export interface RecordedRequest {
  method: string;
  /** The request-target exactly as it arrived. */
  url: string;
  headers: IncomingMessage['headers'];
  status: number;
  code?: string;
}

export interface S3TestServer {
  url: string;
  /** `host:port`, for building STORAGE_URL. */
  host: string;
  region: string;
  objects: Map<string, Buffer>;
  requests: RecordedRequest[];
  setDelay(ms: number): void;
  close(): Promise<void>;
}

class S3Failure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Fifteen minutes either way, as S3 allows (RequestTimeTooSkewed beyond). */
const MAX_SKEW_MS = 15 * 60 * 1000;

export async function startS3Server(options: S3TestServerOptions = {}): Promise<S3TestServer> {
  const region = options.region ?? 'us-east-1';
  const buckets = new Set(options.buckets ?? ['test-bucket']);
  const credentials = options.credentials ?? { AKIDTEST: 'test-secret/with+symbols' };
  const objects = new Map<string, Buffer>();
  const requests: RecordedRequest[] = [];
  let delayMs = options.delayMs ?? 0;

  function verify(req: IncomingMessage, body: Buffer): void {
    const auth = req.headers.authorization ?? '';
    const m =
      /^AWS4-HMAC-SHA256 Credential=([^/\s]+)\/(\d{8})\/([^/\s]+)\/([^/\s]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/.exec(
        auth,
      );
    if (!m) throw new S3Failure(auth ? 400 : 403, auth ? 'AuthorizationHeaderMalformed' : 'AccessDenied', 'a SigV4 Authorization header is required');
    const [, accessKeyId = '', date = '', scopeRegion = '', service = '', signedList = '', given = ''] = m;
    const secret = credentials[accessKeyId];
    if (secret === undefined) throw new S3Failure(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.');
    if (service !== 's3' || scopeRegion !== region)
      throw new S3Failure(400, 'AuthorizationHeaderMalformed', `the region '${scopeRegion}' is wrong; expecting '${region}'`);
    const amzDate = String(req.headers['x-amz-date'] ?? '');
    const when = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
    if (!when || amzDate.slice(0, 8) !== date) throw new S3Failure(403, 'AccessDenied', 'x-amz-date is missing or does not match the credential scope');
    const at = Date.UTC(+when[1]!, +when[2]! - 1, +when[3]!, +when[4]!, +when[5]!, +when[6]!);
    if (Math.abs(Date.now() - at) > MAX_SKEW_MS)
      throw new S3Failure(403, 'RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.');
    const signedHeaders = signedList.split(';');
    const sorted = [...signedHeaders].sort();
    if (
      signedHeaders.join(';') !== sorted.join(';') ||
      !signedHeaders.includes('host') ||
      !signedHeaders.includes('x-amz-date') ||
      !signedHeaders.includes('x-amz-content-sha256')
    )
      throw new S3Failure(400, 'AuthorizationHeaderMalformed', 'SignedHeaders must be sorted and include host, x-amz-content-sha256 and x-amz-date');
    const payloadHash = String(req.headers['x-amz-content-sha256'] ?? '');
    if (payloadHash !== 'UNSIGNED-PAYLOAD' && payloadHash !== sha256Hex(body))
      throw new S3Failure(400, 'XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.");

    const target = req.url ?? '/';
    const q = target.indexOf('?');
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
    const canonical = canonicalRequest({
      method: req.method ?? 'GET',
      rawPath: q < 0 ? target : target.slice(0, q),
      rawQuery: q < 0 ? '' : target.slice(q + 1),
      headers,
      signedHeaders,
      payloadHash,
    });
    const expected = Buffer.from(signature(secret, date, region, 's3', stringToSign(amzDate, `${date}/${region}/s3/aws4_request`, canonical)), 'hex');
    if (!timingSafeEqual(expected, Buffer.from(given, 'hex')))
      throw new S3Failure(
        403,
        'SignatureDoesNotMatch',
        'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      );
  }

  function handle(req: IncomingMessage, body: Buffer, res: ServerResponse, record: RecordedRequest): void {
    verify(req, body);
    const path = (req.url ?? '/').split('?')[0]!;
    const [, bucketRaw = '', ...keyParts] = path.split('/');
    const bucket = decodeURIComponent(bucketRaw);
    const key = keyParts.map((p) => decodeURIComponent(p)).join('/');
    if (!buckets.has(bucket)) throw new S3Failure(404, 'NoSuchBucket', 'The specified bucket does not exist');
    if (!key) throw new S3Failure(400, 'InvalidRequest', 'this server only serves objects');
    const id = `${bucket}/${key}`;
    switch (req.method) {
      case 'PUT':
        objects.set(id, body);
        res.writeHead(200, { etag: `"${createHash('md5').update(body).digest('hex')}"` }).end();
        break;
      case 'GET': {
        const object = objects.get(id);
        if (!object) throw new S3Failure(404, 'NoSuchKey', 'The specified key does not exist.');
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': object.length }).end(object);
        break;
      }
      case 'DELETE':
        objects.delete(id);
        res.writeHead(204).end();
        break;
      default:
        throw new S3Failure(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
    }
    record.status = res.statusCode;
  }

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const record: RecordedRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, status: 0 };
      requests.push(record);
      const answer = (): void => {
        try {
          handle(req, Buffer.concat(chunks), res, record);
        } catch (err) {
          const f = err instanceof S3Failure ? err : new S3Failure(500, 'InternalError', String(err));
          record.status = f.status;
          record.code = f.code;
          const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${f.code}</Code><Message>${f.message}</Message><RequestId>req-${requests.length}</RequestId></Error>`;
          res.writeHead(f.status, { 'content-type': 'application/xml', 'x-amz-request-id': `req-${requests.length}` }).end(xml);
        }
      };
      if (delayMs > 0) setTimeout(answer, delayMs).unref();
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    region,
    objects,
    requests,
    setDelay: (ms) => void (delayMs = ms),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
