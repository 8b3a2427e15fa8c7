import type { HomeResponse } from '@shopcrew/shared';
import { get, type RequestOptions } from './http';

/** GET /api/home: the counters modules contribute, those the member's permissions allow. */
export function fetchHome(options?: Pick<RequestOptions, 'signal' | 'redirectOn401'>): Promise<HomeResponse> {
  return get<HomeResponse>('/api/home', options);
}
