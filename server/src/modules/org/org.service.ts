import { In, IsNull, type DataSource, type EntityManager } from 'typeorm';
import type { BindingSubjectType, TagSummary } from '@shopcrew/shared';
import type { WeComDepartment, WeComUser } from '../../wecom/client/apis';
import { Department } from './department.entity';
import { Member } from './member.entity';
import { MemberDepartment } from './member-department.entity';
import { Tag, TagDepartment, TagMember } from './tag.entity';

/** A binding subject as the mirror knows it (see OrgService.describeSubjects). */
export interface SubjectInfo {
  name: string | null;
  exists: boolean;
}

export const subjectKey = (type: BindingSubjectType, id: string): string => `${type}:${id}`;

/** `%`, `_` and the escape character itself, escaped for `LIKE … ESCAPE '!'` (same on MySQL and SQLite). */
const likeContains = (text: string): string => `%${text.replace(/[!%_]/g, (c) => `!${c}`)}%`;

export interface MemberSnapshot {
  userid: string;
  name: string;
  active: boolean;
  departments: number[];
}

/**
 * Appends an org domain event (member.joined, member.left, member.renamed) to the outbox inside the
 * caller's transaction; other modules react through subscribers (auth revokes sessions, roles follow a
 * renamed member), never by org writing their tables.
 */
export type OrgEventPublisher = (manager: EntityManager, type: OrgEventType, payload: Record<string, unknown>) => Promise<unknown>;
export type OrgEventType = 'member.joined' | 'member.left' | 'member.moved' | 'member.renamed';

/**
 * The mirror of the WeCom address book: members, departments, tags. Both the full sync and the
 * incremental change_contact handlers write through here, so they cannot disagree on shape.
 */
export class OrgService {
  constructor(
    private readonly ds: DataSource,
    private readonly publish: OrgEventPublisher,
    private readonly now: () => number = Date.now,
  ) {}

  async snapshot(userid: string, manager: EntityManager = this.ds.manager): Promise<MemberSnapshot | null> {
    const member = await manager.findOneBy(Member, { userid });
    if (!member) return null;
    const links = await manager.findBy(MemberDepartment, { userid });
    return { userid, name: member.name, active: member.active, departments: links.map((l) => l.departmentId).sort((a, b) => a - b) };
  }

  /** Store what WeCom says about a member (user/get or user/list shape); reactivates if needed. */
  /** One member, from a change_contact event: a new active member is news (`member.joined`). */
  upsertMember(user: WeComUser, manager: EntityManager, opts: { announceJoin?: boolean } = {}): Promise<void> {
    return this.upsertMembers([user], manager, opts);
  }

  /**
   * Store a batch of members (one department's user/list page) with a handful of statements:
   * one read of the rows and links, one multi-row upsert, and link writes only where WeCom differs.
   * The full sync of a big corp is dominated by this path.
   */
  async upsertMembers(users: WeComUser[], manager: EntityManager, opts: { announceJoin?: boolean } = {}): Promise<void> {
    if (!users.length) return;
    const now = this.now();
    const ids = users.map((u) => u.userid);
    const existing = new Map((await manager.findBy(Member, { userid: In(ids) })).map((m) => [m.userid, m]));
    const rows = users.map((user) => {
      const before = existing.get(user.userid);
      const status = user.status ?? before?.wecomStatus ?? 1;
      const active = status === 1 || status === 4; // 1 activated, 4 not yet activated: still members
      return {
        userid: user.userid,
        name: user.name ?? before?.name ?? user.userid,
        position: user.position ?? before?.position ?? null,
        mainDepartment: user.main_department ?? user.department?.[0] ?? before?.mainDepartment ?? null,
        wecomStatus: status,
        active,
        deactivatedAt: active ? null : (before?.deactivatedAt ?? now),
        seenAt: now,
        updatedAt: now,
      };
    });
    await manager.upsert(Member, rows, { conflictPaths: ['userid'], skipUpdateIfNoValuesChanged: false });
    await this.replaceLinks(
      users.filter((u) => u.department),
      manager,
    );
    // Only changes are news: a member who was active and no longer is (disabled in WeCom) left; a new
    // active member joined, when the caller says this is a join (a create_user event), not the mirror
    // being filled (a first full sync would otherwise "onboard" the whole corp).
    for (const row of rows) {
      const before = existing.get(row.userid);
      const wasActive = before?.active ?? false;
      if (opts.announceJoin && row.active && !before) await this.publish(manager, 'member.joined', { userid: row.userid, name: row.name });
      if (!row.active && wasActive) await this.publish(manager, 'member.left', { userid: row.userid, reason: 'disabled' });
    }
  }

