import type { MeResponse } from '@shopcrew/shared';
import { get, type RequestOptions } from './http';

/** GET /api/me: the signed-in member, their roles and permissions. 401 when there is no session. */
export function fetchMe(options?: Pick<RequestOptions, 'signal' | 'redirectOn401'>): Promise<MeResponse> {
  return get<MeResponse>('/api/me', options);
}
