/**
 * Child process for the kill -9 takeover test (test/integration/inbox-takeover.test.ts): one server
 * process's container with its inbox worker running, plus a probe handler that records every apply.
 *
 * argv: databaseUrl simUrl
 *
 * stdin, one command a line:
 *   enqueue {"batch":n,"from":s,"count":c,"deleteUser":"userid"}
 *     acknowledges, through the real ingress (signed and encrypted like WeCom's POSTs), `count` probe
 *     events with sequence numbers s … s+c-1 and then a change_contact delete_user of `deleteUser`, in
 *     that order, and prints `acked <n>`. Each stored callback kicks this process's worker, as in production.
 * stdout:
 *   ready             the container is built and its worker started
 *   applied <seq>     a probe's apply committed (the worker marks its row done right after)
 *
 * The probe handler (event `takeover_probe`, EventKey `probe:<seq>`) takes PROBE_MS, then in one
 * transaction reads its inbox row's status and appends (seq, pid, that status) to `takeover_applies`,
 * a table the test creates. So the table holds one row per committed apply, each saying whether the
 * inbox row was still pending when it committed (an apply after the row was marked done would say so).
 */
import { createInterface } from 'node:readline';
import { callbackEnvelope, changeContactXml, DEMO_CREDENTIALS, encryptMessage, msgSignature } from '../../scripts/wecom-sim';
import { createContainer } from '../../server/src/container';
import { inTransaction } from '../../server/src/db/transaction';
import { sleep } from '../../server/src/lib/sleep';
import { testConfig } from './config';

export const PROBE_EVENT = 'takeover_probe';
const PROBE_MS = 40;

export interface EnqueueCommand {
  batch: number;
  from: number;
  count: number;
  deleteUser: string;
}

export function probeXml(seq: number): string {
  return (
    `<xml><ToUserName><![CDATA[${DEMO_CREDENTIALS.corpId}]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName>` +
    `<CreateTime>${1_700_000_000 + seq}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[${PROBE_EVENT}]]></Event>` +
    `<EventKey><![CDATA[probe:${seq}]]></EventKey></xml>`
  );
}

function signed(plaintext: string) {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = String(Math.floor(Math.random() * 1e9));
  const enc = encryptMessage(DEMO_CREDENTIALS.callbackAesKey, plaintext, DEMO_CREDENTIALS.corpId);
  return {
    query: { msg_signature: msgSignature(DEMO_CREDENTIALS.callbackToken, timestamp, nonce, enc), timestamp, nonce },
    body: callbackEnvelope(DEMO_CREDENTIALS.corpId, DEMO_CREDENTIALS.agentId, enc),
  };
}

async function main(): Promise<void> {
  const [databaseUrl, simUrl] = process.argv.slice(2);
  const c = await createContainer(testConfig(databaseUrl!, simUrl!));
  c.registry.on(
    'wecom',
    PROBE_EVENT,
    async ({ fields }) => {
      const seq = Number((fields.EventKey ?? '').slice('probe:'.length));
      await sleep(PROBE_MS);
      await inTransaction(c.ds, async (m) => {
        const rows: Array<{ status: string }> = await m.query(`SELECT status FROM callback_inbox WHERE event = ? AND payload LIKE ?`, [
          PROBE_EVENT,
          `%<EventKey><![CDATA[probe:${seq}]]></EventKey>%`,
        ]);
        await m.query('INSERT INTO takeover_applies (seq, pid, row_status) VALUES (?, ?, ?)', [seq, process.pid, rows[0]?.status ?? 'missing']);
      });
      process.stdout.write(`applied ${seq}\n`);
      return 'applied';
    },
    'inbox-takeover test',
  );
  // The inbox worker alone: the other background jobs have nothing to do with the takeover.
  c.worker.start();
  process.stdout.write('ready\n');

  createInterface({ input: process.stdin }).on('line', (line) => {
    const [command, arg] = [line.slice(0, line.indexOf(' ')), line.slice(line.indexOf(' ') + 1)];
    if (command !== 'enqueue') return;
    const cmd = JSON.parse(arg) as EnqueueCommand;
    void (async () => {
      const xmls = Array.from({ length: cmd.count }, (_, i) => probeXml(cmd.from + i));
      xmls.push(changeContactXml(DEMO_CREDENTIALS.corpId, 1_700_000_000 + cmd.batch, 'delete_user', [['UserID', cmd.deleteUser]]));
      for (const xml of xmls) {
        const { query, body } = signed(xml);
        if (!(await c.ingress.receive(query, body))) throw new Error(`callback of batch ${cmd.batch} stored twice`);
      }
      process.stdout.write(`acked ${cmd.batch}\n`);
    })().catch((err: unknown) => {
      process.stderr.write(String((err as Error)?.stack ?? err));
      process.exit(1);
    });
  });
}

main().catch((err: unknown) => {
  process.stderr.write(String((err as Error)?.stack ?? err));
  process.exit(1);
});
