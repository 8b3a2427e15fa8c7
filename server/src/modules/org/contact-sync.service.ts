import { In, LessThan, MoreThanOrEqual, Not, IsNull, type DataSource } from 'typeorm';
import type { SyncRunView, SyncStatusResponse } from '@shopcrew/shared';
import { inTransaction } from '../../db/transaction';
import { LeaseLostError, type HeldLease, type LeaseStore } from '../../db/leases';
import type { Logger } from '../../lib/logger';
import { mapLimit } from '../../lib/concurrency';
import type { WeComDepartment } from '../../wecom/client/apis';
import type { WeComClient } from '../../wecom/client/wecom-client';
import { ERRCODE, WeComApiError, WeComConfigError } from '../../wecom/client/errors';
import { InboxEntry } from '../../wecom/callbacks/inbox-entry.entity';
import { parseCallbackXml } from '../../wecom/crypto/callback-xml';
import type { AuditService } from '../audit/audit.service';
import { Department } from './department.entity';
import { Member } from './member.entity';
import type { OrgService } from './org.service';
import { SyncRun, type SyncProgress } from './sync-run.entity';

export const SYNC_LEASE = 'job:contact-sync';

export interface SyncReport {
  runId: number;
  resumed: boolean;
  departments: number;
  members: number;
  deactivated: number;
  tags: number;
  reconciled: number;
  ms: number;
}

export type ProgressListener = (done: number, total: number, phase: string) => void;

interface Opened {
  run: SyncRun;
  resumed: boolean;
  started: number;
  lease: HeldLease;
}

export class SyncBusyError extends Error {
  constructor() {
    super('another contact sync is running');
  }
}

/**
 * Full contact sync of departments, members and tags (WeCom APIs: department/list https://developer.work.weixin.qq.com/document/path/90208,
 * or department/simplelist https://developer.work.weixin.qq.com/document/path/95350 + department/get; user/list
 * https://developer.work.weixin.qq.com/document/path/90201, and user/list_id
 * https://developer.work.weixin.qq.com/document/path/96067 with the contact secret; tag/list + tag/get
 * https://developer.work.weixin.qq.com/document/path/90213). Members who disappear are deactivated, never deleted.
 * Progress is saved per department / per list_id page so an interrupted run resumes; one run at a time across processes
 * (a heartbeat-renewed lease: a run whose process died frees it within seconds, and a run that lost it stops at its
 * next step). Events that arrive during the run are reconciled at the end by re-fetching the members they touched, so a
 * stale snapshot never undoes a newer incremental change.
 */
export class ContactSyncService {
  constructor(
    private readonly ds: DataSource,
    private readonly wecom: WeComClient,
    private readonly org: OrgService,
    private readonly audit: AuditService,
    private readonly leases: LeaseStore,
    private readonly logger: Logger,
    private readonly opts: { concurrency: number },
    private readonly now: () => number = Date.now,
  ) {}

  async lastSuccess(): Promise<SyncRun | null> {
    return this.ds.getRepository(SyncRun).findOne({ where: { status: 'done' }, order: { id: 'DESC' } });
  }

  async run(trigger: string, onProgress: ProgressListener = () => {}): Promise<SyncReport> {
    const opened = await this.begin(trigger);
    if (!opened) throw new SyncBusyError();
    return this.finish(opened, trigger, onProgress);
  }

  /**
   * Start a run in the background (立即同步). Resolves once it holds the lease and its row exists, so
   * a status read right after already shows it running; null when another run holds the lease.
   */
  async start(trigger: string): Promise<{ runId: number; resumed: boolean } | null> {
    const opened = await this.begin(trigger);
    if (!opened) return null;
    const work = this.finish(opened, trigger, () => {}).catch((err: unknown) => this.logger.error({ err, runId: opened.run.id }, 'contact sync failed'));
    this.background = work.finally(() => {
      if (this.background === work) this.background = null;
    });
    return { runId: opened.run.id, resumed: opened.resumed };
  }

  private background: Promise<unknown> | null = null;

  /** Wait for a run started with start() (shutdown). */
  async idle(): Promise<void> {
    await this.background;
  }

