// In-memory corp (通讯录) model: departments, members, tags. Field names follow the API payloads
// (department/list https://developer.work.weixin.qq.com/document/path/90208, user/get
// https://developer.work.weixin.qq.com/document/path/90196, tag/get), so the API layer serialises them as-is.
import { DEMO_CORP_DATA } from './demo-corp';

export interface Department {
  id: number;
  name: string;
  name_en?: string;
  /** 0 for the root department (id 1). */
  parentid: number;
  /** Order among siblings; a larger value sorts first (https://developer.work.weixin.qq.com/document/path/90208). */
  order: number;
  department_leader: string[];
}

export interface Member {
  userid: string;
  name: string;
  position: string;
  department: number[];
  /** Per-department order, aligned with `department` (as user/get returns it). */
  order: number[];
  /** Per-department 0/1 flags, aligned with `department`. */
  is_leader_in_dept: number[];
  direct_leader: string[];
  main_department: number;
  /** 1 active, 2 disabled, 4 not activated, 5 left the corp. */
  status: number;
  alias?: string;
}

export interface Tag {
  tagid: number;
  tagname: string;
  userlist: string[];
  partylist: number[];
}

export type DepartmentInput = Partial<Omit<Department, 'name' | 'parentid'>> & { name: string; parentid: number };
export type MemberInput = Partial<Omit<Member, 'order' | 'userid' | 'name' | 'department'>> & {
  userid: string;
  name: string;
  department: number[];
  order?: number | number[];
};
export type MemberPatch = Partial<Omit<MemberInput, 'userid'>> & { newUserId?: string };
export interface TagChange {
  addUsers?: string[];
  delUsers?: string[];
  addParties?: number[];
  delParties?: number[];
}
export interface CorpData {
  departments: DepartmentInput[];
  members: MemberInput[];
  tags?: Tag[];
}

/** A model error carrying the errcode WeCom would answer with. */
export class CorpError extends Error {
  constructor(
    readonly errcode: number,
    message: string,
  ) {
    super(message);
    this.name = 'CorpError';
  }
}

const uniq = <T>(xs: T[]): T[] => [...new Set(xs)];

export class Corp {
  readonly departments = new Map<number, Department>();
  readonly members = new Map<string, Member>();
  readonly tags = new Map<number, Tag>();

  constructor(data?: CorpData) {
    if (!data) return;
    for (const d of data.departments) this.addDepartment(d);
    for (const m of data.members) this.addMember(m);
    for (const t of data.tags ?? []) this.tags.set(t.tagid, { ...t, userlist: [...t.userlist], partylist: [...t.partylist] });
  }

  /** The corp name is the root department's name. */
  get name(): string {
    return this.departments.get(1)?.name ?? '';
  }

  department(id: number): Department {
    const d = this.departments.get(id);
    if (!d) throw new CorpError(60123, `department ${id} not found`);
    return d;
  }

  member(userid: string): Member {
    const m = this.members.get(userid);
    if (!m) throw new CorpError(60111, `userid ${userid} not found`);
    return m;
  }

  tag(tagid: number): Tag {
    const t = this.tags.get(tagid);
    if (!t) throw new CorpError(40068, `tag ${tagid} not found`);
    return t;
  }

  /** Direct children, larger `order` first, then by id. */
  children(id: number): Department[] {
    return [...this.departments.values()].filter((d) => d.parentid === id && d.id !== id).sort((a, b) => b.order - a.order || a.id - b.id);
  }

  /** The department and all its descendants, pre-order; without `id`, the whole tree from the roots. */
  subtree(id?: number): Department[] {
    const out: Department[] = [];
    const walk = (d: Department): void => {
      out.push(d);
      for (const c of this.children(d.id)) walk(c);
    };
    if (id === undefined) {
      for (const root of [...this.departments.values()].filter((d) => !this.departments.has(d.parentid))) walk(root);
    } else walk(this.department(id));
    return out;
  }

  /** "客服部 / 售前组" (root omitted). */
  departmentPath(id: number): string {
    const names: string[] = [];
    for (let d = this.departments.get(id); d && d.parentid !== 0; d = this.departments.get(d.parentid)) names.unshift(d.name);
    return names.length ? names.join(' / ') : (this.departments.get(id)?.name ?? String(id));
  }

  /** Direct members of a department (user/simplelist and user/list semantics), in corp order. */
  membersOf(deptId: number): Member[] {
    return [...this.members.values()].filter((m) => m.department.includes(deptId));
  }

  /** One row per (member, department), the shape of user/list_id (https://developer.work.weixin.qq.com/document/path/96067). */
  deptUserRows(): { userid: string; department: number }[] {
    return [...this.members.values()].flatMap((m) => m.department.map((department) => ({ userid: m.userid, department })));
  }

