import type { DataSource } from 'typeorm';
import { isRoleKey, permissionsOf, ROLE_KEYS, type Permission, type RoleKey } from '@shopcrew/shared';
import { ConflictError, NotFoundError, ValidationError } from '../../errors';
import type { AuditService } from '../audit/audit.service';
import type { OrgService } from '../org/org.service';
import { RoleBinding, type BindingSubject } from './role.entity';
import { isUniqueViolation } from '../../db/transaction';

export interface Grants {
  roles: RoleKey[];
  permissions: Permission[];
}

/**
 * Roles follow WeCom: a binding on a department covers its sub-departments, a binding on a tag
 * covers members tagged directly or through a department. ADMIN_USERIDS are always owners.
 */
export class RoleService {
  constructor(
    private readonly ds: DataSource,
    private readonly org: OrgService,
    private readonly audit: AuditService,
    private readonly adminUserids: readonly string[],
    private readonly now: () => number = Date.now,
  ) {}

  async grantsOf(userid: string): Promise<Grants> {
    const roles = await this.rolesOf(userid);
    return { roles, permissions: permissionsOf(roles) };
  }

  async rolesOf(userid: string): Promise<RoleKey[]> {
    return (await this.rolesOfMany([userid])).get(userid) ?? [];
  }

  /**
   * Roles of several members with a fixed handful of queries (the department tree, the bindings, the
   * members' links and tags), so a member list costs the same whether it has 3 people or 300.
   */
  async rolesOfMany(userids: readonly string[]): Promise<Map<string, RoleKey[]>> {
    const [parents, bindings, links, tagMembers] = await Promise.all([
      this.org.activeDepartments().then((ds) => new Map(ds.map((d) => [d.id, d.parentId]))),
      this.ds.getRepository(RoleBinding).find(),
      this.org.linksOf([...userids]),
      this.org.tagMembersOf([...userids]),
    ]);
    const departmentsOf = new Map(userids.map((u) => [u, withAncestors(links.filter((l) => l.userid === u).map((l) => l.departmentId), parents)]));
    const tagDepartments = await this.org.tagDepartmentsOf([...new Set([...departmentsOf.values()].flat())]);
    const granted = (type: BindingSubject, ids: Set<string>) => bindings.filter((b) => b.subjectType === type && ids.has(b.subjectId)).map((b) => b.role);
    const out = new Map<string, RoleKey[]>();
    for (const userid of userids) {
      const departments = new Set(departmentsOf.get(userid)!.map(String));
      const tags = new Set([
        ...tagMembers.filter((t) => t.userid === userid).map((t) => String(t.tagId)),
        ...tagDepartments.filter((t) => departments.has(String(t.departmentId))).map((t) => String(t.tagId)),
      ]);
      const roles = new Set<string>([...granted('user', new Set([userid])), ...granted('department', departments), ...granted('tag', tags)]);
      if (this.adminUserids.includes(userid)) roles.add('owner');
      out.set(userid, ROLE_KEYS.filter((r) => roles.has(r)));
    }
    return out;
  }

  listBindings(): Promise<RoleBinding[]> {
    return this.ds.getRepository(RoleBinding).find({ order: { id: 'ASC' } });
  }

  async addBinding(input: { role: string; subjectType: BindingSubject; subjectId: string }, actor: string, requestId?: string): Promise<RoleBinding> {
    if (!isRoleKey(input.role)) throw new ValidationError(`未知角色: ${input.role}`);
    const duplicate = () => new ConflictError('该授权已存在 (binding already exists)', 'binding_exists');
    try {
      return await this.ds.transaction(async (m) => {
        if (await m.findOneBy(RoleBinding, { role: input.role, subjectType: input.subjectType, subjectId: input.subjectId })) throw duplicate();
        const saved = await m.save(RoleBinding, { ...input, createdBy: actor, createdAt: this.now() });
        await this.audit.record({ actor, action: 'role.bind', targetType: 'role_binding', targetId: saved.id, after: input, requestId }, m);
        return saved;
      });
    } catch (err) {
      // Two identical requests at once: the unique index decides, the loser gets the same 409.
      if (isUniqueViolation(err)) throw duplicate();
      throw err;
    }
  }

  async removeBinding(id: number, actor: string, requestId?: string): Promise<void> {
    await this.ds.transaction(async (m) => {
      const binding = await m.findOneBy(RoleBinding, { id });
      if (!binding) throw new NotFoundError('授权不存在 (binding not found)');
      await m.delete(RoleBinding, { id });
      const { role, subjectType, subjectId } = binding;
      await this.audit.record({ actor, action: 'role.unbind', targetType: 'role_binding', targetId: id, before: { role, subjectType, subjectId }, requestId }, m);
    });
  }
}

/** The given departments plus every ancestor, following parent links. */
function withAncestors(ids: number[], parents: Map<number, number | null>): number[] {
  const out = new Set<number>();
  for (let id of ids) {
    for (let guard = 0; guard < 64 && !out.has(id); guard++) {
      out.add(id);
      const parent = parents.get(id);
      if (parent === null || parent === undefined) break;
      id = parent;
    }
  }
  return [...out];
}
