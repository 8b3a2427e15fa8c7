/**
 * The 项目 pages' rules that need no browser (h5/src/composables/projectDates.ts, projects.ts, projectGantt.ts,
 * projectComments.ts): calendar-day math on YYYY-MM-DD, a template's D-offsets from the D day, the list's filters ⇄ URL,
 * the task list's groups and marks, the dependencies a task may take, 我的任务 by due day, the task and project forms,
 * the owners given to a template's tasks (taskOwners), the Gantt bars (escaped labels, classes, arrows, a drop), the comment thread
 * and @mentions, the upload's checks and the search's filters and groups.
 */
import type { CommentView, ProjectTemplate, SearchHit, TaskView } from '@shopcrew/shared';
import {
  addDays,
  dateOfDay,
  dayFromIndex,
  dayIndex,
  dayOf,
  dayRange,
  daySpan,
  daysBetween,
  isDay,
  offsetDay,
  parseOffset,
  shortDay,
  spanDays,
  templatePreview,
  todayDay,
} from '../../../h5/src/composables/projectDates';
import {
  byStart,
  dependantsOf,
  dependencyChoices,
  dependencyTitles,
  dueBucket,
  filtersFromQuery,
  filtersKey,
  followersOf,
  formFromProject,
  formFromTask,
  groupByDue,
  groupHits,
  hitPath,
  listQuery,
  markWords,
  newProjectForm,
  newTaskForm,
  projectActions,
  projectChanges,
  projectInput,
  queryFromFilters,
  queryFromSearch,
  searchFromQuery,
  searchQuery,
  taskChanges,
  taskInput,
  taskMarks,
  taskSections,
  templateOwners,
  toProjectSummary,
} from '../../../h5/src/composables/projects';
import { barClass, barMove, canDragOn, escapeHtml, ganttBars, isRealMove, monthLabel, scrollTarget } from '../../../h5/src/composables/projectGantt';
import {
  commentInput,
  fileIcon,
  fileProblem,
  FILE_MAX_BYTES,
  formatBytes,
  insertMention,
  mentionIds,
  mentionSegments,
  threadComments,
  typedAt,
} from '../../../h5/src/composables/projectComments';

const person = (userid: string, name = userid) => ({ userid, name });

function task(id: number, over: Partial<TaskView> = {}): TaskView {
  return {
    id,
    projectId: 1,
    title: `任务${id}`,
    description: '',
    owner: null,
    collaborators: [],
    start: '2026-11-01',
    due: '2026-11-03',
    priority: 'P2',
    state: 'todo',
    progress: 0,
    milestone: false,
    dependsOn: [],
    links: [],
    late: false,
    blocking: false,
    critical: false,
    slackDays: 0,
    commentCount: 0,
    attachmentCount: 0,
    updatedAt: '2026-10-01T00:00:00.000Z',
    canEdit: true,
    ...over,
  };
}

describe('calendar days', () => {
  test('day numbers round-trip and refuse what is not a day', () => {
    expect(dayIndex('1970-01-01')).toBe(0);
    expect(dayFromIndex(dayIndex('2026-11-11'))).toBe('2026-11-11');
    for (const bad of ['2026-02-30', '2026-13-01', '2026-1-1', '20261111', '', 'D-14']) expect(isDay(bad)).toBe(false);
    expect(isDay('2028-02-29')).toBe(true);
  });

  test('adding days crosses months, years and leap days; spans count both ends', () => {
    expect(addDays('2026-10-30', 3)).toBe('2026-11-02');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    expect(daysBetween('2026-11-01', '2026-11-11')).toBe(10);
    expect(daysBetween('2026-11-11', '2026-11-01')).toBe(-10);
    expect(spanDays('2026-11-01', '2026-11-01')).toBe(1);
    expect(spanDays('2026-11-01', '2026-11-05')).toBe(5);
  });

  test('local days of dates, and shown short within the year', () => {
    expect(dayOf(new Date(2026, 10, 5, 23, 59))).toBe('2026-11-05');
    expect(dayOf(dateOfDay('2026-03-29'))).toBe('2026-03-29');
    expect(todayDay(new Date(2026, 0, 2, 8).getTime())).toBe('2026-01-02');
    expect(shortDay('2026-11-05', '2026-01-01')).toBe('11-05');
    expect(shortDay('2027-01-05', '2026-12-01')).toBe('2027-01-05');
    expect(dayRange('2026-11-01', '2026-11-05', '2026-06-01')).toBe('11-01 ~ 11-05');
    expect(dayRange('2026-11-11', '2026-11-11', '2026-06-01')).toBe('11-11');
  });
});

