// Sign-in pages: in-client OAuth2 (open.weixin.qq.com/connect/oauth2/authorize,
// https://developer.work.weixin.qq.com/document/path/91022) and desktop web login
// (login.work.weixin.qq.com/wwlogin/sso/login, https://developer.work.weixin.qq.com/document/path/98152,
// https://developer.work.weixin.qq.com/document/path/98177). Instead of WeCom's silent redirect or QR scan, the
// simulator shows a "choose a member" page; choosing issues a single-use 5-minute code and 302s to
// redirect_uri?code=CODE&state=STATE.
import Router from '@koa/router';
import type { Context } from 'koa';
import { escapeHtml, q } from './http';
import type { SimState } from './state';

export const OUTSIDER = '__outsider__';

interface Flow {
  kind: 'oauth' | 'weblogin';
  redirectUri: string;
  state: string;
  scope: string;
}

class PageError extends Error {
  constructor(
    readonly errcode: number,
    message: string,
  ) {
    super(message);
  }
}

function validate(ctx: Context, s: SimState, kind: Flow['kind']): Flow {
  const p = (n: string): string | undefined => q(ctx.query, n);
  if (p('appid') !== s.opts.corpId) throw new PageError(40013, `appid 参数错误：${p('appid') ?? '(缺失)'} 不是本企业的 CorpID`);
  let scope = 'snsapi_base';
  if (kind === 'oauth') {
    if (p('response_type') !== 'code') throw new PageError(40058, 'response_type 必须为 code');
    scope = p('scope') ?? '';
    if (scope !== 'snsapi_base' && scope !== 'snsapi_privateinfo') throw new PageError(40058, `scope 参数错误：${scope || '(缺失)'}`);
    const agentid = p('agentid');
    if (agentid !== undefined && agentid !== s.opts.agentId) throw new PageError(40056, `agentid 参数错误：${agentid}`);
    // https://developer.work.weixin.qq.com/document/path/91022: without agentid a privateinfo request is treated as snsapi_base
    if (agentid === undefined) scope = 'snsapi_base';
  } else {
    if (p('login_type') !== 'CorpApp') throw new PageError(40058, `login_type 参数错误：${p('login_type') ?? '(缺失)'}（自建应用应为 CorpApp）`);
    if (p('agentid') !== s.opts.agentId) throw new PageError(40056, `agentid 参数错误：${p('agentid') ?? '(缺失)'}`);
  }
  const redirectUri = p('redirect_uri') ?? '';
  let host: string;
  try {
    const u = new URL(redirectUri);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('scheme');
    host = u.hostname;
  } catch {
    throw new PageError(40058, `redirect_uri 参数错误：${redirectUri || '(缺失)'}`);
  }
  const trusted = s.opts.trustedDomains;
  if (trusted && !trusted.includes(host)) throw new PageError(50001, `redirect_uri 需使用应用可信域名（${host} 不在可信域名中）`);
  return { kind, redirectUri, state: p('state') ?? '', scope };
}

