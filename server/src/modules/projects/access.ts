import { can, type Actor } from '@shopcrew/shared';
import { ForbiddenError, NotFoundError } from '../../errors';
import type { Project, ProjectTask } from './project.entity';

/** Who may see and change what: projects:read / projects:manage in the project's shop; a task's owner may always update it. */
export const mayRead = (actor: Actor, p: Pick<Project, 'shopId'>): boolean => can(actor, 'projects:read', { shopId: p.shopId });
export const mayManage = (actor: Actor, p: Pick<Project, 'shopId'>): boolean => can(actor, 'projects:manage', { shopId: p.shopId });
export const mayEditTask = (actor: Actor, p: Pick<Project, 'shopId'>, t: Pick<ProjectTask, 'owner'>): boolean =>
  mayManage(actor, p) || (mayRead(actor, p) && t.owner === actor.userid);

/** The project if the member may see it; a 404 otherwise (its existence is not told). */
export function readable(actor: Actor, p: Project | null): Project {
  if (!p || !mayRead(actor, p)) throw new NotFoundError('项目不存在 (project not found)');
  return p;
}

export function manageable(actor: Actor, p: Project): Project {
  if (!mayManage(actor, p)) throw new ForbiddenError('只有店长和运营总监可以管理项目 (projects:manage is required)');
  return p;
}