describe('template offsets from the D day', () => {
  test('D-14, D, D+3 read; anything else does not', () => {
    expect(parseOffset('D-14')).toBe(-14);
    expect(parseOffset('D')).toBe(0);
    expect(parseOffset(' D+3 ')).toBe(3);
    for (const bad of ['D14', 'd-1', 'D-', 'T+1', '', 'D-1000']) expect(parseOffset(bad)).toBeNull();
    expect(offsetDay('2026-11-11', 'D-14')).toBe('2026-10-28');
    expect(offsetDay('2026-11-11', 'D+3')).toBe('2026-11-14');
    expect(offsetDay('not a day', 'D')).toBeNull();
  });

  const template: ProjectTemplate = {
    key: 'promo',
    name: '大促',
    description: '',
    tasks: [
      { title: '选品', start: 'D-30', due: 'D-21', priority: 'P1', role: 'ops_manager', dependsOn: [], milestone: false },
      { title: '主图设计', start: 'D-20', due: 'D-10', priority: 'P0', role: 'designer', dependsOn: [0], milestone: false },
      { title: '大促当天', start: 'D', due: 'D', priority: 'P0', role: null, dependsOn: [1], milestone: true },
      { title: '复盘', start: 'D+2', due: 'D+3', priority: 'P3', role: null, dependsOn: [2], milestone: false },
      { title: '坏的', start: 'X', due: 'D-40', priority: 'P2', role: null, dependsOn: [], milestone: false },
    ],
  };

  test('the preview puts every task on its days; unreadable offsets fall on the D day, never ending before they start', () => {
    const preview = templatePreview(template, '2026-11-11')!;
    expect(preview.map((p) => [p.title, p.start, p.due])).toEqual([
      ['选品', '2026-10-12', '2026-10-21'],
      ['主图设计', '2026-10-22', '2026-11-01'],
      ['大促当天', '2026-11-11', '2026-11-11'],
      ['复盘', '2026-11-13', '2026-11-14'],
      ['坏的', '2026-11-11', '2026-11-11'],
    ]);
    expect(preview[1]).toMatchObject({ index: 1, priority: 'P0', role: 'designer', dependsOn: [0] });
    expect(templatePreview(template, '2026-02-30')).toBeNull();
    expect(daySpan(preview)).toEqual({ start: '2026-10-12', end: '2026-11-14' });
    expect(daySpan([])).toBeNull();
  });

  test('新建项目 from a template ends on the D day, starts with the first task, and sends the owners picked as taskOwners', () => {
    const form = { ...newProjectForm('2026-10-01'), mode: 'template' as const, name: ' 双11大促 ', templateKey: 'promo', dDay: '2026-11-11' };
    form.taskOwners = { 2: person('luoxin', '罗欣'), 1: person('wangfang', '王芳'), 9: person('ghost') };
    const result = projectInput(form, template);
    expect(result).toEqual({
      input: { name: '双11大促', start: '2026-10-12', end: '2026-11-11', templateKey: 'promo', taskOwners: { '1': 'wangfang', '2': 'luoxin' } },
    });
    // No owner picked: no taskOwners at all.
    expect(projectInput({ ...form, taskOwners: {} }, template)).toEqual({
      input: { name: '双11大促', start: '2026-10-12', end: '2026-11-11', templateKey: 'promo' },
    });
    expect(projectInput({ ...form, templateKey: null }, null)).toEqual({ errors: ['template'] });
    expect(projectInput({ ...form, dDay: '' }, template)).toEqual({ errors: ['dDay'] });
  });

  test('taskOwners: template indexes in order, only those the template has', () => {
    expect(templateOwners({ 3: person('c'), 0: person('a'), [-1]: person('x'), 4: person('y') }, 4)).toEqual({ '0': 'a', '3': 'c' });
    expect(Object.keys(templateOwners({ 10: person('b'), 2: person('a') }, 11)!)).toEqual(['2', '10']);
    expect(templateOwners({}, 4)).toBeNull();
    expect(templateOwners({ 5: person('ghost') }, 4)).toBeNull();
  });
});

