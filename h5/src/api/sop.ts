import type {
  HandoverResponse,
  SopFileUploaded,
  SopRule,
  SopRuleInput,
  SopRunDetail,
  SopRunInput,
  SopRunListResponse,
  SopStepInput,
  SopTemplateDetail,
  SopTemplateInput,
  SopTemplateSummary,
} from '@shopcrew/shared';
import { get, post, request, upload } from './http';

/**
 * SOP 清单 (server/src/modules/sop): templates (versioned; saving one publishes a new version), rules that start
 * runs, runs and their steps, evidence photos, and the handovers of members who left. Errors are ApiErrors as
 * everywhere; a step refused for want of its evidence is 422 `evidence_required` with the server's sentence.
 */

const id = (value: number | string) => encodeURIComponent(String(value));

// ---- templates (sop:manage to write) ----

/** GET /api/sop/templates. */
export function fetchTemplates(signal?: AbortSignal): Promise<{ items: SopTemplateSummary[] }> {
  return get<{ items: SopTemplateSummary[] }>('/api/sop/templates', { signal });
}

/** GET /api/sop/templates/:id: the current version's steps and every version, newest first. */
export function fetchTemplate(templateId: number, signal?: AbortSignal): Promise<SopTemplateDetail> {
  return get<SopTemplateDetail>(`/api/sop/templates/${id(templateId)}`, { signal });
}

/** POST /api/sop/templates (201, version 1). */
export function createTemplate(body: SopTemplateInput): Promise<SopTemplateDetail> {
  return post<SopTemplateDetail>('/api/sop/templates', body);
}

/** PUT /api/sop/templates/:id: publishes the next version (running checklists keep theirs). */
export function updateTemplate(templateId: number, body: SopTemplateInput): Promise<SopTemplateDetail> {
  return request<SopTemplateDetail>(`/api/sop/templates/${id(templateId)}`, { method: 'PUT', body });
}

// ---- rules (sop:manage) ----

/** GET /api/sop/rules. */
export function fetchRules(signal?: AbortSignal): Promise<{ items: SopRule[] }> {
  return get<{ items: SopRule[] }>('/api/sop/rules', { signal });
}

/** POST /api/sop/rules (201). */
export function createRule(body: SopRuleInput): Promise<SopRule> {
  return post<SopRule>('/api/sop/rules', body);
}

/** PUT /api/sop/rules/:id (every field). */
export function updateRule(ruleId: number, body: SopRuleInput): Promise<SopRule> {
  return request<SopRule>(`/api/sop/rules/${id(ruleId)}`, { method: 'PUT', body });
}

/** DELETE /api/sop/rules/:id (204). */
export function deleteRule(ruleId: number): Promise<void> {
  return request<void>(`/api/sop/rules/${id(ruleId)}`, { method: 'DELETE' });
}

// ---- runs ----

/** GET /api/sop/runs?view=mine|team&subject=&state=&cursor=&limit= (composables/sop.ts `listQuery`). */
export function fetchRuns(query: Record<string, string | number | undefined>, signal?: AbortSignal): Promise<SopRunListResponse> {
  return get<SopRunListResponse>('/api/sop/runs', { query, signal });
}

/** POST /api/sop/runs (sop:run; 201): a run of the template's current version. */
export function createRun(body: SopRunInput): Promise<SopRunDetail> {
  return post<SopRunDetail>('/api/sop/runs', body);
}

/** GET /api/sop/runs/:id (404 for a run the member may not see). */
export function fetchRun(runId: number, signal?: AbortSignal): Promise<SopRunDetail> {
  return get<SopRunDetail>(`/api/sop/runs/${id(runId)}`, { signal });
}

/**
 * POST /api/sop/runs/:id/steps/:stepId: done (with its evidence), skipped (with a reason) or back to todo. 422
 * `evidence_required` / `validation_failed`, 403 when the step is not the member's, 409 `run_not_running`.
 */
export function setStep(runId: number, stepId: number, body: SopStepInput): Promise<SopRunDetail> {
  return post<SopRunDetail>(`/api/sop/runs/${id(runId)}/steps/${id(stepId)}`, body);
}

// ---- evidence photos ----

/** POST /api/sop/files, multipart field `file` (jpeg/png/webp/gif ≤ 10 MB; 413 file_too_large, 415 unsupported_file_type). */
export function uploadFile(file: Blob, fileName: string): Promise<SopFileUploaded> {
  const form = new FormData();
  form.append('file', file, fileName);
  return upload<SopFileUploaded>('/api/sop/files', form);
}

/** POST /api/sop/files {mediaId}: a photo uploaded to WeCom by the JS-SDK (ww.uploadImage's serverId); the server fetches it. */
export function uploadWecomMedia(mediaId: string): Promise<SopFileUploaded> {
  return post<SopFileUploaded>('/api/sop/files', { mediaId }, { timeoutMs: 30_000 });
}

/** GET /api/sop/files/:fileId: the photo itself (an <img src>; the session cookie goes along). */
export function fileUrl(fileId: number): string {
  return `/api/sop/files/${id(fileId)}`;
}

// ---- handovers ----

/** GET /api/handovers/:userid: the work that moved when the member left (owners and the member's leads). */
export function fetchHandovers(userid: string, signal?: AbortSignal): Promise<HandoverResponse> {
  return get<HandoverResponse>(`/api/handovers/${id(userid)}`, { signal });
}
