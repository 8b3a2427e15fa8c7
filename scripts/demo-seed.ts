// Role bindings for the demo corp 星河电商: who gets which ShopCrew role, the way a real shop owner
// would set them up on day one (departments for the rank and file, tags for leads, one user binding).
import type { RoleService } from '../server/src/modules/roles/role.service';
import { DEMO_DEPARTMENTS as D, DEMO_TAGS as T, DEMO_USERS as U } from './wecom-sim/demo-corp';

export const DEMO_BINDINGS = [
  { role: 'cs_agent', subjectType: 'department', subjectId: String(D.cs) },
  { role: 'cs_lead', subjectType: 'tag', subjectId: String(T.csLeads) },
  { role: 'owner', subjectType: 'tag', subjectId: String(T.owners) },
  { role: 'warehouse', subjectType: 'department', subjectId: String(D.warehouse) },
  { role: 'marketing', subjectType: 'department', subjectId: String(D.ops) },
  { role: 'ops_manager', subjectType: 'user', subjectId: U.opsManager },
  { role: 'marketing', subjectType: 'department', subjectId: String(D.ads) },
  { role: 'finance', subjectType: 'department', subjectId: String(D.finance) },
  { role: 'designer', subjectType: 'department', subjectId: String(D.design) },
] as const;

/**
 * Idempotent: bindings that already exist are left alone. A binding whose department, tag or member is
 * not in the mirror yet (no contact sync has run) is skipped: bindings must name synced subjects, and
 * the next start seeds it.
 */
export async function seedDemoBindings(roles: RoleService): Promise<void> {
  const existing = await roles.listBindings();
  for (const b of DEMO_BINDINGS) {
    if (existing.some((e) => e.role === b.role && e.subjectType === b.subjectType && e.subjectId === b.subjectId)) continue;
    try {
      await roles.addBinding(b, 'system');
    } catch (err) {
      if ((err as { code?: unknown }).code !== 'subject_not_found') throw err;
    }
  }
}
