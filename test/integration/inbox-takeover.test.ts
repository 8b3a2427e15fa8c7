/**
 * kill -9 in the middle of applying acknowledged callbacks, then a fresh process: every acknowledged
 * event must be applied within 5 s of the restart, none lost, none applied after its row was marked
 * done, in order. The process is test/support/inbox-takeover-worker.ts (the real container and
 * ingress; the events are slow probe events plus a change_contact delete_user of a member who holds
 * a session, which must be refused once the restarted process has applied it).
 *
 * Several lanes run side by side, each its own database with its own chain of processes, so the 20
 * kills per driver fit in a few seconds' worth of lease expiries (a kill frees the lease only when
 * the dead worker's last renewal runs out).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { DEMO_CREDENTIALS, DEMO_USERS, startWecomSim, type WecomSim } from '../../scripts/wecom-sim';
import { createContainer } from '../../server/src/container';
import type { DataSource } from 'typeorm';
import { sleep } from '../../server/src/lib/sleep';
import { Member } from '../../server/src/modules/org/member.entity';
import { InboxEntry } from '../../server/src/wecom/callbacks/inbox-entry.entity';
import { testConfig } from '../support/config';
import { dropDatabaseUrl, freshDatabaseUrl, testDatabases, type TestDatabaseKind } from '../support/databases';
import type { EnqueueCommand } from '../support/inbox-takeover-worker';
import { waitFor } from '../support/wait';

const root = join(__dirname, '../..');
const LANES = 4;
const KILLS_PER_LANE = 5;
const PROBES_PER_BATCH = 10;
const TAKEOVER_BOUND_MS = 5_000;
/** One member deleted per batch (each lane has its own database, so the lanes reuse the list). */
const VICTIMS = [DEMO_USERS.csAgent, DEMO_USERS.csAgent2, DEMO_USERS.warehouse, DEMO_USERS.marketing, DEMO_USERS.designer];

const DDL: Record<TestDatabaseKind, string> = {
  sqlite: 'CREATE TABLE takeover_applies (id INTEGER PRIMARY KEY AUTOINCREMENT, seq INTEGER NOT NULL, pid INTEGER NOT NULL, row_status VARCHAR(16) NOT NULL)',
  mysql: 'CREATE TABLE takeover_applies (id INT AUTO_INCREMENT PRIMARY KEY, seq INT NOT NULL, pid INT NOT NULL, row_status VARCHAR(16) NOT NULL)',
};

interface Child {
  pid: number;
  ready: Promise<string>;
  line(text: string): Promise<string>;
  send(cmd: EnqueueCommand): void;
  /** kill -9, resolved once the process is gone. */
  kill(): Promise<void>;
}

