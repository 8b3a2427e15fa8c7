import type { DataSource } from 'typeorm';
import {
  can,
  isRoleKey,
  mergeGrants,
  permissionsOf,
  ROLE_KEYS,
  type BindingSubjectType,
  type MemberRoles,
  type Permission,
  type RoleBindingView,
  type ScopedRole,
  type RoleGrantSource,
  type RoleKey,
  type ShopScope,
} from '@shopcrew/shared';
import { AppError, ConflictError, NotFoundError, ValidationError } from '../../errors';
import type { AuditService } from '../audit/audit.service';
import { subjectKey, type OrgService } from '../org/org.service';
import { RoleBinding, type BindingSubject } from './role.entity';
import { SUBJECT_TYPE_LABELS } from './binding-subject';
import { isUniqueViolation } from '../../db/transaction';
import type { Tx } from '../../platform/tx';

export interface Grants {
  roles: RoleKey[];
  /** Every permission the member has in at least one shop. */
  permissions: Permission[];
  /** Each role with the shops it covers: what `can(actor, permission, {shopId})` decides on. */
  grants: ScopedRole[];
}

/** One reason a member holds a role: ADMIN_USERIDS, or a binding that covers them. */
type Grant = { role: RoleKey; binding: RoleBinding | null };

const groupBy = <T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> => {
  const out = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
};

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
    const own = (await this.grantsOfMany([userid])).get(userid) ?? [];
    const roles = rolesIn(own);
    const grants = mergeGrants(own.map((g) => ({ role: g.role, shops: g.binding?.shopScope ?? 'all' })));
    grants.sort((a, b) => ROLE_KEYS.indexOf(a.role) - ROLE_KEYS.indexOf(b.role));
    return { roles, permissions: permissionsOf(roles), grants };
  }

  async rolesOf(userid: string): Promise<RoleKey[]> {
    return (await this.rolesOfMany([userid])).get(userid) ?? [];
  }

  /**
   * Roles of several members with a fixed handful of queries (the department tree, the bindings, the
   * members' links and tags), so a member list costs the same whether it has 3 people or 300.
   */
  async rolesOfMany(userids: readonly string[]): Promise<Map<string, RoleKey[]>> {
    const grants = await this.grantsOfMany(userids);
    return new Map(userids.map((u) => [u, rolesIn(grants.get(u) ?? [])]));
  }

  /** Every grant of each member: which role, through which binding (null: ADMIN_USERIDS). */
  private async grantsOfMany(userids: readonly string[]): Promise<Map<string, Grant[]>> {
    const [parents, bindings, links, tagMembers] = await Promise.all([
      this.org.activeDepartments().then((ds) => new Map(ds.map((d) => [d.id, d.parentId]))),
      this.ds.getRepository(RoleBinding).find({ order: { id: 'ASC' } }),
      this.org.linksOf([...userids]),
      this.org.tagMembersOf([...userids]),
    ]);
    const linksOf = groupBy(links, (l) => l.userid);
    const departmentsOf = new Map(
      userids.map((u) => [
        u,
        withAncestors(
          (linksOf.get(u) ?? []).map((l) => l.departmentId),
          parents,
        ),
      ]),
    );
    const tagDepartments = await this.org.tagDepartmentsOf([...new Set([...departmentsOf.values()].flat())]);
    const tagsOfDepartment = groupBy(tagDepartments, (t) => t.departmentId);
    const tagsOfMember = groupBy(tagMembers, (t) => t.userid);
    const bindingsOf = groupBy(bindings, (b) => subjectKey(b.subjectType, b.subjectId));
    const out = new Map<string, Grant[]>();
    for (const userid of userids) {
      const departments = departmentsOf.get(userid)!;
      const tags = new Set([
        ...(tagsOfMember.get(userid) ?? []).map((t) => t.tagId),
        ...departments.flatMap((d) => (tagsOfDepartment.get(d) ?? []).map((t) => t.tagId)),
      ]);
      const subjects = [
        subjectKey('user', userid),
        ...departments.map((d) => subjectKey('department', String(d))),
        ...[...tags].map((t) => subjectKey('tag', String(t))),
      ];
      const grants: Grant[] = [];
      if (this.adminUserids.includes(userid)) grants.push({ role: 'owner', binding: null });
      for (const key of subjects) {
        for (const b of bindingsOf.get(key) ?? []) if (isRoleKey(b.role)) grants.push({ role: b.role, binding: b });
      }
      out.set(userid, grants);
    }
    return out;
  }

  listBindings(): Promise<RoleBinding[]> {
    return this.ds.getRepository(RoleBinding).find({ order: { id: 'ASC' } });
  }

  /** The bindings with their subjects' names, whether those still exist, and who created them. */
  async bindingViews(): Promise<RoleBindingView[]> {
    const bindings = await this.listBindings();
    return this.viewsOf(bindings);
  }

  private async viewsOf(bindings: RoleBinding[]): Promise<RoleBindingView[]> {
    const [subjects, creators] = await Promise.all([
      this.org.describeSubjects(bindings.map((b) => ({ type: b.subjectType, id: b.subjectId }))),
      this.org.membersByIds([...new Set(bindings.map((b) => b.createdBy))]),
    ]);
    const creatorName = new Map(creators.map((m) => [m.userid, m.name]));
    return bindings.map((b) => {
      const subject = subjects.get(subjectKey(b.subjectType, b.subjectId)) ?? { name: null, exists: false };
      return {
        id: b.id,
        role: b.role as RoleKey,
        subjectType: b.subjectType,
        subjectId: b.subjectId,
        subjectName: subject.name,
        subjectExists: subject.exists,
        createdBy: b.createdBy,
        createdByName: creatorName.get(b.createdBy) ?? null,
        createdAt: b.createdAt,
        shops: b.shopScope ?? 'all',
      };
    });
  }

  /** Counters for the home page: all bindings, and those whose subject is gone from WeCom. */
  async bindingCounts(): Promise<{ bindings: number; orphaned: number }> {
    const views = await this.bindingViews();
    return { bindings: views.length, orphaned: views.filter((v) => !v.subjectExists).length };
  }

  /** Active members who hold `role` (through any binding, or ADMIN_USERIDS for 店长). */
  async membersWithRole(role: RoleKey): Promise<string[]> {
    const members = await this.org.activeMembers();
    const roles = await this.rolesOfMany(members.map((m) => m.userid));
    return members.filter((m) => roles.get(m.userid)?.includes(role)).map((m) => m.userid);
  }

  /** Active members who hold `role` in `shopId` (through a binding scoped to it or to every shop); any shop when null. */
  async membersWithRoleIn(role: RoleKey, shopId: string | null): Promise<string[]> {
    const members = await this.org.activeMembers();
    const grants = await this.grantsOfMany(members.map((m) => m.userid));
    const covers = (scope: string[] | null | undefined) => !shopId || !scope || scope.includes(shopId);
    return members.filter((m) => (grants.get(m.userid) ?? []).some((g) => g.role === role && covers(g.binding?.shopScope))).map((m) => m.userid);
  }

  /** Active members who hold `permission` in `shopId` (any shop when null), through roles scoped to it. */
  async membersWithPermission(permission: Permission, shopId: string | null): Promise<string[]> {
    const members = await this.org.activeMembers();
    const grants = await this.grantsOfMany(members.map((m) => m.userid));
    return members
      .filter((m) =>
        can(
          { grants: mergeGrants((grants.get(m.userid) ?? []).map((g) => ({ role: g.role, shops: g.binding?.shopScope ?? 'all' }))) },
          permission,
          shopId ? { shopId } : {},
        ),
      )
      .map((m) => m.userid);
  }

  /** Every active member with their roles and, per role, the bindings (or ADMIN_USERIDS) it comes from. */
  async memberRoles(): Promise<MemberRoles[]> {
    const members = await this.org.activeMembers();
    const userids = members.map((m) => m.userid);
    const [grants, links] = await Promise.all([this.grantsOfMany(userids), this.org.linksOf(userids)]);
    const departments = new Map((await this.org.departmentsByIds([...new Set(links.map((l) => l.departmentId))])).map((d) => [d.id, d]));
    const linksOf = groupBy(links, (l) => l.userid);
    const bound = [...grants.values()].flat().flatMap((g) => (g.binding ? [{ type: g.binding.subjectType, id: g.binding.subjectId }] : []));
    const subjects = await this.org.describeSubjects(bound);
    const source = (binding: RoleBinding | null): RoleGrantSource =>
      binding
        ? {
            kind: 'binding',
            bindingId: binding.id,
            subjectType: binding.subjectType,
            subjectId: binding.subjectId,
            subjectName: subjects.get(subjectKey(binding.subjectType, binding.subjectId))?.name ?? null,
          }
        : { kind: 'admin' };
    return members
      .map((m) => {
        const own = grants.get(m.userid) ?? [];
        const roles = rolesIn(own);
        const refs = (linksOf.get(m.userid) ?? [])
          .map((l) => departments.get(l.departmentId))
          .filter((d) => d !== undefined && d.deletedAt === null)
          .map((d) => d!)
          .sort((a, b) => Number(b.id === m.mainDepartment) - Number(a.id === m.mainDepartment) || a.name.localeCompare(b.name, 'zh-CN'))
          .map((d) => ({ id: d.id, name: d.name }));
        return {
          userid: m.userid,
          name: m.name,
          position: m.position,
          wecomStatus: m.wecomStatus,
          departments: refs,
          roles,
          grants: roles.map((role) => ({ role, sources: own.filter((g) => g.role === role).map((g) => source(g.binding)) })),
        };
      })
      .sort((a, b) => a.name.localeCompare(b.name, 'zh-CN') || a.userid.localeCompare(b.userid));
  }

  /**
   * Bind a role. The subject must be in the synced address book: an active department, a known
   * tag, an active member (else 422 subject_not_found); the shape of the id is checked by the route
   * (binding-subject.ts). Audited in the same transaction.
   */
  async addBinding(
    input: { role: string; subjectType: BindingSubject; subjectId: string; shops?: ShopScope },
    actor: string,
    requestId?: string,
  ): Promise<RoleBindingView> {
    if (!isRoleKey(input.role)) throw new ValidationError(`未知角色: ${input.role}`);
    const duplicate = () => new ConflictError('该授权已存在 (binding already exists)', 'binding_exists');
    let saved: RoleBinding;
    try {
      saved = await this.ds.transaction(async (m) => {
        if (!(await this.org.subjectExists(input.subjectType, input.subjectId, m))) throw subjectNotFound(input.subjectType, input.subjectId);
        if (await m.findOneBy(RoleBinding, { role: input.role, subjectType: input.subjectType, subjectId: input.subjectId })) throw duplicate();
        const { role, subjectType, subjectId } = input;
        const shopScope = scopeColumn(input.shops ?? 'all');
        const row = await m.save(RoleBinding, { role, subjectType, subjectId, shopScope, createdBy: actor, createdAt: this.now() });
        const after = { role, subjectType, subjectId, shops: input.shops ?? 'all' };
        await this.audit.record({ actor, action: 'role.bind', targetType: 'role_binding', targetId: row.id, after, requestId }, m);
        return row;
      });
    } catch (err) {
      // Two identical requests at once: the unique index decides, the loser gets the same 409.
      if (isUniqueViolation(err)) throw duplicate();
      throw err;
    }
    return (await this.viewsOf([saved]))[0]!;
  }

  /** Change the shops a binding covers ('all' or shop ids). Audited as role.rescope with before and after. */
  async rescopeBinding(id: number, shops: ShopScope, actor: string, requestId?: string): Promise<RoleBindingView> {
    const saved = await this.ds.transaction(async (m) => {
      const binding = await m.findOneBy(RoleBinding, { id });
      if (!binding) throw new NotFoundError('授权不存在 (binding not found)');
      const before = { shops: binding.shopScope ?? 'all' };
      binding.shopScope = scopeColumn(shops);
      await m.update(RoleBinding, { id }, { shopScope: binding.shopScope });
      await this.audit.record({ actor, action: 'role.rescope', targetType: 'role_binding', targetId: id, before, after: { shops }, requestId }, m);
      return binding;
    });
    return (await this.viewsOf([saved]))[0]!;
  }

  /** A member's userid changed in WeCom (`member.renamed`): their own bindings follow them. */
  async followRenamedMember(from: string, to: string, tx: Tx): Promise<void> {
    const bindings = await tx.manager.findBy(RoleBinding, { subjectType: 'user', subjectId: from });
    for (const b of bindings) {
      const clash = await tx.manager.findOneBy(RoleBinding, { role: b.role, subjectType: 'user', subjectId: to });
      if (clash)
        await tx.manager.delete(RoleBinding, { id: b.id }); // the new id already holds that role
      else await tx.manager.update(RoleBinding, { id: b.id }, { subjectId: to });
    }
    if (bindings.length)
      await tx.audit({
        action: 'role.follow_rename',
        targetType: 'member',
        targetId: to,
        before: { userid: from },
        after: { userid: to, bindings: bindings.length },
      });
  }

  /**
   * A member who left the corp (`member.left`) keeps no role of their own: a returner starts from their departments and
   * tags again. Each removed binding is on the audit trail.
   */
  async removeMemberBindings(userid: string, tx: Tx): Promise<number> {
    const bindings = await tx.manager.findBy(RoleBinding, { subjectType: 'user', subjectId: userid });
    for (const b of bindings) {
      await tx.manager.delete(RoleBinding, { id: b.id });
      await tx.audit({
        action: 'role.unbind',
        targetType: 'role_binding',
        targetId: String(b.id),
        before: { role: b.role, subjectType: b.subjectType, subjectId: b.subjectId, reason: 'member_left' },
      });
    }
    return bindings.length;
  }

  async removeBinding(id: number, actor: string, requestId?: string): Promise<void> {
    await this.ds.transaction(async (m) => {
      const binding = await m.findOneBy(RoleBinding, { id });
      if (!binding) throw new NotFoundError('授权不存在 (binding not found)');
      await m.delete(RoleBinding, { id });
      const { role, subjectType, subjectId } = binding;
      await this.audit.record(
        { actor, action: 'role.unbind', targetType: 'role_binding', targetId: id, before: { role, subjectType, subjectId }, requestId },
        m,
      );
    });
  }
}

/** role_bindings.shop_scope: null for every shop, else the sorted, distinct shop ids. */
const scopeColumn = (shops: ShopScope): string[] | null => (shops === 'all' ? null : [...new Set(shops)].sort());

/** The distinct roles of a member's grants, in the canonical ROLE_KEYS order. */
function rolesIn(grants: readonly Grant[]): RoleKey[] {
  const held = new Set(grants.map((g) => g.role));
  return ROLE_KEYS.filter((r) => held.has(r));
}

function subjectNotFound(type: BindingSubjectType, id: string): AppError {
  const what = `${SUBJECT_TYPE_LABELS[type]} ${id}`;
  const hint = type === 'user' ? '（或已离职、已停用）' : '';
  return new AppError(422, 'subject_not_found', `${what} 不存在于已同步的通讯录中${hint}；若刚在企业微信创建，请先同步通讯录`, {
    subjectType: type,
    subjectId: id,
  });
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
