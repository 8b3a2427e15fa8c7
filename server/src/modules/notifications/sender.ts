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
 * (81013, 82001), wrong agent (40056, 301002), robot key invalid or robot removed (93000), a malformed message (40058,
 * 40003 bad userid, 40032 too many users, 44004 empty content, 41016/41033/41010 missing title/description/url,
 * 45008 too many articles), interactive cards without a callback URL (43012), the app lacking the API or the member
 * (48002, 60011), app-chat errors (86001–86215: bad or unknown chat, owner, members).
 */
const DEAD_AT_ONCE = new Set([81013, 82001, 40056, 301002, 93000, 40058, 40003, 40032, 44004, 41016, 41033, 41010, 45008, 43012, 48002, 60011]);
const isDeadAtOnce = (errcode: number) => DEAD_AT_ONCE.has(errcode) || (errcode >= 86001 && errcode <= 86215);
/** WeCom's frequency limits: the governor exists so these never come back; one that does is a bug to look at. */
export const LIMIT_CODES = new Set([45009, 130101]);

/** Sends one delivery on its channel, with no retry of its own: the delivery queue retries with backoff. */
export class DeliverySender {
  constructor(
    private readonly wecom: WeComClient,
    private readonly robots: RobotService,
    private readonly agentId: number,
  ) {}

  /** Sends it; an interactive card's first response code comes back with it. */
  async send(delivery: Delivery): Promise<{ msgid: string | null; responseCode?: string | null }> {
    const msg = delivery.message;
    const [kind, id] = splitTarget(delivery.target);
    try {
      if (kind === 'user') {
        const res = await this.wecom.message.send(appMessageBody(msg, id), this.agentId);
        return { msgid: res.msgid ?? null, responseCode: res.response_code ?? null };
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
  if (err instanceof WeComApiError) return new SendFailure(err.message, isDeadAtOnce(err.errcode) ? 'dead' : 'retry', err.errcode);
  if (err instanceof WeComTransportError) return new SendFailure(err.message, 'retry');
  return new SendFailure((err as Error).message ?? String(err), 'retry');
}
