/**
 * The scheduler (server/src/platform/scheduler/) on real databases: cron jobs in the corp's time zone,
 * each due occurrence run once across several instances on one database, missed occurrences collapsed,
 * failures recorded; one-shot timers fired once across instances, cancelled, rescheduled, retried, dead.
 * Several "instances" are several Scheduler objects, each on its own DataSource (its own connections,
 * as separate processes would have). Time is a ManualClock the tests move; they never sleep.
 */
import pino from 'pino';
import type { DataSource } from 'typeorm';
import { openDatabase } from '../../server/src/db/data-source';
import {
  createScheduler,
  DuplicateJobError,
  DuplicateTimerKindError,
  JobRun,
  ManualClock,
  type Clock,
  type Scheduler,
  type SchedulerOptions,
} from '../../server/src/platform/scheduler';
import { dropDatabaseUrl, freshDatabaseUrl, testDatabases } from '../support/databases';
import { waitFor } from '../support/wait';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();

interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

/** A pino logger whose lines the test can read. */
function captureLogger() {
  const lines: LogLine[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) });
  return { logger, lines };
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** The order instances tick in varies from round to round, as it would between processes. */
function shuffled<T>(items: T[], round: number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = (round * 7 + i * 13) % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe.each(testDatabases())('scheduler ($label)', ({ kind }) => {
  let url: string;
  let sources: DataSource[];
  let schedulers: Scheduler[];
  let log: ReturnType<typeof captureLogger>;

  beforeEach(async () => {
    url = await freshDatabaseUrl(kind);
    sources = [await openDatabase(url)];
    schedulers = [];
    log = captureLogger();
  });
  afterEach(async () => {
    for (const s of schedulers) await s.stop();
    for (const ds of sources) await ds.destroy();
    await dropDatabaseUrl(url);
  });

  /** `n` scheduler instances on the test database, each with its own connections. */
  async function instances(n: number, clock: Clock | ((i: number) => Clock), opts: Partial<SchedulerOptions> = {}): Promise<Scheduler[]> {
    const made: Scheduler[] = [];
    for (let i = 0; i < n; i++) {
      if (!sources[i]) sources.push(await openDatabase(url, { migrate: false }));
      const s = createScheduler(sources[i]!, {
        timeZone: 'Asia/Shanghai',
        logger: log.logger,
        clock: typeof clock === 'function' ? clock(i) : clock,
        instanceId: `instance-${schedulers.length}`,
        ...opts,
      });
      schedulers.push(s);
      made.push(s);
    }
    return made;
  }

  const runs = (key?: string) => sources[0]!.getRepository(JobRun).find({ where: key ? { jobKey: key } : {}, order: { occurrenceAt: 'ASC' } });

  describe('cron jobs', () => {
    it('runs 0 3 * * * at 03:00 in Asia/Shanghai (19:00 UTC the day before), not at 03:00 UTC', async () => {
      const clock = new ManualClock('2025-01-10T00:00:00Z');
      const [s] = await instances(1, clock);
      const ran: string[] = [];
      s!.register({ key: 'nightly', cron: '0 3 * * *', run: (ctx) => void ran.push(iso(ctx.scheduledAt)) });

      expect(await s!.tick()).toEqual({ jobs: [], timers: [] }); // first sight: nothing owed from before
      clock.set('2025-01-10T03:00:00Z'); // 03:00 UTC is 11:00 in Shanghai
      await s!.tick();
      clock.set('2025-01-10T18:59:59.999Z');
      await s!.tick();
      expect(ran).toEqual([]);

      clock.set('2025-01-10T19:00:00Z');
      expect((await s!.tick()).jobs).toEqual([{ key: 'nightly', scheduledAt: Date.parse('2025-01-11T03:00:00+08:00'), status: 'done' }]);
      clock.set('2025-01-10T19:00:40Z');
      await s!.tick();
      clock.set('2025-01-11T18:59:00Z');
      await s!.tick();
      expect(ran).toEqual(['2025-01-10T19:00:00.000Z']);

      clock.set('2025-01-11T19:00:05Z');
      await s!.tick();
      expect(ran).toEqual(['2025-01-10T19:00:00.000Z', '2025-01-11T19:00:00.000Z']);
      expect((await runs()).map((r) => [r.status, iso(r.occurrenceAt)])).toEqual([
        ['skipped', '2025-01-09T19:00:00.000Z'],
        ['done', '2025-01-10T19:00:00.000Z'],
        ['done', '2025-01-11T19:00:00.000Z'],
      ]);
      const [, first] = await runs();
      expect(first).toMatchObject({
        owner: 'instance-0',
        startedAt: Date.parse('2025-01-10T19:00:00Z'),
        finishedAt: Date.parse('2025-01-10T19:00:00Z'),
        error: null,
      });
    });

    it('a job fires once per occurrence with three scheduler instances ticking over a moved clock', async () => {
      const base = new ManualClock('2025-01-10T00:00:00.200Z');
      // Their clocks disagree a little, as servers' do: at 00:05:00.200 one of them still sees 00:04:59.900.
      const skews = [0, 400, -300];
      const all = await instances(3, (i) => ({ now: () => base.now() + skews[i]! }));
      const byOccurrence = new Map<string, string[]>();
      for (const s of all) {
        s.register({
          key: 'every-5-minutes',
          cron: '*/5 * * * *',
          run: (ctx) => void byOccurrence.set(iso(ctx.scheduledAt), [...(byOccurrence.get(iso(ctx.scheduledAt)) ?? []), s.instanceId]),
        });
      }
      for (let round = 0; round <= 130; round++) {
        await Promise.all(shuffled(all, round).map((s) => s.tick()));
        base.advance(30_000);
      }
      // Ticks from 00:00 to 01:05 every 30 s: the occurrences from 00:05 to 01:05, each run by exactly one instance.
      const expected = Array.from({ length: 13 }, (_, i) => iso(Date.parse('2025-01-10T00:05:00Z') + i * 5 * MINUTE));
      expect([...byOccurrence.keys()].sort()).toEqual(expected);
      for (const [occurrence, by] of byOccurrence) expect({ occurrence, runs: by.length }).toEqual({ occurrence, runs: 1 });
      const rows = await runs('every-5-minutes');
      expect(rows.filter((r) => r.status === 'done').map((r) => iso(r.occurrenceAt))).toEqual(expected);
      // Besides: the first-sight rows (one per occurrence the instances saw first, skewed clocks may see two).
      for (const r of rows.filter((r) => r.status !== 'done'))
        expect([r.status, r.occurrenceAt <= Date.parse('2025-01-10T00:00:00Z')]).toEqual(['skipped', true]);
    });

    it('occurrences missed while every instance was down run once, at the next tick, after a restart', async () => {
      const clock = new ManualClock('2025-01-10T00:30:00Z');
      const ran: string[] = [];
      const job = { key: 'hourly', cron: '0 * * * *', run: (ctx: { scheduledAt: number }) => void ran.push(iso(ctx.scheduledAt)) };
      const [before] = await instances(1, clock);
      before!.register(job);
      await before!.tick();
      clock.set('2025-01-10T01:00:00Z');
      await before!.tick();
      expect(ran).toEqual(['2025-01-10T01:00:00.000Z']);

      // Everything is down from 01:20 until 06:10: five occurrences (02:00 … 06:00) pass unseen.
      await before!.stop();
      clock.set('2025-01-10T06:10:00Z');
      const [after] = await instances(1, clock);
      after!.register(job);
      expect((await after!.tick()).jobs).toEqual([{ key: 'hourly', scheduledAt: Date.parse('2025-01-10T06:00:00Z'), status: 'done' }]);
      expect((await after!.tick()).jobs).toEqual([]);
      clock.set('2025-01-10T07:00:00Z');
      await after!.tick();
      expect(ran).toEqual(['2025-01-10T01:00:00.000Z', '2025-01-10T06:00:00.000Z', '2025-01-10T07:00:00.000Z']);
      expect((await runs()).map((r) => iso(r.occurrenceAt))).toEqual([
        '2025-01-10T00:00:00.000Z',
        '2025-01-10T01:00:00.000Z',
        '2025-01-10T06:00:00.000Z',
        '2025-01-10T07:00:00.000Z',
      ]);
    });

    it('a failing job is logged and recorded with its error, and its next occurrence still runs', async () => {
      const clock = new ManualClock('2025-01-10T00:30:00Z');
      const [s] = await instances(1, clock);
      let calls = 0;
      s!.register({
        key: 'digest.hourly',
        cron: '0 * * * *',
        run: () => {
          if (++calls === 1) throw new Error('WeCom said no');
        },
      });
      await s!.tick();
      clock.set('2025-01-10T01:00:00Z');
      expect((await s!.tick()).jobs).toEqual([{ key: 'digest.hourly', scheduledAt: Date.parse('2025-01-10T01:00:00Z'), status: 'failed' }]);
      clock.set('2025-01-10T02:00:00Z');
      expect((await s!.tick()).jobs).toEqual([{ key: 'digest.hourly', scheduledAt: Date.parse('2025-01-10T02:00:00Z'), status: 'done' }]);

      const [, failed, next] = await runs();
      expect(failed).toMatchObject({ status: 'failed', error: 'Error: WeCom said no', finishedAt: Date.parse('2025-01-10T01:00:00Z') });
      expect(next).toMatchObject({ status: 'done', error: null });
      const logged = log.lines.filter((l) => l.msg === 'scheduled job failed');
      expect(logged).toHaveLength(1);
      expect(logged[0]).toMatchObject({ level: 50, job: 'digest.hourly', scheduledAt: '2025-01-10T01:00:00.000Z', err: { message: 'WeCom said no' } });
    });

    it('a run still going holds back the next occurrence on every instance (no overlap); the latest then runs once', async () => {
      const clock = new ManualClock('2025-01-10T00:00:30Z');
      const [a, b] = await instances(2, clock);
      const started = deferred();
      const release = deferred();
      const ran: Array<[string, string]> = [];
      for (const s of [a!, b!]) {
        s.register({
          key: 'slow',
          cron: '* * * * *',
          run: async (ctx) => {
            ran.push([s.instanceId, iso(ctx.scheduledAt)]);
            if (ran.length === 1) {
              started.resolve();
              await release.promise;
            }
          },
        });
      }
      await Promise.all([a!.tick(), b!.tick()]);
      clock.set('2025-01-10T00:01:00Z');
      const aFirst = a!.tick(); // a wins 00:01 and is still running it
      await started.promise;
      for (const t of ['00:02:00', '00:03:00', '00:04:30']) {
        clock.set(`2025-01-10T${t}Z`);
        expect(await a!.tick()).toEqual({ jobs: [], timers: [] }); // renews its lease, runs nothing new
        expect(await b!.tick()).toEqual({ jobs: [], timers: [] }); // sees a live run: waits
      }
      release.resolve();
      expect((await aFirst).jobs).toEqual([{ key: 'slow', scheduledAt: Date.parse('2025-01-10T00:01:00Z'), status: 'done' }]);
      clock.set('2025-01-10T00:04:40Z');
      await Promise.all([a!.tick(), b!.tick()]);
      expect(ran.map(([, at]) => at)).toEqual(['2025-01-10T00:01:00.000Z', '2025-01-10T00:04:00.000Z']);
      expect(ran[0]![0]).toBe('instance-0');
    });

    it('a run whose instance died is recorded as abandoned once its lease lapses, and the job goes on', async () => {
      const clock = new ManualClock('2025-01-10T00:00:30Z');
      const [a, b] = await instances(2, clock, { leaseMs: 2 * MINUTE });
      const started = deferred();
      const hang = deferred();
      let calls = 0;
      for (const s of [a!, b!]) {
        s.register({
          key: 'fragile',
          cron: '* * * * *',
          run: async () => {
            if (++calls === 1) {
              started.resolve();
              await hang.promise; // instance a "dies" here: it never ticks again
            }
          },
        });
      }
      await a!.tick();
      clock.set('2025-01-10T00:01:00Z');
      const lost = a!.tick();
      await started.promise;
      clock.set('2025-01-10T00:02:30Z');
      expect((await b!.tick()).jobs).toEqual([]); // lease until 00:03:00: still a live run
      clock.set('2025-01-10T00:03:01Z');
      expect((await b!.tick()).jobs).toEqual([{ key: 'fragile', scheduledAt: Date.parse('2025-01-10T00:03:00Z'), status: 'done' }]);
      const [, abandoned] = await runs();
      expect(abandoned).toMatchObject({ occurrenceAt: Date.parse('2025-01-10T00:01:00Z'), status: 'failed', owner: 'instance-0' });
      expect(abandoned!.error).toMatch(/^abandoned: instance instance-0 /);

      // If the lost run finishes after all, it does not overwrite what was recorded.
      hang.resolve();
      await lost;
      expect((await runs())[1]).toMatchObject({ status: 'failed' });
      expect(log.lines.some((l) => l.msg.startsWith('scheduled job finished after its lease lapsed'))).toBe(true);
    });

    it('a job key registered twice throws, and so does an expression that cannot run', async () => {
      const [s] = await instances(1, new ManualClock());
      s!.register({ key: 'once', cron: '0 3 * * *', run: () => undefined });
      expect(() => s!.register({ key: 'once', cron: '0 4 * * *', run: () => undefined })).toThrow(DuplicateJobError);
      expect(() => s!.register({ key: 'once', cron: '0 4 * * *', run: () => undefined })).toThrow('scheduled job "once" is already registered');
      expect(() => s!.register({ key: 'bad', cron: '0 0 3 * * *', run: () => undefined })).toThrow(/exactly 5 fields/);
      expect(() => s!.register({ key: '', cron: '0 3 * * *', run: () => undefined })).toThrow(/1-191 characters/);
      expect(s!.jobKeys()).toEqual(['once']);
    });
  });

  describe('timers', () => {
    it('each timer fires once with three instances', async () => {
      const clock = new ManualClock('2025-01-10T00:00:00Z');
      const all = await instances(3, clock);
      const fired = new Map<string, Array<{ by: string; payload: unknown; attempt: number; fireAt: number }>>();
      for (const s of all) {
        s.timers.on<{ n: number }>('remind', (t) => {
          fired.set(t.key, [...(fired.get(t.key) ?? []), { by: s.instanceId, payload: t.payload, attempt: t.attempt, fireAt: t.fireAt }]);
        });
      }
      const t0 = clock.now();
      for (let i = 0; i < 40; i++) await all[i % 3]!.timers.at(`remind:${i}`, t0 + i * 7_000, { n: i });
      for (let round = 0; round < 60; round++) {
        clock.advance(5_000);
        await Promise.all(shuffled(all, round).map((s) => s.tick()));
      }
      expect(fired.size).toBe(40);
      for (let i = 0; i < 40; i++) {
        const got = fired.get(`remind:${i}`)!;
        expect(got).toHaveLength(1);
        expect(got[0]).toMatchObject({ payload: { n: i }, attempt: 1, fireAt: t0 + i * 7_000 });
      }
      expect(new Set([...fired.values()].map(([f]) => f!.by)).size).toBeGreaterThan(1); // the work was shared
      for (let i = 0; i < 40; i++) expect(await all[0]!.timers.get(`remind:${i}`)).toMatchObject({ status: 'done', attempts: 1, lastError: null });
    });

    it('cancel prevents firing', async () => {
      const clock = new ManualClock('2025-01-10T00:00:00Z');
      const [s] = await instances(1, clock);
      const fired: string[] = [];
      s!.timers.on('remind', (t) => void fired.push(t.key));
      await s!.timers.at('remind:a', clock.now() + MINUTE);
      await s!.timers.at('remind:b', clock.now() + MINUTE);
      expect(await s!.timers.cancel('remind:a')).toBe(true);
      expect(await s!.timers.cancel('remind:a')).toBe(false);
      expect(await s!.timers.cancel('remind:nobody')).toBe(false);
      clock.advance(HOUR);
      await s!.tick();
      expect(fired).toEqual(['remind:b']);
      expect(await s!.timers.get('remind:a')).toMatchObject({ status: 'cancelled', attempts: 0 });
      expect(await s!.timers.cancel('remind:b')).toBe(false); // already fired
    });

    it('reschedule moves a timer; at() on an existing key re-arms it with the new time and payload', async () => {
      const clock = new ManualClock('2025-01-10T00:00:00Z');
      const [s] = await instances(1, clock);
      const t0 = clock.now();
      const fired: Array<{ key: string; fireAt: number; payload: unknown }> = [];
      s!.timers.on('sla', ({ key, fireAt, payload }) => void fired.push({ key, fireAt, payload }));
      await s!.timers.at('sla:case-1', t0 + MINUTE, { level: 1 });
      expect(await s!.timers.reschedule('sla:case-1', t0 + 2 * MINUTE)).toBe(true);
      clock.set(t0 + MINUTE);
      await s!.tick();
      expect(fired).toEqual([]);
      clock.set(t0 + 2 * MINUTE);
      await s!.tick();
      expect(fired).toEqual([{ key: 'sla:case-1', fireAt: t0 + 2 * MINUTE, payload: { level: 1 } }]);

      expect(await s!.timers.reschedule('sla:case-1', t0 + HOUR)).toBe(false); // it fired: nothing to move
      expect(await s!.timers.reschedule('sla:unknown', t0 + HOUR)).toBe(false);
      await s!.timers.at('sla:case-1', t0 + 3 * MINUTE, { level: 2 }); // same key: armed again
      // Moving earlier works too: a timer set for tomorrow, pulled in to now.
      await s!.timers.at('sla:case-2', t0 + DAY, null);
      expect(await s!.timers.reschedule('sla:case-2', clock.now())).toBe(true);
      await s!.tick();
      clock.set(t0 + 3 * MINUTE);
      await s!.tick();
      expect(fired.slice(1)).toEqual([
        { key: 'sla:case-2', fireAt: t0 + 2 * MINUTE, payload: null },
        { key: 'sla:case-1', fireAt: t0 + 3 * MINUTE, payload: { level: 2 } },
      ]);
    });

    it('a throwing handler is retried with backoff, then marked dead with the reason', async () => {
      const clock = new ManualClock('2025-01-10T00:00:00Z');
      const [s] = await instances(1, clock, { timerMaxAttempts: 3, timerRetryBaseMs: 1_000 });
      const t0 = clock.now();
      const attempts: Array<{ attempt: number; fireAt: number; at: number }> = [];
      s!.timers.on('flaky', ({ attempt, fireAt }) => {
        attempts.push({ attempt, fireAt, at: clock.now() });
        throw new Error(`attempt ${attempt} failed`);
      });
      await s!.timers.at('flaky:x', t0);

      expect((await s!.tick()).timers).toEqual([{ key: 'flaky:x', outcome: 'retry' }]);
      expect(await s!.timers.get('flaky:x')).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: t0 + 1_000, lastError: 'Error: attempt 1 failed' });
      clock.set(t0 + 999);
      expect((await s!.tick()).timers).toEqual([]);
      clock.set(t0 + 1_000);
      expect((await s!.tick()).timers).toEqual([{ key: 'flaky:x', outcome: 'retry' }]);
      expect(await s!.timers.get('flaky:x')).toMatchObject({ status: 'pending', attempts: 2, nextAttemptAt: t0 + 3_000 }); // doubled
      clock.set(t0 + 3_000);
      expect((await s!.tick()).timers).toEqual([{ key: 'flaky:x', outcome: 'dead' }]);
      expect(await s!.timers.get('flaky:x')).toMatchObject({ status: 'dead', attempts: 3, lastError: 'Error: attempt 3 failed', firedAt: null });
      clock.advance(DAY);
      expect((await s!.tick()).timers).toEqual([]);

      expect(attempts).toEqual([
        { attempt: 1, fireAt: t0, at: t0 },
        { attempt: 2, fireAt: t0, at: t0 + 1_000 },
        { attempt: 3, fireAt: t0, at: t0 + 3_000 },
      ]);
      expect(log.lines.filter((l) => l.timer === 'flaky:x').map((l) => [l.level, l.msg])).toEqual([
        [40, 'timer handler failed; will retry'],
        [40, 'timer handler failed; will retry'],
        [50, 'timer handler failed for the last time; timer is dead'],
      ]);
    });

    it('a timer re-armed while its handler runs fires again at the new time (the stale outcome is dropped)', async () => {
      const clock = new ManualClock('2025-01-10T00:00:00Z');
      const [a, b] = await instances(2, clock);
      const t0 = clock.now();
      const started = deferred();
      const release = deferred();
      const fired: Array<[string, unknown]> = [];
      for (const s of [a!, b!]) {
        s.timers.on('remind', async (t) => {
          fired.push([s.instanceId, t.payload]);
          if (fired.length === 1) {
            started.resolve();
            await release.promise;
          }
        });
      }
      await a!.timers.at('remind:r', t0, 'first');
      const firing = a!.tick();
      await started.promise;
      await b!.timers.at('remind:r', t0 + MINUTE, 'second');
      expect((await b!.tick()).timers).toEqual([]); // not due yet, and not claimable
      release.resolve();
      expect((await firing).timers).toEqual([{ key: 'remind:r', outcome: 'stale' }]);
      expect(await a!.timers.get('remind:r')).toMatchObject({ status: 'pending', fireAt: t0 + MINUTE, payload: 'second' });
      clock.set(t0 + MINUTE);
      await Promise.all([a!.tick(), b!.tick()]);
      expect(fired.map(([, p]) => p)).toEqual(['first', 'second']);
      expect(await a!.timers.get('remind:r')).toMatchObject({ status: 'done', firedAt: t0 + MINUTE });
    });

    it('a timer scheduled in a transaction exists only if the transaction commits', async () => {
      const clock = new ManualClock('2025-01-10T00:00:00Z');
      const [s] = await instances(1, clock);
      s!.timers.on('sla', () => undefined);
      await expect(
        sources[0]!.transaction(async (manager) => {
          await s!.timers.at('sla:rolled-back', clock.now(), { case: 1 }, { manager });
          throw new Error('the case could not be saved');
        }),
      ).rejects.toThrow('the case could not be saved');
      await sources[0]!.transaction((manager) => s!.timers.at('sla:committed', clock.now(), { case: 2 }, { manager }));
      expect(await s!.timers.get('sla:rolled-back')).toBeNull();
      expect(await s!.timers.get('sla:committed')).toMatchObject({ status: 'pending', payload: { case: 2 } });
    });

    it('a timer kind registered twice throws, and so do keys the table cannot hold', async () => {
      const [s] = await instances(1, new ManualClock());
      s!.timers.on('remind', () => undefined);
      expect(() => s!.timers.on('remind', () => undefined)).toThrow(DuplicateTimerKindError);
      expect(() => s!.timers.on('remind', () => undefined)).toThrow('timer kind "remind" already has a handler');
      await expect(s!.timers.at('unknown:1', 0)).rejects.toThrow(/no handler/);
      await expect(s!.timers.at('remind', 0)).rejects.toThrow(/<kind>:<id>/);
      await expect(s!.timers.at('remind:', 0)).rejects.toThrow(/<kind>:<id>/);
      await expect(s!.timers.at(`remind:${'x'.repeat(190)}`, 0)).rejects.toThrow(/191/);
      await expect(s!.timers.at('remind:1', Number.NaN)).rejects.toThrow(/epoch milliseconds/);
      await expect(s!.timers.at('remind:1', 0, { big: 'x'.repeat(70_000) })).rejects.toThrow(/65535 bytes/);
    });
  });

  describe('the loop', () => {
    it('start() runs rounds by itself; stop() aborts the signal and waits for the running job', async () => {
      const clock = new ManualClock('2025-01-10T00:00:30Z');
      const [s] = await instances(1, clock, { tickMs: 5 });
      const started = deferred();
      const release = deferred();
      let signal: AbortSignal | null = null;
      s!.register({
        key: 'long',
        cron: '* * * * *',
        run: async (ctx) => {
          signal = ctx.signal;
          started.resolve();
          await release.promise;
        },
      });
      const fired: string[] = [];
      s!.timers.on('remind', (t) => void fired.push(t.key));
      s!.start();
      await waitFor(async () => (await runs('long')).length === 1, 'the first round (baseline row)');
      await s!.timers.at('remind:loop', clock.now());
      await waitFor(() => fired.length === 1, 'the loop firing a due timer');
      clock.set('2025-01-10T00:01:00Z');
      await started.promise;

      let stopped = false;
      const stopping = s!.stop().then(() => (stopped = true));
      await new Promise((resolve) => setImmediate(resolve));
      expect(stopped).toBe(false);
      expect(signal!.aborted).toBe(true);
      release.resolve();
      await stopping;
      expect((await runs('long')).map((r) => r.status)).toEqual(['skipped', 'done']);
    });

    it('old rows are pruned after the retention, each job keeping its newest; dead timers stay', async () => {
      const clock = new ManualClock('2025-01-10T00:30:00Z');
      const [s] = await instances(1, clock, { retentionDays: 1, timerMaxAttempts: 1 });
      s!.register({ key: 'hourly', cron: '0 * * * *', run: () => undefined });
      s!.register({ key: 'new-year', cron: '0 0 1 1 *', run: () => undefined });
      s!.timers.on('ok', () => undefined);
      s!.timers.on('bad', () => {
        throw new Error('no');
      });
      await s!.timers.at('ok:1', clock.now());
      await s!.timers.at('bad:1', clock.now());
      for (let h = 0; h < 72; h++) {
        await s!.tick();
        clock.advance(HOUR);
      }
      await s!.tick();
      const hourly = await runs('hourly');
      expect(hourly.length).toBeGreaterThanOrEqual(24);
      expect(hourly.length).toBeLessThanOrEqual(26);
      expect(Math.min(...hourly.map((r) => r.occurrenceAt))).toBeGreaterThan(clock.now() - DAY - 2 * HOUR);
      // The yearly job ran last on 1 January (its first-sight row): far past the retention, but its newest row.
      expect((await runs('new-year')).map((r) => [r.status, iso(r.occurrenceAt)])).toEqual([['skipped', '2024-12-31T16:00:00.000Z']]);
      expect(await s!.timers.get('ok:1')).toBeNull();
      expect(await s!.timers.get('bad:1')).toMatchObject({ status: 'dead' });
    });
  });
});
