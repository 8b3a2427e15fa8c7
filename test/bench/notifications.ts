/**
 * Notification deliveries on MariaDB (issue 8), two benchmarks against the WeCom simulator with 20 ms added to every
 * messaging call (message/send, webhook/send):
 *
 *  1. Throughput: deliveries sent per second with 1 worker and with 3 workers. N (default 600) pending app-message
 *     deliveries, one per member target `user:bench_<i>` (every target a member of the simulator's corp), are written
 *     straight into notification_deliveries; then the workers run until none is pending. With one delivery per target the
 *     per-member limits (30/min, 1,000/h) never bind, so this measures the worker, the database and the round trip.
 *     "1 worker" = one forked process with one DeliveryWorker with one lane (INBOX_LANES=1); "3 workers" = three
 *     forked processes, each its own container (own DataSource, pool of 10) running only its DeliveryWorker with one
 *     lane, as three server instances would. Checks: every delivery `sent`, each target's inbox got exactly one
 *     message of the run, message/send called exactly N times (no resend hidden by WeCom's duplicate check), no limit
 *     violation recorded by the simulator.
 *  2. Burst: E (default 5,000) `member.joined` events published through the real server (uow.run + tx.publish, in
 *     batches of 100) with one app rule (text) to 50 members and one robot rule (text) for each of 5 robots: 55
 *     recipients, E × 55 deliveries, routed by the dispatcher and sent by the server's DeliveryWorker (default lanes) under the governor.
 *     The clock runs from the first publish until every recipient has been informed of every event (see
 *     checkRecipient for what "informed" means, exactly), and sim.stats.limitViolations must stay empty. The same
 *     report gives the floor that WeCom's limits allow (limitFloor, and the report's notes) and measured vs floor.
 *
 * Scale: issue 8 names a burst of 10,000 events. Routing is the bottleneck: the one dispatcher routes an event at a time,
 * 50–90 events a second on 2 shared CPUs while the deliveries go out, so 10,000 events alone take 2–3.5 minutes. The
 * default is 5,000 events and 600 throughput deliveries (issue 8's example: 3,000), about 3 minutes in all;
 * `--events 10000 --deliveries 3000` runs the issue's numbers (about 6 minutes).
 *
 * Standalone: npx tsx --tsconfig tsconfig.json test/bench/notifications.ts [--write] [--deliveries N] [--events E]
 */
