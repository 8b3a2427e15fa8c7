// Demo pages (not part of WeCom): a member's "phone" showing what the app sent them, and a robot group's messages.
// Self-contained (inline CSS/JS, no external assets, CSP forbids loading any), Chinese UI, phone width. They refresh
// by polling JSON every 2 s; card buttons POST /__sim/click, which sends the real encrypted template_card_event.
import type Router from '@koa/router';
import type { Context } from 'koa';
import { escapeHtml as esc, q } from './http';
import { renderInboxItem, renderRobotMessage } from './inbox-render';
import type { WecomSim } from './server';

const CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'; base-uri 'none'; form-action 'none'";

const STYLE = `
*{box-sizing:border-box}body{font-family:-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;margin:0;background:#ededed;color:#1f2329;font-size:15px}
main{max-width:480px;margin:0 auto;padding:12px}h1{font-size:17px;margin:4px 0 10px}h2{font-size:13px;color:#888;margin:18px 0 6px}
.note{background:#fff7e6;border:1px solid #ffd591;padding:6px 10px;border-radius:6px;font-size:12px;color:#874d00}
a{color:#2f6bd1}.muted{color:#8f959e;font-size:13px}.msg{background:#fff;border-radius:8px;margin:10px 0;padding:10px 12px;overflow-wrap:anywhere}
.msg header{display:flex;justify-content:space-between;color:#8f959e;font-size:12px;margin-bottom:6px}
.md-h1,.md-h2,.md-h3,.md-h4,.md-h5,.md-h6{font-weight:600;margin:4px 0}.md-h1{font-size:18px}.md-h2{font-size:17px}
.md-q{border-left:3px solid #dee0e3;padding-left:8px;color:#646a73}.md-info{color:#2ea121}.md-comment{color:#8f959e}.md-warning{color:#f77234}
code{background:#f2f3f5;padding:0 3px;border-radius:3px}.at{color:#2f6bd1}
.tc-title{font-weight:600;font-size:16px;margin:2px 0}.tc-src{color:#8f959e;font-size:12px;margin-bottom:4px}.tc-em{font-size:22px;color:#2f6bd1}
.tc-sub{color:#646a73;margin:6px 0}.tcd-gray{color:#8f959e}.tcd-highlight{color:#f77234}.tc-link{border-top:1px solid #eee;margin-top:8px;padding-top:6px}
.tc-rows{margin:8px 0}.tc-rows div{display:flex;gap:10px;padding:2px 0}.tc-rows dt{color:#8f959e;min-width:5em}.tc-rows dd{margin:0}
.tc-btns{display:flex;gap:8px;margin-top:10px}.btn{flex:1;border:1px solid #d0d3d6;background:#fff;border-radius:6px;padding:8px 0;font-size:15px;text-align:center;text-decoration:none;color:#1f2329}
.btn.s1{background:#2f6bd1;border-color:#2f6bd1;color:#fff}.btn.s2{color:#2f6bd1;border-color:#2f6bd1}.btn.s4{color:#f54a45}
.btn[disabled]{opacity:.55}.btn.done{background:#f2f3f5;color:#8f959e;border-color:#f2f3f5;opacity:1}
ul{list-style:none;margin:0;padding:0;background:#fff;border-radius:8px}li{border-bottom:1px solid #eee}li:last-child{border-bottom:0}
li a{display:flex;justify-content:space-between;padding:11px 14px;color:#1f2329;text-decoration:none}.empty{text-align:center;color:#8f959e;padding:40px 0}
#toast{position:fixed;left:50%;bottom:24px;transform:translateX(-50%);background:rgba(0,0,0,.75);color:#fff;padding:8px 14px;border-radius:6px;font-size:13px;display:none;max-width:90%}
.mentions{color:#2f6bd1;font-size:13px;margin-top:4px}
main.wide{max-width:760px}.box{background:#fff;border-radius:8px;padding:10px 12px;margin:10px 0}.box.ok{border-left:4px solid #2ea121}.box.warn{border-left:4px solid #f77234}.box.err{border-left:4px solid #f54a45}
.box p{margin:4px 0}.dept{background:#fff;border-radius:8px;margin:8px 0;padding:8px 12px}.dept h3{font-size:15px;margin:2px 0 6px}.mrow{border-top:1px solid #eee;padding:7px 0;display:flex;flex-wrap:wrap;gap:6px 10px;align-items:center;justify-content:space-between}
.tag{display:inline-block;font-size:12px;padding:0 5px;border-radius:3px;background:#e8f0fd;color:#2f6bd1;margin-left:4px}.tag.gray{background:#f2f3f5;color:#8f959e}
form.inline{display:inline-flex;gap:6px;align-items:center;margin:0}select,input[type=text]{font:inherit;font-size:14px;padding:4px 6px;border:1px solid #d0d3d6;border-radius:6px;background:#fff;max-width:100%}
.sbtn{font:inherit;font-size:14px;border:1px solid #d0d3d6;background:#fff;border-radius:6px;padding:4px 10px;cursor:pointer;color:#1f2329;text-decoration:none}.sbtn.primary{background:#2f6bd1;border-color:#2f6bd1;color:#fff}.sbtn.danger{color:#f54a45;border-color:#f5b5b3}
.grid{display:grid;grid-template-columns:5em 1fr;gap:8px;align-items:center}`;

