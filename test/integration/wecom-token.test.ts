import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { DataSource } from 'typeorm';
import { DEMO_CREDENTIALS, DEMO_USERS, startWecomSim, type WecomSim } from '../../scripts/wecom-sim';
import { openDatabase } from '../../server/src/db/data-source';
import { LeaseStore } from '../../server/src/db/leases';
import { createLogger } from '../../server/src/lib/logger';
import { CredentialCache } from '../../server/src/wecom/client/credential-cache';
import { WeComConfigError, WeComRateLimitError, WeComApiError } from '../../server/src/wecom/client/errors';
import { WeComClient } from '../../server/src/wecom/client/wecom-client';
import { dropDatabaseUrl, freshDatabaseUrl, testDatabases } from '../support/databases';
import type { TokenWorkerResult } from '../support/token-worker';

const root = join(__dirname, '../..');

/** test/support/token-worker.ts in its own OS process: `ready` once set up, `go()` releases it, `result` is its report. */
function startTokenWorker(databaseUrl: string, simUrl: string, calls: number) {
  const child = spawn(
    join(root, 'node_modules/.bin/tsx'),
    ['--tsconfig', join(root, 'tsconfig.json'), join(root, 'test/support/token-worker.ts'), databaseUrl, simUrl, String(calls)],
    {
      cwd: root,
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const failed = (what: string) => exited.then((code) => Promise.reject(new Error(`token worker exited (${code}) before ${what}: ${stderr}`)));
  const lines: string[] = [];
  const waiters: Array<() => void> = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(line);
    waiters.splice(0).forEach((wake) => wake());
  });
  const line = (match: (l: string) => boolean, what: string) =>
    Promise.race([
      new Promise<string>((resolve) => {
        const look = () => {
          const hit = lines.find(match);
          if (hit !== undefined) resolve(hit);
          else waiters.push(look);
        };
        look();
      }),
      failed(what),
    ]);
  const ready = line((l) => l === 'ready', 'ready');
  const result = line((l) => l.startsWith('{'), 'its result').then((l) => JSON.parse(l) as TokenWorkerResult);
  result.catch(() => undefined); // awaited only after `ready`; a worker that dies early is reported there
  return {
    ready,
    go: () => child.stdin.write('go\n'),
    result,
    kill: () => child.exitCode === null && child.signalCode === null && child.kill('SIGKILL'),
  };
}

