/**
 * The CSRF probe, replayed in a real browser: the owner is signed in to ShopCrew on 127.0.0.1:<P>; a
 * page on another port of the same host (same *site*, so SameSite=Lax still sends the session
 * cookie) tries to grant the `owner` role with a no-cors text/plain fetch and with a
 * `<form enctype="text/plain">` whose field name smuggles a JSON body. Both must reach the server
 * with the cookie and be refused (403); no binding may appear.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { DEMO_USERS } from '../../scripts/wecom-sim';
import { useBrowserStack, describeBrowser } from '../support/e2e';
import { waitFor } from '../support/wait';

interface Seen {
  method: string;
  url: string;
  status: number;
  withSession: boolean;
}

describeBrowser('CSRF from another port of the same host (Chromium)', () => {
  const e2e = useBrowserStack();
  let attacker: Server;
  let attackerUrl: string;
  const seen: Seen[] = [];
  const payload = { role: 'owner', subjectType: 'user', subjectId: DEMO_USERS.csAgent };

  beforeAll(async () => {
    const { stack } = e2e;
    stack.app.server.on('request', (req, res) => {
      res.on('finish', () =>
        seen.push({ method: req.method!, url: req.url!, status: res.statusCode, withSession: /(^|;\s*)sid=/.test(req.headers.cookie ?? '') }),
      );
    });
    attacker = createServer((req, res) => {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(req.url === '/form' ? formPage(stack.baseUrl, payload) : fetchPage(stack.baseUrl, payload));
    });
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
    attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => attacker?.close(resolve));
  });

  async function ownerPage(): Promise<Page> {
    const page = await e2e.newPage();
    await e2e.signIn(page, DEMO_USERS.owner, '/me');
    return page;
  }

  async function ownerBindingsOfAgent(page: Page): Promise<unknown[]> {
    const res = await page.request.get(`${e2e.stack.baseUrl}/api/roles`);
    expect(res.status()).toBe(200);
    const body = (await res.json()) as { bindings: Array<{ role: string; subjectId: string }> };
    return body.bindings.filter((b) => b.role === 'owner' && b.subjectId === DEMO_USERS.csAgent);
  }

  const attacks = () => seen.filter((s) => s.method === 'POST' && s.url === '/api/roles/bindings');

  test('a no-cors text/plain fetch reaches the server with the cookie and is refused', async () => {
    expect(new URL(attackerUrl).hostname).toBe(new URL(e2e.stack.baseUrl).hostname); // same site, other port
    const page = await ownerPage();
    const before = attacks().length;
    await page.goto(`${attackerUrl}/fetch`);
    await page.waitForFunction(() => document.title === 'sent' || document.title === 'failed');
    await waitFor(() => attacks().length > before, 'the attack request to arrive');
    expect(attacks().slice(before)).toEqual([{ method: 'POST', url: '/api/roles/bindings', status: 403, withSession: true }]);
    expect(await ownerBindingsOfAgent(page)).toEqual([]);
  });

  test('a <form enctype="text/plain"> smuggling JSON is refused with a readable 403', async () => {
    const page = await ownerPage();
    const before = attacks().length;
    await page.goto(`${attackerUrl}/form`);
    await page.waitForURL(`${e2e.stack.baseUrl}/api/roles/bindings`);
    const body = JSON.parse((await page.textContent('body')) ?? '{}') as { error?: { code: string } };
    expect(body.error?.code).toBe('cross_site_request');
    expect(attacks().slice(before)).toEqual([{ method: 'POST', url: '/api/roles/bindings', status: 403, withSession: true }]);
    expect(await ownerBindingsOfAgent(page)).toEqual([]);
  });
});

function fetchPage(target: string, payload: object): string {
  return `<!doctype html><title>…</title><script>
    fetch(${JSON.stringify(`${target}/api/roles/bindings`)}, {
      method: 'POST', mode: 'no-cors', credentials: 'include',
      headers: { 'content-type': 'text/plain' }, body: ${JSON.stringify(JSON.stringify(payload))},
    }).then(() => { document.title = 'sent'; }, () => { document.title = 'failed'; });
  </script>`;
}

/** text/plain forms send `name=value`: a name of `{"…":"…","x":"` and a value of `"}` make JSON. */
function formPage(target: string, payload: object): string {
  const json = JSON.stringify({ ...payload, x: '' });
  const name = json.slice(0, -2); // …,"x":"
  const esc = (s: string) => s.replaceAll('&', '&amp;').replaceAll('"', '&quot;');
  return `<!doctype html><form method="POST" enctype="text/plain" action="${target}/api/roles/bindings">
    <input name="${esc(name)}" value="&quot;}"></form><script>document.forms[0].submit()</script>`;
}
