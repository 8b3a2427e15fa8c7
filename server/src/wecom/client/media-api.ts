import type { WeComClient } from './wecom-client';

/** The largest file media.get() accepts: WeCom's largest temporary media (普通文件 20MB, https://developer.work.weixin.qq.com/document/path/90253). */
export const MAX_MEDIA_BYTES = 20 * 1024 * 1024;

export interface MediaFile {
  bytes: Buffer;
  /** As WeCom sent it, e.g. "image/jpeg". */
  contentType: string;
  /** From Content-disposition (percent-decoded); null when WeCom sent none. */
  fileName: string | null;
}

/** 素材管理: temporary media (上传 https://developer.work.weixin.qq.com/document/path/90253, 获取 …/90254). */
export class MediaApi {
  constructor(private readonly client: WeComClient) {}

  /**
   * 获取临时素材 media/get (https://developer.work.weixin.qq.com/document/path/90254) with the agent token: a media_id
   * from media/upload or from the JS-SDK's uploadImage (`serverId`), valid 3 days and shared by the corp's apps. An
   * unknown or expired id throws WeComApiError 40007; a file over 20 MB throws WeComDownloadTooLargeError.
   */
  async get(mediaId: string): Promise<MediaFile> {
    const res = await this.client.download('media/get', { media_id: mediaId }, { maxBytes: MAX_MEDIA_BYTES });
    return { bytes: res.bytes, contentType: res.contentType, fileName: fileNameOf(res.contentDisposition) };
  }
}

/**
 * The filename of a Content-disposition header: RFC 6266 `filename*=UTF-8''…` first, else `filename="…"` (WeCom sends
 * `attachment; filename="MEDIA_ID.jpg"`; non-ASCII names come percent-encoded), decoded when it is percent-encoding.
 * Only the last path segment is kept, so a name can never carry a directory.
 */
export function fileNameOf(disposition: string | null): string | null {
  if (!disposition) return null;
  const extended = /\bfilename\*\s*=\s*utf-8''([^;\s]+)/i.exec(disposition);
  const plain = /\bfilename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]+))/i.exec(disposition);
  const raw = extended?.[1] ?? plain?.[1]?.replace(/\\(.)/g, '$1') ?? plain?.[2];
  if (raw === undefined) return null;
  let name = raw.trim();
  try {
    name = decodeURIComponent(name);
  } catch {
    // not percent-encoding: keep it as sent
  }
  name = name.split(/[/\\]/).pop() ?? '';
  return name === '' || name === '.' || name === '..' ? null : name;
}