  addDepartment(input: DepartmentInput): Department {
    const id = input.id ?? Math.max(0, ...this.departments.keys()) + 1;
    if (this.departments.has(id)) throw new CorpError(60008, `department ${id} already exists`);
    if (input.parentid !== 0 && !this.departments.has(input.parentid)) throw new CorpError(60004, `parent ${input.parentid} not found`);
    if (!input.name) throw new CorpError(60001, 'department name missing');
    const siblings = this.children(input.parentid);
    const d: Department = {
      id,
      name: input.name,
      parentid: input.parentid,
      order: input.order ?? (siblings.length ? Math.min(...siblings.map((s) => s.order)) - 1 : 100000000),
      department_leader: [...(input.department_leader ?? [])],
    };
    if (input.name_en !== undefined) d.name_en = input.name_en;
    this.departments.set(id, d);
    return d;
  }

  updateDepartment(id: number, patch: Partial<Omit<Department, 'id'>>): Department {
    const d = this.department(id);
    if (patch.parentid !== undefined && patch.parentid !== d.parentid) {
      if (!this.departments.has(patch.parentid)) throw new CorpError(60004, `parent ${patch.parentid} not found`);
      if (this.subtree(id).some((x) => x.id === patch.parentid)) throw new CorpError(60010, 'cannot move a department under itself');
    }
    Object.assign(d, patch, { id });
    return d;
  }

  removeDepartment(id: number): Department {
    const d = this.department(id);
    if (this.children(id).length) throw new CorpError(60006, `department ${id} has sub-departments`);
    if (this.membersOf(id).length) throw new CorpError(60005, `department ${id} has members`);
    this.departments.delete(id);
    for (const t of this.tags.values()) t.partylist = t.partylist.filter((p) => p !== id);
    return d;
  }

  addMember(input: MemberInput): Member {
    if (!/^[A-Za-z0-9_.@-]{1,64}$/.test(input.userid)) throw new CorpError(40003, `invalid userid ${input.userid}`);
    if (this.members.has(input.userid)) throw new CorpError(60102, `userid ${input.userid} existed`);
    const m = this.normalise({ ...input });
    this.members.set(m.userid, m);
    this.syncLeaders(m);
    return m;
  }

  updateMember(userid: string, patch: MemberPatch): Member {
    const old = this.member(userid);
    const { newUserId, ...rest } = patch;
    const merged: MemberInput = { ...old, ...rest, userid: old.userid };
    if (rest.department && !rest.order) merged.order = rest.department.map((d) => old.order[old.department.indexOf(d)] ?? 0);
    if (rest.department && !rest.is_leader_in_dept)
      merged.is_leader_in_dept = rest.department.map((d) => old.is_leader_in_dept[old.department.indexOf(d)] ?? 0);
    if (rest.department && rest.main_department === undefined && !rest.department.includes(old.main_department)) delete merged.main_department;
    const m = this.normalise(merged);
    if (newUserId && newUserId !== userid) {
      if (this.members.has(newUserId)) throw new CorpError(60102, `userid ${newUserId} existed`);
      m.userid = newUserId;
      this.renameReferences(userid, newUserId);
    }
    // Keep insertion order stable (list_id paging) when not renamed.
    if (m.userid === userid) this.members.set(userid, m);
    else {
      const entries = [...this.members.entries()].map(([k, v]): [string, Member] => (k === userid ? [m.userid, m] : [k, v]));
      this.members.clear();
      for (const [k, v] of entries) this.members.set(k, v);
    }
    this.syncLeaders(m);
    return m;
  }

  removeMember(userid: string): Member {
    const m = this.member(userid);
    this.members.delete(userid);
    for (const d of this.departments.values()) d.department_leader = d.department_leader.filter((u) => u !== userid);
    for (const t of this.tags.values()) t.userlist = t.userlist.filter((u) => u !== userid);
    for (const o of this.members.values()) o.direct_leader = o.direct_leader.filter((u) => u !== userid);
    return m;
  }

  /** Apply a tag change; returns the effective additions/deletions (what update_tag reports). */
  changeTag(tagid: number, change: TagChange): Required<TagChange> {
    const t = this.tag(tagid);
    for (const u of [...(change.addUsers ?? [])]) this.member(u);
    for (const p of [...(change.addParties ?? [])]) this.department(p);
    const addUsers = uniq(change.addUsers ?? []).filter((u) => !t.userlist.includes(u));
    const delUsers = uniq(change.delUsers ?? []).filter((u) => t.userlist.includes(u));
    const addParties = uniq(change.addParties ?? []).filter((p) => !t.partylist.includes(p));
    const delParties = uniq(change.delParties ?? []).filter((p) => t.partylist.includes(p));
    t.userlist = [...t.userlist.filter((u) => !delUsers.includes(u)), ...addUsers];
    t.partylist = [...t.partylist.filter((p) => !delParties.includes(p)), ...addParties];
    return { addUsers, delUsers, addParties, delParties };
  }

