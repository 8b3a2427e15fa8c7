import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Logger } from '../../lib/logger';
import type { CardActionDef, CardActionRegistry } from '../../platform/card-actions';
import type { EventTypeDef } from '../../platform/events';
import type { Tx, UnitOfWork } from '../../platform/tx';
import type { WeComEvent, ApplyOutcome } from '../../wecom/callbacks/event-handlers';
import { WeComApiError } from '../../wecom/client/errors';
import type { WeComClient } from '../../wecom/client/wecom-client';
import type { OrgService } from '../org/org.service';
import type { Authorizer } from '../roles/authorizer';
import { NotificationCard } from './card.entity';
import type { CardButton } from './message';

/** The generic button every event's card can carry: the first member to press it takes the matter on. */
export const TAKE_ACTION_KEY = 'notifications.take';
const NO_PERMISSION = '无权限';
const EXPIRED = '已失效';

/** WeCom's task_id: unique per app, ≤ 128 bytes of [A-Za-z0-9_-@] (https://developer.work.weixin.qq.com/document/path/90236). */
export function taskIdFor(groupKey: string, userid: string): string {
  return `sc-${createHash('sha256').update(`${groupKey}\n${userid}`).digest('hex').slice(0, 40)}`;
}

/**
 * Approval-style cards: which buttons an event's card carries, the card rows of a group, and what a click does —
 * run the action as the clicking member (checked with can()), record the result for the whole group once (the first
 * click to finish wins), and replace the buttons on every recipient's card with it through update_template_card,
 * each member's card with its own newest one-shot response code (https://developer.work.weixin.qq.com/document/path/94888).
 */
export class CardService {
  constructor(
    private readonly ds: DataSource,
    private readonly uow: UnitOfWork,
    private readonly actions: CardActionRegistry,
    private readonly authz: () => Authorizer,
    private readonly org: OrgService,
    private readonly wecom: WeComClient,
    private readonly agentId: number,
    private readonly logger: Logger,
  ) {}

  /** The generic 我来处理 action: no permission beyond having received the card. */
  takeAction(): CardActionDef {
    return {
      key: TAKE_ACTION_KEY,
      label: '我来处理',
      style: 1,
      permission: null,
      handle: async ({ userid }) => ({ text: `已由 ${(await this.org.findMember(userid))?.name ?? userid} 处理` }),
    };
  }

  /** The buttons of an event's card: its module's actions on its target field, else 我来处理. */
  buttonsFor(def: EventTypeDef, payload: Record<string, unknown>): CardButton[] {
    const value = def.card ? payload[def.card.target] : undefined;
    const target = typeof value === 'string' || typeof value === 'number' ? String(value) : '';
    const keys = def.card?.actions.filter((k) => this.actions.get(k)) ?? [];
    const actions = (keys.length ? keys : [TAKE_ACTION_KEY]).map((k) => this.actions.get(k)!);
    return actions.map((a) => ({ text: a.label, key: `${a.key}:${target}`, style: a.style ?? 1 }));
  }

  /** The card rows of a group, written with its deliveries (idempotent: a repeat inserts nothing). */
  async createGroup(groupKey: string, userids: string[], tx: Tx, subject: string | null = null): Promise<void> {
    if (!userids.length) return;
    const now = Date.now();
    const rows = userids.map((userid) => ({
      taskId: taskIdFor(groupKey, userid),
      groupKey,
      userid,
      subject,
      responseCode: null,
      state: 'open' as const,
      resultText: null,
      updated: false,
      createdAt: now,
    }));
    await tx.manager.createQueryBuilder().insert().into(NotificationCard).values(rows).orIgnore().updateEntity(false).execute();
  }

  /** A card went out: keep its response code; if its group was settled meanwhile, show the result at once. */
  async recordSent(taskId: string, responseCode: string | null): Promise<void> {
    if (!responseCode) return;
    await this.ds.getRepository(NotificationCard).update({ taskId }, { responseCode });
    const card = await this.ds.getRepository(NotificationCard).findOneBy({ taskId });
    if (card?.state === 'done') await this.propagate(card.groupKey, card.resultText ?? '');
  }

