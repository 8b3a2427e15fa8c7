/**
 * The sign-in state and the session, on real databases, with the services' injectable clock: the
 * OAuth `state` is single use, bound to the browser that started sign-in (its nonce), and expires
 * after 10 minutes; a session is valid until exactly SESSION_TTL_HOURS after it was created.
 * (Over HTTP: test/api/signin.test.ts and test/api/session-lifecycle.test.ts.)
 */
import { DEMO_CREDENTIALS, DEMO_USERS as U, startWecomSim, type WecomSim } from '../../scripts/wecom-sim';
import { createContainer, type Container } from '../../server/src/container';
import { Session } from '../../server/src/modules/auth/session.entity';
import { SessionService } from '../../server/src/modules/auth/session.service';
import { SigninFailure, SigninService } from '../../server/src/modules/auth/signin.service';
import { testConfig } from '../support/config';
import { dropDatabaseUrl, freshDatabaseUrl, testDatabases } from '../support/databases';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe.each(testDatabases())('sign-in state and session expiry ($label)', ({ kind }) => {
  let sim: WecomSim;
  let url: string;
  let c: Container;
  let now: number;
  const clock = () => now;

  beforeAll(async () => {
    sim = await startWecomSim({ ...DEMO_CREDENTIALS, port: 0 });
    url = await freshDatabaseUrl(kind);
    c = await createContainer(testConfig(url, sim.url, { SESSION_TTL_HOURS: '12' }));
    await c.contactSync.run('test');
  });
  afterAll(async () => {
    await c?.close();
    await sim?.close();
    await dropDatabaseUrl(url);
  });
  beforeEach(() => {
    now = Date.now();
  });

  const services = (ttlMs = 12 * HOUR) => {
    const sessions = new SessionService(c.ds, ttlMs, clock);
    const signin = new SigninService(
      c.ds,
      c.wecom,
      sessions,
      c.audit,
      { publicUrl: 'http://127.0.0.1:3999', corpId: DEMO_CREDENTIALS.corpId, agentId: DEMO_CREDENTIALS.agentId, oauthBase: sim.url, loginBase: sim.url },
      clock,
    );
    return { sessions, signin };
  };
  const stateOf = (url: string) => new URL(url).searchParams.get('state')!;
  const refusal = (p: Promise<unknown>) =>
    p.then(
      () => 'accepted',
      (err: unknown) => (err instanceof SigninFailure ? err.reason : `threw ${String(err)}`),
    );

  it('a state is accepted up to 10 minutes after it was issued, and refused from then on', async () => {
    const { signin } = services();
    const early = await signin.begin('/team', false);
    const late = await signin.begin('/team', false);
    now += 10 * MINUTE - 1;
    const done = await signin.complete(sim.issueCode(U.csAgent), stateOf(early.url), early.browserNonce, 'test');
    expect(done).toMatchObject({ userid: U.csAgent, redirect: '/team' });
    now += 1; // exactly 10 minutes
    expect(await refusal(signin.complete(sim.issueCode(U.csAgent), stateOf(late.url), late.browserNonce, 'test'))).toBe('bad_state');
  });

  it('a state works once', async () => {
    const { signin } = services();
    const started = await signin.begin('/', true);
    await expect(signin.complete(sim.issueCode(U.csAgent), stateOf(started.url), started.browserNonce, 'test')).resolves.toMatchObject({ userid: U.csAgent });
    expect(await refusal(signin.complete(sim.issueCode(U.csAgent), stateOf(started.url), started.browserNonce, 'test'))).toBe('bad_state');
  });

  it('a state works only with the nonce of the browser that started sign-in', async () => {
    const { signin } = services();
    const mine = await signin.begin('/', false);
    const other = await signin.begin('/', false);
    for (const nonce of [undefined, '', other.browserNonce, `${mine.browserNonce}x`]) {
      expect(await refusal(signin.complete(sim.issueCode(U.csAgent), stateOf(mine.url), nonce, 'test'))).toBe('bad_state');
    }
    // The attempts from elsewhere did not use it up for its own browser.
    await expect(signin.complete(sim.issueCode(U.csAgent), stateOf(mine.url), mine.browserNonce, 'test')).resolves.toMatchObject({ userid: U.csAgent });
  });

  it('a session is valid until exactly its TTL, then refused', async () => {
    const ttl = 2 * HOUR;
    const { sessions } = services(ttl);
    const created = now;
    const token = await sessions.create(U.warehouse, 'test', c.ds.manager);
    now = created + ttl - 1;
    expect(await sessions.resolve(token)).toBe(U.warehouse);
    now = created + ttl;
    expect(await sessions.resolve(token)).toBeNull();
    const row = await c.ds.getRepository(Session).findOneByOrFail({ userid: U.warehouse });
    expect(row.expiresAt - row.createdAt).toBe(ttl);
  });

  it('the container gives sessions the SESSION_TTL_HOURS of its configuration', async () => {
    const token = await c.sessions.create(U.finance, 'test', c.ds.manager);
    expect(await c.sessions.resolve(token)).toBe(U.finance);
    const row = await c.ds.getRepository(Session).findOneByOrFail({ userid: U.finance });
    expect(row.expiresAt - row.createdAt).toBe(12 * HOUR);
  });
});
