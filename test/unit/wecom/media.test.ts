// Temporary media: the client's media.get (https://developer.work.weixin.qq.com/document/path/90254) against the WeCom
// simulator's media/upload (https://developer.work.weixin.qq.com/document/path/90253) and media/get, plus the answers the
// simulator cannot produce (a text/plain error body, a file over the 20 MB cap) from a stub server.
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { DEMO_CREDENTIALS, startWecomSim, type WecomSim } from '../../../scripts/wecom-sim';
import type { LeaseStore } from '../../../server/src/db/leases';
import type { Logger } from '../../../server/src/lib/logger';
import { CredentialCache } from '../../../server/src/wecom/client/credential-cache';
import { WeComApiError, WeComDownloadTooLargeError } from '../../../server/src/wecom/client/errors';
import { fileNameOf, MAX_MEDIA_BYTES } from '../../../server/src/wecom/client/media-api';
import { WeComClient } from '../../../server/src/wecom/client/wecom-client';

const C = DEMO_CREDENTIALS;
const DAY = 24 * 3600_000;
// A real 1×1 PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const JPG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(64, 7)]);

/** The credential cache's database, in memory (the lease logic itself is covered by test/integration/wecom-token.test.ts). */
function memoryLeases(): LeaseStore {
  const values = new Map<string, { value: string; expiresAt: number }>();
  const fake = {
    readValue: (k: string) => Promise.resolve(values.get(k) ?? null),
    writeValue: (k: string, value: string, expiresAt: number) => Promise.resolve(void values.set(k, { value, expiresAt })),
    invalidateValue: (k: string, expected: string) => Promise.resolve(values.get(k)?.value === expected && values.delete(k)),
    hold: () => Promise.resolve({ release: () => Promise.resolve() }),
  };
  return fake as unknown as LeaseStore;
}

/** A logger whose lines the test can read. */
function capturingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, sink), lines };
}

function clientFor(apiBase: string, logger: Logger = pino({ level: 'silent' })): WeComClient {
  return new WeComClient({ apiBase, corpId: C.corpId, agentSecret: C.agentSecret, logger, retryBaseMs: 2 }, new CredentialCache(memoryLeases()));
}

async function upload(sim: WecomSim, type: string, bytes: Buffer, filename: string, contentType: string): Promise<Record<string, unknown>> {
  const token = ((await (await fetch(`${sim.url}/cgi-bin/gettoken?corpid=${C.corpId}&corpsecret=${C.agentSecret}`)).json()) as { access_token: string })
    .access_token;
  const form = new FormData();
  form.append('media', new Blob([new Uint8Array(bytes)], { type: contentType }), filename);
  const res = await fetch(`${sim.url}/cgi-bin/media/upload?access_token=${token}&type=${type}`, { method: 'POST', body: form });
  return (await res.json()) as Record<string, unknown>;
}

const errcodeOf = (p: Promise<unknown>): Promise<number | undefined> =>
  p.then(
    () => undefined,
    (err: unknown) => (err instanceof WeComApiError ? err.errcode : NaN),
  );

