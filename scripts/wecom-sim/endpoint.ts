// The shape of one simulated /cgi-bin endpoint (api.ts runs the shared pipeline: limit → fault → token → handler).
import type { FileReply, UploadedFile } from './media';
import type { SecretKind, SimState, TokenRecord } from './state';

export interface ApiRequest {
  query: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
  /** multipart/form-data file parts by field name (endpoints with `body: 'multipart'`). */
  files?: Record<string, UploadedFile>;
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
  /** How a POST body is read: a JSON object (default) or multipart/form-data files (media/upload). */
  body?: 'json' | 'multipart';
  /** A JSON answer (errcode 0 is added), or a file (media/get). */
  handler: (req: ApiRequest, state: SimState) => Record<string, unknown> | FileReply;
}

export const AGENT: SecretKind[] = ['agent'];
