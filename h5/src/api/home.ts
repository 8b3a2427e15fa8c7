import type { HomeSummary } from '@shopcrew/shared';
import { get, type RequestOptions } from './http';

/** GET /api/home: counts of what needs the signed-in member. */
export function fetchHomeSummary(options?: Pick<RequestOptions, 'signal' | 'redirectOn401'>): Promise<HomeSummary> {
  return get<HomeSummary>('/api/home', options);
}
