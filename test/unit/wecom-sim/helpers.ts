// Shared helpers for the simulator's messaging tests: a sim on a controllable clock, JSON over fetch, and a stand-in
// for the product's callback endpoint.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEMO_CREDENTIALS } from '../../../scripts/wecom-sim/demo-corp';
import { startWecomSim, type WecomSim, type WecomSimOptions } from '../../../scripts/wecom-sim/server';

export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const C = DEMO_CREDENTIALS;

export const getJson = async (url: string): Promise<Json> => (await fetch(url)).json() as Promise<Json>;
export const postJson = async (url: string, body: unknown): Promise<Json> =>
  (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json() as Promise<Json>;

export interface TestSim {
  sim: WecomSim;
  /** Move the simulator's clock. */
  advance(ms: number): void;
  /** An agent access_token. */
  token(): Promise<string>;
  /** POST /cgi-bin/<path>?access_token=… */
  api(path: string, body: unknown): Promise<Json>;
  /** message/send with agentid filled in. */
  send(body: Json): Promise<Json>;
}

export async function startTestSim(extra: Partial<WecomSimOptions> = {}): Promise<TestSim> {
  let clock = Date.UTC(2024, 5, 1, 2, 0, 0);
  const sim = await startWecomSim({ ...DEMO_CREDENTIALS, port: 0, now: () => clock, ...extra });
  let cached: string | undefined;
  const token = async (): Promise<string> =>
    (cached ??= (await getJson(`${sim.url}/cgi-bin/gettoken?corpid=${C.corpId}&corpsecret=${C.agentSecret}`))['access_token'] as string);
  const api = async (path: string, body: unknown): Promise<Json> => postJson(`${sim.url}/cgi-bin/${path}?access_token=${await token()}`, body);
  return {
    sim,
    advance: (ms) => {
      clock += ms;
    },
    token,
    api,
    send: (body) => api('message/send', { agentid: Number(C.agentId), ...body }),
  };
}

export interface Received {
  method: string;
  url: string;
  body: string;
}

/** A stand-in for the product's callback endpoint; `handle` answers (default: empty 200). */
export async function receiver(
  handle: (r: Received, res: ServerResponse) => void = (_r, res) => res.end(''),
): Promise<{ url: string; got: Received[]; close: () => Promise<void> }> {
  const got: Received[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = { method: req.method ?? '', url: req.url ?? '', body: Buffer.concat(chunks).toString('utf8') };
      got.push(r);
      handle(r, res);
    });
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/wecom/callback`,
    got,
    close: () =>
      new Promise<void>((res) => {
        server.closeAllConnections();
        server.close(() => res());
      }),
  };
}

/** A button_interaction card as the approval flow sends it (https://developer.work.weixin.qq.com/document/path/90236). */
export const approvalCard = (taskId: string, extra: Json = {}): Json => ({
  card_type: 'button_interaction',
  source: { desc: '审批中心', desc_color: 1 },
  main_title: { title: '报销审批', desc: '张三提交于 06-01' },
  sub_title_text: '请尽快处理',
  horizontal_content_list: [
    { keyname: '金额', value: '¥1,280' },
    { keyname: '申请人', value: '张三' },
  ],
  task_id: taskId,
  button_list: [
    { text: '同意', style: 1, key: `approve:${taskId}` },
    { text: '驳回', style: 2, key: `reject:${taskId}` },
  ],
  ...extra,
});
