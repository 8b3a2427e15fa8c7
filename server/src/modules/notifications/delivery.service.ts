import { can, type Actor, type BatchResponse, type DeliveryStatus, type DeliveryView } from '@shopcrew/shared';
import { In, LessThan, type DataSource, type FindOptionsWhere } from 'typeorm';
import { AppError, ForbiddenError, NotFoundError } from '../../errors';
import type { UnitOfWork } from '../../platform/tx';
import { Delivery } from './delivery.entity';

const PAGE = 50;

const view = (d: Delivery): DeliveryView => ({
  id: d.id,
  eventType: d.eventType,
  ruleId: d.ruleId,
  channel: d.channel,
  target: d.target,
  title: d.message.title ?? '',
  status: d.status,
  attempts: d.attempts,
  lastError: d.lastError,
  mergedInto: d.mergedInto,
  createdAt: d.createdAt,
  sentAt: d.sentAt,
  nextAttemptAt: d.nextAttemptAt,
});

/** The admin's view of deliveries: newest first, by status, and a retry for the dead ones. */
export class DeliveryService {
  constructor(
    private readonly ds: DataSource,
    private readonly uow: UnitOfWork,
  ) {}

  async list(status: DeliveryStatus | undefined, cursor: number | undefined): Promise<{ deliveries: DeliveryView[]; nextCursor: number | null }> {
    const where: FindOptionsWhere<Delivery> = {};
    if (status) where.status = status;
    if (cursor) where.id = LessThan(cursor);
    const rows = await this.ds.getRepository(Delivery).find({ where, order: { id: 'DESC' }, take: PAGE + 1 });
    const page = rows.slice(0, PAGE);
    return { deliveries: page.map(view), nextCursor: rows.length > PAGE ? page[page.length - 1]!.id : null };
  }

  /**
   * The messages a summary stands for, in order. Its recipient may read it (a member for their own, any member for a
   * group robot's or app chat's, which the whole group saw), and so may whoever manages notifications.
   */
  async batch(id: number, actor: Actor): Promise<BatchResponse> {
    const d = await this.ds.getRepository(Delivery).findOneBy({ id });
    const batch = d?.message.batch;
    if (!d || !batch) throw new NotFoundError('这条汇总不存在 (summary not found)');
    const mine = d.target === `user:${actor.userid}` || !d.target.startsWith('user:');
    if (!mine && !can(actor, 'notifications:manage')) throw new ForbiddenError('这条汇总不是发给你的 (not your summary)');
    const merged = batch.mergedIds.length ? await this.ds.getRepository(Delivery).find({ where: { id: In(batch.mergedIds) }, order: { id: 'ASC' } }) : [];
    const items = [batch.first, ...merged.map((m) => ({ title: m.message.title, text: m.message.text, ...(m.message.url ? { url: m.message.url } : {}) }))];
    return { id, title: d.message.title, eventType: d.eventType, sentAt: d.sentAt, items };
  }

  /** A dead delivery goes back in the queue, due now (its attempts start over). */
  async retry(id: number, actor: string, requestId?: string): Promise<DeliveryView> {
    return this.uow.run({ actor, requestId }, async (tx) => {
      const d = await tx.manager.findOneBy(Delivery, { id });
      if (!d) throw new NotFoundError('投递记录不存在 (delivery not found)');
      if (d.status !== 'dead') throw new AppError(409, 'not_dead', '只有失败的投递可以重试 (only dead deliveries can be retried)');
      await tx.manager.update(Delivery, { id, status: 'dead' }, { status: 'pending', attempts: 0, nextAttemptAt: Date.now(), lastError: null });
      await tx.audit({
        action: 'notifications.delivery_retried',
        targetType: 'notification_delivery',
        targetId: String(id),
        before: { lastError: d.lastError },
      });
      return view({ ...d, status: 'pending', attempts: 0, lastError: null });
    });
  }
}