  /** Whether a run is executing now, in this process or another (its lease is held). */
  isRunning(): Promise<boolean> {
    return this.leases.isHeld(SYNC_LEASE);
  }

  /** The 通讯录同步 page: the newest runs, whether one is executing, and the last success. */
  async status(limit = 20): Promise<SyncStatusResponse> {
    const [runs, running, last] = await Promise.all([
      this.ds.getRepository(SyncRun).find({ order: { id: 'DESC' }, take: limit }),
      this.isRunning(),
      this.lastSuccess(),
    ]);
    return { running, runs: await this.views(runs, running), lastSuccessAt: last?.finishedAt ?? null };
  }

  /** The counter on the home page: the newest run only. */
  async summary(): Promise<{ running: boolean; last: SyncRunView | null; lastSuccessAt: number | null }> {
    const { running, runs, lastSuccessAt } = await this.status(1);
    return { running, last: runs[0] ?? null, lastSuccessAt };
  }

  private async views(runs: SyncRun[], running: boolean): Promise<SyncRunView[]> {
    const byMember = (trigger: string) => (trigger.startsWith('api:') ? trigger.slice(4) : null);
    const userids = [...new Set(runs.map((r) => byMember(r.trigger)).filter((u): u is string => !!u))];
    const names = new Map((await this.org.membersByIds(userids)).map((m) => [m.userid, m.name]));
    // Only one row is ever unfinished (a new run resumes it), and it is executing only while the lease is held.
    return runs.map((r) => {
      const state = r.status === 'running' ? (running ? 'running' : 'interrupted') : r.status;
      const userid = byMember(r.trigger);
      return {
        id: r.id,
        startedAt: r.startedAt,
        finishedAt: r.finishedAt,
        state,
        trigger: r.trigger,
        triggeredBy: userid ? { userid, name: names.get(userid) ?? null } : null,
        durationMs: r.finishedAt !== null ? r.finishedAt - r.startedAt : state === 'running' ? Math.max(0, this.now() - r.startedAt) : null,
        progress: r.progress && r.status === 'running' ? { done: r.progress.doneDepartments.length, total: r.progress.departmentsTotal } : null,
        stats: r.stats,
        error: r.error,
      };
    });
  }

  /** Take the lease and open (or resume) the run row; null when the lease is taken. */
  private async begin(trigger: string): Promise<Opened | null> {
    const lease = await this.leases.hold(SYNC_LEASE);
    if (!lease) return null;
    const started = this.now();
    try {
      return { ...(await this.openRun(trigger)), started, lease };
    } catch (err) {
      await this.release(lease);
      throw err;
    }
  }

  private async release(lease: HeldLease): Promise<void> {
    // A lease that cannot be released lapses by itself within seconds.
    await lease.release().catch((err: unknown) => this.logger.warn({ err }, 'contact sync could not release its lease'));
  }

  private async finish({ run, resumed, started, lease }: Opened, trigger: string, onProgress: ProgressListener): Promise<SyncReport> {
    try {
      const report = await this.execute(run, lease, onProgress);
      const stats = { ...report, ms: this.now() - started };
      lease.check();
      await inTransaction(this.ds, async (m) => {
        await m.update(
          SyncRun,
          { id: run.id },
          {
            status: 'done',
            finishedAt: this.now(),
            progress: run.progress,
            stats: {
              departments: stats.departments,
              members: stats.members,
              deactivated: stats.deactivated,
              tags: stats.tags,
              reconciled: stats.reconciled,
              ms: stats.ms,
            },
          },
        );
        await this.audit.record(
          { actor: 'system', action: 'contact.sync', targetType: 'sync_run', targetId: run.id, after: { trigger, resumed, ...stats } },
          m,
        );
      });
      return { runId: run.id, resumed, ...stats };
    } catch (err) {
      if (err instanceof LeaseLostError) {
        // Another process has taken the run over (this one stalled past its lease): leave its row alone.
        this.logger.warn({ runId: run.id }, 'contact sync lost its lease; stopped');
        throw err;
      }
      // Config errors end the run for good; anything else leaves it resumable.
      const fatal = err instanceof WeComConfigError;
      await inTransaction(this.ds, async (m) => {
        const error = (err as Error).message;
        await m.update(SyncRun, { id: run.id }, { status: fatal ? 'failed' : 'running', error: error.slice(0, 1000), finishedAt: fatal ? this.now() : null });
        if (fatal)
          await this.audit.record({ actor: 'system', action: 'contact.sync_failed', targetType: 'sync_run', targetId: run.id, after: { trigger, error } }, m);
      });
      throw err;
    } finally {
      await this.release(lease);
    }
  }