  /**
   * Make each member's department links equal to WeCom's list, touching only the rows that differ
   * (row-level writes by primary key: cheap on a re-sync, and no range locks on InnoDB).
   */
  private async replaceLinks(users: WeComUser[], manager: EntityManager): Promise<void> {
    if (!users.length) return;
    const current = await manager.findBy(MemberDepartment, { userid: In(users.map((u) => u.userid)) });
    const inserts: MemberDepartment[] = [];
    const moved: Array<{ userid: string; left: number[] }> = [];
    for (const user of users) {
      const left: number[] = [];
      const leaders = user.is_leader_in_dept ?? [];
      const wanted = new Map(user.department!.map((id, i) => [id, leaders[i] === 1]));
      for (const link of current.filter((l) => l.userid === user.userid)) {
        const leader = wanted.get(link.departmentId);
        if (leader === undefined) {
          await manager.delete(MemberDepartment, { userid: user.userid, departmentId: link.departmentId });
          left.push(link.departmentId);
        } else if (leader !== link.isLeader)
          await manager.update(MemberDepartment, { userid: user.userid, departmentId: link.departmentId }, { isLeader: leader });
        wanted.delete(link.departmentId);
      }
      for (const [departmentId, isLeader] of wanted) inserts.push({ userid: user.userid, departmentId, isLeader });
      if (left.length) moved.push({ userid: user.userid, left });
    }
    if (inserts.length) await manager.insert(MemberDepartment, inserts);
    // Leaving a department (调岗) is news whichever way it is learnt (update_user or the nightly sync): the mirror's
    // link is deleted once, so it is told once. Offboarding hands the member's work over on it.
    for (const m of moved) await this.publish(manager, 'member.moved', { userid: m.userid, left_departments: m.left.join(',') });
  }

  /**
   * Members who left WeCom are deactivated, never deleted. Their sessions stop working at once (a session
   * needs an active member) and are revoked by the auth module on `member.left`.
   */
  async deactivateMember(userid: string, manager: EntityManager): Promise<boolean> {
    const now = this.now();
    const result = await manager.update(Member, { userid, active: true }, { active: false, deactivatedAt: now, updatedAt: now });
    const left = (result.affected ?? 0) > 0;
    if (left) await this.publish(manager, 'member.left', { userid, reason: 'removed' });
    return left;
  }

  /** update_user with NewUserID: carry the member's links over; `member.renamed` tells the other modules. */
  async renameMember(from: string, to: string, manager: EntityManager): Promise<void> {
    if (from === to || !(await manager.findOneBy(Member, { userid: from }))) return;
    if (await manager.findOneBy(Member, { userid: to })) {
      await manager.delete(Member, { userid: from });
    } else {
      await manager.update(Member, { userid: from }, { userid: to });
    }
    await manager.delete(MemberDepartment, { userid: from });
    const tags = await manager.findBy(TagMember, { userid: from });
    await manager.delete(TagMember, { userid: from });
    for (const t of tags)
      await manager.createQueryBuilder().insert().into(TagMember).values({ tagId: t.tagId, userid: to }).orIgnore().updateEntity(false).execute();
    await this.publish(manager, 'member.renamed', { from, to });
  }

  upsertDepartment(dept: WeComDepartment, manager: EntityManager): Promise<void> {
    return this.upsertDepartments([dept], manager);
  }

  /** Store departments as WeCom lists them (one multi-row upsert per chunk); undeletes returners. */
  async upsertDepartments(depts: WeComDepartment[], manager: EntityManager): Promise<void> {
    const existing = new Map((await manager.findBy(Department, { id: In(depts.map((d) => d.id)) })).map((d) => [d.id, d]));
    const rows = depts.map((dept) => {
      const before = existing.get(dept.id);
      return {
        id: dept.id,
        name: dept.name ?? before?.name ?? String(dept.id),
        parentId: dept.parentid === 0 ? null : (dept.parentid ?? before?.parentId ?? null),
        order: dept.order ?? before?.order ?? 0,
        leaders: dept.department_leader ?? before?.leaders ?? null,
        deletedAt: null,
        updatedAt: this.now(),
      };
    });
    for (let i = 0; i < rows.length; i += 500) {
      await manager.upsert(Department, rows.slice(i, i + 500), { conflictPaths: ['id'], skipUpdateIfNoValuesChanged: false });
    }
  }

