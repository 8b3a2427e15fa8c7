/**
 * The projects API (server/src/modules/projects), shared by server and H5. A project turns a goal (双11大促, 新品首发)
 * into tasks with owners, dates, priorities and finish-to-start dependencies; comments, files and every change are kept
 * and searchable. Dates of projects and tasks are calendar days `YYYY-MM-DD` in the corp's time zone (a task runs from
 * its start day to its due day, both included); other times are ISO 8601 strings in UTC.
 */
import type { OrderPerson } from './orders';

export const PROJECT_STATES = ['planning', 'active', 'done', 'cancelled'] as const;
/** 筹备中 / 进行中 / 已完成 / 已取消. */
export type ProjectState = (typeof PROJECT_STATES)[number];

export const TASK_STATES = ['todo', 'doing', 'review', 'done'] as const;
/** 待开始 / 进行中 / 待验收 / 已完成. */
export type TaskState = (typeof TASK_STATES)[number];

export const PRIORITIES = ['P0', 'P1', 'P2', 'P3'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const TASK_LINK_TYPES = ['order', 'case', 'sop_run'] as const;
export type TaskLinkType = (typeof TASK_LINK_TYPES)[number];

/** A task's link to an order (`order_sn`), a case (id) or a checklist run (id). */
export interface TaskLink {
  type: TaskLinkType;
  id: string;
  /** zh-CN: 订单 250101ABC, 售后 #12, 清单 #3. */
  label: string;
}

export interface ProjectProgress {
  done: number;
  total: number;
  /** Mean of the tasks' progress (a done task counts 100), 0–100. */
  percent: number;
}

export interface ProjectSummary {
  id: number;
  name: string;
  goal: string;
  /** null: every shop. */
  shopId: string | null;
  owner: OrderPerson;
  /** YYYY-MM-DD. */
  start: string;
  end: string;
  state: ProjectState;
  /** The template it came from (`promo`, `launch`, `listing`), or null. */
  templateKey: string | null;
  progress: ProjectProgress;
  /** Tasks past due and not done. */
  lateTasks: number;
  /** The latest due day of its tasks is after `end`. */
  slipping: boolean;
  updatedAt: string;
}

/** GET /api/projects?state=&mine=1&cursor=&limit= (newest first). */
export interface ProjectListResponse {
  items: ProjectSummary[];
  nextCursor: string | null;
}

export interface TaskView {
  id: number;
  projectId: number;
  title: string;
  description: string;
  owner: OrderPerson | null;
  collaborators: OrderPerson[];
  /** YYYY-MM-DD, inclusive. A milestone has start = due. */
  start: string;
  due: string;
  priority: Priority;
  state: TaskState;
  /** 0–100. */
  progress: number;
  milestone: boolean;
  /** Tasks this one waits for (finish-to-start). */
  dependsOn: number[];
  links: TaskLink[];
  /** Past its due day and not done. */
  late: boolean;
  /** Not done, and a late task waits for it (directly or through others). */
  blocking: boolean;
  /** On the critical path (no slack before the project's last due day). */
  critical: boolean;
  /** Days it could slip without moving the project's last due day. */
  slackDays: number;
  commentCount: number;
  attachmentCount: number;
  updatedAt: string;
  /** Whether the asking member may change it (projects:manage, or its owner). */
  canEdit: boolean;
}

export interface ProjectDetail extends ProjectSummary {
  tasks: TaskView[];
  /** Task ids on the critical path, in order. */
  criticalPath: number[];
  /** Whether the asking member may change the project and its tasks (projects:manage in its shop). */
  canManage: boolean;
}

/** POST /api/projects. From a template, `end` is the D day the template's `D-14` offsets count back from. */
export interface ProjectInput {
  name: string;
  goal?: string;
  shopId?: string | null;
  /** Default: the member creating it. */
  owner?: string;
  start: string;
  end: string;
  templateKey?: string;
  /** From a template: owners of its tasks by the task's index in the template (`{"0": "zhouqiang"}`); others unassigned. */
  taskOwners?: Record<string, string>;
}

/** PUT /api/projects/:id: any of these. */
export type ProjectPatch = Partial<Pick<ProjectInput, 'name' | 'goal' | 'owner' | 'start' | 'end'>>;

/** POST /api/projects/:id/transition {to}: planning → active → done, cancelled from planning or active (409 illegal_transition). */
export interface ProjectTransitionInput {
  to: ProjectState;
}

export interface ProjectTemplateTask {
  title: string;
  /** `D-14`: 14 days before the D day; `D+3` after it; `D` the day itself. */
  start: string;
  due: string;
  priority: Priority;
  /** A role whose member the creator picks (a hint in the H5), e.g. ops_manager, designer. */
  role: string | null;
  /** Indexes of the template's tasks it waits for. */
  dependsOn: number[];
  milestone: boolean;
}

/** GET /api/projects/templates → {items}. */
export interface ProjectTemplate {
  key: string;
  name: string;
  description: string;
  tasks: ProjectTemplateTask[];
}

/** POST /api/projects/:id/tasks. */
export interface TaskInput {
  title: string;
  description?: string;
  owner?: string | null;
  collaborators?: string[];
  start: string;
  due: string;
  priority?: Priority;
  milestone?: boolean;
  dependsOn?: number[];
  links?: Array<Pick<TaskLink, 'type' | 'id'>>;
}

/** PATCH /api/tasks/:id: any of these (dates through /move). 422 `dependency_cycle` when dependsOn would close a loop. */
export type TaskPatch = Partial<Omit<TaskInput, 'start' | 'due'>> & { state?: TaskState; progress?: number };

/** POST /api/tasks/:id/move {start, due, preview?}: the task's new days; its dependants move when they would start before it ends. */
export interface TaskMoveInput {
  start: string;
  due: string;
  /** true: answer what would move, change nothing. */
  preview?: boolean;
}

export interface TaskMove {
  id: number;
  title: string;
  from: { start: string; due: string };
  to: { start: string; due: string };
}

export interface TaskMoveResult {
  /** The task itself first, then every dependant that moves. */
  moved: TaskMove[];
  /** The project as it is now (null on a preview). */
  project: ProjectDetail | null;
}

export interface CommentView {
  id: number;
  taskId: number;
  /** The comment it replies to, or null. */
  parentId: number | null;
  author: OrderPerson;
  body: string;
  mentions: OrderPerson[];
  createdAt: string;
  /** When last edited; earlier versions at GET /api/comments/:id/history. */
  editedAt: string | null;
}

/** POST /api/tasks/:id/comments {body, parentId?, mentions?}: `mentions` are userids (each must be an active member). PUT /api/comments/:id {body} edits (the author only). */
export interface CommentInput {
  body: string;
  parentId?: number | null;
  mentions?: string[];
}

export interface CommentVersion {
  body: string;
  at: string;
}

export interface AttachmentView {
  id: number;
  taskId: number;
  name: string;
  mime: string;
  size: number;
  uploadedBy: OrderPerson;
  uploadedAt: string;
  /** Images have one: GET /api/project-files/:id/thumbnail. */
  hasThumbnail: boolean;
}

export const ACTIVITY_KINDS = ['created', 'field', 'moved', 'state', 'comment', 'attachment', 'dependency'] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

/** One change, with who and when: `field` names what changed (title, owner, priority …). */
export interface ActivityEntry {
  id: number;
  at: string;
  actor: OrderPerson | null;
  kind: ActivityKind;
  taskId: number | null;
  field: string | null;
  from: string | null;
  to: string | null;
  /** zh-CN sentence: 王芳 把负责人从 李娜 改为 赵磊. */
  text: string;
}

/** GET /api/tasks/:id. */
export interface TaskDetail {
  task: TaskView;
  project: { id: number; name: string; state: ProjectState };
  /** Oldest first; replies carry parentId. */
  comments: CommentView[];
  attachments: AttachmentView[];
  /** Newest first. */
  activity: ActivityEntry[];
}

/** GET /api/tasks?view=mine: my open tasks across projects, soonest due first. */
export interface MyTask extends TaskView {
  projectName: string;
}

export const SEARCH_KINDS = ['project', 'task', 'comment', 'file'] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

export interface SearchHit {
  kind: SearchKind;
  /** The project's, task's, comment's or file's id. */
  id: number;
  projectId: number;
  taskId: number | null;
  /** The project's or task's name, or for a comment / file its task's. */
  title: string;
  /** The matching text around the words, ≤ 120 characters. */
  snippet: string;
  at: string;
  /** H5 path. */
  link: string;
}

/** GET /api/search?q=&kind=&cursor=&limit=: newest first, only what the member may see. */
export interface SearchResponse {
  items: SearchHit[];
  nextCursor: string | null;
}
