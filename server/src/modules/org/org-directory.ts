import type { DepartmentNode, DepartmentRef, MembersResponse } from '@shopcrew/shared';
import type { RoleService } from '../roles/role.service';
import type { Department } from './department.entity';
import type { OrgService } from './org.service';

/** Read model for the H5: the department tree, a department's members, a member's profile. */
export class OrgDirectory {
  constructor(private readonly org: OrgService, private readonly roles: RoleService) {}

  async profile(userid: string): Promise<{ userid: string; name: string; departments: DepartmentRef[] } | null> {
    const member = await this.org.findMember(userid);
    if (!member || !member.active) return null;
    const links = await this.org.linksOf([userid]);
    const departments = await this.org.departmentsByIds(links.map((l) => l.departmentId));
    return { userid, name: member.name, departments: this.refs(departments, member.mainDepartment) };
  }

  /** Active departments as a forest (WeCom's root has parentid 0, stored as null). */
  async tree(): Promise<DepartmentNode[]> {
    const [departments, counts] = await Promise.all([this.org.activeDepartments(), this.org.activeMemberCounts()]);
    const nodes = new Map<number, DepartmentNode>(
      departments.map((d) => [d.id, { id: d.id, name: d.name, parentId: d.parentId, order: d.order, memberCount: counts.get(d.id) ?? 0, children: [] }]),
    );
    const roots: DepartmentNode[] = [];
    for (const node of nodes.values()) {
      const parent = node.parentId === null ? undefined : nodes.get(node.parentId);
      (parent ? parent.children : roots).push(node);
    }
    return roots;
  }

  async membersOf(departmentId: number): Promise<MembersResponse | null> {
    const [department] = await this.org.departmentsByIds([departmentId]);
    if (!department || department.deletedAt) return null;
    const members = await this.org.activeMembersIn(departmentId);
    const links = await this.org.linksOf(members.map((m) => m.userid));
    const allDepartments = await this.org.departmentsByIds([...new Set(links.map((l) => l.departmentId))]);
    const roles = await this.roles.rolesOfMany(members.map((m) => m.userid));
    const out = members.map((m) => {
      const own = links.filter((l) => l.userid === m.userid);
      return {
        userid: m.userid,
        name: m.name,
        position: m.position,
        isLeader: own.some((l) => l.departmentId === departmentId && l.isLeader),
        mainDepartment: m.mainDepartment,
        departments: this.refs(allDepartments.filter((d) => own.some((l) => l.departmentId === d.id)), m.mainDepartment),
        roles: roles.get(m.userid) ?? [],
      };
    });
    out.sort((a, b) => Number(b.isLeader) - Number(a.isLeader) || a.name.localeCompare(b.name, 'zh-CN'));
    return { department: { id: department.id, name: department.name }, members: out };
  }

  /** Main department first, the rest by name. */
  private refs(departments: Department[], main: number | null): DepartmentRef[] {
    return departments
      .filter((d) => !d.deletedAt)
      .sort((a, b) => Number(b.id === main) - Number(a.id === main) || a.name.localeCompare(b.name, 'zh-CN'))
      .map((d) => ({ id: d.id, name: d.name }));
  }
}
