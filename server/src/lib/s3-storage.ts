import { createHash } from 'node:crypto';
import aws4 from 'aws4';
import { assertStorageKey, type Storage } from './storage';

/**
 * Any S3-compatible object store (AWS S3, MinIO, Cloudflare R2, Aliyun OSS / Tencent COS in S3 mode, …) through
 * path-style requests (`https://host/bucket/key`), signed with AWS Signature Version 4 by the `aws4` package
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html) and sent with Node's fetch.
 * The payload is signed (`x-amz-content-sha256` is its SHA-256), so the store also checks the bytes arrived whole.
 */

/** Where and as whom: parsed from STORAGE_URL by parseStorageUrl. */
export interface S3Target {
  /** `https://host[:port]` (or http), no path. */
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  /** Non-enumerable on a parsed target: JSON.stringify, pino and util.inspect of the config leave it out. */
  secretAccessKey: string;
}

const FORMAT = 'must look like s3+https://ACCESS_KEY:SECRET@HOST[:PORT]/BUCKET?region=REGION';
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const REGION = /^[a-z0-9][a-z0-9-]{0,62}$/;

/**
 * `s3+https://ACCESS_KEY:SECRET@s3.ap-southeast-1.amazonaws.com/my-bucket?region=ap-southeast-1` or
 * `s3+http://KEY:SECRET@minio:9000/bucket?region=us-east-1` → S3Target. The credentials are percent-decoded (a `/` in
 * a secret is written `%2F`). Throws an Error whose message says what is wrong and never repeats the URL or the secret.
 */
export function parseStorageUrl(raw: string): S3Target {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`${FORMAT} (a "/" in the secret must be written %2F)`);
  }
  const scheme = /^s3\+(https?):$/.exec(url.protocol)?.[1];
  if (!scheme) throw new Error(`${FORMAT}: the scheme must be s3+https or s3+http`);
  if (!url.hostname) throw new Error(`${FORMAT}: the host is missing`);
  let accessKeyId: string;
  let secretAccessKey: string;
  try {
    accessKeyId = decodeURIComponent(url.username);
    secretAccessKey = decodeURIComponent(url.password);
  } catch {
    throw new Error(`${FORMAT}: the credentials are not validly percent-encoded`);
  }
  if (!accessKeyId || !secretAccessKey) throw new Error(`${FORMAT}: the access key and the secret are required`);
  const bucket = /^\/([^/]+)\/?$/.exec(url.pathname)?.[1];
  if (!bucket || !BUCKET.test(bucket)) throw new Error(`${FORMAT}: BUCKET must be one path segment, 3-63 lowercase letters, digits, dots or hyphens`);
  const params = [...url.searchParams.keys()];
  const unknown = params.find((p) => p !== 'region');
  if (unknown) throw new Error(`${FORMAT}: unknown parameter "${unknown}" (only region is read)`);
  const region = url.searchParams.get('region') ?? '';
  if (!REGION.test(region)) throw new Error(`${FORMAT}: ?region= is required (the bucket's region, e.g. ap-southeast-1; us-east-1 for most MinIO)`);
  if (url.hash) throw new Error(`${FORMAT}: no #fragment`);

  const endpoint = new URL(`${scheme}://${url.host}`).origin;
  const target = { endpoint, bucket, region, accessKeyId } as S3Target;
  Object.defineProperty(target, 'secretAccessKey', { value: secretAccessKey, enumerable: false });
  return target;
}

/** A refusal or failure of the store, with S3's error code (`NoSuchBucket`, `SignatureDoesNotMatch`, `AccessDenied`, …). */
export class S3Error extends Error {
  constructor(
    readonly operation: 'PUT' | 'GET' | 'DELETE',
    readonly key: string,
    /** The HTTP status; 0 when there was no answer (`Timeout`, `NetworkError`). */
    readonly status: number,
    readonly code: string,
    detail: string,
    readonly requestId?: string,
    options?: { cause?: unknown },
  ) {
    super(`S3 ${operation} ${key}: ${status ? `${status} ` : ''}${code}${detail ? ` (${detail})` : ''}`, options);
    this.name = 'S3Error';
  }
}

export interface S3StorageOptions {
  /** For the whole request, answer body included (default 30 s: a 10 MB upload on a slow uplink). */
  timeoutMs?: number;
  /** The signing clock (tests). */
  now?: () => number;
}

/** RFC 3986 unreserved characters stay, everything else is %XX of its UTF-8 bytes (SigV4's UriEncode). */
const encodeSegment = (s: string): string => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** `20130524T000000Z`: SigV4's ISO 8601 basic format. */
export const amzDate = (ms: number): string => new Date(ms).toISOString().replace(/[:-]|\.\d{3}/g, '');

/**
 * The headers of a request signed with SigV4 for S3 (aws4): every header given is signed, plus Host, Content-Length
 * (with a body), x-amz-content-sha256 (the body's SHA-256) and x-amz-date (the given `X-Amz-Date`, else now).
 * Exported for the check against AWS's published example.
 */