  async deleteDepartment(id: number, manager: EntityManager): Promise<void> {
    await manager.update(Department, { id, deletedAt: IsNull() }, { deletedAt: this.now(), updatedAt: this.now() });
    await manager.delete(MemberDepartment, { departmentId: id });
  }

  async replaceTag(tag: { id: number; name: string; userids: string[]; departmentIds: number[] }, manager: EntityManager): Promise<void> {
    await manager.save(Tag, { id: tag.id, name: tag.name });
    await manager.delete(TagMember, { tagId: tag.id });
    await manager.delete(TagDepartment, { tagId: tag.id });
    if (tag.userids.length)
      await manager.insert(
        TagMember,
        [...new Set(tag.userids)].map((userid) => ({ tagId: tag.id, userid })),
      );
    if (tag.departmentIds.length)
      await manager.insert(
        TagDepartment,
        [...new Set(tag.departmentIds)].map((departmentId) => ({ tagId: tag.id, departmentId })),
      );
  }

  async deleteTag(id: number, manager: EntityManager): Promise<void> {
    await manager.delete(TagMember, { tagId: id });
    await manager.delete(TagDepartment, { tagId: id });
    await manager.delete(Tag, { id });
  }

  // ---- reads ----

  activeDepartments(): Promise<Department[]> {
    return this.ds.getRepository(Department).find({ where: { deletedAt: IsNull() }, order: { order: 'DESC', id: 'ASC' } });
  }

  async departmentsByIds(ids: number[]): Promise<Department[]> {
    return ids.length ? this.ds.getRepository(Department).findBy({ id: In(ids) }) : [];
  }

  findMember(userid: string): Promise<Member | null> {
    return this.ds.getRepository(Member).findOneBy({ userid });
  }

  linksOf(userids: string[]): Promise<MemberDepartment[]> {
    return userids.length ? this.ds.getRepository(MemberDepartment).findBy({ userid: In(userids) }) : Promise.resolve([]);
  }

  async activeMembersIn(departmentId: number): Promise<Member[]> {
    return this.ds
      .getRepository(Member)
      .createQueryBuilder('m')
      .innerJoin(MemberDepartment, 'md', 'md.userid = m.userid')
      .where('md.department_id = :departmentId AND m.active = :active', { departmentId, active: true })
      .orderBy('m.name', 'ASC')
      .getMany();
  }

  /** Every (member, department) link of an active member: the tree's counts in one query. */
  async activeMemberLinks(): Promise<Array<{ userid: string; departmentId: number }>> {
    const rows: Array<{ userid: string; departmentId: number | string }> = await this.ds
      .getRepository(MemberDepartment)
      .createQueryBuilder('md')
      .innerJoin(Member, 'm', 'm.userid = md.userid')
      .select('md.userid', 'userid')
      .addSelect('md.department_id', 'departmentId')
      .where('m.active = :active', { active: true })
      .getRawMany();
    return rows.map((r) => ({ userid: r.userid, departmentId: Number(r.departmentId) }));
  }

  membersByIds(userids: string[]): Promise<Member[]> {
    return userids.length ? this.ds.getRepository(Member).findBy({ userid: In(userids) }) : Promise.resolve([]);
  }

  /** Active members of a department and every department below it (digests count a department's whole team). */
  async activeMembersUnder(departmentId: number): Promise<string[]> {
    const departments = await this.activeDepartments();
    const ids = new Set([departmentId]);
    for (let grew = true; grew;) {
      grew = false;
      for (const d of departments)
        if (d.parentId !== null && ids.has(d.parentId) && !ids.has(d.id)) {
          ids.add(d.id);
          grew = true;
        }
    }
    const links = await this.ds.getRepository(MemberDepartment).find({ where: { departmentId: In([...ids]) } });
    if (!links.length) return [];
    const members = await this.ds
      .getRepository(Member)
      .find({ select: { userid: true }, where: { userid: In([...new Set(links.map((l) => l.userid))]), active: true } });
    return members.map((m) => m.userid);
  }

