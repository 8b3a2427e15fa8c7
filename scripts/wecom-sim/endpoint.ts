// The shape of one simulated /cgi-bin endpoint (api.ts runs the shared pipeline: limit → fault → token → handler).
import type { SecretKind, SimState, TokenRecord } from './state';

export interface ApiRequest {
  query: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
  token?: TokenRecord;
}

export interface Endpoint {
  method: 'GET' | 'POST';
  /** Which secrets' tokens may call it; undefined = no access_token (gettoken; the robot webhook, keyed by ?key=). */
  secrets?: SecretKind[];
  /**
   * Not subject to the frequency limit (message/send https://developer.work.weixin.qq.com/document/path/90236;
   * getuserinfo https://developer.work.weixin.qq.com/document/path/90454).
   */
  unlimited?: boolean;
  /** A messaging path: options.messagingLatencyMs is added to its latency. */
  messaging?: boolean;
  handler: (req: ApiRequest, state: SimState) => Record<string, unknown>;
}

export const AGENT: SecretKind[] = ['agent'];
