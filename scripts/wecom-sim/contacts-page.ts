// Demo page (not part of WeCom): the corp's address book (通讯录) at /__sim/contacts. A demo user adds a member, moves
// one to another department (调岗) or removes one, and the simulator delivers the change_contact event to the app
// exactly as the control API does (sim.createUser / updateUser / deleteUser). After each action the page shows the
// callback result and links to the inbox of the member's lead, where the app's handover report arrives.
// Forms POST to /__sim/contacts/… with the simulator's own CSRF token and a same-origin check; GETs never change state.
// Post/Redirect/Get: an action answers 303 to /__sim/contacts?outcome=N, which shows outcome N.
import type Router from '@koa/router';
import type { Context } from 'koa';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { CorpError, type Corp, type Department, type Member } from './corp';
import { escapeHtml as esc, q, readRawBody } from './http';
import { page } from './inbox-page';
import type { DeliveryResult, WecomSim } from './server';

/** Above this many <option>s in per-member forms, 调岗 opens a form for one member instead (large generated corps). */
const MAX_INLINE_OPTIONS = 5000;
const KEEP_OUTCOMES = 50;

const STATUS_ZH: Record<number, string> = { 2: '已禁用', 4: '未激活', 5: '已退出' };

const ERROR_ZH: Record<number, string> = {
  40003: 'userid 不合法（1–64 位字母、数字或 _ . @ -）',
  60102: '该 userid 已存在',
  60111: '成员不存在',
  60112: '姓名不能为空',
  60113: '至少需要一个部门',
  60123: '部门不存在',
};

/** Asks before a removal; disables the buttons of a submitted form so a double click does not post twice. */
const SCRIPT = `
document.addEventListener('submit',(ev)=>{const f=ev.target;if(f.dataset.confirm&&!confirm(f.dataset.confirm)){ev.preventDefault();return;}
setTimeout(()=>f.querySelectorAll('button').forEach((b)=>b.disabled=true),0);});`;

interface Outcome {
  /** The corp changed (and an event was due). */
  ok: boolean;
  summary: string;
  changeType?: string;
  /** The callback URL in force when the action ran; undefined = none configured, so no event was sent. */
  callbackUrl?: string;
  deliveries: DeliveryResult[];
  error?: string;
  /** What the app does with the event. */
  hint?: string;
  links: { href: string; label: string }[];
}

const inboxHref = (userid: string): string => `/__sim/inbox?as=${encodeURIComponent(userid)}`;
const who = (m: Pick<Member, 'name' | 'userid'>): string => `${m.name}（${m.userid}）`;

function isLeaderIn(m: Member, d: Department): boolean {
  return m.is_leader_in_dept[m.department.indexOf(d.id)] === 1 || d.department_leader.includes(m.userid);
}

/**
 * The nearest active leader at or above a department, `exclude` aside: how ShopCrew picks who takes over a leaver's work
 * (is_leader_in_dept, else department_leader, walking up the tree). ShopCrew falls back to an owner when there is none.
 */
export function leaderFrom(corp: Corp, departmentId: number | undefined, exclude: string): Member | undefined {
  let id = departmentId;
  for (let hops = 0; id !== undefined && hops < 64; hops++) {
    const d = corp.departments.get(id);
    if (!d) return undefined;
    const flagged = corp.membersOf(d.id).filter((m) => m.is_leader_in_dept[m.department.indexOf(d.id)] === 1);
    const candidates = [...flagged.map((m) => m.userid), ...d.department_leader].filter((u) => u !== exclude);
    const lead = candidates.map((u) => corp.members.get(u)).find((m) => m?.status === 1);
    if (lead) return lead;
    id = corp.departments.has(d.parentid) ? d.parentid : undefined;
  }
  return undefined;
}

function depthOf(corp: Corp, d: Department): number {
  let depth = 0;
  for (let p = corp.departments.get(d.parentid); p && depth < 64; p = corp.departments.get(p.parentid)) depth++;
  return depth;
}

function errorText(err: unknown): string {
  if (err instanceof CorpError) return `${ERROR_ZH[err.errcode] ?? err.message}（errcode ${err.errcode}：${err.message}）`;
  return (err as Error).message || String(err);
}

