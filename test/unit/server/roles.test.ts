/** The shared role → permission table (server guards and H5 buttons both read it). */
import { isRoleKey, PERMISSIONS, permissionsOf, ROLE_KEYS, ROLES, type Permission, type RoleKey } from '../../../shared/src/auth/roles';

describe('ROLES', () => {
  test('every role key has a definition with its own key and a name', () => {
    expect(Object.keys(ROLES).sort()).toEqual([...ROLE_KEYS].sort());
    for (const key of ROLE_KEYS) {
      expect(ROLES[key].key).toBe(key);
      expect(ROLES[key].name.length).toBeGreaterThan(0);
    }
  });

  test('every granted permission is a known permission, listed once', () => {
    for (const key of ROLE_KEYS) {
      const perms = ROLES[key].permissions;
      for (const p of perms) expect(PERMISSIONS).toContain(p);
      expect(new Set(perms).size).toBe(perms.length);
    }
  });

  test('owner has every permission', () => {
    expect(permissionsOf(['owner'])).toEqual([...PERMISSIONS]);
  });

  test('only owner may manage roles', () => {
    const managers = ROLE_KEYS.filter((r) => permissionsOf([r]).includes('org:manage_roles'));
    expect(managers).toEqual(['owner']);
  });

  test('cs_agent lacks audit:read and org:manage_roles but can work orders and after-sales', () => {
    const p = permissionsOf(['cs_agent']);
    expect(p).not.toContain('audit:read');
    expect(p).not.toContain('org:manage_roles');
    expect(p).not.toContain('aftersales:approve_refund');
    expect(p).not.toContain('orders:assign');
    expect(p).toEqual(expect.arrayContaining<Permission>(['org:read', 'orders:read', 'orders:claim', 'aftersales:handle']));
  });

  test('every role can read the org (the H5 needs it to render)', () => {
    for (const key of ROLE_KEYS) expect(permissionsOf([key])).toContain('org:read');
  });

  test('cs_lead is a superset of cs_agent', () => {
    expect(permissionsOf(['cs_lead'])).toEqual(expect.arrayContaining(permissionsOf(['cs_agent'])));
  });
});

describe('permissionsOf', () => {
  test('no roles, no permissions', () => {
    expect(permissionsOf([])).toEqual([]);
  });

  test('is the union of the roles, without duplicates', () => {
    const roles: RoleKey[] = ['cs_agent', 'finance'];
    const expected = new Set([...ROLES.cs_agent.permissions, ...ROLES.finance.permissions]);
    const got = permissionsOf(roles);
    expect(new Set(got)).toEqual(expected);
    expect(got).toHaveLength(expected.size);
    expect(got).toContain('audit:read'); // from finance
    expect(got).toContain('orders:claim'); // from cs_agent
  });

  test('returns the canonical PERMISSIONS order whatever the role order', () => {
    const a = permissionsOf(['designer', 'finance', 'cs_agent', 'marketing']);
    const b = permissionsOf(['marketing', 'cs_agent', 'finance', 'designer']);
    expect(a).toEqual(b);
    const idx = a.map((p) => PERMISSIONS.indexOf(p));
    expect(idx).toEqual([...idx].sort((x, y) => x - y));
  });

  test('repeating a role changes nothing', () => {
    expect(permissionsOf(['warehouse', 'warehouse'])).toEqual(permissionsOf(['warehouse']));
  });

  test('does not hand out the table itself (callers may mutate the result)', () => {
    const p = permissionsOf(['designer']);
    p.push('settings:manage');
    expect(permissionsOf(['designer'])).not.toContain('settings:manage');
    expect(ROLES.designer.permissions).not.toContain('settings:manage');
  });
});

describe('isRoleKey', () => {
  test.each([...ROLE_KEYS])('accepts %s', (k) => expect(isRoleKey(k)).toBe(true));
  test.each(['admin', 'Owner', '', 'owner ', 'constructor', 'toString', '__proto__'])('rejects %j', (k) => expect(isRoleKey(k)).toBe(false));
});