/** redirect_uri + (?|&)code=CODE&state=STATE, before any #fragment. */
export function redirectWithCode(redirectUri: string, code: string, state: string): string {
  const [path, fragment] = redirectUri.split('#', 2) as [string, string | undefined];
  const sep = path.includes('?') ? '&' : '?';
  return `${path}${sep}code=${encodeURIComponent(code)}&state=${encodeURIComponent(state)}${fragment !== undefined ? `#${fragment}` : ''}`;
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body{font-family:-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;margin:0;background:#f3f5f7;color:#222}
main{max-width:560px;margin:0 auto;padding:16px}
h1{font-size:18px;margin:8px 0 4px}.sim-note{background:#fff7e6;border:1px solid #ffd591;padding:8px 12px;border-radius:6px;font-size:13px}
h2{font-size:14px;color:#666;margin:18px 0 6px}ul{list-style:none;margin:0;padding:0;background:#fff;border-radius:8px}
li{border-bottom:1px solid #eee}li:last-child{border-bottom:0}
a.member{display:flex;justify-content:space-between;padding:12px 14px;color:#222;text-decoration:none}
a.member:hover{background:#eef6ff}.pos{color:#888;font-size:13px}.inactive{padding:12px 14px;color:#aaa}
.error{background:#fff1f0;border:1px solid #ffa39e;padding:12px;border-radius:6px}
</style></head><body><main>${body}</main></body></html>`;
}

function chooserHtml(ctx: Context, s: SimState, choosePath: string): string {
  const base = new URLSearchParams();
  for (const [k, v] of Object.entries(ctx.query)) if (k !== 'userid' && v !== undefined) base.set(k, Array.isArray(v) ? (v[0] ?? '') : v);
  const link = (userid: string): string => {
    const u = new URLSearchParams(base);
    u.set('userid', userid);
    return `${choosePath}?${u.toString()}`;
  };
  const sections: string[] = [];
  for (const d of s.corp.subtree()) {
    const members = [...s.corp.members.values()].filter((m) => m.main_department === d.id);
    if (!members.length) continue;
    const items = members.map((m) =>
      m.status === 1
        ? `<li><a class="member" data-userid="${escapeHtml(m.userid)}" data-name="${escapeHtml(m.name)}" href="${escapeHtml(link(m.userid))}"><span>${escapeHtml(m.name)} <span class="pos">${escapeHtml(m.userid)}</span></span><span class="pos">${escapeHtml(m.position)}</span></a></li>`
        : `<li class="inactive">${escapeHtml(m.name)}（${m.status === 2 ? '已禁用' : m.status === 4 ? '未激活' : '已退出'}，无法登录）</li>`,
    );
    sections.push(`<section data-department="${d.id}"><h2>${escapeHtml(s.corp.departmentPath(d.id))}</h2><ul>${items.join('')}</ul></section>`);
  }
  const outsider = `<section><h2>其他</h2><ul><li><a class="member" data-userid="${OUTSIDER}" href="${escapeHtml(link(OUTSIDER))}"><span>非企业成员（访客）</span><span class="pos">openid</span></a></li></ul></section>`;
  return page(
    '企业微信模拟登录 · 选择成员',
    `<h1>企业微信模拟登录 · 选择成员</h1>
<p class="sim-note" data-sim-note>这是本地 WeCom 模拟器（scripts/wecom-sim）生成的页面，不是真实的企业微信。选择一个成员即以其身份登录「${escapeHtml(s.corp.name)}」。</p>
${sections.join('\n')}
${outsider}`,
  );
}

function errorHtml(err: PageError): string {
  return page(
    '企业微信模拟登录 · 参数错误',
    `<h1>企业微信模拟登录</h1><div class="error" data-errcode="${err.errcode}"><p>${escapeHtml(err.message)}</p><p>错误码：${err.errcode}</p></div><p class="sim-note">本地 WeCom 模拟器</p>`,
  );
}

export function oauthRouter(s: SimState): Router {
  const router = new Router();
  const flows: [Flow['kind'], string][] = [
    ['oauth', '/connect/oauth2/authorize'],
    ['weblogin', '/wwlogin/sso/login'],
  ];
  for (const [kind, path] of flows) {
    router.get(path, (ctx) => {
      try {
        validate(ctx, s, kind);
        ctx.type = 'text/html; charset=utf-8';
        ctx.body = chooserHtml(ctx, s, `${path}/choose`);
      } catch (err) {
        if (!(err instanceof PageError)) throw err;
        ctx.status = 400;
        ctx.type = 'text/html; charset=utf-8';
        ctx.body = errorHtml(err);
      }
    });
    router.get(`${path}/choose`, (ctx) => {
      try {
        const flow = validate(ctx, s, kind);
        const userid = q(ctx.query, 'userid') ?? '';
        const m = s.corp.members.get(userid);
        if (userid !== OUTSIDER && (!m || m.status !== 1)) throw new PageError(60111, `成员 ${userid} 不存在或未激活`);
        const code = s.issueCode(userid === OUTSIDER ? { outsider: true } : userid, flow.scope);
        ctx.redirect(redirectWithCode(flow.redirectUri, code, flow.state));
      } catch (err) {
        if (!(err instanceof PageError)) throw err;
        ctx.status = 400;
        ctx.type = 'text/html; charset=utf-8';
        ctx.body = errorHtml(err);
      }
    });
  }
  return router;
}
