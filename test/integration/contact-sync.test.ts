import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DEMO_CREDENTIALS, generateCorp, startWecomSim, type WecomSim } from '../../scripts/wecom-sim';
import { createContainer, type Container } from '../../server/src/container';
import { Department } from '../../server/src/modules/org/department.entity';
import { Member } from '../../server/src/modules/org/member.entity';
import { MemberDepartment } from '../../server/src/modules/org/member-department.entity';
import { SyncRun } from '../../server/src/modules/org/sync-run.entity';
import { AuditEntry } from '../../server/src/modules/audit/audit-entry.entity';
import { dropDatabaseUrl, freshDatabaseUrl, testDatabases } from '../support/databases';
import { demoEnv, testConfig } from '../support/config';

const run = promisify(execFile);
const root = join(__dirname, '../..');
const callsTo = (sim: WecomSim, api: string) => sim.stats.calls[`/cgi-bin/${api}`] ?? sim.stats.calls[api] ?? 0;

describe.each(testDatabases())('full contact sync ($label)', ({ kind }) => {
  let sim: WecomSim;
  let url: string;
  let c: Container | undefined;

  const open = async (contactSecret = false) => {
    c = await createContainer(testConfig(url, sim.url, contactSecret ? { WECOM_CONTACT_SECRET: DEMO_CREDENTIALS.contactSecret } : {}), { wecomRetryBaseMs: 1 });
    return c;
  };

  beforeEach(async () => {
    sim = await startWecomSim({ ...DEMO_CREDENTIALS, port: 0, corp: generateCorp({ departments: 220, members: 2100, seed: 7 }) });
    url = await freshDatabaseUrl(kind);
  });
  afterEach(async () => {
    await c?.close();
    c = undefined;
    await sim.close();
    await dropDatabaseUrl(url);
  });

  it('mirrors 2,100 members in 220 departments, with links, leaders and tags', async () => {
    const { contactSync, ds } = await open();
    const report = await contactSync.run('test');
    expect(report.departments).toBe(220);
    expect(await ds.getRepository(Department).countBy({})).toBe(220);
    expect(await ds.getRepository(Member).countBy({ active: true })).toBe(sim.corp.members.size);
    expect(await ds.getRepository(MemberDepartment).count()).toBe(sim.corp.deptUserRows().length);
    const leaderRows = [...sim.corp.members.values()].reduce((n, m) => n + m.is_leader_in_dept.filter((x) => x === 1).length, 0);
    expect(await ds.getRepository(MemberDepartment).countBy({ isLeader: true })).toBe(leaderRows);
    expect(report.tags).toBe(sim.corp.tags.size);
    expect(await ds.getRepository(AuditEntry).countBy({ action: 'contact.sync' })).toBe(1);
  }, 60_000);

  it('uses user/list_id when the 通讯录同步 secret is configured and gets the same mirror', async () => {
    const { contactSync, ds } = await open(true);
    await contactSync.run('test');
    expect(callsTo(sim, 'user/list_id')).toBeGreaterThan(0);
    expect(await ds.getRepository(Member).countBy({ active: true })).toBe(sim.corp.members.size);
  }, 60_000);

  it('deactivates (never deletes) members who disappeared, and reactivates returners', async () => {
    const { contactSync, ds } = await open();
    await contactSync.run('test');
    const gone = [...sim.corp.members.keys()].slice(0, 5);
    const saved = gone.map((u) => sim.corp.member(u));
    for (const u of gone) sim.corp.removeMember(u);
    const second = await contactSync.run('test');
    expect(second.deactivated).toBe(5);
    const rows = await ds.getRepository(Member).findBy(gone.map((userid) => ({ userid })));
    expect(rows.map((r) => r.active)).toEqual([false, false, false, false, false]);
    sim.corp.addMember({ ...saved[0]!, department: saved[0]!.department });
    await contactSync.run('test');
    expect(await ds.getRepository(Member).findOneBy({ userid: gone[0] })).toMatchObject({ active: true, deactivatedAt: null });
  }, 60_000);

  it('resumes an interrupted run where it stopped instead of starting over', async () => {
    const { contactSync, ds } = await open();
    // WeCom goes away after ~60 department listings: the run stops with a transport error.
    const port = Number(new URL(sim.url).port);
    const watcher = setInterval(() => {
      if (callsTo(sim, 'user/list') >= 60) {
        clearInterval(watcher);
        void sim.close();
      }
    }, 1);
    await expect(contactSync.run('test')).rejects.toThrow();
    clearInterval(watcher);
    const interrupted = await ds.getRepository(SyncRun).findOneByOrFail({ status: 'running' });
    const done = interrupted.progress!.doneDepartments.length;
    expect(done).toBeGreaterThan(0);
    expect(done).toBeLessThan(220);
    // WeCom is back (same corp, a fresh server that knows none of our tokens).
    sim = await startWecomSim({ ...DEMO_CREDENTIALS, port, corp: sim.corp });
    const report = await contactSync.run('test');
    expect(report.resumed).toBe(true);
    expect(report.runId).toBe(interrupted.id);
    expect(callsTo(sim, 'user/list')).toBe(220 - done);
    expect(await ds.getRepository(Member).countBy({ active: true })).toBe(sim.corp.members.size);
  }, 60_000);

  it('runs one sync at a time across instances', async () => {
    const a = await open();
    const b = await createContainer(testConfig(url, sim.url), { dataSource: a.ds });
    const results = await Promise.allSettled([a.contactSync.run('a'), b.contactSync.run('b')]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(String((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason)).toMatch(/another contact sync/);
    await b.close();
  }, 60_000);
});

describe('npm run sync:contacts', () => {
  let sim: WecomSim;
  let url: string;
  beforeAll(async () => {
    sim = await startWecomSim({ ...DEMO_CREDENTIALS, port: 0 });
    url = await freshDatabaseUrl('sqlite');
  });
  afterAll(async () => {
    await sim.close();
    await dropDatabaseUrl(url);
  });

  const env = (over: Record<string, string> = {}) => ({
    PATH: process.env.PATH!,
    ...demoEnv({ databaseUrl: url, simUrl: sim.url }, { LOG_LEVEL: 'silent', ...over }),
  });
  const cli = (over?: Record<string, string>) =>
    run(join(root, 'node_modules/.bin/tsx'), ['--tsconfig', join(root, 'tsconfig.json'), join(root, 'server/src/cli/sync-contacts.ts')], {
      cwd: root,
      env: env(over),
      timeout: 60_000,
    });

  it('exits 0 when done', async () => {
    const out = await cli();
    expect(out.stdout).toMatch(/contact sync done: \d+ departments/);
  }, 60_000);

  it('exits non-zero with the reason on a wrong secret', async () => {
    const err = (await cli({ WECOM_AGENT_SECRET: 'wrong' }).catch((e) => e)) as { code: number; stderr: string };
    expect(err.code).toBe(1);
    expect(err.stderr).toMatch(/contact sync failed: .*40001.*WECOM_AGENT_SECRET/);
  }, 60_000);
});
