import type { DepartmentNode, MembersResponse } from '@shopcrew/shared';
import { get } from './http';

/** GET /api/org/departments: root departments, each with its children. */
export function fetchDepartments(signal?: AbortSignal): Promise<{ departments: DepartmentNode[] }> {
  return get<{ departments: DepartmentNode[] }>('/api/org/departments', { signal });
}

/** GET /api/org/members?department=ID: members of one department. */
export function fetchMembers(departmentId: number, signal?: AbortSignal): Promise<MembersResponse> {
  return get<MembersResponse>('/api/org/members', { query: { department: departmentId }, signal });
}
