import { In, type DataSource } from 'typeorm';
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
    const roles = new Set<string>();
    if (this.adminUserids.includes(userid)) roles.add('owner');
    const links = await this.org.linksOf([userid]);
    const departments = await this.withAncestors(links.map((l) => l.departmentId));
    const tags = await this.org.tagIdsOf(userid, departments);
    const subjects: Array<[BindingSubject, string[]]> = [
      ['user', [userid]],
      ['department', departments.map(String)],
      ['tag', tags.map(String)],
    ];
    for (const [subjectType, ids] of subjects) {
      if (!ids.length) continue;
      const bindings = await this.ds.getRepository(RoleBinding).findBy({ subjectType, subjectId: In(ids) });
      for (const b of bindings) roles.add(b.role);
    }
    return ROLE_KEYS.filter((r) => roles.has(r));
  }

  /** The given departments plus every ancestor, following parent links. */
  private async withAncestors(ids: number[]): Promise<number[]> {
    if (!ids.length) return [];
    const parents = new Map((await this.org.activeDepartments()).map((d) => [d.id, d.parentId]));
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