describe('media/get through WeComClient against the simulator', () => {
  let sim: WecomSim;
  let clock: number;

  beforeEach(async () => {
    clock = Date.UTC(2024, 5, 1, 2, 0, 0);
    sim = await startWecomSim({ ...C, port: 0, now: () => clock });
  });
  afterEach(() => sim.close());

  it('upload (multipart) then get returns the same bytes, content type and file name', async () => {
    const up = await upload(sim, 'image', PNG, 'evidence.png', 'image/png');
    expect(up).toMatchObject({ errcode: 0, errmsg: 'ok', type: 'image', created_at: String(Math.floor(clock / 1000)) });
    expect(up['media_id']).toMatch(/^[\w-]{20,}$/);

    const file = await clientFor(sim.url).media.get(up['media_id'] as string);
    expect(file.bytes.equals(PNG)).toBe(true);
    expect(file.contentType).toBe('image/png');
    expect(file.fileName).toBe('evidence.png');
  });

  it('sim.putMedia stores what the JS-SDK uploadImage would; a non-ASCII file name comes back decoded', async () => {
    const mediaId = sim.putMedia(JPG, 'image/jpeg', '验收照片 #1.jpg');
    const file = await clientFor(sim.url).media.get(mediaId);
    expect(file).toEqual({ bytes: JPG, contentType: 'image/jpeg', fileName: '验收照片 #1.jpg' });
    expect(sim.media(mediaId)).toMatchObject({ type: 'image', filename: '验收照片 #1.jpg' });
  });

  it('an unknown media_id throws WeComApiError 40007, not retried', async () => {
    const client = clientFor(sim.url);
    const err = await client.media.get('no-such-media').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WeComApiError);
    expect(err).toMatchObject({ errcode: 40007, api: 'media/get' });
    expect(sim.stats.calls['/cgi-bin/media/get']).toBe(1);
  });

  it('media expire after 3 days on the simulator clock (40007)', async () => {
    const mediaId = sim.putMedia(PNG, 'image/png', 'a.png');
    const client = clientFor(sim.url);
    clock += 3 * DAY - 60_000;
    await expect(client.media.get(mediaId)).resolves.toMatchObject({ fileName: 'a.png' });
    clock += 60_000;
    await expect(errcodeOf(client.media.get(mediaId))).resolves.toBe(40007);
  });

  it('refreshes an expired token once and retries once, never logging the token or the bytes', async () => {
    const { logger, lines } = capturingLogger();
    const client = clientFor(sim.url, logger);
    const mediaId = sim.putMedia(PNG, 'image/png', 'a.png');
    await client.media.get(mediaId);
    const oldToken = await client.accessToken();
    expect(sim.stats.tokensIssued).toBe(1);

    sim.invalidateToken(undefined, 42001);
    const file = await client.media.get(mediaId);
    expect(file.bytes.equals(PNG)).toBe(true);
    expect(sim.stats.tokensIssued).toBe(2);
    const newToken = await client.accessToken();

    // A token refused again after the refresh is reported, not refreshed in a loop.
    sim.failNext('media/get', 42001, 5);
    await expect(errcodeOf(client.media.get(mediaId))).resolves.toBe(42001);
    expect(sim.stats.tokensIssued).toBe(3);

    const log = lines.join('');
    expect(log).toMatch(/wecom token rejected; refreshing once/);
    for (const secret of [oldToken, newToken, C.agentSecret, PNG.toString('base64'), PNG.toString('latin1')]) expect(log).not.toContain(secret);
  });

  it('retries -1 (system busy) like other calls', async () => {
    const mediaId = sim.putMedia(PNG, 'image/png', 'a.png');
    sim.failNext('media/get', -1, 2);
    await expect(clientFor(sim.url).media.get(mediaId)).resolves.toMatchObject({ contentType: 'image/png' });
    expect(sim.stats.calls['/cgi-bin/media/get']).toBe(3);
  });
});

describe('simulator media/upload and media/get checks', () => {
  let sim: WecomSim;
  beforeAll(async () => {
    sim = await startWecomSim({ ...C, port: 0 });
  });
  afterAll(() => sim.close());

  it.each([
    ['an unknown type', 'gif', PNG, 'image/png', 40005],
    ['an image that is not JPG/PNG', 'image', Buffer.from('GIF89a-not-allowed'), 'image/gif', 40004],
    ['a file of 5 bytes', 'file', Buffer.from('12345'), 'text/plain', 40006],
    ['an image over 10MB', 'image', Buffer.concat([PNG, Buffer.alloc(10 * 1024 * 1024)]), 'image/png', 40009],
    ['a voice that is not AMR', 'voice', Buffer.from('RIFF....WAVEfmt '), 'audio/wav', 40004],
  ])('refuses %s', async (_what, type, bytes, contentType, errcode) => {
    await expect(upload(sim, type, bytes, 'x', contentType)).resolves.toMatchObject({ errcode });
  });

  it('a file keeps its declared content type; no media part is 44001; no media_id is 41006; a bad token is 40014', async () => {
    const up = await upload(sim, 'file', Buffer.from('%PDF-1.4 evidence'), 'report.pdf', 'application/pdf');
    await expect(clientFor(sim.url).media.get(up['media_id'] as string)).resolves.toMatchObject({ contentType: 'application/pdf', fileName: 'report.pdf' });

    const token = await clientFor(sim.url).accessToken();
    const empty = await fetch(`${sim.url}/cgi-bin/media/upload?access_token=${token}&type=image`, { method: 'POST', body: new FormData() });
    expect(await empty.json()).toMatchObject({ errcode: 44001 });
    expect(await (await fetch(`${sim.url}/cgi-bin/media/get?access_token=${token}`)).json()).toMatchObject({ errcode: 41006 });
    const bad = await fetch(`${sim.url}/cgi-bin/media/get?access_token=nope&media_id=x`);
    expect(bad.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await bad.json()).toMatchObject({ errcode: 40014 });
  });

  it('the control endpoint POST /__sim/media stores a raw body', async () => {
    const res = (await (
      await fetch(`${sim.url}/__sim/media?filename=shot.jpg`, { method: 'POST', headers: { 'content-type': 'image/jpeg' }, body: JPG })
    ).json()) as Record<string, unknown>;
    expect(res).toMatchObject({ ok: true, type: 'image' });
    await expect(clientFor(sim.url).media.get(res['media_id'] as string)).resolves.toEqual({ bytes: JPG, contentType: 'image/jpeg', fileName: 'shot.jpg' });
    const refused = await fetch(`${sim.url}/__sim/media`, { method: 'POST', headers: { 'content-type': 'image/jpeg' }, body: 'tiny' });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ ok: false, errcode: 40006 });
  });
});