function deliveryLine(r: DeliveryResult): string {
  if (r.status === 200) return '回调已送达：应用返回 HTTP 200';
  const body = r.body.length > 200 ? `${r.body.slice(0, 200)}…` : r.body;
  if (r.status === 0) return `回调发送失败：${body || '无法连接'}`;
  return `回调未成功：应用返回 HTTP ${r.status}${body ? `（${body}）` : ''}`;
}

function renderOutcome(o: Outcome): string {
  if (!o.ok) return `<div class="box err" id="outcome"><p><b>操作失败</b>：${esc(o.error ?? '')}</p></div>`;
  const cls = !o.callbackUrl || o.deliveries.some((d) => d.status !== 200) ? 'warn' : 'ok';
  const event = o.changeType ? `change_contact / ${o.changeType}` : 'change_contact';
  const delivery = !o.callbackUrl
    ? `<p>未配置回调地址，未发送 ${esc(event)} 事件（用 POST /__sim/callback-url 设置）。</p>`
    : o.deliveries.map((d) => `<p>${esc(event)} → ${esc(deliveryLine(d))}</p>`).join('') || `<p>未发送 ${esc(event)} 事件。</p>`;
  const links = o.links.map((l) => `<a href="${esc(l.href)}">${esc(l.label)}</a>`).join(' · ');
  return `<div class="box ${cls}" id="outcome"><p><b>${esc(o.summary)}</b></p>${delivery}${o.hint ? `<p class="muted">${esc(o.hint)}</p>` : ''}${
    links ? `<p>${links}</p>` : ''
  }</div>`;
}

function departmentOptions(corp: Corp, selected?: number, skip?: number): string {
  return corp
    .subtree()
    .filter((d) => d.id !== skip)
    .map((d) => `<option value="${d.id}"${d.id === selected ? ' selected' : ''}>${esc(corp.departmentPath(d.id))}</option>`)
    .join('');
}

const csrfField = (token: string): string => `<input type="hidden" name="csrf" value="${esc(token)}">`;

function moveForm(corp: Corp, m: Member, from: number, token: string): string {
  return `<form class="inline" method="post" action="/__sim/contacts/users/${esc(encodeURIComponent(m.userid))}/move">${csrfField(token)}<input type="hidden" name="from" value="${from}"><select name="to" required aria-label="调至部门"><option value="" selected disabled>调至部门…</option>${departmentOptions(corp, undefined, from)}</select><button class="sbtn" type="submit">调岗</button></form>`;
}

function memberRow(corp: Corp, m: Member, d: Department, token: string, inline: boolean): string {
  const marks = [
    isLeaderIn(m, d) ? '<span class="tag">负责人</span>' : '',
    m.main_department !== d.id && m.department.length > 1 ? '<span class="tag gray">兼</span>' : '',
    STATUS_ZH[m.status] ? `<span class="tag gray">${STATUS_ZH[m.status]}</span>` : '',
  ].join('');
  const uid = esc(encodeURIComponent(m.userid));
  const move = inline ? moveForm(corp, m, d.id, token) : `<a class="sbtn" href="/__sim/contacts?move=${uid}&amp;from=${d.id}#move">调岗</a>`;
  const del = `<form class="inline" method="post" action="/__sim/contacts/users/${uid}/delete" data-confirm="${esc(`确定删除成员 ${who(m)}？应用会收到 delete_user 事件。`)}">${csrfField(token)}<button class="sbtn danger" type="submit">删除</button></form>`;
  return `<div class="mrow" data-userid="${esc(m.userid)}"><span><b>${esc(m.name)}</b> <span class="muted">${esc(m.userid)}</span>${
    m.position ? ` · ${esc(m.position)}` : ''
  }${marks}</span><span>${move} ${del} <a class="sbtn" href="${esc(inboxHref(m.userid))}">消息</a></span></div>`;
}

