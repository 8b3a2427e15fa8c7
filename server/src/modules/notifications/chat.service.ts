import type { AppChatView } from '@shopcrew/shared';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { AppError, NotFoundError, ValidationError } from '../../errors';
import type { UnitOfWork } from '../../platform/tx';
import { WeComApiError, WeComConfigError } from '../../wecom/client/errors';
import type { WeComClient } from '../../wecom/client/wecom-client';
import type { OrgService } from '../org/org.service';
import { NotificationChat } from './chat.entity';
import { NotificationRule } from './rule.entity';

/** WeCom's chatid: 1-32 letters or digits (90245). */
export const CHATID = /^[0-9a-zA-Z]{1,32}$/;
/** WeCom keeps at most 50 characters of a chat's name and truncates the rest (90245): refused here instead. */
const NAME_MAX = 50;
const MEMBERS_MIN = 2;
const MEMBERS_MAX = 2000;

/** appchat/create's errcodes (https://developer.work.weixin.qq.com/document/path/90313). */
const ERR = { BAD_CHATID: 86001, BAD_OWNER: 86005, MEMBER_COUNT: 86006, BAD_MEMBER: 86007, OWNER_NOT_MEMBER: 86207, CHATID_EXISTS: 86215 } as const;

/** POST /api/notifications/chats: members deduplicated in order, the owner among them. */
export const chatBody = z
  .object({
    name: z
      .string()
      .trim()
      .min(1, '请填写群名称 (name is required)')
      .refine((s) => [...s].length <= NAME_MAX, `群名称最多 ${NAME_MAX} 个字 (name: at most ${NAME_MAX} characters)`),
    owner: z.string().trim().min(1, '请选择群主 (owner is required)').max(64),
    members: z
      .array(z.string().trim().min(1).max(64))
      .max(MEMBERS_MAX * 2)
      .transform((list) => [...new Set(list)]),
    chatid: z.string().regex(CHATID, '群聊 ID 为 1-32 位字母或数字 (chatid: 1-32 letters or digits)').nullable().optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.members.length < MEMBERS_MIN || v.members.length > MEMBERS_MAX)
      ctx.addIssue({
        code: 'custom',
        path: ['members'],
        message: `群成员需要 ${MEMBERS_MIN}-${MEMBERS_MAX} 人（含群主）(members: ${MEMBERS_MIN} to ${MEMBERS_MAX} distinct members, the owner included)`,
      });
    else if (!v.members.includes(v.owner))
      ctx.addIssue({ code: 'custom', path: ['owner'], message: '群主必须是群成员之一 (the owner must be one of the members)' });
  });
export type ChatInput = z.infer<typeof chatBody>;

/** "中文 (English)" → its halves, so two bilingual sentences can be joined into one. */
function halves(text: string): [string, string] {
  const m = /^(.*\S) \(([^()]*)\)$/.exec(text);
  return m ? [m[1]!, m[2]!] : [text, text];
}

/**
 * App group chats (应用群聊): created here through appchat/create (self-built apps only; the app's visible range must
 * be the root department; at most 1000 chats a day per corp) and kept in ShopCrew's own list, because WeCom lets an
 * app use only the chats it created and offers no way to list or dissolve them. Rules with channel `appchat` name one.
 */
export class ChatService {
  constructor(
    private readonly ds: DataSource,
    private readonly uow: UnitOfWork,
    private readonly org: OrgService,
    private readonly wecom: WeComClient,
  ) {}

  async list(): Promise<AppChatView[]> {
    const chats = await this.ds.getRepository(NotificationChat).find({ order: { name: 'ASC', id: 'ASC' } });
    const owners = await this.org.describeSubjects(chats.map((c) => ({ type: 'user' as const, id: c.owner })));
    return chats.map((c) => this.view(c, owners.get(`user:${c.owner}`)?.name ?? null));
  }

  /**
   * Creates the chat in WeCom first (nothing is stored when WeCom refuses), then records it and audits
   * `notifications.chat_created` in one unit of work. Every member must be an active member of the address book.
   */
  async create(input: ChatInput, actor: string, requestId?: string): Promise<AppChatView> {
    const name = input.name.trim();
    for (const userid of input.members) {
      if (!(await this.org.subjectExists('user', userid)))
        throw new AppError(422, 'unknown_recipient', `成员不存在：${userid} (member not found: ${userid})`, { member: userid });
    }
    const chatid = input.chatid ?? undefined;
    // Taken already: refused before WeCom creates a chat that could not be recorded (on MySQL the unique index
    // compares with the collation, so 'AB' takes 'ab' too; WeCom would accept it as another chat).
    if (chatid && (await this.ds.getRepository(NotificationChat).existsBy({ chatid }))) throw this.exists(chatid);

    let created: string;
    try {
      created = await this.wecom.appchat.create({ name, owner: input.owner, userlist: input.members, ...(chatid ? { chatid } : {}) });
    } catch (err) {
      throw this.refused(err, chatid);
    }

    let chat: NotificationChat;
    try {
      chat = await this.uow.run({ actor, requestId }, async (tx) => {
        const row = await tx.manager.save(
          tx.manager.create(NotificationChat, { chatid: created, name, owner: input.owner, members: input.members, createdBy: actor, createdAt: Date.now() }),
        );
        await tx.audit({
          action: 'notifications.chat_created',
          targetType: 'notification_chat',
          targetId: String(row.id),
          after: { chatid: row.chatid, name: row.name, owner: row.owner, members: row.members },
        });
        return row;
      });
    } catch (err) {
      // The chat exists in WeCom now and cannot be dissolved: say which one, so it can be recorded by hand.
      const failure = new AppError(
        500,
        'chat_not_recorded',
        `群聊已在企业微信创建（chatid ${created}），但未能保存到店务通，请联系管理员 (chat ${created} was created in WeCom but not recorded)`,
        { chatid: created },
      );
      throw Object.assign(failure, { cause: err }); // logged with the request
    }
    const owner = await this.org.describeSubjects([{ type: 'user', id: chat.owner }]);
    return this.view(chat, owner.get(`user:${chat.owner}`)?.name ?? null);
  }