describe('the project list and a project', () => {
  test('filters ⇄ query: mine=1 (or the home link tab=mine) and a known state', () => {
    expect(filtersFromQuery({})).toEqual({ mine: false });
    expect(filtersFromQuery({ mine: '1', state: 'active' })).toEqual({ mine: true, state: 'active' });
    expect(filtersFromQuery({ tab: 'mine', state: 'bogus' })).toEqual({ mine: true });
    expect(queryFromFilters({ mine: true, state: 'done' })).toEqual({ mine: '1', state: 'done' });
    expect(queryFromFilters({ mine: false })).toEqual({});
    expect(filtersKey({ mine: true })).not.toBe(filtersKey({ mine: false }));
    expect(listQuery({ mine: true, state: 'planning' }, 'c1', 20)).toEqual({ state: 'planning', mine: 1, cursor: 'c1', limit: 20 });
    expect(listQuery({ mine: false }, null, 20)).toEqual({ state: undefined, mine: undefined, cursor: undefined, limit: 20 });
  });

  const detail = {
    id: 7,
    name: '双11',
    goal: 'GMV +30%',
    shopId: null,
    owner: person('chenjing', '陈静'),
    start: '2026-10-01',
    end: '2026-11-11',
    state: 'active' as const,
    templateKey: 'promo',
    progress: { done: 1, total: 4, percent: 40 },
    lateTasks: 1,
    slipping: true,
    updatedAt: '2026-10-02T00:00:00.000Z',
    tasks: [task(1)],
    criticalPath: [1],
    canManage: true,
  };

  test('a detail becomes a list row; its state offers the next steps to managers only', () => {
    const row = toProjectSummary(detail);
    expect(row).not.toHaveProperty('tasks');
    expect(row).toMatchObject({ id: 7, lateTasks: 1, slipping: true });
    expect(projectActions(detail)).toEqual(['done', 'cancelled']);
    expect(projectActions({ state: 'planning', canManage: true })).toEqual(['active', 'cancelled']);
    expect(projectActions({ state: 'done', canManage: true })).toEqual([]);
    expect(projectActions({ ...detail, canManage: false })).toEqual([]);
  });

  test('编辑项目 sends only what changed, and refuses an end before the start', () => {
    const form = formFromProject(detail);
    expect(projectChanges(form, detail)).toEqual({ patch: {} });
    expect(projectChanges({ ...form, name: ' 双十一 ', end: '2026-11-12', owner: person('lina') }, detail)).toEqual({
      patch: { name: '双十一', end: '2026-11-12', owner: 'lina' },
    });
    expect(projectChanges({ ...form, name: '', end: '2026-09-01' }, detail)).toEqual({ errors: ['name', 'dates'] });
    expect(projectInput({ ...newProjectForm('2026-10-01'), name: 'x', start: '2026-10-05', end: '2026-10-04' }, null)).toEqual({ errors: ['dates'] });
    expect(projectInput({ ...newProjectForm('2026-10-01'), name: 'x', goal: ' g ', owner: person('lina') }, null)).toEqual({
      input: { name: 'x', goal: 'g', owner: 'lina', start: '2026-10-01', end: '2026-10-14' },
    });
  });
});