export function signS3Request(req: {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: Buffer;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}): Record<string, string> {
  const headers: Record<string, string> = {
    ...req.headers,
    'X-Amz-Content-Sha256': createHash('sha256')
      .update(req.body ?? Buffer.alloc(0))
      .digest('hex'),
  };
  const include: Record<string, boolean> = {};
  for (const name of Object.keys(headers)) include[name.toLowerCase()] = true;
  const signed = aws4.sign(
    {
      service: 's3',
      region: req.region,
      method: req.method,
      host: req.url.host,
      path: req.url.pathname + req.url.search,
      headers,
      ...(req.body ? { body: req.body } : {}),
      // aws4 leaves Range out of the signature unless told (proxies rewrite it); we sign all we send.
      extraHeadersToInclude: include,
    } as aws4.Request,
    { accessKeyId: req.credentials.accessKeyId, secretAccessKey: req.credentials.secretAccessKey },
  );
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(signed.headers ?? {})) if (value !== undefined) out[name] = String(value);
  return out;
}

export class S3Storage implements Storage {
  private readonly endpoint: URL;
  private readonly bucket: string;
  private readonly region: string;
  private readonly accessKeyId: string;
  /** An ES private field: util.inspect and JSON never show it. */
  readonly #secretAccessKey: string;
  private readonly timeoutMs: number;
  private readonly now: () => number;

  constructor(target: S3Target, options: S3StorageOptions = {}) {
    this.endpoint = new URL(target.endpoint);
    this.bucket = target.bucket;
    this.region = target.region;
    this.accessKeyId = target.accessKeyId;
    this.#secretAccessKey = target.secretAccessKey;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.now = options.now ?? Date.now;
  }

  async put(key: string, bytes: Buffer): Promise<void> {
    const res = await this.send('PUT', key, bytes);
    if (!res.ok) throw await this.failure('PUT', key, res);
    await this.drain('PUT', key, res);
  }

  async get(key: string): Promise<Buffer | null> {
    const res = await this.send('GET', key);
    if (res.ok) {
      try {
        return Buffer.from(await res.arrayBuffer());
      } catch (err) {
        throw this.transportError('GET', key, err);
      }
    }
    const error = await this.failure('GET', key, res);
    if (error.code === 'NoSuchKey') return null;
    throw error;
  }

  async delete(key: string): Promise<void> {
    const res = await this.send('DELETE', key);
    if (res.ok) return this.drain('DELETE', key, res);
    const error = await this.failure('DELETE', key, res);
    // S3 answers 204 for a missing key; some compatible stores answer 404 NoSuchKey: the same to us.
    if (error.code !== 'NoSuchKey') throw error;
  }

  private async send(method: 'PUT' | 'GET' | 'DELETE', key: string, body?: Buffer): Promise<Response> {
    assertStorageKey(key);
    const url = new URL(`/${encodeSegment(this.bucket)}/${key.split('/').map(encodeSegment).join('/')}`, this.endpoint);
    const headers = signS3Request({
      method,
      url,
      headers: { 'X-Amz-Date': amzDate(this.now()), ...(body ? { 'Content-Type': 'application/octet-stream' } : {}) },
      body,
      region: this.region,
      credentials: { accessKeyId: this.accessKeyId, secretAccessKey: this.#secretAccessKey },
    });
    // fetch sets Host and Content-Length itself, to the same values that were signed.
    for (const name of Object.keys(headers)) if (/^(host|content-length)$/i.test(name)) delete headers[name];
    try {
      // A Buffer is a Uint8Array over a plain ArrayBuffer; TypeScript's DOM BodyInit only wants that spelled out.
      const payload = body as Uint8Array<ArrayBuffer> | undefined;
      return await fetch(url, { method, headers, body: payload, redirect: 'manual', signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (err) {
      throw this.transportError(method, key, err);
    }
  }

  /** S3's XML error body (`<Error><Code>…</Code><Message>…</Message><RequestId>…`) → S3Error; a HEAD-like empty body → the status. */
  private async failure(method: 'PUT' | 'GET' | 'DELETE', key: string, res: Response): Promise<S3Error> {
    let text = '';
    try {
      text = (await res.text()).slice(0, 4096);
    } catch (err) {
      return this.transportError(method, key, err);
    }
    const field = (name: string): string | undefined => new RegExp(`<${name}>([^<]*)</${name}>`).exec(text)?.[1];
    const code = field('Code') ?? (res.status === 404 ? 'NotFound' : `Http${res.status}`);
    return new S3Error(method, key, res.status, code, field('Message') ?? '', field('RequestId') ?? res.headers.get('x-amz-request-id') ?? undefined);
  }

  private async drain(method: 'PUT' | 'DELETE', key: string, res: Response): Promise<void> {
    try {
      await res.arrayBuffer();
    } catch (err) {
      throw this.transportError(method, key, err);
    }
  }

  private transportError(method: 'PUT' | 'GET' | 'DELETE', key: string, err: unknown): S3Error {
    const name = (err as Error | undefined)?.name;
    if (name === 'TimeoutError' || name === 'AbortError')
      return new S3Error(method, key, 0, 'Timeout', `no answer from ${this.endpoint.host} within ${this.timeoutMs} ms`, undefined, { cause: err });
    // fetch rejects with TypeError('fetch failed') and the reason in `cause` (ECONNREFUSED, ENOTFOUND, a TLS error…).
    const cause = (err as { cause?: { code?: string; message?: string } } | undefined)?.cause;
    const reason = cause?.code ?? cause?.message ?? (err as Error | undefined)?.message ?? String(err);
    return new S3Error(method, key, 0, 'NetworkError', `${this.endpoint.host}: ${reason}`, undefined, { cause: err });
  }
}
