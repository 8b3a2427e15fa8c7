/**
 * S3Storage against a real S3-compatible server (test/support/s3-server.ts) that verifies every request's SigV4
 * signature independently of the client, and both against AWS's published signing examples.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { loadConfig } from '../../../server/src/config/config';
import { createStorage } from '../../../server/src/lib/create-storage';
import { amzDate, parseStorageUrl, S3Error, S3Storage, signS3Request, type S3Target } from '../../../server/src/lib/s3-storage';
import { canonicalRequest, signature, startS3Server, stringToSign, type S3TestServer } from '../../support/s3-server';

/**
 * The worked examples of "Signature Calculations for the Authorization Header: Transferring Payload in a Single Chunk"
 * in the Amazon S3 API Reference (https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html).
 */
const AWS_EXAMPLE = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  region: 'us-east-1',
  amzDate: '20130524T000000Z',
  emptySha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
};

describe('SigV4 against AWS’s published examples', () => {
  const scope = `20130524/${AWS_EXAMPLE.region}/s3/aws4_request`;

  it('GET Object (examplebucket/test.txt, bytes 0-9): the test server’s verifier reproduces the canonical request and signature', () => {
    const canonical = canonicalRequest({
      method: 'GET',
      rawPath: '/test.txt',
      rawQuery: '',
      headers: {
        host: 'examplebucket.s3.amazonaws.com',
        range: 'bytes=0-9',
        'x-amz-content-sha256': AWS_EXAMPLE.emptySha256,
        'x-amz-date': AWS_EXAMPLE.amzDate,
      },
      signedHeaders: ['host', 'range', 'x-amz-content-sha256', 'x-amz-date'],
      payloadHash: AWS_EXAMPLE.emptySha256,
    });
    expect(canonical).toBe(
      [
        'GET',
        '/test.txt',
        '',
        'host:examplebucket.s3.amazonaws.com',
        'range:bytes=0-9',
        `x-amz-content-sha256:${AWS_EXAMPLE.emptySha256}`,
        'x-amz-date:20130524T000000Z',
        '',
        'host;range;x-amz-content-sha256;x-amz-date',
        AWS_EXAMPLE.emptySha256,
      ].join('\n'),
    );
    const toSign = stringToSign(AWS_EXAMPLE.amzDate, scope, canonical);
    expect(toSign).toBe(`AWS4-HMAC-SHA256\n20130524T000000Z\n${scope}\n7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972`);
    expect(signature(AWS_EXAMPLE.secretAccessKey, '20130524', AWS_EXAMPLE.region, 's3', toSign)).toBe(
      'f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
  });

  it('PUT Object (test$file.text, REDUCED_REDUNDANCY): the verifier encodes $ and signs the payload hash', () => {
    const body = Buffer.from('Welcome to Amazon S3.');
    const payloadHash = '44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072';
    const canonical = canonicalRequest({
      method: 'PUT',
      rawPath: '/test$file.text',
      rawQuery: '',
      headers: {
        date: 'Fri, 24 May 2013 00:00:00 GMT',
        host: 'examplebucket.s3.amazonaws.com',
        'x-amz-content-sha256': payloadHash,
        'x-amz-date': AWS_EXAMPLE.amzDate,
        'x-amz-storage-class': 'REDUCED_REDUNDANCY',
      },
      signedHeaders: ['date', 'host', 'x-amz-content-sha256', 'x-amz-date', 'x-amz-storage-class'],
      payloadHash,
    });
    expect(canonical.split('\n')[1]).toBe('/test%24file.text');
    expect(signature(AWS_EXAMPLE.secretAccessKey, '20130524', AWS_EXAMPLE.region, 's3', stringToSign(AWS_EXAMPLE.amzDate, scope, canonical))).toBe(
      '98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd',
    );
    expect(createHash('sha256').update(body).digest('hex')).toBe(payloadHash);
  });

  it('GET Object: the client’s signer (aws4) produces AWS’s Authorization header exactly', () => {
    const headers = signS3Request({
      method: 'GET',
      url: new URL('https://examplebucket.s3.amazonaws.com/test.txt'),
      headers: { Range: 'bytes=0-9', 'X-Amz-Date': AWS_EXAMPLE.amzDate },
      region: AWS_EXAMPLE.region,
      credentials: AWS_EXAMPLE,
    });
    expect(headers.Authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
    expect(headers['X-Amz-Content-Sha256']).toBe(AWS_EXAMPLE.emptySha256);
  });

  it('amzDate is the ISO 8601 basic format', () => {
    expect(amzDate(Date.UTC(2013, 4, 24))).toBe('20130524T000000Z');
  });
});

describe('S3Storage against an S3-compatible server that checks every signature', () => {
  const SECRET = 'test-secret/with+symbols';
  let s3: S3TestServer;
  let target: S3Target;
  let storage: S3Storage;

  beforeAll(async () => {
    s3 = await startS3Server({ region: 'ap-southeast-1', buckets: ['shopcrew-files'], credentials: { AKIDTEST: SECRET } });
    target = parseStorageUrl(`s3+http://AKIDTEST:${encodeURIComponent(SECRET)}@${s3.host}/shopcrew-files?region=ap-southeast-1`);
    storage = new S3Storage(target, { timeoutMs: 2000 });
  });
  afterAll(() => s3.close());
  beforeEach(() => s3.setDelay(0));

  it('puts, gets back the same bytes, and deletes (path-style, payload signed)', async () => {
    const bytes = randomBytes(256 * 1024);
    await storage.put('projects/2026/0b9e4c1e-8d3a-4c59-9a53-3f1f7a0d2c11.png', bytes);
    expect(s3.objects.get('shopcrew-files/projects/2026/0b9e4c1e-8d3a-4c59-9a53-3f1f7a0d2c11.png')?.equals(bytes)).toBe(true);
    const put = s3.requests.at(-1)!;
    expect([put.method, put.url, put.status]).toEqual(['PUT', '/shopcrew-files/projects/2026/0b9e4c1e-8d3a-4c59-9a53-3f1f7a0d2c11.png', 200]);
    expect(put.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDTEST\/\d{8}\/ap-southeast-1\/s3\/aws4_request, SignedHeaders=content-length;content-type;host;x-amz-content-sha256;x-amz-date, Signature=[0-9a-f]{64}$/,
    );

    expect((await storage.get('projects/2026/0b9e4c1e-8d3a-4c59-9a53-3f1f7a0d2c11.png'))?.equals(bytes)).toBe(true);
    await storage.delete('projects/2026/0b9e4c1e-8d3a-4c59-9a53-3f1f7a0d2c11.png');
    expect(await storage.get('projects/2026/0b9e4c1e-8d3a-4c59-9a53-3f1f7a0d2c11.png')).toBeNull();
    await expect(storage.delete('projects/2026/0b9e4c1e-8d3a-4c59-9a53-3f1f7a0d2c11.png')).resolves.toBeUndefined();
    expect(s3.requests.every((r) => r.status < 400 || r.code === 'NoSuchKey')).toBe(true);
  });

  it('a missing object is null; an empty object round-trips', async () => {
    expect(await storage.get('projects/none.pdf')).toBeNull();
    expect(s3.requests.at(-1)).toMatchObject({ status: 404, code: 'NoSuchKey' });
    await storage.put('projects/empty.txt', Buffer.alloc(0));
    expect(await storage.get('projects/empty.txt')).toEqual(Buffer.alloc(0));
  });

  it('refuses a key that is not ours (Chinese, spaces, ..) before anything is sent', async () => {
    const before = s3.requests.length;
    await expect(storage.put('项目/主图.jpg', Buffer.from('x'))).rejects.toThrow(/invalid storage key/);
    await expect(storage.get('projects/a b.jpg')).rejects.toThrow(/invalid storage key/);
    await expect(storage.delete('projects/../x.jpg')).rejects.toThrow(/invalid storage key/);
    expect(s3.requests.length).toBe(before);
  });

  it('the signer encodes a non-ASCII path the way the spec does (the verifier accepts it)', async () => {
    const url = new URL(`${s3.url}/shopcrew-files/${encodeURIComponent('项目')}/${encodeURIComponent("主图 (1)!'*.jpg")}`);
    const headers = signS3Request({
      method: 'GET',
      url,
      headers: { 'X-Amz-Date': amzDate(Date.now()) },
      region: 'ap-southeast-1',
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: SECRET },
    });
    delete headers.Host;
    const res = await fetch(url, { headers });
    // Authenticated (not 403): the object is simply not there.
    expect([res.status, await res.text()]).toEqual([404, expect.stringContaining('<Code>NoSuchKey</Code>')]);
  });

  it('the verifier is not a pushover: a signed request changed afterwards is refused', async () => {
    const url = new URL(`${s3.url}/shopcrew-files/projects/a.txt`);
    const headers = signS3Request({
      method: 'GET',
      url,
      headers: { 'X-Amz-Date': amzDate(Date.now()) },
      region: 'ap-southeast-1',
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: SECRET },
    });
    delete headers.Host;
    const other = await fetch(`${s3.url}/shopcrew-files/projects/b.txt`, { headers });
    expect(other.status).toBe(403);
    expect(await other.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
    const putHeaders = signS3Request({
      method: 'PUT',
      url,
      headers: { 'X-Amz-Date': amzDate(Date.now()), 'Content-Type': 'text/plain' },
      body: Buffer.from('signed'),
      region: 'ap-southeast-1',
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: SECRET },
    });
    delete putHeaders.Host;
    delete putHeaders['Content-Length'];
    const swapped = await fetch(url, { method: 'PUT', headers: putHeaders, body: 'tamper' });
    expect(await swapped.text()).toContain('<Code>XAmzContentSHA256Mismatch</Code>');
  });

  it('a wrong secret is 403 SignatureDoesNotMatch, surfaced as an S3Error with the code', async () => {
    const wrong = new S3Storage({ ...target, secretAccessKey: 'not-the-secret' });
    const err = await wrong.put('projects/x.png', Buffer.from('x')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(S3Error);
    expect(err).toMatchObject({
      operation: 'PUT',
      key: 'projects/x.png',
      status: 403,
      code: 'SignatureDoesNotMatch',
      requestId: expect.stringMatching(/^req-/),
    });
    expect((err as Error).message).toMatch(/^S3 PUT projects\/x\.png: 403 SignatureDoesNotMatch \(The request signature we calculated/);
    await expect(wrong.get('projects/x.png')).rejects.toMatchObject({ code: 'SignatureDoesNotMatch' });
  });

  it('names the other refusals: unknown key id, wrong region, missing bucket, clock skew', async () => {
    await expect(new S3Storage({ ...target, accessKeyId: 'AKIDNOPE', secretAccessKey: SECRET }).get('a.png')).rejects.toMatchObject({
      status: 403,
      code: 'InvalidAccessKeyId',
    });
    await expect(new S3Storage({ ...target, region: 'us-east-1', secretAccessKey: SECRET }).get('a.png')).rejects.toMatchObject({
      status: 400,
      code: 'AuthorizationHeaderMalformed',
    });
    await expect(new S3Storage({ ...target, bucket: 'no-such-bucket', secretAccessKey: SECRET }).get('a.png')).rejects.toMatchObject({
      status: 404,
      code: 'NoSuchBucket',
    });
    const skewed = new S3Storage({ ...target, secretAccessKey: SECRET }, { now: () => Date.now() - 20 * 60 * 1000 });
    await expect(skewed.put('a.png', Buffer.from('x'))).rejects.toMatchObject({ status: 403, code: 'RequestTimeTooSkewed' });
  });

  it('times out instead of hanging, and names an unreachable store', async () => {
    s3.setDelay(1000);
    const impatient = new S3Storage(target, { timeoutMs: 200 });
    const started = Date.now();
    await expect(impatient.get('projects/slow.png')).rejects.toMatchObject({ status: 0, code: 'Timeout' });
    expect(Date.now() - started).toBeLessThan(900);
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const nowhere = new S3Storage({ ...target, endpoint: `http://127.0.0.1:${port}`, secretAccessKey: SECRET }, { timeoutMs: 2000 });
    await expect(nowhere.get('a.png')).rejects.toMatchObject({ status: 0, code: 'NetworkError', message: expect.stringContaining('ECONNREFUSED') });
  });

  it('STORAGE_URL → config → createStorage works end to end, and the secret shows up in no log or error', async () => {
    const config = loadConfig({
      SESSION_SECRET: 'a-session-secret-of-at-least-32-chars!!',
      SECRETS_KEY: 'a-secrets-key-of-at-least-32-characters',
      WECOM_CORP_ID: 'ww1234567890abcdef',
      WECOM_AGENT_ID: '1000002',
      WECOM_AGENT_SECRET: 'agent-secret',
      WECOM_CALLBACK_TOKEN: 'Token123',
      WECOM_CALLBACK_AES_KEY: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
      STORAGE_URL: `s3+http://AKIDTEST:${encodeURIComponent(SECRET)}@${s3.host}/shopcrew-files?region=ap-southeast-1`,
    });
    const store = createStorage(config);
    expect(store).toBeInstanceOf(S3Storage);
    await store.put('projects/cfg.csv', Buffer.from('a,b\n'));
    expect((await store.get('projects/cfg.csv'))?.toString()).toBe('a,b\n');

    const wrong = createStorage({ ...config, STORAGE_URL: { ...config.STORAGE_URL!, secretAccessKey: 'x' } });
    const err = (await wrong.get('projects/cfg.csv').catch((e: unknown) => e)) as Error;
    for (const shown of [JSON.stringify(config), inspect(config, { depth: 5 }), inspect(store, { depth: 5 }), err.message, inspect(err)])
      expect(shown).not.toContain('test-secret');
  });
});
