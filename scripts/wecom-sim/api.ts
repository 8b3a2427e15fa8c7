// The /cgi-bin server API (qyapi.weixin.qq.com). Every error is HTTP 200 with {errcode, errmsg}
// (全局错误码 https://developer.work.weixin.qq.com/document/path/90313). Pipeline per call: count + frequency limit
// (https://developer.work.weixin.qq.com/document/path/90454) → injected fault (delay, HTTP status or errcode) → access_token
// (https://developer.work.weixin.qq.com/document/path/91039) → secret permission (48002) → handler.
import type { Context, Middleware } from 'koa';
import { randomBytes } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import { CorpError, type Department, type Member } from './corp';
import type { ApiRequest, Endpoint } from './endpoint';
import { ApiError, errorBody } from './errors';
import { clientIp, q, readRawBody, sleep } from './http';
import { FileReply, MEDIA_ENDPOINTS, readMultipartFiles } from './media';
import { MESSAGING_ENDPOINTS } from './messaging-endpoints';
import type { Fault, SecretKind, SimState } from './state';

const BOTH: SecretKind[] = ['agent', 'contact'];
const AGENT: SecretKind[] = ['agent'];
const CONTACT: SecretKind[] = ['contact'];

function intParam(req: ApiRequest, name: string, errcode = 40058): number {
  const raw = q(req.query, name);
  if (raw === undefined || !/^\d+$/.test(raw)) throw new ApiError(errcode);
  return Number(raw);
}

/** department/list item (https://developer.work.weixin.qq.com/document/path/90208): name_en only when set. */
export function departmentToApi(d: Department): Record<string, unknown> {
  return {
    id: d.id,
    name: d.name,
    ...(d.name_en !== undefined ? { name_en: d.name_en } : {}),
    department_leader: [...d.department_leader],
    parentid: d.parentid,
    order: d.order,
  };
}

/**
 * user/get body (https://developer.work.weixin.qq.com/document/path/90196) without
 * avatar/gender/mobile/email/biz_mail/qr_code/address (2022-06-20 stripping).
 */
export function memberToApi(m: Member): Record<string, unknown> {
  return {
    userid: m.userid,
    name: m.name,
    department: [...m.department],
    order: [...m.order],
    position: m.position,
    is_leader_in_dept: [...m.is_leader_in_dept],
    direct_leader: [...m.direct_leader],
    main_department: m.main_department,
    status: m.status,
    alias: m.alias ?? '',
  };
}

const cursorOf = (offset: number): string => Buffer.from(`o${offset}`).toString('base64url');
function offsetOf(cursor: string): number {
  const m = /^o(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!m) throw new ApiError(40058);
  return Number(m[1]);
}

