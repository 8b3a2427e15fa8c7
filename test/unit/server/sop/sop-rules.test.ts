/**
 * The SOP module's pure parts: every seeded SOP passes the same checks as a lead's template; step and run moves;
 * who may tick a step; file names made safe; the disk storage refuses keys outside its folder.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Actor } from '@shopcrew/shared';
import { LocalDiskStorage } from '../../../../server/src/lib/storage';
import { IllegalTransition } from '../../../../server/src/platform/state-machine';
import { safeFileName } from '../../../../server/src/http/multipart';
import { mayTick } from '../../../../server/src/modules/sop/run.service';
import { SEED_TEMPLATES } from '../../../../server/src/modules/sop/seeds';
import { runState, stepState } from '../../../../server/src/modules/sop/sop-state';
import { templateBody } from '../../../../server/src/modules/sop/template.service';

describe('seeded SOPs', () => {
  it.each(SEED_TEMPLATES.map((t) => [t.name, t] as const))('%s is a valid template', (_name, seed) => {
    expect(templateBody.safeParse({ name: seed.name, category: seed.category, description: seed.description, steps: seed.steps }).success).toBe(true);
  });

  it('follow the seller-team guide’s steps', () => {
    const steps = (key: string) => SEED_TEMPLATES.find((t) => t.key === key)!.steps.map((s) => s.title);
    expect(steps('aftersales.case')).toEqual(['接单', '确认问题', '提供解决方案', '记录在案', '完成/关闭']);
    expect(steps('member.offboarding')).toEqual(['收回访问权限', '导出必要数据', '交接未完成的工作']);
    expect(steps('promotion.prepare')).toEqual(['选品策划', '主图优化', '定价策略', '活动报名', '投流测试', '数据复盘']);
  });
});

describe('step and run states', () => {
  it('a step is done or skipped, and may be put back; nothing else', () => {
    expect(stepState.can('todo', 'done')).toBe(true);
    expect(stepState.can('done', 'todo')).toBe(true);
    expect(() => stepState.check('done', 'skipped')).toThrow(IllegalTransition);
  });

  it('a cancelled run stays cancelled', () => {
    expect(() => runState.check('cancelled', 'running')).toThrow(IllegalTransition);
    expect(runState.can('done', 'running')).toBe(true);
  });
});

describe('who may tick a step', () => {
  const actor = (userid: string, ...grants: Actor['grants']): Actor => ({ userid, grants });
  const agentInShopA = actor('lina', { role: 'cs_agent', shops: ['A'] });
  const lead = actor('wangfang', { role: 'cs_lead', shops: 'all' });
  const designer = actor('luoxin', { role: 'designer', shops: 'all' });

  it('the step’s member, a holder of its role in the run’s shop, or a manager of checklists', () => {
    expect(mayTick(agentInShopA, { shopId: 'A' }, { assignee: 'lina', role: null })).toBe(true);
    expect(mayTick(agentInShopA, { shopId: 'A' }, { assignee: 'zhaolei', role: null })).toBe(false);
    expect(mayTick(agentInShopA, { shopId: 'A' }, { assignee: null, role: 'cs_agent' })).toBe(true);
    expect(mayTick(agentInShopA, { shopId: 'B' }, { assignee: null, role: 'cs_agent' })).toBe(false);
    expect(mayTick(designer, { shopId: null }, { assignee: null, role: 'cs_agent' })).toBe(false);
    expect(mayTick(lead, { shopId: 'B' }, { assignee: 'zhaolei', role: null })).toBe(true);
  });
});

describe('file names', () => {
  it('keeps the name, never a folder or a control character', () => {
    expect(safeFileName('../../etc/证据.png', 'photo.png')).toBe('证据.png');
    expect(safeFileName('C:\\temp\\a"b\u0000.jpg', 'photo.jpg')).toBe('ab.jpg');
    expect(safeFileName('..', 'photo.png')).toBe('photo.png');
    expect(safeFileName('', 'photo.webp')).toBe('photo.webp');
  });
});

describe('LocalDiskStorage', () => {
  let dir: string;
  beforeAll(async () => void (dir = await mkdtemp(join(tmpdir(), 'shopcrew-storage-'))));
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('stores and reads back under its folder; refuses keys that leave it', async () => {
    const storage = new LocalDiskStorage(dir);
    await storage.put('sop/2026/a.png', Buffer.from('x'));
    expect((await storage.get('sop/2026/a.png'))?.toString()).toBe('x');
    expect(await storage.get('sop/2026/missing.png')).toBeNull();
    await expect(storage.put('../outside.png', Buffer.from('x'))).rejects.toThrow(/invalid storage key/);
    await expect(storage.put('/etc/passwd', Buffer.from('x'))).rejects.toThrow(/invalid storage key/);
  });
});
