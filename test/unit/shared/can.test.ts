/** The one authorization rule (shared/src/auth/can.ts), as the server and the H5 both apply it. */
import { can, mergeGrants, shopsWith, type ScopedRole } from '@shopcrew/shared';

const actor = (...grants: ScopedRole[]) => ({ grants });

describe('can(actor, permission, resource)', () => {
  test('a role in every shop grants its permissions everywhere, and nothing else', () => {
    const agent = actor({ role: 'cs_agent', shops: 'all' });
    expect(can(agent, 'orders:claim')).toBe(true);
    expect(can(agent, 'orders:claim', { shopId: 'any' })).toBe(true);
    expect(can(agent, 'orders:assign')).toBe(false);
    expect(can(agent, 'orders:assign', { shopId: 'any' })).toBe(false);
  });

  test('a shop-scoped role grants only in its shops; without a resource, any shop counts', () => {
    const member = actor({ role: 'designer', shops: 'all' }, { role: 'cs_lead', shops: ['1001', '1002'] });
    expect(can(member, 'orders:assign', { shopId: '1001' })).toBe(true);
    expect(can(member, 'orders:assign', { shopId: '2002' })).toBe(false);
    expect(can(member, 'orders:assign')).toBe(true);
    expect(can(member, 'orders:assign', { shopId: null })).toBe(true);
    expect(can(member, 'sop:run', { shopId: '2002' })).toBe(true); // designer, every shop
  });

  test('no roles, no permissions', () => {
    expect(can(actor(), 'org:read')).toBe(false);
  });
});

describe('shopsWith and mergeGrants', () => {
  test("the shops an actor may act in: 'all' wins, lists unite, none is empty", () => {
    expect(shopsWith(actor({ role: 'cs_agent', shops: ['b', 'a'] }, { role: 'cs_lead', shops: ['c'] }), 'orders:read')).toEqual(['a', 'b', 'c']);
    expect(shopsWith(actor({ role: 'cs_agent', shops: ['a'] }, { role: 'cs_lead', shops: 'all' }), 'orders:read')).toBe('all');
    expect(shopsWith(actor({ role: 'designer', shops: 'all' }), 'orders:read')).toEqual([]);
  });

  test('one grant per role, whatever the number of bindings behind it', () => {
    expect(
      mergeGrants([
        { role: 'cs_agent', shops: ['2'] },
        { role: 'warehouse', shops: 'all' },
        { role: 'cs_agent', shops: ['1', '2'] },
      ]),
    ).toEqual([
      { role: 'cs_agent', shops: ['1', '2'] },
      { role: 'warehouse', shops: 'all' },
    ]);
    expect(
      mergeGrants([
        { role: 'owner', shops: ['9'] },
        { role: 'owner', shops: 'all' },
      ]),
    ).toEqual([{ role: 'owner', shops: 'all' }]);
  });
});