  /** A deep copy (each simulator instance mutates its own corp). */
  clone(): Corp {
    const c = new Corp();
    for (const d of this.departments.values()) c.departments.set(d.id, { ...d, department_leader: [...d.department_leader] });
    for (const m of this.members.values()) {
      c.members.set(m.userid, {
        ...m,
        department: [...m.department],
        order: [...m.order],
        is_leader_in_dept: [...m.is_leader_in_dept],
        direct_leader: [...m.direct_leader],
      });
    }
    for (const t of this.tags.values()) c.tags.set(t.tagid, { ...t, userlist: [...t.userlist], partylist: [...t.partylist] });
    return c;
  }

  private normalise(input: MemberInput): Member {
    if (!input.name) throw new CorpError(60112, 'member name missing');
    const department = uniq(input.department);
    if (!department.length) throw new CorpError(60113, 'member needs at least one department');
    for (const d of department) this.department(d);
    const order = Array.isArray(input.order) ? input.order : department.map(() => (input.order as number | undefined) ?? 0);
    const m: Member = {
      userid: input.userid,
      name: input.name,
      position: input.position ?? '',
      department,
      order: department.map((_, i) => order[i] ?? 0),
      is_leader_in_dept: department.map((_, i) => input.is_leader_in_dept?.[i] ?? 0),
      direct_leader: [...(input.direct_leader ?? [])],
      main_department: input.main_department ?? department[0]!,
      status: input.status ?? 1,
    };
    if (!department.includes(m.main_department)) throw new CorpError(60003, 'main_department must be one of department');
    if (input.alias !== undefined) m.alias = input.alias;
    return m;
  }

  /** department_leader mirrors is_leader_in_dept. */
  private syncLeaders(m: Member): void {
    for (const d of this.departments.values()) {
      const i = m.department.indexOf(d.id);
      const leads = i >= 0 && m.is_leader_in_dept[i] === 1;
      const has = d.department_leader.includes(m.userid);
      if (leads && !has) d.department_leader.push(m.userid);
      if (!leads && has) d.department_leader = d.department_leader.filter((u) => u !== m.userid);
    }
  }

  private renameReferences(from: string, to: string): void {
    const swap = (u: string): string => (u === from ? to : u);
    for (const d of this.departments.values()) d.department_leader = d.department_leader.map(swap);
    for (const t of this.tags.values()) t.userlist = t.userlist.map(swap);
    for (const o of this.members.values()) o.direct_leader = o.direct_leader.map(swap);
  }
}

/** The demo seller team "星河电商" (see demo-corp.ts for DEMO_USERS / DEMO_DEPARTMENTS). */
export function demoCorp(): Corp {
  return new Corp(DEMO_CORP_DATA);
}

// ---- Deterministic large corp -------------------------------------------------------------------

/** mulberry32: small deterministic PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SURNAMES: [string, string][] = [
  ['王', 'wang'],
  ['李', 'li'],
  ['张', 'zhang'],
  ['刘', 'liu'],
  ['陈', 'chen'],
  ['杨', 'yang'],
  ['黄', 'huang'],
  ['赵', 'zhao'],
  ['吴', 'wu'],
  ['周', 'zhou'],
  ['徐', 'xu'],
  ['孙', 'sun'],
  ['马', 'ma'],
  ['朱', 'zhu'],
  ['胡', 'hu'],
  ['郭', 'guo'],
  ['何', 'he'],
  ['高', 'gao'],
  ['林', 'lin'],
  ['罗', 'luo'],
  ['郑', 'zheng'],
  ['梁', 'liang'],
  ['谢', 'xie'],
  ['宋', 'song'],
];
const GIVEN: [string, string][] = [
  ['伟', 'wei'],
  ['芳', 'fang'],
  ['娜', 'na'],
  ['敏', 'min'],
  ['静', 'jing'],
  ['丽', 'li'],
  ['强', 'qiang'],
  ['磊', 'lei'],
  ['军', 'jun'],
  ['洋', 'yang'],
  ['勇', 'yong'],
  ['艳', 'yan'],
  ['杰', 'jie'],
  ['娟', 'juan'],
  ['涛', 'tao'],
  ['明', 'ming'],
  ['超', 'chao'],
  ['秀英', 'xiuying'],
  ['霞', 'xia'],
  ['平', 'ping'],
  ['刚', 'gang'],
  ['桂英', 'guiying'],
  ['文', 'wen'],
  ['欣', 'xin'],
  ['晨', 'chen'],
  ['宇', 'yu'],
  ['婷', 'ting'],
  ['浩', 'hao'],
  ['雪', 'xue'],
  ['帆', 'fan'],
];
const DEPT_KINDS: { name: string; positions: string[] }[] = [
  { name: '客服部', positions: ['客服专员', '客服组长'] },
  { name: '仓储部', positions: ['仓管员', '打包员'] },
  { name: '运营部', positions: ['运营专员', '运营主管'] },
  { name: '广告部', positions: ['广告投放', '投放主管'] },
  { name: '财务部', positions: ['会计', '出纳'] },
  { name: '美工部', positions: ['美工设计', '摄影师'] },
  { name: '采购部', positions: ['采购专员'] },
  { name: '直播部', positions: ['主播', '场控'] },
];

export interface GenerateCorpOptions {
  /** Total departments including the root (≥ 1). */
  departments: number;
  members: number;
  seed?: number;
  corpName?: string;
}

