import type {
  ActivityEntry,
  AttachmentView,
  CommentInput,
  CommentVersion,
  CommentView,
  MyTask,
  ProjectDetail,
  ProjectInput,
  ProjectListResponse,
  ProjectPatch,
  ProjectState,
  ProjectTemplate,
  SearchResponse,
  TaskDetail,
  TaskInput,
  TaskMoveInput,
  TaskMoveResult,
  TaskPatch,
  TaskView,
} from '@shopcrew/shared';
import { get, post, request, upload } from './http';

/**
 * 项目 (server/src/modules/projects, the contract in shared/src/api/projects.ts): projects and their tasks, a task's
 * comments and files, moving a task (with its dependants) and the search. Errors are ApiErrors as everywhere: 409
 * illegal_transition, 422 dependency_cycle / validation_failed carry the server's sentence.
 */

type Query = Record<string, string | number | undefined>;
const id = (value: number | string) => encodeURIComponent(String(value));

// ---- projects ----

/** GET /api/projects?state=&mine=1&cursor=&limit= (newest first; composables/projects.ts `listQuery`). */
export function fetchProjects(query: Query, signal?: AbortSignal): Promise<ProjectListResponse> {
  return get<ProjectListResponse>('/api/projects', { query, signal });
}

/** POST /api/projects (projects:manage; 201). */
export function createProject(body: ProjectInput): Promise<ProjectDetail> {
  return post<ProjectDetail>('/api/projects', body);
}

/** GET /api/projects/:id: the project with its tasks and critical path. */
export function fetchProject(projectId: number, signal?: AbortSignal): Promise<ProjectDetail> {
  return get<ProjectDetail>(`/api/projects/${id(projectId)}`, { signal });
}

/** PUT /api/projects/:id: any of name, goal, owner, start, end. */
export function updateProject(projectId: number, body: ProjectPatch): Promise<ProjectDetail> {
  return request<ProjectDetail>(`/api/projects/${id(projectId)}`, { method: 'PUT', body });
}

/** POST /api/projects/:id/transition {to} (409 illegal_transition). */
export function transitionProject(projectId: number, to: ProjectState): Promise<ProjectDetail> {
  return post<ProjectDetail>(`/api/projects/${id(projectId)}/transition`, { to });
}

/** GET /api/projects/templates. */
export function fetchProjectTemplates(signal?: AbortSignal): Promise<{ items: ProjectTemplate[] }> {
  return get<{ items: ProjectTemplate[] }>('/api/projects/templates', { signal });
}

/** GET /api/projects/:id/activity?cursor= (newest first). */
export function fetchProjectActivity(
  projectId: number,
  cursor: string | null,
  signal?: AbortSignal,
): Promise<{ items: ActivityEntry[]; nextCursor: string | null }> {
  return get(`/api/projects/${id(projectId)}/activity`, { query: { cursor: cursor ?? undefined }, signal });
}

// ---- tasks ----

/** POST /api/projects/:id/tasks (201; 422 dependency_cycle). */
export function createTask(projectId: number, body: TaskInput): Promise<TaskView> {
  return post<TaskView>(`/api/projects/${id(projectId)}/tasks`, body);
}

/** GET /api/tasks/:id: the task, its project, comments, files and activity. */
export function fetchTask(taskId: number, signal?: AbortSignal): Promise<TaskDetail> {
  return get<TaskDetail>(`/api/tasks/${id(taskId)}`, { signal });
}

/** PATCH /api/tasks/:id (dates go through `moveTask`; 422 dependency_cycle). */
export function updateTask(taskId: number, body: TaskPatch): Promise<TaskView> {
  return request<TaskView>(`/api/tasks/${id(taskId)}`, { method: 'PATCH', body });
}

/** DELETE /api/tasks/:id (204). */
export function deleteTask(taskId: number): Promise<void> {
  return request<void>(`/api/tasks/${id(taskId)}`, { method: 'DELETE' });
}

/** POST /api/tasks/:id/move {start, due, preview?}: the task and every dependant that moves with it; `preview` changes nothing. */
export function moveTask(taskId: number, body: TaskMoveInput): Promise<TaskMoveResult> {
  return post<TaskMoveResult>(`/api/tasks/${id(taskId)}/move`, body);
}

/** GET /api/tasks?view=mine: my open tasks across projects, soonest due first. */
export function fetchMyTasks(signal?: AbortSignal): Promise<{ items: MyTask[] }> {
  return get<{ items: MyTask[] }>('/api/tasks', { query: { view: 'mine' }, signal });
}

// ---- comments ----

/** POST /api/tasks/:id/comments {body, parentId?, mentions?} (201; mentions are userids). */
export function addComment(taskId: number, body: CommentInput): Promise<CommentView> {
  return post<CommentView>(`/api/tasks/${id(taskId)}/comments`, body);
}

/** PUT /api/comments/:id {body} (the author only). */
export function editComment(commentId: number, body: string): Promise<CommentView> {
  return request<CommentView>(`/api/comments/${id(commentId)}`, { method: 'PUT', body: { body } });
}

/** GET /api/comments/:id/history: the earlier versions. */
export function fetchCommentHistory(commentId: number, signal?: AbortSignal): Promise<{ items: CommentVersion[] }> {
  return get<{ items: CommentVersion[] }>(`/api/comments/${id(commentId)}/history`, { signal });
}

// ---- files ----

/** POST /api/tasks/:id/files, multipart field `file` (≤ 20 MB; 413 file_too_large, 415 unsupported_file_type; 201). */
export function uploadTaskFile(taskId: number, file: Blob, fileName: string): Promise<AttachmentView> {
  const form = new FormData();
  form.append('file', file, fileName);
  return upload<AttachmentView>(`/api/tasks/${id(taskId)}/files`, form);
}

/** GET /api/project-files/:id: the file itself (a link; the session cookie goes along). */
export const projectFileUrl = (fileId: number): string => `/api/project-files/${id(fileId)}`;

/** GET /api/project-files/:id/thumbnail: an image's thumbnail. */
export const projectThumbnailUrl = (fileId: number): string => `/api/project-files/${id(fileId)}/thumbnail`;

// ---- search ----

/** GET /api/search?q=&kind=&cursor=&limit= (newest first; only what the member may see). */
export function searchProjects(query: Query, signal?: AbortSignal): Promise<SearchResponse> {
  return get<SearchResponse>('/api/search', { query, signal });
}