describe('tasks', () => {
  const tasks = [
    task(3, { start: '2026-11-05', due: '2026-11-06', state: 'doing' }),
    task(1, { start: '2026-11-01', due: '2026-11-02', state: 'done' }),
    task(2, { start: '2026-11-01', due: '2026-11-01', state: 'todo' }),
    task(4, { start: '2026-11-05', due: '2026-11-06', state: 'doing' }),
  ];

  test('按开始时间 sorts by start, due, id; 按状态 groups in state order, empty states left out', () => {
    expect([...tasks].sort(byStart).map((t) => t.id)).toEqual([2, 1, 3, 4]);
    expect(taskSections(tasks, 'start')).toEqual([{ state: null, tasks: [tasks[2], tasks[1], tasks[0], tasks[3]] }]);
    expect(taskSections(tasks, 'state').map((s) => [s.state, s.tasks.map((t) => t.id)])).toEqual([
      ['todo', [2]],
      ['doing', [3, 4]],
      ['done', [1]],
    ]);
    expect(taskSections([], 'start')).toEqual([]);
  });

  test('marks: late and blocking only while open', () => {
    expect(taskMarks(task(1, { late: true, blocking: true, critical: true, milestone: true }))).toEqual(['late', 'blocking', 'critical', 'milestone']);
    expect(taskMarks(task(1, { late: true, blocking: true, critical: true, state: 'done' }))).toEqual(['critical']);
    expect(taskMarks(task(1))).toEqual([]);
  });

  test('a task may not wait for what already waits for it', () => {
    const chain = [task(1), task(2, { dependsOn: [1] }), task(3, { dependsOn: [2] }), task(4), task(5, { dependsOn: [5] })];
    expect([...dependantsOf(chain, 1)].sort()).toEqual([2, 3]);
    expect(dependencyChoices(chain, 1).map((t) => t.id)).toEqual([4, 5]);
    expect(dependencyChoices(chain, 3).map((t) => t.id)).toEqual([1, 2, 4, 5]);
    expect(dependencyChoices(chain, null).map((t) => t.id)).toEqual([1, 2, 3, 4, 5]);
    expect(dependencyTitles(task(9, { dependsOn: [2, 99] }), chain)).toEqual([{ id: 2, title: '任务2' }]);
  });

  test('我的任务 by due day: late (or past due), today, within 7 days, later', () => {
    const today = '2026-11-10';
    expect(dueBucket({ due: '2026-11-09', late: false }, today)).toBe('late');
    expect(dueBucket({ due: '2026-11-12', late: true }, today)).toBe('late');
    expect(dueBucket({ due: '2026-11-10', late: false }, today)).toBe('today');
    expect(dueBucket({ due: '2026-11-17', late: false }, today)).toBe('week');
    expect(dueBucket({ due: '2026-11-18', late: false }, today)).toBe('later');
    const groups = groupByDue([task(1, { due: '2026-12-01' }), task(2, { due: '2026-11-10' }), task(3, { due: '2026-11-01', late: true })], today);
    expect(groups.map((g) => [g.bucket, g.tasks.map((t) => t.id)])).toEqual([
      ['late', [3]],
      ['today', [2]],
      ['later', [1]],
    ]);
  });

  test('添加任务: trimmed, a milestone is one day, and only what is set is sent', () => {
    const form = {
      ...newTaskForm('2026-11-01'),
      title: ' 主图设计 ',
      owner: person('wangfang', '王芳'),
      collaborators: [person('a'), person('a'), person('b')],
      dependsOn: [3, 3],
    };
    expect(newTaskForm('2026-11-01', 3)).toMatchObject({ start: '2026-11-01', due: '2026-11-03', priority: 'P2' });
    expect(taskInput(form)).toEqual({
      input: { title: '主图设计', start: '2026-11-01', due: '2026-11-03', priority: 'P2', owner: 'wangfang', collaborators: ['a', 'b'], dependsOn: [3] },
    });
    expect(taskInput({ ...newTaskForm('2026-11-01'), title: 'M', milestone: true, due: '2026-11-09' })).toEqual({
      input: { title: 'M', start: '2026-11-01', due: '2026-11-01', priority: 'P2', milestone: true },
    });
    expect(taskInput({ ...newTaskForm('2026-11-05'), due: '2026-11-01' })).toEqual({ errors: ['title', 'dates'] });
    expect(taskInput({ ...newTaskForm('2026-11-05'), title: 'x'.repeat(101), description: 'y'.repeat(2001), progress: 101 })).toEqual({
      errors: ['title', 'description', 'progress'],
    });
  });

  test('编辑任务: only the changes, the days apart (they go through the move)', () => {
    const t = task(5, { owner: person('a'), collaborators: [person('b'), person('c')], dependsOn: [1, 2] });
    const form = formFromTask(t);
    expect(taskChanges(form, t)).toEqual({ patch: {}, dates: null });
    expect(taskChanges({ ...form, collaborators: [person('c'), person('b')], dependsOn: [2, 1] }, t)).toEqual({ patch: {}, dates: null });
    expect(taskChanges({ ...form, owner: null, state: 'doing', progress: 30, due: '2026-11-05', dependsOn: [1] }, t)).toEqual({
      patch: { owner: null, state: 'doing', progress: 30, dependsOn: [1] },
      dates: { start: '2026-11-01', due: '2026-11-05' },
    });
    expect(taskChanges({ ...form, title: '  ' }, t)).toEqual({ errors: ['title'] });
  });

  test('a move takes along the dependants after the task itself', () => {
    const result = {
      moved: [
        { id: 5, title: 'a', from: { start: '2026-11-01', due: '2026-11-02' }, to: { start: '2026-11-03', due: '2026-11-04' } },
        { id: 6, title: 'b', from: { start: '2026-11-03', due: '2026-11-03' }, to: { start: '2026-11-05', due: '2026-11-05' } },
      ],
      project: null,
    };
    expect(followersOf(result, 5).map((m) => m.id)).toEqual([6]);
    expect(followersOf({ moved: [result.moved[0]!] }, 5)).toEqual([]);
  });
});