  private async openRun(trigger: string): Promise<{ run: SyncRun; resumed: boolean }> {
    const repo = this.ds.getRepository(SyncRun);
    const unfinished = await repo.findOne({ where: { status: 'running' }, order: { id: 'DESC' } });
    if (unfinished) return { run: unfinished, resumed: true };
    const run = await repo.save({ startedAt: this.now(), finishedAt: null, status: 'running' as const, trigger, progress: null, stats: null, error: null });
    return { run, resumed: false };
  }

  /** Each step starts with lease.check(): a run that lost its lease (LeaseLostError) writes nothing more. */
  private async execute(run: SyncRun, lease: HeldLease, onProgress: ProgressListener): Promise<Omit<SyncReport, 'runId' | 'resumed' | 'ms'>> {
    // A member who is new to a mirror that was complete before joined (an event we missed); on the
    // first sync everyone is new, and that is filling the mirror, not news.
    const announceJoin = (await this.lastSuccess()) !== null;
    const departments = await this.fetchDepartments();
    lease.check();
    await this.storeDepartments(departments);
    const progress: SyncProgress = run.progress ?? {
      mode: this.wecom.hasContactSecret ? 'list_id' : 'user_list',
      departmentsTotal: departments.length,
      doneDepartments: [],
      cursor: null,
      membersSeen: 0,
    };
    run.progress = progress;
    const expected = progress.mode === 'list_id' ? await this.listIdMembership(run, lease) : null;
    const seen = await this.syncMembersByDepartment(run, departments, lease, onProgress, announceJoin);
    lease.check();
    if (expected) await this.fetchMissing(expected, seen);
    const deactivated = await this.deactivateUnseen(run.startedAt, lease);
    lease.check();
    const tags = await this.syncTags();
    lease.check();
    const reconciled = await this.reconcile(run.startedAt);
    return { departments: departments.length, members: progress.membersSeen, deactivated, tags, reconciled };
  }

  /** department/list gives names in one call; when it is refused, simplelist + department/get. */
  private async fetchDepartments(): Promise<WeComDepartment[]> {
    try {
      return await this.wecom.department.list();
    } catch (err) {
      if (!(err instanceof WeComApiError) || (err.errcode !== ERRCODE.API_NOT_PERMITTED && err.errcode !== ERRCODE.IP_NOT_ALLOWED)) throw err;
      const ids = await this.wecom.department.simplelist();
      return mapLimit(ids, this.opts.concurrency, (d) => this.wecom.department.get(d.id));
    }
  }

  private async storeDepartments(departments: WeComDepartment[]): Promise<void> {
    await inTransaction(this.ds, async (m) => {
      await this.org.upsertDepartments(departments, m);
      const ids = departments.map((d) => d.id);
      if (ids.length) await m.update(Department, { id: Not(In(ids)), deletedAt: IsNull() }, { deletedAt: this.now() });
    });
  }

  /**
   * user/list_id pages (contact secret only, https://developer.work.weixin.qq.com/document/path/96067): the
   * authoritative membership set.
   */
  private async listIdMembership(run: SyncRun, lease: HeldLease): Promise<Set<string>> {
    const members = new Set<string>();
    let cursor = '';
    do {
      const page = await this.wecom.user.listId(cursor);
      for (const row of page.dept_user) members.add(row.userid);
      cursor = page.next_cursor;
      lease.check();
    } while (cursor);
    this.logger.debug({ runId: run.id, members: members.size }, 'list_id membership read');
    return members;
  }