describe.each(testDatabases())('WeCom access token: cache, single-flight and retries ($label)', ({ kind }) => {
  let sim: WecomSim;
  let url: string;
  const opened: DataSource[] = [];

  const client = async (over: Partial<ConstructorParameters<typeof WeComClient>[0]> = {}) => {
    const ds = await openDatabase(url, { migrate: opened.length === 0 });
    opened.push(ds);
    return new WeComClient(
      {
        apiBase: sim.url,
        corpId: DEMO_CREDENTIALS.corpId,
        agentSecret: DEMO_CREDENTIALS.agentSecret,
        contactSecret: DEMO_CREDENTIALS.contactSecret,
        logger: createLogger('silent'),
        retryBaseMs: 5,
        ...over,
      },
      new CredentialCache(new LeaseStore(ds)),
    );
  };

  beforeEach(async () => {
    sim = await startWecomSim({ ...DEMO_CREDENTIALS, port: 0, latencyMs: 30 });
    url = await freshDatabaseUrl(kind);
  });
  afterEach(async () => {
    for (const ds of opened.splice(0)) await ds.destroy();
    await sim.close();
    await dropDatabaseUrl(url);
  });

  it('50 concurrent calls in one process fetch one token', async () => {
    const c = await client();
    const users = await Promise.all(Array.from({ length: 50 }, () => c.user.get(DEMO_USERS.csAgent)));
    expect(users.every((u) => u.userid === DEMO_USERS.csAgent)).toBe(true);
    expect(sim.stats.tokensIssued).toBe(1);
    expect(sim.stats.calls['/cgi-bin/user/get'] ?? sim.stats.calls['user/get']).toBe(50);
  });

  it('four instances sharing the database fetch one token between them', async () => {
    const clients = [await client(), await client(), await client(), await client()];
    const tokens = await Promise.all(Array.from({ length: 60 }, (_, i) => clients[i % 4]!.accessToken()));
    expect(new Set(tokens).size).toBe(1);
    expect(sim.stats.tokensIssued).toBe(1);
  });

  it('three separate OS processes, all calling at once, fetch one token between them', async () => {
    await client(); // runs the migrations
    // A slow gettoken (400 ms) keeps the winner's call open long enough for the others to be turned away.
    await sim.close();
    sim = await startWecomSim({ ...DEMO_CREDENTIALS, port: 0, latencyMs: 400 });
    const workers = [1, 2, 3].map(() => startTokenWorker(url, sim.url, 20));
    try {
      // Barrier: every process has its database connection and client before any of them calls.
      await Promise.all(workers.map((w) => w.ready));
      for (const w of workers) w.go();
      const results = await Promise.all(workers.map((w) => w.result));

      expect(new Set(results.map((r) => r.pid)).size).toBe(3);
      // The three call intervals intersect: there was a moment when all three processes were inside
      // accessToken() at once, so the single gettoken below is the lease at work, not luck of timing.
      const lastStart = Math.max(...results.map((r) => r.startedAt));
      const firstFinish = Math.min(...results.map((r) => r.finishedAt));
      expect(lastStart).toBeLessThan(firstFinish);

      const tokens = new Set(results.flatMap((r) => r.tokens));
      expect(tokens.size).toBe(1);
      expect(sim.stats.calls['/cgi-bin/gettoken']).toBe(1);
      expect(sim.stats.tokensIssued).toBe(1);
    } finally {
      for (const w of workers) w.kill();
    }
  }, 60_000);

  it('refreshes once and retries once when WeCom says the token expired (42001) or is invalid (40014)', async () => {
    const c = await client();
    await c.user.get(DEMO_USERS.csAgent);
    sim.invalidateToken(undefined, 42001);
    await expect(c.user.get(DEMO_USERS.csAgent)).resolves.toMatchObject({ userid: DEMO_USERS.csAgent });
    sim.invalidateToken(undefined, 40014);
    await expect(c.user.get(DEMO_USERS.csAgent)).resolves.toMatchObject({ userid: DEMO_USERS.csAgent });
    expect(sim.stats.tokensIssued).toBe(3);
  });

  it('does not loop when the fresh token is refused too', async () => {
    const c = await client();
    await c.accessToken();
    sim.failNext('user/get', 42001, 5);
    await expect(c.user.get(DEMO_USERS.csAgent)).rejects.toMatchObject({ errcode: 42001 });
    expect(sim.stats.tokensIssued).toBe(2);
  });

  it('retries -1 (system busy) with backoff, and gives up after three retries', async () => {
    const c = await client();
    sim.failNext('user/get', -1, 2);
    await expect(c.user.get(DEMO_USERS.csAgent)).resolves.toMatchObject({ userid: DEMO_USERS.csAgent });
    sim.failNext('user/get', -1, 10);
    await expect(c.user.get(DEMO_USERS.csAgent)).rejects.toBeInstanceOf(WeComApiError);
  });

  it('reports 45009 as a rate-limit error after backing off', async () => {
    const c = await client();
    sim.failNext('user/get', 45009, 10);
    await expect(c.user.get(DEMO_USERS.csAgent)).rejects.toBeInstanceOf(WeComRateLimitError);
  });

  it.each([40001, 48002, 60011, 60020])('reports config error %d clearly and does not retry it', async (errcode) => {
    const c = await client();
    await c.accessToken();
    const before = sim.stats.tokensIssued;
    sim.failNext('department/list', errcode, 1);
    const err = await c.department.list().catch((e) => e);
    if (errcode === 40001) {
      // From a business API 40001 means the credential: treated like 40014 once (refresh + retry).
      expect(Array.isArray(err)).toBe(true); // the call succeeded
      expect(sim.stats.tokensIssued).toBe(before + 1);
    } else {
      expect(err).toBeInstanceOf(WeComConfigError);
      expect((err as WeComConfigError).hint()).toMatch(/./);
      expect(sim.stats.calls['/cgi-bin/department/list'] ?? sim.stats.calls['department/list']).toBe(1);
    }
  });

  it('a wrong secret at gettoken is a config error, not retried', async () => {
    const c = await client({ agentSecret: 'not-the-secret' });
    await expect(c.accessToken()).rejects.toBeInstanceOf(WeComConfigError);
    expect(sim.stats.calls['/cgi-bin/gettoken'] ?? sim.stats.calls['gettoken']).toBe(1);
  });

  it('keeps one token per secret: user/list_id uses the 通讯录同步 secret', async () => {
    const c = await client();
    await c.user.get(DEMO_USERS.csAgent);
    const page = await c.user.listId('', 5);
    expect(page.dept_user.length).toBe(5);
    expect(sim.stats.tokensIssued).toBe(2);
  });
});
