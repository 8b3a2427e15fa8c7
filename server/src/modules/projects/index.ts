import type { EntityManager } from 'typeorm';
import { taskAutomationAction } from './automation-actions';
import { createStorage } from '../../lib/create-storage';
import { digestCron } from '../../platform/digests';
import { defineModule } from '../../platform/module';
import { SearchIndex } from '../../platform/search';
import { CommentService } from './comment.service';
import { todayIn } from './days';
import { ProjectFileService } from './file.service';
import { PROJECT_EVENTS } from './project.events';
import { Project, ProjectActivity, ProjectFile, ProjectTask, TaskComment, TaskCommentVersion, TaskDependency } from './project.entity';
import { projectRoutes } from './project.routes';
import { ProjectSearch } from './project-search';
import { ProjectService } from './project.service';
import { ProjectViews } from './project-view';
import { TaskReminders } from './reminders';
import { TaskQuery } from './task-query';
import { TaskService } from './task.service';

declare module '../../platform/services' {
  interface ServiceMap {
    projects: ProjectService;
    projectTasks: TaskService;
    projectComments: CommentService;
    taskReminders: TaskReminders;
  }
}

/** Campaign projects: tasks with owners, dates and dependencies, a Gantt, comments, files, search (README.md). */
export const projectsModule = defineModule({
  name: 'projects',
  entities: [Project, ProjectTask, TaskDependency, TaskComment, TaskCommentVersion, ProjectFile, ProjectActivity],
  create: ({ config, ds, uow, services, scheduler }) => {
    const now = () => scheduler.clock.now();
    const org = services.get('org');
    const people = {
      namesOf: (userids: readonly string[], manager?: EntityManager) => org.namesOf(userids, manager),
      active: async (userids: readonly string[]) => new Set((await org.membersByIds([...userids])).filter((m) => m.active).map((m) => m.userid)),
    };
    const search = new SearchIndex(ds);
    const index = {
      upsert: (m: EntityManager, doc: Parameters<SearchIndex['upsert']>[1]) => search.upsert(m, doc),
      remove: (m: EntityManager, kind: Parameters<SearchIndex['remove']>[1], refId: number) => search.remove(m, kind, refId),
      removeTask: (m: EntityManager, taskId: number) => search.removeTask(m, taskId),
    };
    const views = new ProjectViews(people.namesOf, () => todayIn(config.TZ_CORP, now()));
    const shops = services.get('shops');
    const projects = new ProjectService(ds, uow, views, people, index, now, async (shopId) => (await shops.get(shopId).catch(() => null)) !== null);
    const tasks = new TaskService(ds, uow, views, people, index, now);
    const comments = new CommentService(ds, uow, people, index, now);
    const files = new ProjectFileService(ds, uow, createStorage(config), people, index, now);
    const taskQuery = new TaskQuery(ds, views, comments, files, people);
    const reminders = new TaskReminders(ds, uow);
    return {
      provides: { projects, projectTasks: tasks, projectComments: comments, taskReminders: reminders },
      events: PROJECT_EVENTS,
      routes: projectRoutes({ projects, tasks, taskQuery, comments, files, search: new ProjectSearch(search) }),
      automationActions: [taskAutomationAction(tasks, people, config.TZ_CORP, now)],
      // Due-tomorrow and overdue reminders once a day, with the morning digest's minute (TZ_CORP).
      jobs: [
        {
          key: 'projects.reminders',
          cron: digestCron(config.DIGEST_WEEKLY_AT, false),
          run: () => reminders.run(todayIn(config.TZ_CORP, now())).then(() => undefined),
        },
      ],
      homeCounters: [
        {
          key: 'projects.mine',
          permission: 'projects:read',
          labelKey: 'projects.home.mine',
          emptyKey: 'projects.home.mineEmpty',
          link: '/tasks/mine',
          icon: 'cluster-o',
          count: async (actor) => (await tasks.mine(actor)).length,
        },
      ],
    };
  },
});
