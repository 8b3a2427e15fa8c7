import type { Logger } from '../../lib/logger';
import { type ContactSyncService, SyncBusyError } from './contact-sync.service';

/**
 * When the full sync runs: at start when the mirror is stale, and nightly at 03:00 corp time (the
 * org module's `org.contact-sync.nightly` job on the platform scheduler, once across instances).
 * Incremental events are hints; the full sync is the safety net: since 2022-08-15 change_contact events
 * may carry only ids, and which apps receive them at all is limited
 * (成员变更通知 https://developer.work.weixin.qq.com/document/path/90970).
 */
export class ContactSyncScheduler {
  private current: Promise<unknown> | null = null;
  private stopped = false;

  constructor(
    private readonly sync: ContactSyncService,
    private readonly logger: Logger,
    private readonly opts: { staleMinutes: number },
    private readonly now: () => number = Date.now,
  ) {}

  /** The check at start: a full sync when the last completed one is older than staleMinutes. */
  start(): void {
    this.stopped = false;
    void this.runIf('start', () => this.dueAtStart());
  }

  stop(): void {
    this.stopped = true;
  }

  async idle(): Promise<void> {
    await this.current?.catch(() => undefined);
  }

  /** Is the start-up sync due? No completed sync yet, or the last one is older than staleMinutes. */
  async dueAtStart(): Promise<boolean> {
    const last = await this.sync.lastSuccess();
    return this.now() - (last?.finishedAt ?? 0) > this.opts.staleMinutes * 60_000;
  }

  /** The nightly job: a full sync, unless one is already running (then that one is tonight's). */
  async runNightly(): Promise<void> {
    await this.runIf('nightly', () => Promise.resolve(true));
  }

  private async runIf(reason: 'start' | 'nightly', due: () => Promise<boolean>): Promise<void> {
    if (this.current || this.stopped) return;
    try {
      if (!(await due())) return;
      this.current = this.sync.run(reason);
      const report = await this.current;
      this.logger.info({ report }, 'contact sync finished');
    } catch (err) {
      if (!(err instanceof SyncBusyError)) this.logger.error({ err }, `${reason} contact sync failed`);
      if (reason === 'nightly' && !(err instanceof SyncBusyError)) throw err; // recorded as a failed job run
    } finally {
      this.current = null;
    }
  }
}