  /** The members of the departments `userid` leads (WeCom's is_leader_in_dept or the department's leaders) and below, with them. */
  async teamLedBy(userid: string): Promise<string[]> {
    const [links, departments] = await Promise.all([this.ds.getRepository(MemberDepartment).findBy({ userid, isLeader: true }), this.activeDepartments()]);
    const led = new Set([...links.map((l) => l.departmentId), ...departments.filter((d) => d.leaders?.includes(userid)).map((d) => d.id)]);
    const team = new Set([userid]);
    for (const id of led) for (const u of await this.activeMembersUnder(id)) team.add(u);
    return [...team];
  }

  /**
   * userid → name for the given members (active or not; unknown ones are absent). Inside a transaction that holds row
   * locks, pass its manager: a second pool connection could wait behind the very requests queued on that lock.
   */
  async namesOf(userids: readonly string[], manager: EntityManager = this.ds.manager): Promise<Map<string, string>> {
    if (!userids.length) return new Map();
    const rows = await manager.getRepository(Member).find({ select: { userid: true, name: true }, where: { userid: In([...new Set(userids)]) } });
    return new Map(rows.map((m) => [m.userid, m.name]));
  }

  activeMembers(): Promise<Member[]> {
    return this.ds.getRepository(Member).find({ where: { active: true }, order: { name: 'ASC', userid: 'ASC' } });
  }

  /** Active members whose name, userid or position contains `text` (case-insensitive for ASCII), by name. */
  searchActiveMembers(text: string, limit: number): Promise<Member[]> {
    return this.ds
      .getRepository(Member)
      .createQueryBuilder('m')
      .where('m.active = :active', { active: true })
      .andWhere("(m.name LIKE :p ESCAPE '!' OR m.userid LIKE :p ESCAPE '!' OR m.position LIKE :p ESCAPE '!')", { p: likeContains(text) })
      .orderBy('m.name', 'ASC')
      .addOrderBy('m.userid', 'ASC')
      .take(limit)
      .getMany();
  }

  /** Every tag with how many members and departments carry it directly, by name. */
  async tagSummaries(): Promise<TagSummary[]> {
    const count = async (entity: typeof TagMember | typeof TagDepartment) => {
      const rows: Array<{ tagId: number | string; n: number | string }> = await this.ds
        .getRepository(entity)
        .createQueryBuilder('t')
        .select('t.tag_id', 'tagId')
        .addSelect('COUNT(*)', 'n')
        .groupBy('t.tag_id')
        .getRawMany();
      return new Map(rows.map((r) => [Number(r.tagId), Number(r.n)]));
    };
    const [tags, users, departments] = await Promise.all([this.ds.getRepository(Tag).find(), count(TagMember), count(TagDepartment)]);
    return tags
      .map((t) => ({ id: t.id, name: t.name, userCount: users.get(t.id) ?? 0, departmentCount: departments.get(t.id) ?? 0 }))
      .sort((a, b) => a.name.localeCompare(b.name, 'zh-CN') || a.id - b.id);
  }

  /**
   * Is the subject of a role binding in the mirror right now: an active (not deleted) department, a
   * known tag, an active member. Ids are compared exactly as stored.
   */
  async subjectExists(type: BindingSubjectType, id: string, manager: EntityManager = this.ds.manager): Promise<boolean> {
    if (type === 'user') {
      // Compared in code as well: MySQL's collation would also match 'LINA' to 'lina', and roles are
      // resolved by exact id, so such a binding would be stored yet grant nothing.
      const member = await manager.findOneBy(Member, { userid: id });
      return !!member && member.active && member.userid === id;
    }
    const numeric = Number(id);
    if (!/^[1-9]\d*$/.test(id) || !Number.isSafeInteger(numeric)) return false;
    if (type === 'department') return manager.existsBy(Department, { id: numeric, deletedAt: IsNull() });
    return manager.existsBy(Tag, { id: numeric });
  }

