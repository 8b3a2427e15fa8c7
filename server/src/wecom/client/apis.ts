import type { WeComClient } from './wecom-client';
import { ERRCODE, WeComApiError } from './errors';

export interface WeComDepartment {
  id: number;
  name?: string;
  name_en?: string;
  parentid: number;
  order?: number;
  department_leader?: string[];
}

export interface WeComUser {
  userid: string;
  name?: string;
  department?: number[];
  order?: number[];
  position?: string;
  is_leader_in_dept?: number[];
  main_department?: number;
  status?: number;
  alias?: string;
}

export class DepartmentApi {
  constructor(private readonly client: WeComClient) {}

  /** department/simplelist: ids and parents of the whole tree, or under `id` (https://developer.work.weixin.qq.com/document/path/95350). */
  async simplelist(id?: number): Promise<Array<{ id: number; parentid: number; order: number }>> {
    const res = await this.client.call<{ department_id?: Array<{ id: number; parentid: number; order: number }> }>('department/simplelist', { query: { id } });
    return res.department_id ?? [];
  }

  /**
   * department/list: with names and leaders (https://developer.work.weixin.qq.com/document/path/90208). Slow on big
   * corps; prefer simplelist + get.
   */
  async list(id?: number): Promise<WeComDepartment[]> {
    const res = await this.client.call<{ department?: WeComDepartment[] }>('department/list', { query: { id } });
    return res.department ?? [];
  }

  /** department/get: one department (https://developer.work.weixin.qq.com/document/path/95351). */
  async get(id: number): Promise<WeComDepartment> {
    const res = await this.client.call<{ department: WeComDepartment }>('department/get', { query: { id } });
    return res.department;
  }
}

export class UserApi {
  constructor(private readonly client: WeComClient) {}

  /** user/get (https://developer.work.weixin.qq.com/document/path/90196). Since 2022-06-20 new apps get no mobile/email/avatar. */
  get(userid: string): Promise<WeComUser> {
    return this.client.call<WeComUser>('user/get', { query: { userid } });
  }

  /** user/get, or null when WeCom no longer knows the member (60111: deleted, or outside the visible range). */
  async find(userid: string): Promise<WeComUser | null> {
    try {
      return await this.get(userid);
    } catch (err) {
      if (err instanceof WeComApiError && err.errcode === ERRCODE.USER_NOT_FOUND) return null;
      throw err;
    }
  }

  /** user/simplelist: direct members of a department (https://developer.work.weixin.qq.com/document/path/90200). */
  async simplelist(departmentId: number): Promise<WeComUser[]> {
    const res = await this.client.call<{ userlist?: WeComUser[] }>('user/simplelist', { query: { department_id: departmentId } });
    return res.userlist ?? [];
  }

  /** user/list: direct members of a department with details (https://developer.work.weixin.qq.com/document/path/90201). */
  async list(departmentId: number): Promise<WeComUser[]> {
    const res = await this.client.call<{ userlist?: WeComUser[] }>('user/list', { query: { department_id: departmentId } });
    return res.userlist ?? [];
  }

  /**
   * user/list_id: every (userid, department) row of the corp, paged by cursor. Only the
   * 通讯录同步 secret may call it (https://developer.work.weixin.qq.com/document/path/96067).
   */
  async listId(cursor: string, limit = 10_000): Promise<{ next_cursor: string; dept_user: Array<{ userid: string; department: number }> }> {
    const res = await this.client.call<{ next_cursor?: string; dept_user?: Array<{ userid: string; department: number }> }>('user/list_id', {
      secret: 'contact',
      method: 'POST',
      body: { cursor, limit },
    });
    return { next_cursor: res.next_cursor ?? '', dept_user: res.dept_user ?? [] };
  }
}

export class TagApi {
  constructor(private readonly client: WeComClient) {}

  /** tag/list (https://developer.work.weixin.qq.com/document/path/90216). */
  async list(): Promise<Array<{ tagid: number; tagname: string }>> {
    const res = await this.client.call<{ taglist?: Array<{ tagid: number; tagname: string }> }>('tag/list');
    return res.taglist ?? [];
  }

  /** tag/get: members and departments carrying a tag (https://developer.work.weixin.qq.com/document/path/90213). */
  async get(tagid: number): Promise<{ tagname: string; userlist: Array<{ userid: string }>; partylist: number[] }> {
    const res = await this.client.call<{ tagname?: string; userlist?: Array<{ userid: string }>; partylist?: number[] }>('tag/get', { query: { tagid } });
    return { tagname: res.tagname ?? '', userlist: res.userlist ?? [], partylist: res.partylist ?? [] };
  }
}

export interface UserIdentity {
  /**
   * Set for corp members. The old user/getuserinfo endpoint spelled it UserId
   * (https://developer.work.weixin.qq.com/document/path/91023).
   */
  userid?: string;
  openid?: string;
  external_userid?: string;
}

export class AuthApi {
  constructor(private readonly client: WeComClient) {}

  /**
   * auth/getuserinfo: exchange a single-use OAuth or web-login code (https://developer.work.weixin.qq.com/document/path/91023,
   * https://developer.work.weixin.qq.com/document/path/98177).
   * Members get `userid`; outsiders get `openid`.
   */
  async getUserInfo(code: string): Promise<UserIdentity> {
    const res = await this.client.call<UserIdentity & { UserId?: string; OpenId?: string }>('auth/getuserinfo', { query: { code } });
    return { userid: res.userid ?? res.UserId, openid: res.openid ?? res.OpenId, external_userid: res.external_userid };
  }
}

export class TicketApi {
  constructor(private readonly client: WeComClient) {}

  /** Corp jsapi_ticket for wx.config (https://developer.work.weixin.qq.com/document/path/90506). */
  jsapi(): Promise<string> {
    return this.client.cachedTicket('jsapi', () => this.client.call<{ ticket: string; expires_in: number }>('get_jsapi_ticket'));
  }

  /**
   * App ticket for wx.agentConfig (https://developer.work.weixin.qq.com/document/path/90506,
   * https://developer.work.weixin.qq.com/document/path/94313).
   */
  agentConfig(): Promise<string> {
    return this.client.cachedTicket('agent_config', () =>
      this.client.call<{ ticket: string; expires_in: number }>('ticket/get', { query: { type: 'agent_config' } }),
    );
  }
}
