import type { RobotView } from '@shopcrew/shared';
import type { DataSource } from 'typeorm';
import { AppError, NotFoundError } from '../../errors';
import { maskSecret, type SecretBox } from '../../lib/secret-box';
import type { UnitOfWork } from '../../platform/tx';
import { NotificationRule } from './rule.entity';
import { Robot } from './robot.entity';

/** The sealed key's purpose (associated data): it opens only as a robot key. */
const KEY_PURPOSE = 'notification_robots.key';
const KEY = /^[A-Za-z0-9-]{8,64}$/;

const view = (r: Robot): RobotView => ({ id: r.id, name: r.name, keyHint: r.keyHint, createdBy: r.createdBy, createdAt: r.createdAt });

/**
 * Group robots. Registering one means pasting its webhook URL; only `{WECOM_API_BASE}/cgi-bin/webhook/send?key=…` is
 * accepted, so the server can never be pointed at another host, and only the key is kept, sealed.
 */
export class RobotService {
  constructor(
    private readonly ds: DataSource,
    private readonly uow: UnitOfWork,
    private readonly box: SecretBox,
    private readonly apiBase: string,
  ) {}

  /** The key of a webhook URL on WeCom's host, or a 422 `invalid_webhook_url` saying what is wrong. */
  parseWebhookUrl(raw: string): string {
    const expected = `${this.apiBase}/cgi-bin/webhook/send`;
    const bad = (why: string) =>
      new AppError(
        422,
        'invalid_webhook_url',
        `机器人地址无效：${why}。请粘贴群机器人的 Webhook 地址，形如 ${expected}?key=… (invalid robot webhook URL: ${why})`,
      );
    let url: URL;
    try {
      url = new URL(raw.trim());
    } catch {
      throw bad('不是网址 (not a URL)');
    }
    if (`${url.origin}${url.pathname}` !== expected) throw bad(`必须是 ${expected} (must be on ${new URL(expected).host})`);
    const key = url.searchParams.get('key') ?? '';
    if (!KEY.test(key)) throw bad('缺少 key 或格式不对 (missing or malformed key)');
    if ([...url.searchParams.keys()].some((k) => k !== 'key')) throw bad('只能带 key 参数 (only the key parameter is allowed)');
    return key;
  }

  async list(): Promise<RobotView[]> {
    return (await this.ds.getRepository(Robot).find({ order: { name: 'ASC', id: 'ASC' } })).map(view);
  }

  async add(input: { name: string; webhookUrl: string }, actor: string, requestId?: string): Promise<RobotView> {
    const key = this.parseWebhookUrl(input.webhookUrl);
    return this.uow.run({ actor, requestId }, async (tx) => {
      const robot = await tx.manager.save(
        tx.manager.create(Robot, {
          name: input.name.trim(),
          keySealed: this.box.seal(key, KEY_PURPOSE),
          keyHint: maskSecret(key),
          createdBy: actor,
          createdAt: Date.now(),
        }),
      );
      await tx.audit({ action: 'notifications.robot_added', targetType: 'robot', targetId: String(robot.id), after: { name: robot.name, key: robot.keyHint } });
      return view(robot);
    });
  }

  async remove(id: number, actor: string, requestId?: string): Promise<void> {
    await this.uow.run({ actor, requestId }, async (tx) => {
      const robot = await tx.manager.findOneBy(Robot, { id });
      if (!robot) throw new NotFoundError('机器人不存在 (robot not found)');
      const rules = await tx.manager.countBy(NotificationRule, { robotId: id });
      if (rules)
        throw new AppError(409, 'robot_in_use', `还有 ${rules} 条通知规则使用这个机器人，请先修改或删除这些规则 (${rules} rules still use this robot)`);
      await tx.manager.delete(Robot, { id });
      await tx.audit({ action: 'notifications.robot_removed', targetType: 'robot', targetId: String(id), before: { name: robot.name, key: robot.keyHint } });
    });
  }

  /** Every robot with its key (the demo re-creates its simulator robots after a restart). */
  async withKeys(): Promise<Array<{ name: string; key: string }>> {
    const robots = await this.ds.getRepository(Robot).find({ order: { id: 'ASC' } });
    return robots.map((r) => ({ name: r.name, key: this.box.open(r.keySealed, KEY_PURPOSE) }));
  }

  async exists(id: number): Promise<boolean> {
    return this.ds.getRepository(Robot).existsBy({ id });
  }

  /** The robot's key, for sending only. Null when the robot was removed. */
  async keyOf(id: number): Promise<string | null> {
    const robot = await this.ds.getRepository(Robot).findOneBy({ id });
    return robot ? this.box.open(robot.keySealed, KEY_PURPOSE) : null;
  }
}