/** Polls `src` every 2 s and swaps the list; clicks on card buttons go to /__sim/click as member `as`. */
const SCRIPT = `
const root=document.getElementById('list'),toast=document.getElementById('toast'),src=root.dataset.src,as=root.dataset.as;
let last=root.innerHTML;
function say(t){toast.textContent=t;toast.style.display='block';clearTimeout(say.t);say.t=setTimeout(()=>toast.style.display='none',3500);}
async function poll(){try{const r=await fetch(src,{cache:'no-store'});const j=await r.json();const items=j.items||j.messages||[];
const html=items.map(i=>i.html).join('')||'<div class="empty">暂无消息</div>';if(html!==last){root.innerHTML=html;last=html;}}catch(e){}}
if(src)setInterval(poll,2000);
root.addEventListener('click',async(ev)=>{const b=ev.target.closest('button[data-key]');if(!b||!as)return;b.disabled=true;
try{const r=await fetch('/__sim/click',{method:'POST',headers:{'content-type':'application/json'},body:JSON.stringify({userid:as,taskId:b.dataset.task,key:b.dataset.key})});
const j=await r.json();say(r.ok?'已发送回调：HTTP '+j.deliveries.map(d=>d.status).join(','):'无法点击：'+j.error);}catch(e){say('请求失败：'+e);}poll();});`;

export interface PageOptions {
  status?: number;
  /** Inline script (default: the inbox poller). */
  script?: string;
  /** The page posts forms to its own origin (CSP form-action 'self' instead of 'none'). */
  forms?: boolean;
  /** A wider column (the address book) than the phone-width inbox. */
  wide?: boolean;
}