import type { ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import type { DataSource } from 'typeorm';
import { loadConfig, type Config } from '../../server/src/config/config';
import { createContainer } from '../../server/src/container';
import { openDatabase } from '../../server/src/db/data-source';
import { createLogger } from '../../server/src/lib/logger';
import { SecretBox } from '../../server/src/lib/secret-box';
import { Delivery, pendingDelivery } from '../../server/src/modules/notifications/delivery.entity';
import { summarize } from '../../server/src/modules/notifications/delivery.worker';
import { LIMITS } from '../../server/src/modules/notifications/governor';
import { RobotService } from '../../server/src/modules/notifications/robot.service';
import { startServerOnPort, type RunningServer } from '../../server/src/server';
import { Corp, DEMO_CREDENTIALS, generateCorp, startWecomSim, type WecomSim } from '../../scripts/wecom-sim';
import { demoEnv } from '../support/config';
import { startMariaDb } from '../support/mariadb';
import { dropDatabaseUrl, freshDatabaseUrl } from '../support/databases';
import { childPidsNamed, cpuDelta, cpuSnapshot, waitForQuietMachine, type CpuDelta } from './lib/cpu';
import { forkWorkers, serveWorker } from './lib/workers';
import { fmtInt, newReport, runStandalone, type BenchReport } from './lib/report';

export interface NotificationsBenchOptions {
  /** Benchmark 1: pending deliveries per run, one per member target (default 600: one worker sends ~38 a second). */
  deliveries?: number;
  /** Benchmark 2: member.joined events in the burst (default 5,000; issue 8 names 10,000: --events 10000, ~2.5–3.5 min more). */
  events?: number;
  /** Benchmark 2: members the app rule sends to (default 50) and robots (default 5). */
  members?: number;
  robots?: number;
  /** Added to every messaging call of the simulator (default 20 ms). */
  latencyMs?: number;
  log?: (line: string) => void;
}

const EVENT_LABEL = '成员加入'; // member.joined's label (org module): the summary's title is `N 条成员加入`
const BURST_TEMPLATE = '新同事 {name}（{userid}）入职';
const PUBLISH_BATCH = 100;
const BURST_TIMEOUT_MS = 360_000;
/** delivery.worker.ts mergeBacklog: a summary folds the delivery in hand and at most 1,000 waiting ones. */
const MAX_MERGED = 1001;

const env = (databaseUrl: string, simUrl: string, port: number, over: Record<string, string> = {}): Config =>
  loadConfig(
    demoEnv({ databaseUrl, simUrl, port }, { NODE_ENV: 'production', SESSION_SECRET: 'bench-session-secret-0123456789abcdef', LOG_LEVEL: 'silent', ...over }),
  );

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const count = async (ds: DataSource, sql: string, params: unknown[] = []): Promise<number> =>
  Number((await ds.query<Array<{ n: number | string }>>(sql, params))[0]?.n ?? 0);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

// ───────────────────────────── 1. throughput ─────────────────────────────

interface Scenario {
  label: string;
  processes: number;
}

const SCENARIOS: Scenario[] = [
  { label: '1 worker', processes: 1 },
  { label: '3 workers (3 processes)', processes: 3 },
];

export interface ThroughputRun {
  scenario: Scenario;
  deliveries: number;
  ms: number;
  perS: number;
  sent: number;
  notSent: Record<string, number>;
  /** Targets whose inbox got this run's message 0 times, or more than once. */
  missing: number;
  twice: number;
  sendCalls: number;
  duplicateSuppressed: number;
  violations: number;
  retried: number;
  cpu: { workersMs: number; mariadbMs: number; simMs: number; machineBusy: number };
}

/** A worker process: one container (own DataSource) running only its DeliveryWorker, lanes from INBOX_LANES. */
async function workerMain(): Promise<void> {
  const url = process.env.BENCH_DB_URL!;
  const ds = await openDatabase(url, { migrate: false });
  const config = env(url, process.env.BENCH_SIM_URL!, 3999, { INBOX_LANES: process.env.BENCH_LANES ?? '1' });
  const c = await createContainer(config, { dataSource: ds, logger: createLogger('error') });
  const worker = c.notificationDeliveries;
  serveWorker(
    () => worker.start(),
    () => c.close().then(() => ds.destroy()),
  );
}

function startWorkers(url: string, simUrl: string, processes: number): Promise<ChildProcess[]> {
  return forkWorkers(__filename, processes, () => ({ BENCH_DB_URL: url, BENCH_SIM_URL: simUrl, BENCH_LANES: '1' }));
}

const stopWorkers = (workers: ChildProcess[]) =>
  Promise.all(
    workers.map(
      (w) =>
        new Promise<void>((resolve) => {
          if (w.exitCode !== null || w.signalCode !== null) return resolve();
          const timer = setTimeout(() => w.kill('SIGKILL'), 20_000);
          w.once('exit', () => (clearTimeout(timer), resolve()));
          w.send({ type: 'stop' });
        }),
    ),
  );

const benchUser = (i: number) => `bench_${i}`;

async function fillDeliveries(ds: DataSource, n: number, run: string): Promise<void> {
  await ds.query('DELETE FROM notification_deliveries');
  const now = Date.now();
  const rows = Array.from({ length: n }, (_, k) =>
    pendingDelivery(
      {
        idempotencyKey: `bench:${run}:${k + 1}`,
        eventId: `bench-${run}-${k + 1}`,
        eventType: 'member.joined',
        ruleId: null,
        channel: 'app',
        target: `user:${benchUser(k + 1)}`,
        // Unique per run: WeCom's duplicate check (enable_duplicate_check, 30 min) would swallow a repeat of the text.
        message: { format: 'text', title: EVENT_LABEL, text: `吞吐测试 ${run} #${k + 1}` },
      },
      now,
    ),
  );
  for (let i = 0; i < rows.length; i += 500) await ds.getRepository(Delivery).insert(rows.slice(i, i + 500));
}

async function runThroughput(ds: DataSource, url: string, sim: WecomSim, s: Scenario, n: number, log: (l: string) => void): Promise<ThroughputRun> {
  await waitForQuietMachine({ log, maxWaitMs: 20_000 });
  const run = `${s.processes}p-${Date.now().toString(36)}`;
  await fillDeliveries(ds, n, run);
  const workers = await startWorkers(url, sim.url, s.processes);
  const before = { calls: sim.stats.calls['/cgi-bin/message/send'] ?? 0, dup: sim.stats.duplicateSuppressed.length, viol: sim.stats.limitViolations.length };
  const pids = Object.fromEntries(workers.map((w, i) => [`w${i + 1}`, w.pid]));
  const mariadb = childPidsNamed('mariadbd')[0];
  const cpu0 = cpuSnapshot({ ...pids, mariadb });
  const t0 = performance.now();
  let ms: number;
  let delta: CpuDelta;
  try {
    for (const w of workers) w.send({ type: 'go' });
    for (;;) {
      const pending = await count(ds, `SELECT COUNT(*) AS n FROM notification_deliveries WHERE status = 'pending'`);
      if (pending === 0) break;
      if (performance.now() - t0 > 240_000) throw new Error(`${s.label}: still ${pending} pending after 240 s`);
      await sleep(25);
    }
    ms = performance.now() - t0;
    delta = cpuDelta(cpu0, cpuSnapshot({ ...pids, mariadb }));
  } finally {
    await stopWorkers(workers);
  }
  const byStatus = await ds.query<Array<{ status: string; n: string }>>('SELECT status, COUNT(*) AS n FROM notification_deliveries GROUP BY status');
  const statuses = Object.fromEntries(byStatus.map((r) => [r.status, Number(r.n)]));
  let missing = 0;
  let twice = 0;
  for (let i = 1; i <= n; i++) {
    const got = sim.inboxOf(benchUser(i)).filter((m) => JSON.stringify(m.content).includes(`吞吐测试 ${run} #${i}`)).length;
    if (got === 0) missing++;
    if (got > 1) twice++;
  }
  const workersMs = Object.keys(pids).reduce((a, k) => a + (delta.procsMs[k] ?? 0), 0);
  const figures: ThroughputRun = {
    scenario: s,
    deliveries: n,
    ms,
    perS: (n / ms) * 1000,
    sent: statuses['sent'] ?? 0,
    notSent: Object.fromEntries(Object.entries(statuses).filter(([k]) => k !== 'sent')),
    missing,
    twice,
    sendCalls: (sim.stats.calls['/cgi-bin/message/send'] ?? 0) - before.calls,
    duplicateSuppressed: sim.stats.duplicateSuppressed.length - before.dup,
    violations: sim.stats.limitViolations.length - before.viol,
    retried: await count(ds, 'SELECT COUNT(*) AS n FROM notification_deliveries WHERE attempts > 1'),
    // The simulator runs in this process: its CPU is this process's.
    cpu: { workersMs, mariadbMs: delta.procsMs.mariadb ?? 0, simMs: delta.selfMs, machineBusy: delta.machineBusy },
  };
  log(`[notifications] ${s.label}: ${fmtInt(figures.perS)} deliveries/s (${fmtInt(n)} in ${Math.round(ms)} ms)`);
  return figures;
}

async function measureThroughput(mariaUrl: string, n: number, latencyMs: number, log: (l: string) => void): Promise<ThroughputRun[]> {
  const corp = new Corp();
  corp.addDepartment({ id: 1, name: '基准测试', parentid: 0, order: 100000000 });
  for (let i = 1; i <= n; i++) corp.addMember({ userid: benchUser(i), name: `成员${i}`, department: [1] });
  const sim = await startWecomSim({ ...DEMO_CREDENTIALS, port: 0, corp, messagingLatencyMs: latencyMs });
  process.env.TEST_MYSQL_URL = mariaUrl;
  const url = await freshDatabaseUrl('mysql');
  const ds = await openDatabase(url);
  try {
    const runs: ThroughputRun[] = [];
    for (const s of SCENARIOS) runs.push(await runThroughput(ds, url, sim, s, n, log));
    return runs;
  } finally {
    await ds.destroy();
    await dropDatabaseUrl(url).catch(() => undefined);
    await sim.close();
  }
}

// ───────────────────────────── 2. burst ─────────────────────────────

const eventUser = (k: number) => `nj_${String(k).padStart(5, '0')}`;
const EVENT_USER = /nj_(\d{5})/g;

/** One message as a recipient reads it: how many events it stands for, which it names, how many it only counts. */
interface ReadMessage {
  at: number;
  /** Events it stands for: 1 for a single message, N for a summary titled `N 条成员加入`. */
  covers: number;
  named: number[];
  /** `…另有 K 条`: events counted, not named. */
  counted: number;
  /** A summary whose title's N is not its lines + K, or a single message that does not name exactly one event. */
  malformed: boolean;
}

/**
 * Parse a text message: a single one (`成员加入\n新同事 …（nj_00001）入职`) or a summary (delivery.worker.ts summarize),
 * either of them after a `<a href="…">查看详情</a>` line when it has a link (a summary links to its H5 list).
 */
function readMessage(at: number, text: string): ReadMessage {
  const lines = text.split('\n').filter((l) => !/^<a href="[^"]*">查看详情<\/a>$/.test(l));
  const title = /^(\d+) 条成员加入$/.exec(lines[0] ?? '');
  const names = (s: string) => [...s.matchAll(EVENT_USER)].map((m) => Number(m[1]));
  if (!title) {
    const named = names(lines.join('\n'));
    return { at, covers: 1, named, counted: 0, malformed: named.length !== 1 };
  }
  const covers = Number(title[1]);
  const named = lines.filter((l) => l.startsWith('· ')).flatMap(names);
  const rest = lines.map((l) => /^…另有 (\d+) 条/.exec(l)).find(Boolean);
  const counted = rest ? Number(rest[1]) : 0;
  return { at, covers, named, counted, malformed: named.length + counted !== covers };
}

export interface RecipientFigures {
  recipient: string;
  kind: 'member' | 'robot';
  messages: number;
  /** Events named in some message, each at most once. */
  named: number;
  /** Events counted in `…另有 K 条` lines. */
  counted: number;
  /** Events named twice, or numbers outside 1..E. */
  namedTwice: number;
  malformed: number;
  /** Whether the DB agrees: each sent delivery is one message and stands for itself plus the rows merged into it. */
  matchesDb: boolean;
  informed: boolean;
  /** ms after t0: the last message (the one that completes the recipient's picture), the last event routed to it. */
  lastMessageMs: number;
  lastRoutedMs: number;
}

/**
 * "Informed of every event", exactly: every message parses (a single message names one event; a summary `N 条成员加入`
 * names L events, one per `· ` line, and counts K more in `…另有 K 条`, with L + K = N); no event is named twice; the
 * named events plus the counted ones add up to E (Σ N = E), so every event the recipient was not told by name it was
 * told of as one of the K of a summary; and the database agrees message for message: the recipient got exactly as
 * many messages as its target has `sent` deliveries, and the multiset of N equals the multiset of 1 + (rows merged
 * into each sent delivery), with no delivery left pending or dead.
 */
function checkRecipient(
  recipient: string,
  kind: 'member' | 'robot',
  msgs: Array<{ at: number; text: string }>,
  dbCovers: number[],
  stuck: number,
  events: number,
  t0: number,
  lastRoutedAt: number,
): RecipientFigures {
  const read = msgs.map((m) => readMessage(m.at, m.text));
  const seen = new Set<number>();
  let namedTwice = 0;
  for (const k of read.flatMap((r) => r.named)) {
    if (seen.has(k) || k < 1 || k > events) namedTwice++;
    seen.add(k);
  }
  const counted = read.reduce((a, r) => a + r.counted, 0);
  const malformed = read.filter((r) => r.malformed).length;
  const simCovers = read.map((r) => r.covers).sort((a, b) => a - b);
  const db = [...dbCovers].sort((a, b) => a - b);
  const matchesDb = stuck === 0 && simCovers.length === db.length && simCovers.every((c, i) => c === db[i]);
  return {
    recipient,
    kind,
    messages: read.length,
    named: seen.size,
    counted,
    namedTwice,
    malformed,
    matchesDb,
    informed: malformed === 0 && namedTwice === 0 && seen.size + counted === events && matchesDb,
    lastMessageMs: Math.max(0, ...read.map((r) => r.at)) - t0,
    lastRoutedMs: lastRoutedAt - t0,
  };
}

export interface BurstFigures {
  events: number;
  members: number;
  robots: number;
  deliveries: number;
  /** Delivery rows the router wrote (expected: events × recipients). */
  stored: number;
  publishMs: number;
  /** ms after t0 when the last delivery row was written (routing done). */
  routedMs: number;
  /** ms after t0 when the last recipient got its last message. */
  informedMs: number;
  floorMs: number;
  limitFloorMs: { member: number; robot: number };
  namedFloorMs: { member: number; robot: number; linesPerSummary: number; messages: number };
  recipients: RecipientFigures[];
  violations: number;
  violationKinds: Record<string, number>;
  duplicateSuppressed: number;
  retried: number;
  dead: number;
  lastErrors: string[];
  messagesPerRecipient: { member: [number, number]; robot: [number, number] };
  /** Worst time from "the last event reached this recipient's queue" to "its last message", per kind. */
  maxLagMs: { member: number; robot: number };
  cpu: { serverAndSimMs: number; mariadbMs: number; machineBusy: number };
}

/**
 * The least time after t0 at which a recipient can know of all E events under WeCom's limits (a sliding window of
 * `max` per `windowMs`) when `messages` messages are needed: the first `max` can go at once, each further `max` one
 * window later. A message about the last event cannot leave before that event exists, hence also lastRouted + 1 send.
 */
const limitFloor = (messages: number, limits: Array<{ max: number; windowMs: number }>): number =>
  Math.max(0, ...limits.map((l) => (Math.ceil(messages / l.max) - 1) * l.windowMs));

async function measureBurst(
  mariaUrl: string,
  o: Required<Omit<NotificationsBenchOptions, 'log' | 'deliveries'>>,
  log: (l: string) => void,
): Promise<BurstFigures> {
  const corp = generateCorp({ departments: 5, members: o.members, seed: 8 });
  const members = [...corp.members.keys()].slice(0, o.members);
  let sim: WecomSim | null = null;
  let app: RunningServer | null = null;
  process.env.TEST_MYSQL_URL = mariaUrl;
  const url = await freshDatabaseUrl('mysql');
  try {
    sim = await startWecomSim({ ...DEMO_CREDENTIALS, port: 0, corp, messagingLatencyMs: o.latencyMs });
    const simUrl = sim.url;
    // background: false, then only the dispatcher and the delivery worker: no scheduler (a full sync at start) in the way.
    app = await startServerOnPort(0, (port) => env(url, simUrl, port), { background: false, logger: createLogger('error') });
    const c = app.container;
    await c.contactSync.run('bench'); // the members must exist for the rule to be saved
    const robotService = new RobotService(c.ds, c.uow, new SecretBox(c.config.SECRETS_KEY), c.config.WECOM_API_BASE);
    const robots: Array<{ id: number; key: string }> = [];
    for (let r = 1; r <= o.robots; r++) {
      const simRobot = sim.createRobot(`入职播报-${r}`);
      const added = await robotService.add({ name: simRobot.name, webhookUrl: simRobot.webhookUrl }, 'bench');
      robots.push({ id: added.id, key: simRobot.key });
    }
    const rule = { eventType: 'member.joined', format: 'text' as const, template: BURST_TEMPLATE, enabled: true };
    await c.notificationRules.create({ ...rule, name: '入职通知-成员', channel: 'app', recipients: { users: members } }, 'bench');
    for (const r of robots) await c.notificationRules.create({ ...rule, name: `入职通知-机器人${r.id}`, channel: 'robot', robotId: r.id }, 'bench');
    await waitForQuietMachine({ log, maxWaitMs: 20_000 });
    sim.resetStats();
    c.dispatcher.start();
    c.notificationDeliveries.start();

    const expected = o.events * (members.length + robots.length);
    const mariadb = childPidsNamed('mariadbd')[0];
    const cpu0 = cpuSnapshot({ mariadb });
    const t0 = Date.now();
    for (let k = 1; k <= o.events; k += PUBLISH_BATCH)
      await c.uow.run({ actor: 'wecom' }, async (tx) => {
        for (let j = k; j < Math.min(k + PUBLISH_BATCH, o.events + 1); j++) await tx.publish('member.joined', { userid: eventUser(j), name: `新人${j}` });
      });
    const publishMs = Date.now() - t0;
    log(`[notifications] burst: ${fmtInt(o.events)} events published in ${publishMs} ms; waiting for ${fmtInt(expected)} deliveries …`);
    let lastLog = Date.now();
    // Polled on indexed ranges only: a COUNT(*) over the whole, growing table every 100 ms would load MariaDB itself.
    for (;;) {
      const routed = await count(c.ds, `SELECT COUNT(*) AS n FROM event_deliveries WHERE status = 'done' AND subscriber = ?`, ['notifications.route']);
      const pending = await count(c.ds, `SELECT COUNT(*) AS n FROM notification_deliveries WHERE status = 'pending'`);
      if (routed >= o.events && pending === 0) break;
      if (Date.now() - t0 > BURST_TIMEOUT_MS)
        throw new Error(
          `burst: after ${BURST_TIMEOUT_MS / 1000} s, ${fmtInt(routed)} of ${fmtInt(o.events)} events routed, ${fmtInt(pending)} deliveries pending`,
        );
      if (Date.now() - lastLog > 10_000) {
        lastLog = Date.now();
        const msgs = (sim.stats.calls['/cgi-bin/message/send'] ?? 0) + (sim.stats.calls['/cgi-bin/webhook/send'] ?? 0);
        log(
          `[notifications]   ${seconds(Date.now() - t0)}: ${fmtInt(routed)} events routed, ${fmtInt(pending)} deliveries pending, ${fmtInt(msgs)} messages sent`,
        );
      }
      await sleep(100);
    }
    const doneAt = Date.now();
    const delta = cpuDelta(cpu0, cpuSnapshot({ mariadb }));
    await c.notificationDeliveries.stop();
    await c.dispatcher.stop();

    // What the database says, per target: the last routed row, what each sent delivery stands for, what is stuck.
    const lastRouted = new Map(
      (await c.ds.query<Array<{ target: string; at: string }>>('SELECT target, MAX(created_at) AS at FROM notification_deliveries GROUP BY target')).map(
        (r) => [r.target, Number(r.at)],
      ),
    );
    const mergedInto = new Map(
      (
        await c.ds.query<Array<{ id: string; n: string }>>(
          `SELECT merged_into AS id, COUNT(*) AS n FROM notification_deliveries WHERE status = 'merged' GROUP BY merged_into`,
        )
      ).map((r) => [Number(r.id), Number(r.n)]),
    );
    const dbCovers = new Map<string, number[]>();
    for (const r of await c.ds.query<Array<{ id: string; target: string }>>(`SELECT id, target FROM notification_deliveries WHERE status = 'sent'`))
      (dbCovers.get(r.target) ?? dbCovers.set(r.target, []).get(r.target)!).push(1 + (mergedInto.get(Number(r.id)) ?? 0));
    const stuck = new Map(
      (
        await c.ds.query<Array<{ target: string; n: string }>>(
          `SELECT target, COUNT(*) AS n FROM notification_deliveries WHERE status NOT IN ('sent', 'merged') GROUP BY target`,
        )
      ).map((r) => [r.target, Number(r.n)]),
    );
    const stored = await count(c.ds, 'SELECT COUNT(*) AS n FROM notification_deliveries');
    const textOf = (content: unknown): string => {
      const text = (content as { content?: unknown }).content;
      return typeof text === 'string' ? text : '';
    };
    const recipients: RecipientFigures[] = [
      ...members.map((u) =>
        checkRecipient(
          u,
          'member',
          [...(sim!.stats.inbox[u] ?? [])].map((m) => ({ at: m.at, text: textOf(m.content) })),
          dbCovers.get(`user:${u}`) ?? [],
          stuck.get(`user:${u}`) ?? 0,
          o.events,
          t0,
          lastRouted.get(`user:${u}`) ?? doneAt,
        ),
      ),
      ...robots.map((r) =>
        checkRecipient(
          `robot:${r.id}`,
          'robot',
          sim!.robotMessages(r.key).map((m) => ({ at: m.at, text: textOf(m.content) })),
          dbCovers.get(`robot:${r.id}`) ?? [],
          stuck.get(`robot:${r.id}`) ?? 0,
          o.events,
          t0,
          lastRouted.get(`robot:${r.id}`) ?? doneAt,
        ),
      ),
    ];

    // The floor. Counting (not naming) every event, a summary stands for at most MAX_MERGED: ceil(E / MAX_MERGED)
    // messages per recipient; naming every event, as many messages as it takes to list E first lines.
    const minMessages = Math.ceil(o.events / MAX_MERGED);
    const limitFloorMs = { member: limitFloor(minMessages, LIMITS['user']!), robot: limitFloor(minMessages, LIMITS['robot']!) };
    const sample = Array.from({ length: 200 }, (_, i) => ({
      format: 'text' as const,
      title: EVENT_LABEL,
      text: `新同事 新人${o.events - i}（${eventUser(o.events - i)}）入职`,
    }));
    const linesPerSummary = summarize(EVENT_LABEL, sample)
      .text.split('\n')
      .filter((l) => l.startsWith('· ')).length;
    const namedMessages = Math.ceil(o.events / linesPerSummary);
    const namedFloorMs = {
      member: limitFloor(namedMessages, LIMITS['user']!),
      robot: limitFloor(namedMessages, LIMITS['robot']!),
      linesPerSummary,
      messages: namedMessages,
    };
    const floorMs = Math.max(...recipients.map((r) => Math.max(r.lastRoutedMs, r.kind === 'member' ? limitFloorMs.member : limitFloorMs.robot) + o.latencyMs));
    const span = (kind: 'member' | 'robot'): [number, number] => {
      const n = recipients.filter((r) => r.kind === kind).map((r) => r.messages);
      return [Math.min(...n), Math.max(...n)];
    };
    const lag = (kind: 'member' | 'robot') => Math.max(0, ...recipients.filter((r) => r.kind === kind).map((r) => r.lastMessageMs - r.lastRoutedMs));
    const violationKinds: Record<string, number> = {};
    for (const v of sim.stats.limitViolations) violationKinds[v.kind] = (violationKinds[v.kind] ?? 0) + 1;
    return {
      events: o.events,
      members: members.length,
      robots: robots.length,
      deliveries: expected,
      stored,
      publishMs,
      routedMs: Math.max(...recipients.map((r) => r.lastRoutedMs)),
      informedMs: Math.max(...recipients.map((r) => r.lastMessageMs)),
      floorMs,
      limitFloorMs,
      namedFloorMs,
      recipients,
      violations: sim.stats.limitViolations.length,
      violationKinds,
      duplicateSuppressed: sim.stats.duplicateSuppressed.length,
      retried: await count(c.ds, 'SELECT COUNT(*) AS n FROM notification_deliveries WHERE attempts > 1'),
      dead: await count(c.ds, `SELECT COUNT(*) AS n FROM notification_deliveries WHERE status = 'dead'`),
      lastErrors: (
        await c.ds.query<Array<{ e: string }>>('SELECT DISTINCT last_error AS e FROM notification_deliveries WHERE last_error IS NOT NULL LIMIT 5')
      ).map((r) => r.e),
      messagesPerRecipient: { member: span('member'), robot: span('robot') },
      maxLagMs: { member: lag('member'), robot: lag('robot') },
      cpu: { serverAndSimMs: delta.selfMs, mariadbMs: delta.procsMs.mariadb ?? 0, machineBusy: delta.machineBusy },
    };
  } finally {
    await app?.close().catch((e: unknown) => log(`[notifications] server close failed: ${String(e)}`));
    await sim?.close();
    await dropDatabaseUrl(url).catch(() => undefined);
  }
}

// ───────────────────────────── report ─────────────────────────────

export async function runNotificationsBench(opts: NotificationsBenchOptions = {}): Promise<BenchReport> {
  const log = opts.log ?? ((l: string) => console.error(l));
  const o = {
    deliveries: opts.deliveries ?? 600,
    events: opts.events ?? 5000,
    members: opts.members ?? 50,
    robots: opts.robots ?? 5,
    latencyMs: opts.latencyMs ?? 20,
  };
  const report = newReport('notifications', `Notification deliveries (MariaDB, ${o.latencyMs} ms per WeCom messaging call)`);
  const savedUrl = process.env.TEST_MYSQL_URL;
  const maria = await startMariaDb();
  const raw: { throughput?: ThroughputRun[]; burst?: BurstFigures } = {};
  report.raw = raw;
  try {
    log(`[notifications] 1/2 throughput: ${fmtInt(o.deliveries)} deliveries, 1 and 3 workers`);
    const runs = (raw.throughput = await measureThroughput(maria.url, o.deliveries, o.latencyMs, log));
    const [one, three] = runs as [ThroughputRun, ThroughputRun];
    const exact = (r: ThroughputRun) =>
      r.sent === r.deliveries && r.missing === 0 && r.twice === 0 && r.sendCalls === r.deliveries && r.duplicateSuppressed === 0 && r.violations === 0;
    report.rows.push(
      { metric: '1 worker (1 process, 1 lane): deliveries sent per second', goal: '—', measured: `${fmtInt(one.perS)}/s`, pass: null },
      {
        metric: '3 workers (3 processes, 1 lane each): deliveries sent per second',
        goal: '—',
        measured: `${fmtInt(three.perS)}/s (${(three.perS / one.perS).toFixed(2)}× 1 worker)`,
        pass: null,
      },
      {
        metric: 'throughput runs: every delivery sent exactly once, no limit violation',
        goal: 'yes',
        measured: runs
          .map(
            (r) =>
              `${r.scenario.label}: ${fmtInt(r.sent)} of ${fmtInt(r.deliveries)} sent${Object.keys(r.notSent).length ? ` (${JSON.stringify(r.notSent)})` : ''}, ` +
              `${r.missing} targets without, ${r.twice} with 2+, ${fmtInt(r.sendCalls)} message/send calls, ${r.duplicateSuppressed} duplicates, ${r.violations} violations`,
          )
          .join('; '),
        pass: runs.every(exact),
      },
    );
    report.notes.push(
      `Throughput: each run starts from ${fmtInt(o.deliveries)} pending app-message deliveries (text; issue 8's example was 3,000, scaled down to keep the whole benchmark near 3 minutes; --deliveries N), one per target user:bench_1 … user:bench_${o.deliveries} (all members of the simulator's corp, so message/send answers ok), inserted straight into notification_deliveries; the clock runs from "go" to none pending (polled every 25 ms). One delivery per member, so the governor's per-member limits never bind: this is the cost of claim (stream heads, 20 a batch) + governor count (2 queries) + backlog check + message/send with ${o.latencyMs} ms latency + finish, one at a time per lane.`,
      '"1 worker" is one forked process running one DeliveryWorker with one lane (INBOX_LANES=1); "3 workers" is three forked processes, each a container with its own DataSource (mysql2 pool of 10) running only its DeliveryWorker with one lane, as three server instances would; they share the table through platform/stream-claims.ts (FOR UPDATE SKIP LOCKED). The simulator runs in the parent process; MariaDB is a throwaway mariadbd (innodb_flush_log_at_trx_commit=2) on the same machine.',
      `CPU per delivery (ms: all worker processes / mariadbd / simulator + parent; machine busy): ${runs.map((r) => `${r.scenario.label} ${(r.cpu.workersMs / r.deliveries).toFixed(2)} / ${(r.cpu.mariadbMs / r.deliveries).toFixed(2)} / ${(r.cpu.simMs / r.deliveries).toFixed(2)}; ${Math.round(r.cpu.machineBusy * 100)} %`).join(' · ')}. Retried sends: ${runs.map((r) => r.retried).join(' / ')}.`,
    );

    log(`[notifications] 2/2 burst: ${fmtInt(o.events)} events to ${o.members} members and ${o.robots} robots`);
    const b = (raw.burst = await measureBurst(maria.url, o, log));
    const uninformed = b.recipients.filter((r) => !r.informed);
    report.rows.push(
      {
        metric: `burst of ${fmtInt(b.events)} events: every one of ${b.members} members and ${b.robots} robots informed of every event`,
        goal: 'all',
        measured: uninformed.length
          ? `${b.recipients.length - uninformed.length} of ${b.recipients.length}; not: ${uninformed
              .slice(0, 3)
              .map(
                (r) =>
                  `${r.recipient} (${r.named} named + ${r.counted} counted, ${r.namedTwice} twice, ${r.malformed} malformed, db ${r.matchesDb ? 'agrees' : 'differs'})`,
              )
              .join(', ')}`
          : `all ${b.recipients.length} (${fmtInt(b.stored)} of ${fmtInt(b.deliveries)} deliveries routed, ${b.dead} dead, ${b.duplicateSuppressed} duplicates)`,
        pass: uninformed.length === 0 && b.stored === b.deliveries && b.dead === 0 && b.duplicateSuppressed === 0,
      },
      {
        metric: 'burst: limit violations (sim.stats.limitViolations)',
        goal: '0',
        measured: b.violations ? `${b.violations} ${JSON.stringify(b.violationKinds)}` : '0',
        pass: b.violations === 0,
      },
      {
        metric: 'burst: time until every recipient was informed of every event, vs the floor',
        goal: `floor ${seconds(b.floorMs)}`,
        measured: `${seconds(b.informedMs)} (${(b.informedMs / b.floorMs).toFixed(2)}× floor; routing done at ${seconds(b.routedMs)}, then ≤ ${seconds(b.maxLagMs.member)} to the last member, ≤ ${seconds(b.maxLagMs.robot)} to the last robot)`,
        pass: null,
      },
    );
    report.notes.push(
      `Burst: ${fmtInt(b.events)} member.joined events${b.events < 10_000 ? ' (issue 8 names 10,000; scaled down to keep the whole benchmark near 3 minutes, since routing runs at 50–90 events/s here; --events 10000)' : ''} published through the real server (uow.run + tx.publish, ${PUBLISH_BATCH} per transaction, all published after ${seconds(b.publishMs)}; routed at ${fmtInt((b.events / b.routedMs) * 1000)} events/s, one event at a time by the one dispatcher, so routing, not WeCom's limits, sets the floor); rules: one app rule (text, template "${BURST_TEMPLATE}") to ${b.members} members of a generateCorp corp (mirrored by a contact sync first) and one robot rule (text) per robot, ${b.robots} robots: ${fmtInt(b.deliveries)} deliveries, routed by the event dispatcher (one instance) and sent by the server's DeliveryWorker (INBOX_LANES default lanes) under the governor. The clock runs from the first publish; "informed" is each recipient's last message in the simulator (its "at").`,
      `"Informed of every event", exactly: every message a recipient got (less its 查看详情 link line) parses as a single message naming one event (its userid nj_NNNNN) or a summary "N 条成员加入" naming L events (one "· " line each) and counting K more ("…另有 K 条") with L + K = N; no event is named twice; named + counted = ${fmtInt(b.events)}; and the database agrees message for message (as many messages as sent deliveries, the multiset of N equal to that of 1 + rows merged into each sent delivery, nothing pending or dead). Messages per recipient: members ${b.messagesPerRecipient.member.join('–')}, robots ${b.messagesPerRecipient.robot.join('–')}.`,
      `Floor: WeCom allows a robot 20 messages a minute and a member 30 a minute and 1,000 an hour; a summary stands for at most ${fmtInt(MAX_MERGED)} events (the one in hand + 1,000 merged), so counting every event takes at least ceil(${fmtInt(b.events)} / ${fmtInt(MAX_MERGED)}) = ${Math.ceil(b.events / MAX_MERGED)} messages per recipient, which fit in one window (limit floor: members ${seconds(b.limitFloorMs.member)}, robots ${seconds(b.limitFloorMs.robot)}). No message can tell of an event before it is routed, so the floor is, over recipients, max(last delivery row written for it, limit floor) + one send (${o.latencyMs} ms) = ${seconds(b.floorMs)}: everything merged optimally and sent the moment the last event is known. The time past the floor is the governor's pacing (its last quarter of a window is spread over what is left of it, so a message can wait up to that spacing) plus the worker's claim/poll cycle.`,
      `Had every event to be named (a summary lists ${b.namedFloorMs.linesPerSummary} first lines of this template in its 1,700 bytes), a recipient would need ${fmtInt(b.namedFloorMs.messages)} messages: at least ${seconds(b.namedFloorMs.member)} for a member and ${seconds(b.namedFloorMs.robot)} for a robot, which is why summaries count what they cannot list (and link to the H5 list of all of them).`,
      `Burst CPU (ms): server + simulator (this process) ${fmtInt(b.cpu.serverAndSimMs)}, mariadbd ${fmtInt(b.cpu.mariadbMs)}; machine busy ${Math.round(b.cpu.machineBusy * 100)} %. Sends retried: ${b.retried}${b.lastErrors.length ? ` (errors: ${b.lastErrors.map((e) => e.slice(0, 80)).join(' | ')})` : ''}.`,
    );
  } catch (err) {
    report.error = String((err as Error).stack ?? err);
  } finally {
    await maria.stop();
    if (savedUrl === undefined) delete process.env.TEST_MYSQL_URL;
    else process.env.TEST_MYSQL_URL = savedUrl;
  }
  return report;
}

const flag = (name: string): number | undefined => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : undefined;
};

if (process.argv.includes('--worker')) void workerMain();
else if (require.main === module) runStandalone(() => runNotificationsBench({ deliveries: flag('--deliveries'), events: flag('--events') }));