describe('the Gantt chart', () => {
  test('labels are escaped for innerHTML', () => {
    expect(escapeHtml(`<img src=x onerror="alert('1')">&`)).toBe('&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;');
  });

  test('one class token per bar: late while open, critical, done, milestone', () => {
    expect(barClass(task(1))).toBe('gb');
    expect(barClass(task(1, { late: true, critical: true }))).toBe('gb-late-crit');
    expect(barClass(task(1, { late: true, state: 'done', milestone: true }))).toBe('gb-done-ms');
    expect(barClass(task(1, { late: true })).split(' ')).toHaveLength(1);
  });

  test('bars by start day, the due day as the end, arrows only within the chart, done at 100%', () => {
    const bars = ganttBars([
      task(2, { title: 'B <b>', start: '2026-11-03', due: '2026-11-04', dependsOn: [1, 42], progress: 30, critical: true }),
      task(1, { start: '2026-11-01', due: '2026-11-02', state: 'done', progress: 80 }),
      task(3, { title: '上线', start: '2026-11-05', due: '2026-11-05', milestone: true, progress: 140 }),
    ]);
    expect(bars).toEqual([
      { id: '1', name: '任务1', start: '2026-11-01', end: '2026-11-02', progress: 100, dependencies: [], custom_class: 'gb-done' },
      { id: '2', name: 'B &lt;b&gt;', start: '2026-11-03', end: '2026-11-04', progress: 30, dependencies: ['1'], custom_class: 'gb-crit' },
      { id: '3', name: '◆ 上线', start: '2026-11-05', end: '2026-11-05', progress: 100, dependencies: [], custom_class: 'gb-ms' },
    ]);
  });

  test('a drop becomes a move (the end is the last second of the due day); one let go in place is not', () => {
    const move = barMove('7', new Date(2026, 10, 3), new Date(2026, 10, 5, 23, 59, 59));
    expect(move).toEqual({ taskId: 7, start: '2026-11-03', due: '2026-11-05' });
    expect(isRealMove(move, { start: '2026-11-01', due: '2026-11-03' })).toBe(true);
    expect(isRealMove(move, { start: '2026-11-03', due: '2026-11-05' })).toBe(false);
    expect(isRealMove(move, undefined)).toBe(false);
  });

  test('the month over the days: 12月, and the year with January (2027年1月, Jan 2027)', () => {
    expect(monthLabel(new Date(2026, 11, 2), 'zh')).toBe('12月');
    expect(monthLabel(new Date(2027, 0, 1), 'zh')).toBe('2027年1月');
    expect(monthLabel(new Date(2026, 10, 30), 'en')).toBe('Nov');
    expect(monthLabel(new Date(2027, 0, 31), 'en')).toBe('Jan 2027');
  });

  test('it opens a little before today within the tasks, else just before the first; it drags only with a fine pointer on a wide screen', () => {
    const tasks = [task(1, { start: '2026-11-01', due: '2026-11-03' }), task(2, { start: '2026-11-05', due: '2026-11-09' })];
    expect(scrollTarget(tasks, '2026-11-06')).toBe('2026-11-03');
    expect(scrollTarget(tasks, '2026-11-02')).toBe('2026-10-31');
    expect(scrollTarget(tasks, '2026-11-10')).toBe('2026-10-31');
    expect(scrollTarget([], '2026-11-10')).toBe('2026-11-10');
    // Late tasks: back far enough to show where the latest one ends, as long as today stays in the days shown at once.
    const late = [
      task(1, { start: '2026-11-01', due: '2026-11-05', late: true }),
      task(2, { start: '2026-11-03', due: '2026-11-08', late: true }),
      task(3, { start: '2026-11-03', due: '2026-11-09', late: true, state: 'done' }),
      task(4, { start: '2026-11-10', due: '2026-11-30' }),
    ];
    expect(scrollTarget(late, '2026-11-16', 14)).toBe('2026-11-06');
    expect(scrollTarget(late, '2026-11-20', 14)).toBe('2026-11-09'); // today - 11: 11-08 would push today out of view
    expect(scrollTarget(late, '2026-11-16')).toBe('2026-11-13'); // the width unknown: as before
    expect(scrollTarget(late, '2026-11-10', 14)).toBe('2026-11-06');
    expect(canDragOn({ width: 1280, coarsePointer: false })).toBe(true);
    expect(canDragOn({ width: 1280, coarsePointer: true })).toBe(false);
    expect(canDragOn({ width: 360, coarsePointer: false })).toBe(false);
  });
});