/**
 * A deterministic large corp: root 1, then departments attached at depth 1..3 (root = depth 0),
 * members spread over them, about 10 % in two departments, the first member of each department its
 * leader, tag 1 "部门负责人" listing the leaders.
 */
export function generateCorp(opts: GenerateCorpOptions): Corp {
  const rnd = prng(opts.seed ?? 1);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const corp = new Corp();
  corp.addDepartment({ id: 1, name: opts.corpName ?? '星河电商集团', parentid: 0, order: 100000000 });
  const kinds = generateDepartments(corp, opts.departments, pick);
  const leaders = generateMembers(corp, opts.members, kinds, rnd, pick);
  corp.tags.set(1, { tagid: 1, tagname: '部门负责人', userlist: leaders, partylist: [] });
  return corp;
}

type DeptKind = (typeof DEPT_KINDS)[number];
type Pick = <T>(xs: T[]) => T;

/** About sqrt(n) first-level departments; the rest hang under depth 1 or 2, so the tree is ≤ 3 deep. */
function generateDepartments(corp: Corp, total: number, pick: Pick): Map<number, DeptKind> {
  const depth = new Map<number, number>([[1, 0]]);
  const kinds = new Map<number, DeptKind>();
  const level1 = Math.max(1, Math.min(total - 1, Math.round(Math.sqrt(total - 1))));
  const inner: number[] = [];
  for (let id = 2; id <= total; id++) {
    const parent = id <= level1 + 1 ? 1 : pick(inner);
    const k = parent === 1 ? DEPT_KINDS[(id - 2) % DEPT_KINDS.length]! : kinds.get(parent)!;
    const round = Math.ceil((id - 1) / DEPT_KINDS.length);
    const name = parent === 1 ? `${k.name}${round > 1 ? round : ''}` : `${k.name.replace('部', '')}${id}组`;
    corp.addDepartment({ id, name, parentid: parent, order: 100000000 - id });
    depth.set(id, depth.get(parent)! + 1);
    kinds.set(id, k);
    if (depth.get(id)! <= 2) inner.push(id);
  }
  return kinds;
}

/** The first member of each department leads it; ~10 % of members are in a second department. */
function generateMembers(corp: Corp, count: number, kinds: Map<number, DeptKind>, rnd: () => number, pick: Pick): string[] {
  const deptIds = [...corp.departments.keys()];
  const taken = new Set<string>();
  const leaders: string[] = [];
  for (let i = 0; i < count; i++) {
    const [sz, sp] = pick(SURNAMES);
    const [gz, gp] = pick(GIVEN);
    let userid = `${sp}${gp}`;
    for (let n = 2; taken.has(userid); n++) userid = `${sp}${gp}${n}`;
    taken.add(userid);
    const isLeader = i < deptIds.length; // the first deptIds.length members cover every department once
    const main = isLeader ? deptIds[i]! : pick(deptIds);
    const department = [main];
    if (rnd() < 0.1 && deptIds.length > 1) department.push(pick(deptIds.filter((d) => d !== main)));
    if (isLeader) leaders.push(userid);
    const direct = corp.department(main).department_leader[0];
    corp.addMember({
      userid,
      name: `${sz}${gz}`,
      position: main === 1 ? '总经理' : pick(kinds.get(main)?.positions ?? ['专员']),
      department,
      order: department.map(() => Math.floor(rnd() * 1000)),
      is_leader_in_dept: department.map((_, j) => (j === 0 && isLeader ? 1 : 0)),
      direct_leader: direct && !isLeader ? [direct] : [],
      main_department: main,
    });
  }
  return leaders;
}
