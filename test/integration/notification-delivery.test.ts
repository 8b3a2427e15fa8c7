/**
 * Notification deliveries with two worker processes (two OS processes, as two server instances) on one database while
 * WeCom fails for a while (503, -1, 45009): every message reaches its member exactly once — no duplicate, not even one
 * hidden by WeCom's own duplicate check — and none exceeds a limit. On every database of the matrix (two processes on
 * one SQLite file: one writer at a time).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createContainer, type Container } from '../../server/src/container';
import { createLogger } from '../../server/src/lib/logger';
import { Delivery, pendingDelivery } from '../../server/src/modules/notifications/delivery.entity';
import type { OutgoingMessage } from '../../server/src/modules/notifications/message';
import { DEMO_CREDENTIALS, DEMO_USERS, startWecomSim, type WecomSim } from '../../scripts/wecom-sim';
import { testConfig } from '../support/config';
import { dropDatabaseUrl, freshDatabaseUrl, testDatabases } from '../support/databases';
import { waitFor } from '../support/wait';

const root = join(__dirname, '..', '..');

/** test/support/delivery-worker-process.ts as its own OS process; resolves once its worker runs. */
function startWorkerProcess(databaseUrl: string, simUrl: string): Promise<ChildProcessWithoutNullStreams> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'test/support/delivery-worker-process.ts'), databaseUrl, simUrl], {
    cwd: root,
    env: { ...process.env, TSX_TSCONFIG_PATH: join(root, 'tsconfig.json') },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (l) => l === 'ready' && resolve(child));
    child.once('exit', (code) => reject(new Error(`worker exited (${code}) before it was ready: ${stderr}`)));
  });
}

function stopWorkerProcess(child: ChildProcessWithoutNullStreams): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => (clearTimeout(kill), resolve()));
    child.stdin.end();
  });
}

const PER_MEMBER = 8;

describe.each(testDatabases())('notification deliveries across instances ($label)', ({ kind }) => {
  let sim: WecomSim;
  let url: string;
  /** This process only writes the deliveries and reads the outcome; its worker never starts. */
  let c: Container;
  const workers: ChildProcessWithoutNullStreams[] = [];

  beforeAll(async () => {
    sim = await startWecomSim({ ...DEMO_CREDENTIALS, port: 0 });
    url = await freshDatabaseUrl(kind);
    c = await createContainer(testConfig(url, sim.url), { logger: createLogger('silent') });
  });
  afterAll(async () => {
    await Promise.all(workers.map(stopWorkerProcess));
    await c.close();
    await sim.close();
    await dropDatabaseUrl(url);
  });

  it('delivers every message once while WeCom answers 503, -1 and 45009 for a while', async () => {
    const members = Object.values(DEMO_USERS);
    const ds = c.ds;
    const now = Date.now();
    const rows = members.flatMap((userid) =>
      Array.from({ length: PER_MEMBER }, (_, i) => {
        const message: OutgoingMessage = { format: 'text', title: '投递测试', text: `#${userid}-${i + 1}#` };
        return pendingDelivery(
          {
            idempotencyKey: `bench:${userid}:${i}`,
            eventId: `e-${userid}-${i}`,
            eventType: 'member.joined',
            ruleId: null,
            channel: 'app',
            target: `user:${userid}`,
            message,
          },
          now,
        );
      }),
    );
    await ds.getRepository(Delivery).save(rows, { chunk: 50 });
    sim.injectFault('/cgi-bin/message/send', { httpStatus: 503 }, 12);
    sim.injectFault('/cgi-bin/message/send', { errcode: -1 }, 12);
    sim.injectFault('/cgi-bin/message/send', { errcode: 45009 }, 8);
    workers.push(...(await Promise.all([startWorkerProcess(url, sim.url), startWorkerProcess(url, sim.url)])));
    expect(new Set(workers.map((w) => w.pid)).size).toBe(2);

    await waitFor(async () => (await ds.getRepository(Delivery).countBy({ status: 'sent' })) === rows.length, 'all sent', 60_000, 50);
    for (const userid of members) {
      const texts = sim.inboxOf(userid).map((m) => JSON.stringify(m.content));
      for (let i = 1; i <= PER_MEMBER; i++) expect([userid, i, texts.filter((t) => t.includes(`#${userid}-${i}#`)).length]).toEqual([userid, i, 1]);
    }
    expect(sim.stats.duplicateSuppressed).toEqual([]);
    expect(sim.stats.limitViolations).toEqual([]);
    const retried = await ds.getRepository(Delivery).createQueryBuilder('d').where('d.attempts > 1').getCount();
    expect(retried).toBeGreaterThanOrEqual(1);
  });
});