/** A self-contained simulator page: shared style, CSP, no caching. */
export function page(ctx: Context, title: string, body: string, opts: PageOptions = {}): void {
  ctx.status = opts.status ?? 200;
  ctx.type = 'text/html; charset=utf-8';
  ctx.set('Content-Security-Policy', opts.forms ? CSP.replace("form-action 'none'", "form-action 'self'") : CSP);
  ctx.set('Cache-Control', 'no-store');
  ctx.body = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title><style>${STYLE}</style></head><body><main${opts.wide ? ' class="wide"' : ''}>${body}</main><div id="toast"></div><script>${opts.script ?? SCRIPT}</script></body></html>`;
}

function chooser(sim: WecomSim): string {
  const members = [...sim.corp.members.values()]
    .map((m) => {
      const n = sim.inboxOf(m.userid).length;
      return `<li><a href="/__sim/inbox?as=${encodeURIComponent(m.userid)}"><span>${esc(m.name)} <span class="muted">${esc(m.userid)}</span></span><span class="muted">${esc(sim.corp.departmentPath(m.main_department))} · ${n} 条</span></a></li>`;
    })
    .join('');
  const robots = sim
    .robots()
    .map(
      (r) =>
        `<li><a href="/__sim/robots/${encodeURIComponent(r.key)}/page"><span>${esc(r.name)}</span><span class="muted">${sim.robotMessages(r.key).length} 条</span></a></li>`,
    )
    .join('');
  return `<h1>企业微信模拟器 · 消息</h1><div class="note">模拟器页面，非企业微信。选择成员，查看其收到的应用消息与群聊消息；在<a href="/__sim/contacts">通讯录</a>中可添加、调岗、删除成员。</div>
<h2>成员</h2><ul>${members}</ul><h2>群机器人</h2>${robots ? `<ul>${robots}</ul>` : '<div class="muted">暂无（POST /__sim/robots 创建）</div>'}<div id="list" hidden></div>`;
}

function inboxItems(sim: WecomSim, userid: string): { html: string }[] {
  const chatName = (id: string): string => sim.appchat(id)?.name || id;
  return sim.inboxOf(userid).map((item) => ({ ...item, html: renderInboxItem(item, sim.corp, chatName) }));
}

function robotItems(sim: WecomSim, key: string): { html: string }[] {
  return sim
    .robotMessages(key)
    .reverse()
    .map((m) => ({ ...m, html: renderRobotMessage(m, sim.corp) }));
}

function list(items: { html: string }[], src: string, as = ''): string {
  const html = items.map((i) => i.html).join('') || '<div class="empty">暂无消息</div>';
  return `<div id="list" data-src="${esc(src)}" data-as="${esc(as)}">${html}</div>`;
}

export function addInboxPages(r: Router, sim: WecomSim): void {
  r.get('/inbox', (ctx) => {
    const as = q(ctx.query, 'as');
    if (!as) return page(ctx, '选择成员', chooser(sim));
    const m = sim.corp.members.get(as);
    if (!m)
      return page(ctx, '成员不存在', `<h1>成员不存在</h1><p><a href="/__sim/inbox">返回成员列表</a> · <a href="/__sim/contacts">通讯录</a></p>`, {
        status: 404,
      });
    const src = `/__sim/inbox.json?as=${encodeURIComponent(as)}`;
    const head = `<h1>${esc(m.name)} 的企业微信</h1><div class="note">模拟器页面 · 每 2 秒刷新 · <a href="/__sim/inbox">切换成员</a> · <a href="/__sim/contacts">通讯录</a></div>`;
    page(ctx, `${m.name} · 消息`, head + list(inboxItems(sim, as), src, as));
  });
  r.get('/inbox.json', (ctx) => {
    const as = q(ctx.query, 'as') ?? '';
    const m = sim.corp.members.get(as);
    if (!m) {
      ctx.status = 404;
      ctx.body = { ok: false, error: 'unknown userid' };
      return;
    }
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { userid: as, name: m.name, items: inboxItems(sim, as) };
  });
  // A robot group's messages, newest first, each with its html (the page polls this).
  r.get('/robots/:key/messages', (ctx) => {
    const robot = sim.robots().find((rb) => rb.key === ctx.params['key']);
    if (!robot) {
      ctx.status = 404;
      ctx.body = { ok: false, error: 'unknown robot key' };
      return;
    }
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { robot, messages: robotItems(sim, robot.key) };
  });
  r.get('/robots/:key/page', (ctx) => {
    const robot = sim.robots().find((rb) => rb.key === ctx.params['key']);
    if (!robot) return page(ctx, '机器人不存在', '<h1>机器人不存在</h1>', { status: 404 });
    const items = robotItems(sim, robot.key);
    const head = `<h1>${esc(robot.name)}</h1><div class="note">群机器人消息 · 每 2 秒刷新 · <a href="/__sim/inbox">返回</a></div>`;
    page(ctx, robot.name, head + list(items, `/__sim/robots/${encodeURIComponent(robot.key)}/messages`));
  });
}