describe('media/get answers only a stub server produces', () => {
  let server: Server;
  let base: string;
  let answer: (res: ServerResponse) => void;
  let mediaCalls = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url?.startsWith('/cgi-bin/gettoken')) {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ errcode: 0, errmsg: 'ok', access_token: 'stub-token', expires_in: 7200 }));
        return;
      }
      mediaCalls++;
      answer(res);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(
    () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  );
  beforeEach(() => {
    mediaCalls = 0;
  });

  it('an error body sent as text/plain is still a WeComApiError', async () => {
    answer = (res) => {
      res.setHeader('content-type', 'text/plain');
      res.end('{"errcode":40007,"errmsg":"invalid media_id"}');
    };
    await expect(errcodeOf(clientFor(base).media.get('m'))).resolves.toBe(40007);
  });

  it('refuses a file announced over 20 MB without reading it, and does not retry', async () => {
    answer = (res) => {
      res.writeHead(200, { 'content-type': 'video/mp4', 'content-disposition': 'attachment; filename="big.mp4"', 'content-length': MAX_MEDIA_BYTES + 1 });
      res.write(Buffer.alloc(1024));
    };
    await expect(clientFor(base).media.get('m')).rejects.toBeInstanceOf(WeComDownloadTooLargeError);
    expect(mediaCalls).toBe(1);
  });

  it('stops a chunked download once it passes 20 MB', async () => {
    answer = (res) => {
      res.writeHead(200, { 'content-type': 'application/zip', 'content-disposition': 'attachment; filename="big.zip"' });
      const chunk = Buffer.alloc(1024 * 1024);
      let sent = 0;
      const pump = (): void => {
        while (sent <= 21 && !res.destroyed) {
          sent++;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
    };
    const err = await clientFor(base)
      .media.get('m')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WeComDownloadTooLargeError);
    expect((err as Error).message).toContain(String(MAX_MEDIA_BYTES));
    expect(mediaCalls).toBe(1);
  });

  it('a JSON answer with errcode 0 but no file is a transport error, not an empty file', async () => {
    answer = (res) => {
      res.setHeader('content-type', 'application/json');
      res.end('{"errcode":0,"errmsg":"ok"}');
    };
    await expect(clientFor(base).media.get('m')).rejects.toThrow(/without a file/);
  });
});

describe('fileNameOf (Content-disposition)', () => {
  it.each([
    ['attachment; filename="MEDIA_ID.jpg"', 'MEDIA_ID.jpg'],
    ['attachment; filename=plain.png', 'plain.png'],
    ['attachment; filename="%E9%AA%8C%E6%94%B6.jpg"', '验收.jpg'],
    ['attachment; filename="x.jpg"; filename*=UTF-8\'\'%E7%85%A7%E7%89%87.jpg', '照片.jpg'],
    ['attachment; filename="../../etc/passwd"', 'passwd'],
    ['attachment; filename="100%.jpg"', '100%.jpg'],
    ['attachment', null],
    [null, null],
  ])('%s → %s', (header, name) => {
    expect(fileNameOf(header)).toBe(name);
  });
});