const ENDPOINTS: Record<string, Endpoint> = {
  // https://developer.work.weixin.qq.com/document/path/91039
  '/cgi-bin/gettoken': {
    method: 'GET',
    handler: (req, s) => {
      const corpid = q(req.query, 'corpid');
      const secret = q(req.query, 'corpsecret');
      if (!corpid) throw new ApiError(41002);
      if (corpid !== s.opts.corpId) throw new ApiError(40013);
      if (!secret) throw new ApiError(41004);
      const kind = s.secretKind(secret);
      if (!kind) throw new ApiError(40001);
      const t = s.issueToken(kind);
      return { access_token: t.token, expires_in: s.opts.tokenTtlSec };
    },
  },
  '/cgi-bin/getcallbackip': { method: 'GET', secrets: BOTH, handler: () => ({ ip_list: ['127.0.0.1'] }) },
  // https://developer.work.weixin.qq.com/document/path/95350: the department and its descendants; without id the whole tree
  '/cgi-bin/department/simplelist': {
    method: 'GET',
    secrets: BOTH,
    handler: (req, s) => {
      const id = q(req.query, 'id') ? intParam(req, 'id') : undefined;
      return { department_id: s.corp.subtree(id).map((d) => ({ id: d.id, parentid: d.parentid, order: d.order })) };
    },
  },
  // https://developer.work.weixin.qq.com/document/path/90208
  '/cgi-bin/department/list': {
    method: 'GET',
    secrets: BOTH,
    handler: (req, s) => {
      const id = q(req.query, 'id') ? intParam(req, 'id') : undefined;
      return { department: s.corp.subtree(id).map(departmentToApi) };
    },
  },
  '/cgi-bin/department/get': {
    method: 'GET',
    secrets: BOTH,
    handler: (req, s) => ({ department: departmentToApi(s.corp.department(intParam(req, 'id'))) }),
  },
  // https://developer.work.weixin.qq.com/document/path/90196
  '/cgi-bin/user/get': {
    method: 'GET',
    secrets: BOTH,
    handler: (req, s) => {
      const userid = q(req.query, 'userid');
      if (!userid) throw new ApiError(41009);
      return memberToApi(s.corp.member(userid));
    },
  },
  // https://developer.work.weixin.qq.com/document/path/90200: direct members only
  '/cgi-bin/user/simplelist': {
    method: 'GET',
    secrets: BOTH,
    handler: (req, s) => {
      const dept = s.corp.department(intParam(req, 'department_id'));
      return {
        userlist: s.corp.membersOf(dept.id).map((m) => ({
          userid: m.userid,
          name: m.name,
          department: [...m.department],
          open_userid: `wo${Buffer.from(`${s.opts.corpId}:${m.userid}`).toString('hex').slice(0, 30)}`,
        })),
      };
    },
  },
  // https://developer.work.weixin.qq.com/document/path/90201: direct members only (fetch_child is not in the current doc; ignored)
  '/cgi-bin/user/list': {
    method: 'GET',
    secrets: BOTH,
    handler: (req, s) => ({ userlist: s.corp.membersOf(s.corp.department(intParam(req, 'department_id')).id).map(memberToApi) }),
  },
  // https://developer.work.weixin.qq.com/document/path/96067: 通讯录同步 secret only; one row per (member, department)
  '/cgi-bin/user/list_id': {
    method: 'POST',
    secrets: CONTACT,
    handler: (req, s) => {
      const { cursor, limit } = req.body as { cursor?: unknown; limit?: unknown };
      const lim = limit === undefined ? 1000 : Number(limit);
      if (!Number.isInteger(lim) || lim < 1 || lim > 10000) throw new ApiError(40058);
      if (cursor !== undefined && typeof cursor !== 'string') throw new ApiError(40058);
      const offset = cursor ? offsetOf(cursor) : 0;
      const rows = s.corp.deptUserRows();
      const page = rows.slice(offset, offset + lim);
      return { next_cursor: offset + lim < rows.length ? cursorOf(offset + lim) : '', dept_user: page };
    },
  },
  '/cgi-bin/tag/list': {
    method: 'GET',
    secrets: BOTH,
    handler: (_req, s) => ({ taglist: [...s.corp.tags.values()].map((t) => ({ tagid: t.tagid, tagname: t.tagname })) }),
  },
  '/cgi-bin/tag/get': {
    method: 'GET',
    secrets: BOTH,
    handler: (req, s) => {
      const t = s.corp.tag(intParam(req, 'tagid', 40068));
      return {
        tagname: t.tagname,
        userlist: t.userlist.map((u) => ({ userid: u, name: s.corp.members.get(u)?.name ?? '' })),
        partylist: [...t.partylist],
      };
    },
  },
  // https://developer.work.weixin.qq.com/document/path/91023: members {userid, user_ticket?}; outsiders {openid};
  // bad/reused/expired code 40029
  '/cgi-bin/auth/getuserinfo': {
    method: 'GET',
    secrets: AGENT,
    unlimited: true,
    handler: (req, s) => {
      const code = q(req.query, 'code');
      if (!code) throw new ApiError(41008);
      const { subject, scope } = s.consumeCode(code);
      if (typeof subject !== 'string') return { openid: `o${randomBytes(14).toString('base64url')}` };
      return scope === 'snsapi_privateinfo' ? { userid: subject, user_ticket: s.issueUserTicket(subject) } : { userid: subject };
    },
  },
  // https://developer.work.weixin.qq.com/document/path/96443: sensitive fields are empty here (no consent data is modelled)
  '/cgi-bin/auth/getuserdetail': {
    method: 'POST',
    secrets: AGENT,
    handler: (req, s) => {
      const ticket = req.body['user_ticket'];
      const userid = s.userTicket(typeof ticket === 'string' ? ticket : '');
      return { userid, gender: '0', avatar: '', qr_code: '', mobile: '', email: '', biz_mail: '', address: '' };
    },
  },
  // https://developer.work.weixin.qq.com/document/path/90506
  '/cgi-bin/get_jsapi_ticket': { method: 'GET', secrets: AGENT, handler: (_req, s) => s.issueTicket('jsapi') },
  '/cgi-bin/ticket/get': {
    method: 'GET',
    secrets: AGENT,
    handler: (req, s) => {
      if (q(req.query, 'type') !== 'agent_config') throw new ApiError(40058);
      return s.issueTicket('agent_config');
    },
  },
  ...MESSAGING_ENDPOINTS,
  ...MEDIA_ENDPOINTS,
};