/** test/support/inbox-takeover-worker.ts as its own OS process: node with tsx's loader, no wrapper process in between. */
function startChild(databaseUrl: string, simUrl: string): Child {
  const child: ChildProcessWithoutNullStreams = spawn(
    process.execPath,
    ['--import', 'tsx', join(root, 'test/support/inbox-takeover-worker.ts'), databaseUrl, simUrl],
    {
      cwd: root,
      env: { ...process.env, TSX_TSCONFIG_PATH: join(root, 'tsconfig.json') },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  let killed = false;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const died = exited.then(() => (killed ? new Promise<never>(() => undefined) : Promise.reject(new Error(`worker ${child.pid} exited by itself: ${stderr}`))));
  died.catch(() => undefined);
  const lines = new Set<string>();
  const waiters: Array<() => void> = [];
  createInterface({ input: child.stdout }).on('line', (l) => {
    lines.add(l);
    waiters.splice(0).forEach((wake) => wake());
  });
  const line = (text: string) =>
    Promise.race([
      new Promise<string>((resolve) => {
        const look = () => {
          if (lines.has(text)) resolve(text);
          else waiters.push(look);
        };
        look();
      }),
      died,
    ]);
  const ready = line('ready');
  ready.catch(() => undefined); // a worker that dies early is reported by whoever waits on it
  return {
    pid: child.pid!,
    ready,
    line,
    send: (cmd) => child.stdin.write(`enqueue ${JSON.stringify(cmd)}\n`),
    async kill() {
      if (child.exitCode === null && child.signalCode === null) {
        killed = true;
        child.kill('SIGKILL');
      }
      await exited;
    },
  };
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

interface Takeover {
  /** Spawn of the fresh process → every acknowledged event applied and the deleted member's session refused. */
  fromRestart: number;
  fromKill: number;
  /** Spawn → the fresh process's container built and its worker started. */
  boot: number;
  pendingAtKill: number;
}

const pending = (ds: DataSource) => ds.getRepository(InboxEntry).countBy({ status: 'pending' });

/** One database and its chain of worker processes, each killed mid-batch and replaced by a fresh one. */
async function runLane(kind: TestDatabaseKind, sim: WecomSim, lane: number): Promise<Takeover[]> {
  // Lanes start staggered so that their kills and restarts (CPU-heavy boots) do not all coincide on two cores.
  await sleep(lane * 800);
  const url = await freshDatabaseUrl(kind);
  // The test's own view of the database (it migrates and mirrors the corp); its worker never starts.
  const parent = await createContainer(testConfig(url, sim.url));
  const children: Child[] = [];
  try {
    await parent.contactSync.run('test');
    await parent.ds.query(DDL[kind]);
    let child = startChild(url, sim.url);
    children.push(child);
    await child.ready;
    const takeovers: Takeover[] = [];
    for (let batch = 0; batch < KILLS_PER_LANE; batch++) {
      const member = VICTIMS[batch]!;
      const session = await parent.sessions.create(member, 'takeover test', parent.ds.manager);
      expect(await parent.sessions.resolve(session)).toBe(member);
      const from = batch * PROBES_PER_BATCH + 1;
      child.send({ batch, from, count: PROBES_PER_BATCH, deleteUser: member });
      // Kill once a few probes are applied (the rest of the batch and the delete_user are not yet),
      // sometimes right after a commit (before its row is marked), sometimes inside the next apply.
      const killAfter = from + randomInt(0, PROBES_PER_BATCH - 3);
      await Promise.all([child.line(`acked ${batch}`), child.line(`applied ${killAfter}`)]);
      await sleep(randomInt(0, 45));
      const killedAt = performance.now();
      await child.kill();
      expect(isAlive(child.pid)).toBe(false);
      const pendingAtKill = await pending(parent.ds);
      const restartedAt = performance.now();
      const fresh = startChild(url, sim.url);
      children.push(fresh);
      const bootedAt = fresh.ready.then(() => performance.now());
      await waitFor(
        async () => (await pending(parent.ds)) === 0 && (await parent.sessions.resolve(session)) === null,
        `batch ${batch}: every acknowledged event applied and ${member}'s session refused`,
        15_000,
        20,
      );
      const doneAt = performance.now();
      takeovers.push({ fromRestart: doneAt - restartedAt, fromKill: doneAt - killedAt, boot: (await bootedAt) - restartedAt, pendingAtKill });
      child = fresh;
    }

    // Nothing lost or parked: every acknowledged row is applied.
    const rows = await parent.ds.getRepository(InboxEntry).find({ order: { id: 'ASC' } });
    expect(rows).toHaveLength(KILLS_PER_LANE * (PROBES_PER_BATCH + 1));
    expect(rows.filter((r) => r.status !== 'applied')).toEqual([]);
    // Every committed apply found its row still pending: no event was applied after being marked done.
    const applies: Array<{ seq: number | string; pid: number | string; row_status: string }> = await parent.ds.query(
      'SELECT seq, pid, row_status FROM takeover_applies ORDER BY id',
    );
    expect(applies.filter((a) => a.row_status !== 'pending')).toEqual([]);
    // Each probe applied; a second apply only for the one whose first apply committed just before a kill.
    const seqs = applies.map((a) => Number(a.seq));
    const total = KILLS_PER_LANE * PROBES_PER_BATCH;
    expect(new Set(seqs)).toEqual(new Set(Array.from({ length: total }, (_, i) => i + 1)));
    const reruns = seqs.filter((s, i) => seqs.indexOf(s) !== i);
    expect(new Set(reruns).size).toBe(reruns.length);
    expect(reruns.length).toBeLessThanOrEqual(KILLS_PER_LANE);
    for (const seq of reruns) {
      const pids = applies.filter((a) => Number(a.seq) === seq).map((a) => Number(a.pid));
      expect(new Set(pids).size).toBe(2); // the killed process, then its successor
    }
    // In order: no apply ever went back to an earlier event.
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    const victims = await parent.ds.getRepository(Member).findBy(VICTIMS.map((userid) => ({ userid })));
    expect(victims.map((m) => m.active)).toEqual(VICTIMS.map(() => false));
    return takeovers;
  } finally {
    for (const c of children) await c.kill();
    await parent.close();
    await dropDatabaseUrl(url);
  }
}

describe.each(testDatabases())('inbox worker takeover after kill -9 ($label)', ({ kind, label }) => {
  let sim: WecomSim;
  beforeAll(async () => {
    sim = await startWecomSim({ ...DEMO_CREDENTIALS, port: 0 });
  });
  afterAll(() => sim.close());

  it(`${LANES * KILLS_PER_LANE} kills mid-batch: a fresh process applies every acknowledged event within ${TAKEOVER_BOUND_MS / 1000} s of its restart`, async () => {
    // Every lane finishes (and cleans up) before a failure in one is reported.
    const lanes = await Promise.allSettled(Array.from({ length: LANES }, (_, lane) => runLane(kind, sim, lane)));
    const failed = lanes.find((l): l is PromiseRejectedResult => l.status === 'rejected');
    if (failed) throw failed.reason;
    const takeovers = lanes.flatMap((l) => (l.status === 'fulfilled' ? l.value : []));
    const worst = (key: keyof Takeover) => Math.round(Math.max(...takeovers.map((t) => t[key])));
    const median = (key: keyof Takeover) => Math.round([...takeovers.map((t) => t[key])].sort((a, b) => a - b)[takeovers.length >> 1]!);
    console.log(
      `[${label}] ${takeovers.length} kill -9 takeovers: worst ${worst('fromRestart')} ms from the restart (median ${median('fromRestart')}), ` +
        `worst ${worst('fromKill')} ms from the kill (median ${median('fromKill')}); restarted process booted in ${median('boot')} ms (median), ${worst('boot')} ms (worst)`,
    );
    expect(takeovers).toHaveLength(LANES * KILLS_PER_LANE);
    // Every kill landed mid-batch: something acknowledged was still waiting to be applied.
    expect(takeovers.filter((t) => t.pendingAtKill === 0)).toEqual([]);
    expect(worst('fromRestart')).toBeLessThanOrEqual(TAKEOVER_BOUND_MS);
  }, 90_000);
});