function tree(corp: Corp, token: string): string {
  const depts = corp.subtree();
  const rows = depts.reduce((n, d) => n + corp.membersOf(d.id).length, 0);
  const inline = rows * depts.length <= MAX_INLINE_OPTIONS;
  return depts
    .map((d) => {
      const members = corp.membersOf(d.id);
      const list = members.map((m) => memberRow(corp, m, d, token, inline)).join('') || '<div class="muted">（无直属成员）</div>';
      return `<section class="dept" style="margin-left:${Math.min(depthOf(corp, d), 8) * 16}px" data-dept="${d.id}"><h3>${esc(d.name)} <span class="muted">部门 ${d.id} · ${members.length} 人</span></h3>${list}</section>`;
    })
    .join('');
}

function addForm(corp: Corp, token: string): string {
  const firstChild = corp.subtree().find((d) => corp.departments.has(d.parentid));
  return `<h2>添加成员</h2><form class="box" method="post" action="/__sim/contacts/users">${csrfField(token)}<div class="grid">
<label for="c-userid">账号</label><input type="text" id="c-userid" name="userid" required maxlength="64" pattern="[A-Za-z0-9_.@\\-]{1,64}" placeholder="userid，如 zhoumin">
<label for="c-name">姓名</label><input type="text" id="c-name" name="name" required maxlength="64" placeholder="如 周敏">
<label for="c-dept">部门</label><select id="c-dept" name="department" required>${departmentOptions(corp, firstChild?.id)}</select>
<label for="c-pos">职位</label><input type="text" id="c-pos" name="position" maxlength="128" placeholder="如 客服专员（可不填）">
<span></span><span><button class="sbtn primary" type="submit">添加成员</button></span></div></form>`;
}

/** The one-member move form (large corps, where per-row forms would be too big). */
function movePanel(corp: Corp, userid: string | undefined, from: number, token: string): string {
  const m = userid ? corp.members.get(userid) : undefined;
  if (!m) return '';
  return `<div class="box" id="move"><p><b>调岗：${esc(who(m))}</b>，从 ${esc(corp.departmentPath(from))}</p>${moveForm(corp, m, from, token)}</div>`;
}

async function formBody(ctx: Context): Promise<URLSearchParams> {
  return new URLSearchParams(await readRawBody(ctx.req, 64 * 1024));
}