describe('comments', () => {
  const c = (id: number, parentId: number | null, minute: number, over: Partial<CommentView> = {}): CommentView => ({
    id,
    taskId: 1,
    parentId,
    author: person('a', '甲'),
    body: `c${id}`,
    mentions: [],
    createdAt: new Date(Date.UTC(2026, 10, 1, 8, minute)).toISOString(),
    editedAt: null,
    ...over,
  });

  test('the thread: top-level oldest first, replies (and replies to replies) under their first comment; orphans alone', () => {
    const threads = threadComments([c(4, 2, 4), c(2, null, 2), c(1, null, 1), c(3, 1, 3), c(5, 3, 5), c(6, 99, 6)]);
    expect(threads.map((t) => [t.comment.id, t.replies.map((r) => r.id)])).toEqual([
      [1, [3, 5]],
      [2, [4]],
      [6, []],
    ]);
  });

  test('mentions are highlighted by the longest name, typed @ opens the picker, the picked name goes in', () => {
    const wf = person('wangfang', '王芳');
    const wff = person('wff', '王芳芳');
    expect(mentionSegments('请 @王芳芳 和 @王芳 看下 @李娜', [wf, wff])).toEqual([
      { text: '请 ', mention: null },
      { text: '@王芳芳', mention: wff },
      { text: ' 和 ', mention: null },
      { text: '@王芳', mention: wf },
      { text: ' 看下 @李娜', mention: null },
    ]);
    expect(typedAt('请', '请@')).toBe(1);
    expect(typedAt('ab', 'a@b')).toBe(1);
    expect(typedAt('ab', 'abc')).toBe(-1);
    expect(typedAt('', '@@')).toBe(-1);
    expect(insertMention('请@', '王芳', 2)).toEqual({ body: '请 @王芳 ', caret: 6 });
    expect(insertMention('看下', '王芳', 0)).toEqual({ body: '@王芳 看下', caret: 4 });
    expect(insertMention('a ', '李娜')).toEqual({ body: 'a @李娜 ', caret: 6 });
    expect(insertMention('a @ b', '李娜', 3)).toEqual({ body: 'a @李娜 b', caret: 6 });
  });

  test('the body sends the userids still mentioned, once; empty or too long is refused', () => {
    const picked = [person('wangfang', '王芳'), person('lina', '李娜')];
    expect(mentionIds('@王芳 好的 @王芳', picked)).toEqual(['wangfang']);
    expect(commentInput('  @王芳 看下  ', picked, null)).toEqual({ input: { body: '@王芳 看下', mentions: ['wangfang'] } });
    expect(commentInput('好的', picked, 3)).toEqual({ input: { body: '好的', parentId: 3 } });
    expect(commentInput('   ', picked, null)).toEqual({ error: 'required' });
    expect(commentInput('x'.repeat(2001), [], null)).toEqual({ error: 'tooLong' });
  });
});