  /**
   * Names of binding subjects (deleted departments and departed members keep their last name) and
   * whether each still exists as subjectExists() means it, with three queries at most.
   */
  async describeSubjects(subjects: ReadonlyArray<{ type: BindingSubjectType; id: string }>): Promise<Map<string, SubjectInfo>> {
    const ids = (type: BindingSubjectType) => [...new Set(subjects.filter((s) => s.type === type).map((s) => s.id))];
    const numericIds = (type: BindingSubjectType) =>
      ids(type)
        .filter((id) => /^[1-9]\d{0,9}$/.test(id))
        .map(Number);
    const [departments, tags, members] = await Promise.all([
      this.departmentsByIds(numericIds('department')),
      numericIds('tag').length ? this.ds.getRepository(Tag).findBy({ id: In(numericIds('tag')) }) : Promise.resolve([]),
      this.membersByIds(ids('user')),
    ]);
    const out = new Map<string, SubjectInfo>();
    for (const s of subjects) out.set(subjectKey(s.type, s.id), { name: null, exists: false });
    for (const d of departments) out.set(subjectKey('department', String(d.id)), { name: d.name, exists: d.deletedAt === null });
    for (const t of tags) out.set(subjectKey('tag', String(t.id)), { name: t.name, exists: true });
    for (const m of members) out.set(subjectKey('user', m.userid), { name: m.name, exists: m.active });
    return out;
  }

  tagMembersOf(userids: string[]): Promise<TagMember[]> {
    return userids.length ? this.ds.getRepository(TagMember).findBy({ userid: In(userids) }) : Promise.resolve([]);
  }

  tagDepartmentsOf(departmentIds: number[]): Promise<TagDepartment[]> {
    return departmentIds.length ? this.ds.getRepository(TagDepartment).findBy({ departmentId: In(departmentIds) }) : Promise.resolve([]);
  }

  /** Active members carrying the tag, directly or through a tagged department (WeCom tags hold both). */
  async activeMembersWithTag(tagId: number): Promise<Member[]> {
    const [direct, departments] = await Promise.all([
      this.ds.getRepository(TagMember).findBy({ tagId }),
      this.ds.getRepository(TagDepartment).findBy({ tagId }),
    ]);
    const viaDepartments = await Promise.all(departments.map((d) => this.activeMembersIn(d.departmentId)));
    const byId = new Map<string, Member>();
    for (const m of await this.membersByIds(direct.map((t) => t.userid))) if (m.active) byId.set(m.userid, m);
    for (const m of viaDepartments.flat()) byId.set(m.userid, m);
    return [...byId.values()];
  }

  /**
   * A member's lead for handing work over: a leader of their main department as WeCom marks it (is_leader_in_dept,
   * else department_leader), else of the nearest department up the tree that has one; the member excluded, active
   * members only. null when no department above them has a leader (the caller falls back to an owner).
   */
  async leadOf(userid: string, manager: EntityManager = this.ds.manager): Promise<string | null> {
    const member = await manager.findOneBy(Member, { userid });
    const links = await manager.findBy(MemberDepartment, { userid });
    return this.leaderFrom(member?.mainDepartment ?? links[0]?.departmentId ?? null, userid, manager);
  }

  /** The nearest active leader at or above a department, `exclude` aside (a member who left it: that team's lead). */
  async leaderFrom(departmentId: number | null, exclude: string, manager: EntityManager = this.ds.manager): Promise<string | null> {
    const all = new Map((await manager.find(Department)).map((d) => [d.id, d]));
    let deptId = departmentId;
    for (let hops = 0; deptId !== null && hops < 64; hops++) {
      const leaderLinks = await manager.findBy(MemberDepartment, { departmentId: deptId, isLeader: true });
      const candidates = [...leaderLinks.map((l) => l.userid), ...(all.get(deptId)?.leaders ?? [])].filter((u) => u !== exclude);
      const active = candidates.length ? await manager.findBy(Member, { userid: In(candidates), active: true }) : [];
      const lead = candidates.find((u) => active.some((m) => m.userid === u));
      if (lead) return lead;
      deptId = all.get(deptId)?.parentId ?? null;
    }
    return null;
  }

  /**
   * The leaders of a member's departments (WeCom's is_leader_in_dept, else department_leader), the member excluded:
   * who "the lead of the assignee" is when a notification rule names them.
   */
  async leadsOf(userid: string): Promise<string[]> {
    const links = await this.linksOf([userid]);
    const departmentIds = links.map((l) => l.departmentId);
    if (!departmentIds.length) return [];
    const [leaderLinks, departments] = await Promise.all([
      this.ds.getRepository(MemberDepartment).findBy({ departmentId: In(departmentIds), isLeader: true }),
      this.departmentsByIds(departmentIds),
    ]);
    const leads = new Set([...leaderLinks.map((l) => l.userid), ...departments.flatMap((d) => d.leaders ?? [])]);
    leads.delete(userid);
    const active = await this.membersByIds([...leads]);
    return active.filter((m) => m.active).map((m) => m.userid);
  }
}
