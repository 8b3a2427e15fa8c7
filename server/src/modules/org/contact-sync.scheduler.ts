import type { Logger } from '../../lib/logger';
import { type ContactSyncService, SyncBusyError } from './contact-sync.service';

const CHECK_EVERY_MS = 10 * 60_000;
/** 03:00 China time (UTC+8) = 19:00 UTC: the nightly full sync, when seller teams are offline. */
const NIGHTLY_UTC_HOUR = 19;

/**
 * Full sync at start when the mirror is stale, and nightly. Incremental events are hints; the
 * full sync is the safety net: since 2022-08-15 change_contact events may carry only ids, and which apps
 * receive them at all is limited (成员变更通知 https://developer.work.weixin.qq.com/document/path/90970).
 */
export class ContactSyncScheduler {
  private timer: NodeJS.Timeout | null = null;
  private current: Promise<unknown> | null = null;

  constructor(
    private readonly sync: ContactSyncService,
    private readonly logger: Logger,
    private readonly opts: { staleMinutes: number },
    private readonly now: () => number = Date.now,
  ) {}

  start(): void {
    void this.check('start');
    this.timer = setInterval(() => void this.check('nightly'), CHECK_EVERY_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  async idle(): Promise<void> {
    await this.current?.catch(() => undefined);
  }

  /** Is a run due? At start: older than staleMinutes. Later: none since the last 03:00 (China). */
  async due(reason: 'start' | 'nightly'): Promise<boolean> {
    const last = await this.sync.lastSuccess();
    const lastAt = last?.finishedAt ?? 0;
    if (reason === 'start') return this.now() - lastAt > this.opts.staleMinutes * 60_000;
    const mark = new Date(this.now());
    mark.setUTCHours(NIGHTLY_UTC_HOUR, 0, 0, 0);
    if (mark.getTime() > this.now()) mark.setUTCDate(mark.getUTCDate() - 1);
    return lastAt < mark.getTime();
  }

  private async check(reason: 'start' | 'nightly'): Promise<void> {
    if (this.current) return;
    try {
      if (!(await this.due(reason))) return;
      this.current = this.sync.run(reason);
      const report = await this.current;
      this.logger.info({ report }, 'contact sync finished');
    } catch (err) {
      if (!(err instanceof SyncBusyError)) this.logger.error({ err }, 'scheduled contact sync failed');
    } finally {
      this.current = null;
    }
  }
}