describe('files', () => {
  test('what the server keeps, said before uploading', () => {
    expect(fileProblem({ name: 'a.PNG', type: 'image/png', size: 10 })).toBeNull();
    expect(fileProblem({ name: 'sheet.csv', type: '', size: 10 })).toBeNull();
    expect(fileProblem({ name: 'sheet.csv', type: 'application/vnd.ms-excel', size: 10 })).toBeNull();
    expect(fileProblem({ name: 'brief.docx', type: 'application/octet-stream', size: 10 })).toBeNull();
    expect(fileProblem({ name: 'run.exe', type: 'application/x-msdownload', size: 10 })).toBe('type');
    expect(fileProblem({ name: 'fake.png', type: 'text/html', size: 10 })).toBe('type');
    expect(fileProblem({ name: 'a.pdf', type: 'application/pdf', size: 0 })).toBe('empty');
    expect(fileProblem({ name: 'a.pdf', type: 'application/pdf', size: FILE_MAX_BYTES + 1 })).toBe('size');
    expect(fileProblem({ name: 'a.pdf', type: 'application/pdf', size: FILE_MAX_BYTES })).toBeNull();
  });

  test('sizes and icons', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(12 * 1024)).toBe('12 KB');
    expect(formatBytes(1.5 * 1024 * 1024)).toBe('1.5 MB');
    expect(formatBytes(20 * 1024 * 1024)).toBe('20 MB');
    expect(fileIcon('image/png', 'a.png')).toBe('photo-o');
    expect(fileIcon('text/csv', 'a.csv')).toBe('bar-chart-o');
    expect(fileIcon('application/pdf', 'a.pdf')).toBe('description-o');
  });
});

describe('search', () => {
  test('query ⇄ URL, words trimmed and capped, a known kind', () => {
    expect(searchFromQuery({ q: ' 主图 ', kind: 'task' })).toEqual({ q: '主图', kind: 'task' });
    expect(searchFromQuery({ q: 'x', kind: 'order' })).toEqual({ q: 'x' });
    expect(searchFromQuery({ q: 'y'.repeat(300) }).q).toHaveLength(100);
    expect(queryFromSearch({ q: '  ' })).toEqual({});
    expect(queryFromSearch({ q: ' 主图 ', kind: 'file' })).toEqual({ q: '主图', kind: 'file' });
    expect(searchQuery({ q: ' a ' }, 'n', 20)).toEqual({ q: 'a', kind: undefined, cursor: 'n', limit: 20 });
  });

  const hit = (kind: SearchHit['kind'], id: number, over: Partial<SearchHit> = {}): SearchHit => ({
    kind,
    id,
    projectId: 7,
    taskId: kind === 'project' ? null : 70,
    title: 't',
    snippet: '',
    at: '2026-11-01T00:00:00.000Z',
    link: kind === 'project' ? '/projects/7' : '/tasks/70',
    ...over,
  });

  test('hits by kind in a fixed order, each opening in the app only', () => {
    const groups = groupHits([hit('comment', 1), hit('project', 2), hit('comment', 3), hit('file', 4)]);
    expect(groups.map((g) => [g.kind, g.hits.map((h) => h.id)])).toEqual([
      ['project', [2]],
      ['comment', [1, 3]],
      ['file', [4]],
    ]);
    expect(hitPath(hit('task', 1))).toBe('/tasks/70');
    expect(hitPath(hit('comment', 1, { link: 'https://evil.example/' }))).toBe('/tasks/70');
    expect(hitPath(hit('project', 1, { link: '//evil.example' }))).toBe('/projects/7');
  });

  test('the words are marked in a snippet, whatever their case', () => {
    expect(markWords('主图 Banner 和 banner', 'banner 主图')).toEqual([
      { text: '主图', hit: true },
      { text: ' ', hit: false },
      { text: 'Banner', hit: true },
      { text: ' 和 ', hit: false },
      { text: 'banner', hit: true },
    ]);
    expect(markWords('a+b (c)', 'a+b')).toEqual([
      { text: 'a+b', hit: true },
      { text: ' (c)', hit: false },
    ]);
    expect(markWords('text', ' ')).toEqual([{ text: 'text', hit: false }]);
  });
});
