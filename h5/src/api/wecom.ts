import type { JssdkConfigResponse } from '@shopcrew/shared';
import { get } from './http';

/** GET /api/wecom/jssdk-config?url=…: corp id, agent id and both JS-SDK signatures for `url` (no #fragment). */
export function fetchJssdkConfig(url: string): Promise<JssdkConfigResponse> {
  return get<JssdkConfigResponse>('/api/wecom/jssdk-config', { query: { url } });
}