  /**
   * Removes the chat from ShopCrew's list only: WeCom has no API to dissolve an app group chat, so the group stays in
   * WeCom. Refused (409 chat_in_use) while a rule sends to it.
   */
  async remove(id: number, actor: string, requestId?: string): Promise<void> {
    await this.uow.run({ actor, requestId }, async (tx) => {
      const chat = await tx.manager.findOneBy(NotificationChat, { id });
      if (!chat) throw new NotFoundError('应用群聊不存在 (chat not found)');
      const rules = (await tx.manager.findBy(NotificationRule, { chatId: chat.chatid })).filter((r) => r.chatId === chat.chatid).length;
      if (rules)
        throw new AppError(409, 'chat_in_use', `还有 ${rules} 条通知规则发到这个群聊，请先修改或删除这些规则 (${rules} rules still send to this chat)`, {
          rules,
        });
      await tx.manager.delete(NotificationChat, { id });
      await tx.audit({
        action: 'notifications.chat_removed',
        targetType: 'notification_chat',
        targetId: String(id),
        before: { chatid: chat.chatid, name: chat.name, owner: chat.owner, members: chat.members },
      });
    });
  }

  private exists(chatid: string | undefined): AppError {
    return new AppError(
      409,
      'chat_exists',
      `群聊 ID ${chatid ?? ''} 已被使用，请换一个或留空由企业微信生成 (chatid ${chatid ?? ''} is taken: choose another or leave it empty)`,
      { chatid },
    );
  }

  /** What to tell the member when WeCom refuses appchat/create. */
  private refused(err: unknown, chatid: string | undefined): AppError {
    if (err instanceof WeComConfigError) {
      const [zh, en] = halves(err.hint());
      return new AppError(
        422,
        'wecom_config',
        `企业微信拒绝创建群聊：${zh}。应用群聊只能由自建应用创建，且应用的可见范围必须是根部门 (WeCom refused to create the chat: ${en}; app group chats need a self-built app visible to the root department)`,
        { errcode: err.errcode, hint: err.hint() },
      );
    }
    if (err instanceof WeComApiError) {
      const field = (path: string, message: string) => new ValidationError(message, [{ path: [path], message, errcode: err.errcode }]);
      switch (err.errcode) {
        case ERR.CHATID_EXISTS:
          return this.exists(chatid);
        case ERR.BAD_MEMBER:
          return new AppError(
            422,
            'unknown_recipient',
            '企业微信不认识其中的成员，请确认成员都已加入企业且在应用的可见范围内 (WeCom does not know one of the members)',
            { errcode: err.errcode },
          );
        case ERR.BAD_CHATID:
          return field('chatid', '群聊 ID 为 1-32 位字母或数字 (chatid: 1-32 letters or digits)');
        case ERR.BAD_OWNER:
        case ERR.OWNER_NOT_MEMBER:
          return field('owner', '群主无效或不是群成员 (the owner is unknown or not a member)');
        case ERR.MEMBER_COUNT:
          return field('members', `群成员需要 ${MEMBERS_MIN}-${MEMBERS_MAX} 人 (members: ${MEMBERS_MIN} to ${MEMBERS_MAX})`);
      }
      return new AppError(
        502,
        'wecom_unavailable',
        `企业微信未能创建群聊（错误码 ${err.errcode}），请稍后再试 (WeCom could not create the chat: errcode ${err.errcode})`,
        { errcode: err.errcode },
      );
    }
    return new AppError(502, 'wecom_unavailable', '暂时连不上企业微信，群聊未创建，请稍后再试 (WeCom unreachable: the chat was not created)');
  }

  private view(c: NotificationChat, ownerName: string | null): AppChatView {
    return { id: c.id, chatid: c.chatid, name: c.name, owner: c.owner, ownerName, members: c.members, createdBy: c.createdBy, createdAt: c.createdAt };
  }
}