export function addContactsPage(r: Router, sim: WecomSim): void {
  const corp = sim.corp;
  const token = randomBytes(18).toString('base64url');
  const outcomes = new Map<number, Outcome>();
  let seq = 0;

  /** A POST from this simulator's own page: same origin (when the browser says) and the page's token. */
  const allowed = (ctx: Context, form: URLSearchParams): boolean => {
    const site = ctx.get('sec-fetch-site');
    if (site && site !== 'same-origin') return false;
    const origin = ctx.get('origin');
    if (origin && origin !== `${ctx.protocol}://${ctx.host}`) return false;
    const given = Buffer.from(form.get('csrf') ?? '');
    const want = Buffer.from(token);
    return given.length === want.length && timingSafeEqual(given, want);
  };

  /** Check the request, run the action, keep its outcome and redirect to the page showing it. */
  const act = async (ctx: Context, run: (form: URLSearchParams) => Promise<Omit<Outcome, 'ok' | 'callbackUrl'>>): Promise<void> => {
    const form = await formBody(ctx);
    if (!allowed(ctx, form)) {
      page(ctx, '请求被拒绝', `<h1>请求被拒绝</h1><p>来源或表单令牌不符，未做任何修改。</p><p><a href="/__sim/contacts">返回通讯录</a></p>`, {
        status: 403,
        script: '',
      });
      return;
    }
    const callbackUrl = sim.options.callbackUrl;
    let outcome: Outcome;
    try {
      outcome = { ok: true, callbackUrl, ...(await run(form)) };
    } catch (err) {
      outcome = { ok: false, summary: '', deliveries: [], links: [], error: errorText(err) };
    }
    outcomes.set(++seq, outcome);
    for (const k of outcomes.keys()) if (outcomes.size > KEEP_OUTCOMES) outcomes.delete(k);
    ctx.status = 303;
    ctx.redirect(`/__sim/contacts?outcome=${seq}#outcome`);
  };

  const leadLinks = (lead: Member | undefined, what: string): Outcome['links'] =>
    lead ? [{ href: inboxHref(lead.userid), label: `打开负责人 ${who(lead)}的消息${what}` }] : [];
  const noLead = '通讯录中找不到其负责人，ShopCrew 会交给店长。';

  r.get('/contacts', (ctx) => {
    const shown = outcomes.get(Number(q(ctx.query, 'outcome')));
    const callback = sim.options.callbackUrl;
    const head = `<h1>企业微信模拟器 · 通讯录</h1><div class="note">模拟器页面，非企业微信。添加、调岗、删除成员后，模拟器像企业微信一样向应用发送 change_contact 回调（${
      callback ? `回调地址 <code>${esc(callback)}</code>` : '尚未配置回调地址'
    }）。<a href="/__sim/inbox">成员消息</a></div>`;
    const move = movePanel(corp, q(ctx.query, 'move'), Number(q(ctx.query, 'from')), token);
    const body = `${head}${shown ? renderOutcome(shown) : ''}${move}${addForm(corp, token)}<h2>${esc(corp.name)} · ${corp.members.size} 名成员</h2>${tree(corp, token)}`;
    page(ctx, '通讯录', body, { forms: true, wide: true, script: SCRIPT });
  });

  r.post('/contacts/users', (ctx) =>
    act(ctx, async (form) => {
      const userid = (form.get('userid') ?? '').trim();
      const department = Number(form.get('department'));
      const position = (form.get('position') ?? '').trim();
      const deliveries = await sim.createUser({ userid, name: (form.get('name') ?? '').trim(), department: [department], ...(position ? { position } : {}) });
      const m = corp.member(userid);
      const lead = leaderFrom(corp, m.main_department, userid);
      return {
        summary: `已添加成员 ${who(m)}，部门 ${corp.departmentPath(department)}`,
        changeType: 'create_user',
        deliveries,
        hint: 'ShopCrew 收到 create_user 后为新成员开始入职清单。',
        links: [{ href: inboxHref(userid), label: `打开 ${who(m)}的消息` }, ...leadLinks(lead, '')],
      };
    }),
  );

  r.post('/contacts/users/:userid/move', (ctx) =>
    act(ctx, async (form) => {
      const m = corp.member(ctx.params['userid']!);
      const to = corp.department(Number(form.get('to'))).id;
      const from = Number(form.get('from'));
      const keepsOthers = m.department.includes(from);
      // Out of `from` into `to`, other departments kept; without a valid `from`, `to` replaces them all.
      const department = keepsOthers ? [...new Set(m.department.map((d) => (d === from ? to : d)))] : [to];
      if (department.length === m.department.length && department.every((d, i) => d === m.department[i])) {
        throw new Error(`${who(m)}已在 ${corp.departmentPath(to)}`);
      }
      const left = m.department.filter((d) => !department.includes(d));
      const main = keepsOthers && m.main_department !== from ? m.main_department : to;
      const leftPaths = left.map((d) => corp.departmentPath(d)).join('、');
      const leadOfLeft = leaderFrom(corp, left[0], m.userid);
      const deliveries = await sim.updateUser(m.userid, { department, main_department: main });
      const lead = leadOfLeft ?? leaderFrom(corp, main, m.userid);
      return {
        summary: `已将 ${who(m)}从 ${leftPaths} 调至 ${corp.departmentPath(to)}`,
        changeType: 'update_user',
        deliveries,
        hint: `ShopCrew 收到 update_user（部门变化）后，把其未完成的订单、售后和清单步骤交给原部门负责人，并发送交接报告。${lead ? '' : noLead}`,
        links: [...leadLinks(lead, '（交接报告）'), { href: inboxHref(m.userid), label: `打开 ${who(m)}的消息` }],
      };
    }),
  );

  r.post('/contacts/users/:userid/delete', (ctx) =>
    act(ctx, async () => {
      const m = corp.member(ctx.params['userid']!);
      const lead = leaderFrom(corp, m.main_department, m.userid);
      const path = corp.departmentPath(m.main_department);
      const deliveries = await sim.deleteUser(m.userid);
      return {
        summary: `已删除成员 ${who(m)}（原部门 ${path}）`,
        changeType: 'delete_user',
        deliveries,
        hint: `ShopCrew 收到 delete_user 后，把其未完成的订单、售后和清单步骤交给负责人，并发送交接报告。${lead ? '' : noLead}`,
        links: leadLinks(lead, '（交接报告）'),
      };
    }),
  );
}
