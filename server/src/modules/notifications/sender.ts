import { WeComApiError, WeComTransportError } from '../../wecom/client/errors';
import type { WeComClient } from '../../wecom/client/wecom-client';
import type { Delivery } from './delivery.entity';
import { appChatBody, appMessageBody, robotBody } from './message';
import type { RobotService } from './robot.service';

/** Why a send failed, and whether trying again can help. */
export class SendFailure extends Error {
  constructor(
    message: string,
    /** `retry`: WeCom busy, a limit, the network; `dead`: WeCom refused it for good (fix the rule or the robot). */
    readonly kind: 'retry' | 'dead',
    readonly errcode: number | null = null,
  ) {
    super(message);
  }
}

/**
 * errcodes that no retry can fix (https://developer.work.weixin.qq.com/document/path/90313): no valid recipient
 * (81013), wrong agent (40056), robot key invalid or robot removed (93000), a malformed message (40058, 40003 bad
 * userid), the app lacking the API or the member (48002, 60011), an unknown chat (86003).
 */
const DEAD_AT_ONCE = new Set([81013, 40056, 93000, 40058, 40003, 48002, 60011, 86003, 301002]);
/** WeCom's frequency limits: the governor exists so these never come back; one that does is a bug to look at. */
export const LIMIT_CODES = new Set([45009, 130101]);

/** Sends one delivery on its channel, with no retry of its own: the delivery queue retries with backoff. */
export class DeliverySender {
  constructor(
    private readonly wecom: WeComClient,
    private readonly robots: RobotService,
    private readonly agentId: number,
  ) {}

  async send(delivery: Delivery): Promise<{ msgid: string | null }> {
    const msg = delivery.message;
    const [kind, id] = splitTarget(delivery.target);
    try {
      if (kind === 'user') {
        const res = await this.wecom.message.send(appMessageBody(msg, id), this.agentId);
        return { msgid: res.msgid ?? null };
      }
      if (kind === 'robot') {
        const key = await this.robots.keyOf(Number(id));
        if (!key) throw new SendFailure('机器人已删除 (robot removed)', 'dead');
        await this.wecom.robotSend(key, robotBody(msg));
        return { msgid: null };
      }
      if (kind === 'chat') {
        await this.wecom.appchat.send(appChatBody(msg, id));
        return { msgid: null };
      }
      throw new SendFailure(`unknown target ${delivery.target}`, 'dead');
    } catch (err) {
      throw classify(err);
    }
  }
}

export function splitTarget(target: string): [string, string] {
  const colon = target.indexOf(':');
  return [target.slice(0, colon), target.slice(colon + 1)];
}

function classify(err: unknown): SendFailure {
  if (err instanceof SendFailure) return err;
  if (err instanceof WeComApiError) return new SendFailure(err.message, DEAD_AT_ONCE.has(err.errcode) ? 'dead' : 'retry', err.errcode);
  if (err instanceof WeComTransportError) return new SendFailure(err.message, 'retry');
  return new SendFailure((err as Error).message ?? String(err), 'retry');
}
