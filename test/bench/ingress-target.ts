/**
 * The servers under load for callback-ingress.ts, in their own process (forked by it) so the load
 * generator never shares an event loop with them:
 *
 * - "ours": the real ShopCrew server (startStack: WeCom simulator with the demo corp, MariaDB database
 *   from TEST_MYSQL_URL, migrations, first contact sync, background work started, i.e. the inbox
 *   worker running and applying what the ingress stores).
 * - "bare": a Koa app with one handler that reads the body with the same cap, extracts Encrypt,
 *   verifies the signature and decrypts with the server's own WeComCallbackCrypto / extractEncrypt,
 *   and answers an empty 200. No inbox write, no XML parse of the plaintext, no app middleware.
 *
 * Protocol (IPC): sends {type:'ready', ours, bare, databaseUrl}; on {type:'close'} shuts everything
 * down (dropping the database) and exits; {type:'worker', on} stops/starts the inbox worker and is
 * acknowledged with a message of the same type.
 * Exits too when the parent goes away.
 */
import Koa from 'koa';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { readRawBody } from '../../server/src/http/body';
import { CALLBACK_BODY_LIMIT } from '../../server/src/wecom/callbacks/callback.routes';
import { WeComCallbackCrypto } from '../../server/src/wecom/crypto/callback-crypto';
import { extractEncrypt } from '../../server/src/wecom/crypto/callback-xml';
import { DEMO_CREDENTIALS } from '../../scripts/wecom-sim';
import { startStack, type Stack } from '../support/stack';

export interface TargetReady {
  type: 'ready';
  ours: string;
  bare: string;
  databaseUrl: string;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The bare handler: body → Encrypt → signature → decrypt → empty 200. */
export async function startBareServer(): Promise<{ url: string; close(): Promise<void> }> {
  const crypto = new WeComCallbackCrypto({
    token: DEMO_CREDENTIALS.callbackToken,
    encodingAESKey: DEMO_CREDENTIALS.callbackAesKey,
    receiveId: DEMO_CREDENTIALS.corpId,
  });
  const app = new Koa();
  app.silent = true;
  app.use(async (ctx) => {
    if (ctx.method !== 'POST' || ctx.path !== '/wecom/callback') {
      ctx.status = 404;
      return;
    }
    try {
      const body = await readRawBody(ctx, CALLBACK_BODY_LIMIT);
      const q = ctx.query;
      crypto.open({ msgSignature: str(q.msg_signature), timestamp: str(q.timestamp), nonce: str(q.nonce), encrypted: extractEncrypt(body) });
    } catch {
      ctx.status = 400;
      ctx.body = 'rejected';
      return;
    }
    ctx.status = 200;
    ctx.type = 'text/plain';
    ctx.body = '';
  });
  const server: Server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  server.keepAliveTimeout = 65_000; // same as the real server
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function main(): Promise<void> {
  const stack: Stack = await startStack({ db: 'mysql' });
  const bare = await startBareServer();
  let closing: Promise<void> | null = null;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      await bare.close().catch(() => undefined);
      await stack.close().catch((e) => console.error('[ingress-target] close failed:', e));
    })());
  process.on('message', (m: { type?: string; on?: boolean }) => {
    if (m?.type === 'close') void close().then(() => process.exit(0));
    // Pause the inbox worker while the bare handler is measured, so the backlog "ours" left behind
    // doesn't take CPU from the baseline; resume it for ours.
    if (m?.type === 'worker') {
      const w = stack.app.container.worker;
      void (m.on ? Promise.resolve(w.start()) : w.stop()).then(() => process.send!({ type: 'worker', on: m.on }));
    }
  });
  process.on('disconnect', () => void close().then(() => process.exit(0)));
  const ready: TargetReady = { type: 'ready', ours: stack.baseUrl, bare: bare.url, databaseUrl: stack.databaseUrl };
  process.send!(ready);
}

if (require.main === module) {
  if (!process.send) {
    console.error('ingress-target.ts is forked by callback-ingress.ts; run that instead.');
    process.exit(2);
  }
  main().catch((err) => {
    console.error('[ingress-target] failed to start:', err);
    process.exit(1);
  });
}
