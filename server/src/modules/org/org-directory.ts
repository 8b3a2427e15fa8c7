import type { DepartmentNode, DepartmentRef, MembersResponse, MemberSummary, TagSummary } from '@shopcrew/shared';
import type { RoleService } from '../roles/role.service';
import type { Department } from './department.entity';
import type { Member } from './member.entity';
import type { OrgService } from './org.service';

/** At most this many members answer a search (the role-binding picker shows a short list). */
export const MEMBER_SEARCH_LIMIT = 20;

/** Read model for the H5: the department tree, a department's members, a member's profile. */
export class OrgDirectory {
  constructor(
    private readonly org: OrgService,
    /** The roles module's lookup (it is built after org: the directory shows roles, roles read the team). */
    private readonly roles: Pick<RoleService, 'rolesOfMany'>,
  ) {}

  async profile(userid: string): Promise<{ userid: string; name: string; departments: DepartmentRef[] } | null> {
    const member = await this.org.findMember(userid);
    if (!member || !member.active) return null;
    const links = await this.org.linksOf([userid]);
    const departments = await this.org.departmentsByIds(links.map((l) => l.departmentId));
    return { userid, name: member.name, departments: this.refs(departments, member.mainDepartment) };
  }

  /** Active departments as a forest (WeCom's root has parentid 0, stored as null). */
  async tree(): Promise<DepartmentNode[]> {
    const [departments, links] = await Promise.all([this.org.activeDepartments(), this.org.activeMemberLinks()]);
    const direct = new Map<number, string[]>();
    for (const l of links) direct.set(l.departmentId, [...(direct.get(l.departmentId) ?? []), l.userid]);
    const nodes = new Map<number, DepartmentNode>(
      departments.map((d) => [
        d.id,
        { id: d.id, name: d.name, parentId: d.parentId, order: d.order, memberCount: direct.get(d.id)?.length ?? 0, totalCount: 0, children: [] },
      ]),
    );
    const roots: DepartmentNode[] = [];
    for (const node of nodes.values()) {
      const parent = node.parentId === null ? undefined : nodes.get(node.parentId);
      (parent ? parent.children : roots).push(node);
    }
    for (const root of roots) countSubtree(root, direct);
    return roots;
  }

  async membersOf(departmentId: number): Promise<MembersResponse | null> {
    const [department] = await this.org.departmentsByIds([departmentId]);
    if (!department || department.deletedAt) return null;
    const members = await this.summaries(await this.org.activeMembersIn(departmentId), departmentId);
    members.sort((a, b) => Number(b.isLeader) - Number(a.isLeader) || a.name.localeCompare(b.name, 'zh-CN'));
    return { department: { id: department.id, name: department.name }, members };
  }

  /** Active members whose name, userid or position contains `text`, by name (at most MEMBER_SEARCH_LIMIT). */
  async search(text: string): Promise<MembersResponse> {
    const members = await this.summaries(await this.org.searchActiveMembers(text, MEMBER_SEARCH_LIMIT), null);
    members.sort((a, b) => Number(b.userid === text) - Number(a.userid === text) || a.name.localeCompare(b.name, 'zh-CN'));
    return { department: null, members };
  }

  tags(): Promise<TagSummary[]> {
    return this.org.tagSummaries();
  }

  /** Members as the H5 lists them; `isLeader` refers to `departmentId` (a search has none: leader anywhere). */
  private async summaries(members: Member[], departmentId: number | null): Promise<MemberSummary[]> {
    const links = await this.org.linksOf(members.map((m) => m.userid));
    const allDepartments = await this.org.departmentsByIds([...new Set(links.map((l) => l.departmentId))]);
    const roles = await this.roles.rolesOfMany(members.map((m) => m.userid));
    return members.map((m) => {
      const own = links.filter((l) => l.userid === m.userid);
      return {
        userid: m.userid,
        name: m.name,
        position: m.position,
        isLeader: own.some((l) => (departmentId === null || l.departmentId === departmentId) && l.isLeader),
        mainDepartment: m.mainDepartment,
        departments: this.refs(
          allDepartments.filter((d) => own.some((l) => l.departmentId === d.id)),
          m.mainDepartment,
        ),
        roles: roles.get(m.userid) ?? [],
        wecomStatus: m.wecomStatus,
      };
    });
  }

  /** Main department first, the rest by name. */
  private refs(departments: Department[], main: number | null): DepartmentRef[] {
    return departments
      .filter((d) => !d.deletedAt)
      .sort((a, b) => Number(b.id === main) - Number(a.id === main) || a.name.localeCompare(b.name, 'zh-CN'))
      .map((d) => ({ id: d.id, name: d.name }));
  }
}

/**
 * Sets totalCount on a node and its descendants: the distinct members of the subtree (someone in two
 * sub-departments counts once), as WeCom's own address book shows a department. Returns the set.
 */
function countSubtree(node: DepartmentNode, direct: Map<number, string[]>): Set<string> {
  const members = new Set(direct.get(node.id));
  for (const child of node.children) for (const userid of countSubtree(child, direct)) members.add(userid);
  node.totalCount = members.size;
  return members;
}