  /** template_card_event (https://developer.work.weixin.qq.com/document/path/90240), applied from the inbox. */
  async onClick(e: WeComEvent): Promise<ApplyOutcome> {
    const { FromUserName: userid, EventKey: key, TaskId: taskId, ResponseCode: code } = e.fields;
    if (!userid || !taskId || !key) return 'ignored';
    const repo = this.ds.getRepository(NotificationCard);
    const card = await repo.findOneBy({ taskId });
    if (!card || card.userid !== userid) return 'ignored';
    if (card.state === 'done' && card.updated) return 'applied'; // a repeat of a click already shown
    if (code) await repo.update({ taskId }, { responseCode: code, updated: false });

    const parsed = this.actions.parseButtonKey(key);
    if (!parsed) return this.showOnly(taskId, EXPIRED);
    const { action, target } = parsed;
    if (action.permission) {
      const authz = this.authz();
      const actor = await authz.actor(userid);
      const shopId = action.shopOf ? await this.uow.run({ actor: userid }, (tx) => action.shopOf!(target, tx)) : null;
      if (!authz.can(actor, action.permission, shopId ? { shopId } : undefined)) return this.showOnly(taskId, NO_PERMISSION);
    }
    let unsettled: string | null = null;
    const text = await this.uow.run({ actor: userid, requestId: `card:${taskId}` }, async (tx) => {
      const group = await tx.manager.findOneBy(NotificationCard, { taskId });
      if (group?.state === 'done') return group.resultText ?? '';
      const result = await action.handle({ userid, target, tx });
      if (result.settle === false) {
        unsettled = result.text;
        return result.text;
      }
      const settled = await tx.manager
        .createQueryBuilder()
        .update(NotificationCard)
        .set({ state: 'done', resultText: result.text.slice(0, 64) })
        .where('group_key = :g AND state = :open', { g: card.groupKey, open: 'open' })
        .execute();
      if (settled.affected)
        await tx.audit({
          action: 'notifications.card_action',
          targetType: 'notification_card',
          targetId: taskId,
          after: { action: action.key, target, result: result.text },
        });
      return settled.affected ? result.text : ((await tx.manager.findOneBy(NotificationCard, { taskId }))?.resultText ?? result.text);
    });
    if (unsettled !== null) return this.showOnly(taskId, unsettled);
    await this.propagate(card.groupKey, text);
    return 'applied';
  }

  /** The card target `def.card.target` names in this payload (the order number of a 新订单 card), if any. */
  subjectOf(def: EventTypeDef, payload: Record<string, unknown>): string | null {
    const value = def.card ? payload[def.card.target] : undefined;
    return typeof value === 'string' || typeof value === 'number' ? String(value).slice(0, 191) : null;
  }

  /**
   * Something settled what open cards are about (claimed in the H5): their groups show `text` from now on, in the
   * caller's transaction; `propagateSubject` then updates the cards already out, after the commit.
   */
  async settleSubject(subject: string, text: string, tx: Tx): Promise<boolean> {
    const settled = await tx.manager
      .createQueryBuilder()
      .update(NotificationCard)
      .set({ state: 'done', resultText: text.slice(0, 64) })
      .where('subject = :subject AND state = :open', { subject, open: 'open' })
      .execute();
    return Boolean(settled.affected);
  }

  async propagateSubject(subject: string): Promise<void> {
    const groups = await this.ds
      .getRepository(NotificationCard)
      .find({ select: { groupKey: true, resultText: true }, where: { subject, state: 'done', updated: false } });
    for (const g of new Map(groups.map((c) => [c.groupKey, c.resultText ?? ''])).entries()) await this.propagate(g[0], g[1]);
  }

  /** Only the clicking member's card changes (no permission, a stale button): the group stays open for the others. */
  private async showOnly(taskId: string, text: string): Promise<ApplyOutcome> {
    const card = await this.ds.getRepository(NotificationCard).findOneByOrFail({ taskId });
    await this.update(card, text);
    return 'applied';
  }

  /** Every card of the group that does not show `text` yet and has an unused code. */
  private async propagate(groupKey: string, text: string): Promise<void> {
    const cards = await this.ds.getRepository(NotificationCard).findBy({ groupKey, updated: false });
    for (const card of cards) if (card.responseCode) await this.update(card, text);
  }

  private async update(card: NotificationCard, text: string): Promise<void> {
    const code = card.responseCode;
    if (!code) return;
    try {
      await this.wecom.message.updateTemplateCard({ userids: [card.userid], response_code: code, button: { replace_name: text } }, this.agentId, 2);
    } catch (err) {
      // A code WeCom no longer takes (used, or older than its lifetime) cannot be retried into working.
      if (!(err instanceof WeComApiError) || err.errcode === -1) throw err;
      this.logger.warn({ taskId: card.taskId, errcode: err.errcode }, 'card update refused; leaving this card as it is');
    }
    // Each code once: cleared whether it worked or WeCom refused it.
    await this.ds.getRepository(NotificationCard).update({ taskId: card.taskId, responseCode: code }, { responseCode: null, updated: text !== NO_PERMISSION });
  }
}