  /** Per-department user/list with bounded concurrency; each finished department is saved. */
  private async syncMembersByDepartment(
    run: SyncRun,
    departments: WeComDepartment[],
    lease: HeldLease,
    onProgress: ProgressListener,
    announceJoin: boolean,
  ): Promise<Set<string>> {
    const progress = run.progress!;
    const done = new Set(progress.doneDepartments);
    const todo = departments.filter((d) => !done.has(d.id));
    const seen = new Set<string>();
    onProgress(done.size, departments.length, 'members');
    await mapLimit(todo, this.opts.concurrency, async (d) => {
      lease.check();
      const listed = await this.wecom.user.list(d.id);
      // user/list returns a member's full department list, so a member listed under two
      // departments needs storing once; claiming synchronously keeps parallel lanes apart.
      const users = listed.filter((u) => !seen.has(u.userid));
      for (const u of users) seen.add(u.userid);
      lease.check();
      await inTransaction(this.ds, (m) => this.org.upsertMembers(users, m, { announceJoin }));
      done.add(d.id);
      progress.doneDepartments = [...done];
      progress.membersSeen += users.length;
      await this.ds.getRepository(SyncRun).update({ id: run.id }, { progress });
      onProgress(done.size, departments.length, 'members');
    });
    return seen;
  }

  /** Members list_id knows about but no department listing returned: fetch them one by one. */
  private async fetchMissing(expected: Set<string>, seen: Set<string>): Promise<void> {
    const missing = [...expected].filter((u) => !seen.has(u));
    const fresh = await this.ds.getRepository(Member).findBy({ userid: In(missing.length ? missing : ['']) });
    const stale = missing.filter((u) => !fresh.some((m) => m.userid === u && m.active));
    await mapLimit(stale, this.opts.concurrency, (userid) => this.refreshMember(userid));
    if (missing.length) await this.ds.getRepository(Member).update({ userid: In(missing) }, { seenAt: this.now() });
  }

  private async deactivateUnseen(startedAt: number, lease: HeldLease): Promise<number> {
    const gone = await this.ds.getRepository(Member).findBy({ active: true, seenAt: LessThan(startedAt) });
    for (const member of gone) {
      lease.check();
      await inTransaction(this.ds, async (m) => {
        await this.org.deactivateMember(member.userid, m);
        await this.audit.record(
          {
            actor: 'system',
            action: 'contact.deactivate',
            targetType: 'member',
            targetId: member.userid,
            before: { active: true },
            after: { active: false, reason: 'not in WeCom full sync' },
          },
          m,
        );
      });
    }
    return gone.length;
  }

  private async syncTags(): Promise<number> {
    let tags: Array<{ tagid: number; tagname: string }>;
    try {
      tags = await this.wecom.tag.list();
    } catch (err) {
      if (err instanceof WeComConfigError) return 0; // tags not visible to this app: roles by department only
      throw err;
    }
    await mapLimit(tags, this.opts.concurrency, async (t) => {
      const detail = await this.wecom.tag.get(t.tagid);
      await inTransaction(this.ds, (m) =>
        this.org.replaceTag({ id: t.tagid, name: t.tagname, userids: detail.userlist.map((u) => u.userid), departmentIds: detail.partylist }, m),
      );
    });
    return tags.length;
  }

  /** Re-fetch members touched by contact events that arrived while this run was reading. */
  private async reconcile(startedAt: number): Promise<number> {
    const events = await this.ds.getRepository(InboxEntry).findBy({ event: 'change_contact', receivedAt: MoreThanOrEqual(startedAt) });
    const userids = new Set<string>();
    for (const e of events) {
      const f = parseCallbackXml(e.payload);
      // Both ids of a rename: the run's snapshot may have stored the member under the old one.
      if (f.UserID) userids.add(f.UserID);
      if (f.NewUserID) userids.add(f.NewUserID);
    }
    for (const userid of userids) await this.refreshMember(userid);
    return userids.size;
  }

  /** Store the member as user/get has them now, or deactivate them if WeCom no longer knows them. */
  private async refreshMember(userid: string): Promise<void> {
    const user = await this.wecom.user.find(userid);
    await inTransaction(this.ds, async (m) => {
      if (user) await this.org.upsertMember(user, m);
      else await this.org.deactivateMember(userid, m);
    });
  }
}