/** A gateway-style answer for an injected HTTP fault: the status with a non-JSON body (what a proxy in front of WeCom sends). */
function answerHttpFault(ctx: Context, status: number): void {
  const text = `${status} ${STATUS_CODES[status] ?? 'Error'}`;
  ctx.status = status;
  ctx.type = 'text/html';
  ctx.body = `<html>\r\n<head><title>${text}</title></head>\r\n<body>\r\n<center><h1>${text}</h1></center>\r\n<hr><center>stgw</center>\r\n</body>\r\n</html>\r\n`;
}

async function readJsonBody(ctx: Context): Promise<Record<string, unknown>> {
  const raw = await readRawBody(ctx.req);
  try {
    const parsed: unknown = raw.trim() ? JSON.parse(raw) : {};
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
    return parsed as Record<string, unknown>;
  } catch {
    throw new ApiError(47001);
  }
}

export function apiMiddleware(state: SimState): Middleware {
  return async (ctx, next) => {
    if (!ctx.path.startsWith('/cgi-bin/')) {
      await next();
      return;
    }
    const path = ctx.path;
    const ip = clientIp(ctx.ip);
    const reply = (errcode: number, extra: Record<string, unknown> = {}, detail?: string): void => {
      if (errcode !== 0) state.stats.errors[errcode] = (state.stats.errors[errcode] ?? 0) + 1;
      ctx.status = 200;
      ctx.type = 'application/json; charset=UTF-8';
      ctx.body = { ...errorBody(errcode, ip, state.now(), detail), ...extra };
    };
    state.stats.calls[path] = (state.stats.calls[path] ?? 0) + 1;
    const ep = ENDPOINTS[path];
    const latency = state.opts.latencyMs + (ep?.messaging ? state.opts.messagingLatencyMs : 0);
    if (latency > 0) await sleep(latency);
    if (!ep) {
      ctx.status = 404;
      ctx.body = 'Not Found';
      return;
    }
    if (!state.limiter.allow(path, state.now(), !ep.unlimited)) {
      state.stats.rateLimited[path] = (state.stats.rateLimited[path] ?? 0) + 1;
      return reply(45009);
    }
    if (ctx.method !== ep.method) return reply(ep.method === 'POST' ? 43002 : 43001);
    const tokenParam = q(ctx.query, 'access_token');
    const fault: Fault | undefined = state.takeFault(path);
    if (fault?.delayMs) await sleep(fault.delayMs);
    if (fault?.httpStatus) return answerHttpFault(ctx, fault.httpStatus);
    const injected = fault?.errcode;
    if (injected !== undefined) {
      // An injected token error kills the token, as a real early invalidation would.
      if ((injected === 40014 || injected === 42001) && tokenParam) state.invalidateToken(tokenParam, injected);
      return reply(injected);
    }
    try {
      const req: ApiRequest = { query: ctx.query, body: {} };
      if (ep.secrets) {
        req.token = state.checkToken(tokenParam);
        if (!ep.secrets.includes(req.token.kind)) throw new ApiError(48002);
      }
      if (ep.method === 'POST' && ep.body === 'multipart') req.files = await readMultipartFiles(ctx.req);
      else if (ep.method === 'POST') req.body = await readJsonBody(ctx);
      const answer = ep.handler(req, state);
      if (!(answer instanceof FileReply)) return reply(0, answer);
      // A file (https://developer.work.weixin.qq.com/document/path/90254): the bytes, with the headers of a plain download.
      ctx.status = 200;
      ctx.type = answer.contentType;
      ctx.set('Content-disposition', answer.disposition());
      ctx.set('Cache-Control', 'no-cache, must-revalidate');
      ctx.body = answer.bytes;
    } catch (err) {
      if (err instanceof ApiError) return reply(err.errcode, {}, err.detail);
      if (err instanceof CorpError) return reply(err.errcode);
      if (state.opts.log) console.error('[wecom-sim] handler error', err);
      return reply(-1);
    }
  };
}
