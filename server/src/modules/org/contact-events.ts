import type { UnitOfWork } from '../../platform/tx';
import type { WeComClient } from '../../wecom/client/wecom-client';
import { ERRCODE, WeComApiError } from '../../wecom/client/errors';
import type { CallbackFields } from '../../wecom/callbacks/dedupe-key';
import type { ApplyOutcome, EventHandler } from '../../wecom/callbacks/event-handlers';
import type { OrgService } from './org.service';

const isNotFound = (err: unknown, code: number) => err instanceof WeComApiError && err.errcode === code;
const csv = (v: string | undefined) =>
  v
    ? v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [];

/**
 * change_contact handlers (members https://developer.work.weixin.qq.com/document/path/90970, departments
 * https://developer.work.weixin.qq.com/document/path/90971, tags
 * https://developer.work.weixin.qq.com/document/path/90972). Since 2022 events may carry only the ids, so every field
 * but the id is treated as optional and the details are re-fetched from the API. Handlers are idempotent: re-applying
 * an event after a crash is harmless.
 */
export class ContactEventHandlers {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly wecom: WeComClient,
    private readonly org: OrgService,
  ) {}

  /** The org module's WeCom inbox handlers, by `Event:ChangeType`. */
  handlers(): Record<string, EventHandler> {
    return {
      'change_contact:create_user': (e) => this.upsertUser(e.fields),
      'change_contact:update_user': (e) => this.upsertUser(e.fields),
      'change_contact:delete_user': (e) => this.deleteUser(e.fields),
      'change_contact:create_party': (e) => this.upsertParty(e.fields),
      'change_contact:update_party': (e) => this.upsertParty(e.fields),
      'change_contact:delete_party': (e) => this.deleteParty(e.fields),
      'change_contact:update_tag': (e) => this.updateTag(e.fields),
    };
  }

  private async upsertUser(f: CallbackFields): Promise<ApplyOutcome> {
    const oldId = f.UserID;
    if (!oldId) return 'ignored';
    const userid = f.NewUserID || oldId;
    const user = await this.wecom.user.find(userid); // null: gone again by the time we asked
    await this.uow.run({ actor: 'wecom' }, async (tx) => {
      const m = tx.manager;
      const before = await this.org.snapshot(oldId, m);
      if (userid !== oldId) await this.org.renameMember(oldId, userid, m);
      if (user) await this.org.upsertMember(user, m, { announceJoin: f.ChangeType === 'create_user' });
      else await this.org.deactivateMember(userid, m);
      const after = await this.org.snapshot(userid, m);
      await tx.audit({
        action: `contact.${f.ChangeType}`,
        targetType: 'member',
        targetId: userid,
        before,
        after: { ...after, renamedFrom: userid !== oldId ? oldId : undefined },
      });
    });
    return 'applied';
  }

  private async deleteUser(f: CallbackFields): Promise<ApplyOutcome> {
    const userid = f.UserID;
    if (!userid) return 'ignored';
    await this.uow.run({ actor: 'wecom' }, async (tx) => {
      const m = tx.manager;
      const before = await this.org.snapshot(userid, m);
      await this.org.deactivateMember(userid, m);
      await tx.audit({ action: 'contact.delete_user', targetType: 'member', targetId: userid, before, after: { active: false } });
    });
    return 'applied';
  }

  private async upsertParty(f: CallbackFields): Promise<ApplyOutcome> {
    const id = Number(f.Id);
    if (!Number.isInteger(id)) return 'ignored';
    let dept;
    try {
      dept = await this.wecom.department.get(id);
    } catch (err) {
      if (isNotFound(err, ERRCODE.DEPARTMENT_NOT_FOUND)) return this.deleteParty(f);
      if (!(err instanceof WeComApiError) || err.errcode !== ERRCODE.API_NOT_PERMITTED) throw err;
      // department/get not granted: fall back to what the event carries.
      dept = {
        id,
        name: f.Name,
        parentid: f.ParentId === undefined ? undefined : Number(f.ParentId),
        order: f.Order === undefined ? undefined : Number(f.Order),
      } as never;
    }
    await this.uow.run({ actor: 'wecom' }, async (tx) => {
      const m = tx.manager;
      await this.org.upsertDepartment(dept, m);
      await tx.audit({ action: `contact.${f.ChangeType}`, targetType: 'department', targetId: id, after: dept });
    });
    return 'applied';
  }

  private async deleteParty(f: CallbackFields): Promise<ApplyOutcome> {
    const id = Number(f.Id);
    if (!Number.isInteger(id)) return 'ignored';
    await this.uow.run({ actor: 'wecom' }, async (tx) => {
      const m = tx.manager;
      await this.org.deleteDepartment(id, m);
      await tx.audit({ action: 'contact.delete_party', targetType: 'department', targetId: id, after: { deleted: true } });
    });
    return 'applied';
  }

  /** Items in the event are unreliable (https://developer.work.weixin.qq.com/document/path/92656): re-read the tag with tag/get. */
  private async updateTag(f: CallbackFields): Promise<ApplyOutcome> {
    const id = Number(f.TagId);
    if (!Number.isInteger(id)) return 'ignored';
    let tag;
    try {
      tag = await this.wecom.tag.get(id);
    } catch (err) {
      if (!(err instanceof WeComApiError) || (err.errcode !== 40068 && err.errcode !== ERRCODE.API_NOT_PERMITTED)) throw err;
      tag = null; // 40068: the tag no longer exists
    }
    await this.uow.run({ actor: 'wecom' }, async (tx) => {
      const m = tx.manager;
      if (tag) await this.org.replaceTag({ id, name: tag.tagname, userids: tag.userlist.map((u) => u.userid), departmentIds: tag.partylist }, m);
      else await this.org.deleteTag(id, m);
      const after = tag
        ? { users: tag.userlist.length, departments: tag.partylist.length, added: csv(f.AddUserItems), removed: csv(f.DelUserItems) }
        : { deleted: true };
      await tx.audit({ action: 'contact.update_tag', targetType: 'tag', targetId: id, after });
    });
    return 'applied';
  }
}
