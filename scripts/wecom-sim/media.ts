// Temporary media (素材管理): media/upload (https://developer.work.weixin.qq.com/document/path/90253) and media/get
// (https://developer.work.weixin.qq.com/document/path/90254). A media_id lives 3 days on the simulator's clock and is
// shared by every app of the corp. Errcodes from the global table (https://developer.work.weixin.qq.com/document/path/90313):
// 40005 invalid `type`, 40004 a file not in the type's format, 40006 a file of 5 bytes or less (or a voice/file over its
// limit), 40009 an image over 10MB, 40011 a video over 10MB, 44001 no `media` part, 41006 no media_id, 40007 an unknown
// or expired media_id.
import busboy from 'busboy';
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Endpoint } from './endpoint';
import { ApiError } from './errors';
import { q } from './http';

export type MediaType = 'image' | 'voice' | 'video' | 'file';

export interface StoredMedia {
  mediaId: string;
  type: MediaType;
  bytes: Buffer;
  /** What media/get answers as Content-Type: the sniffed format for image/voice/video, the declared one for file. */
  contentType: string;
  /** The upload's filename (what media/get names in Content-disposition); `${mediaId}.${ext}` when none was given. */
  filename: string;
  /** Epoch ms on the simulator's clock. */
  createdAt: number;
}

/** An uploaded multipart file part. */
export interface UploadedFile {
  bytes: Buffer;
  filename?: string;
  contentType: string;
  /** More bytes were sent than the reader kept (MAX_UPLOAD_BYTES). */
  truncated: boolean;
}

/** A binary answer (media/get): the bytes with their Content-Type and a Content-disposition filename. */
export class FileReply {
  constructor(
    readonly bytes: Buffer,
    readonly contentType: string,
    readonly filename: string,
  ) {}

  /** `attachment; filename="…"` as in 90254; a name outside printable ASCII (or with `"` `\` `%`) is percent-encoded. */
  disposition(): string {
    const name = /[^\x20-\x7e]|["\\%]/.test(this.filename) ? encodeURIComponent(this.filename) : this.filename;
    return `attachment; filename="${name}"`;
  }
}

export const MEDIA_TTL_MS = 3 * 24 * 3600_000;
const MB = 1024 * 1024;

interface Format {
  ext: string;
  contentType: string;
  matches: (b: Buffer) => boolean;
}

const JPG: Format = { ext: 'jpg', contentType: 'image/jpeg', matches: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff };
const PNG: Format = {
  ext: 'png',
  contentType: 'image/png',
  matches: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
};
const AMR: Format = { ext: 'amr', contentType: 'audio/amr', matches: (b) => b.subarray(0, 5).toString('latin1') === '#!AMR' };
const MP4: Format = { ext: 'mp4', contentType: 'video/mp4', matches: (b) => b.subarray(4, 8).toString('latin1') === 'ftyp' };

/** 上传的媒体文件限制 (90253): every file over 5 bytes; image 10MB JPG/PNG, voice 2MB AMR, video 10MB MP4, file 20MB. */
export const MEDIA_LIMITS: Record<MediaType, { maxBytes: number; tooLarge: number; formats?: Format[] }> = {
  image: { maxBytes: 10 * MB, tooLarge: 40009, formats: [JPG, PNG] },
  voice: { maxBytes: 2 * MB, tooLarge: 40006, formats: [AMR] },
  video: { maxBytes: 10 * MB, tooLarge: 40011, formats: [MP4] },
  file: { maxBytes: 20 * MB, tooLarge: 40006 },
};

/** The multipart reader keeps at most one byte over the largest limit, enough to tell "too large". */
export const MAX_UPLOAD_BYTES = 20 * MB + 1;

export const isMediaType = (t: string | undefined): t is MediaType => t !== undefined && Object.hasOwn(MEDIA_LIMITS, t);

/** The media type a content type suggests (for sim.putMedia without an explicit type). */
export function mediaTypeFor(contentType: string): MediaType {
  if (/^image\//i.test(contentType)) return 'image';
  if (/^audio\/amr\b/i.test(contentType)) return 'voice';
  if (/^video\/mp4\b/i.test(contentType)) return 'video';
  return 'file';
}

export class MediaStore {
  private readonly items = new Map<string, StoredMedia>();

  /** Validate as media/upload does and store; throws ApiError with the documented errcode. */
  put(type: string | undefined, file: UploadedFile | undefined, now: number): StoredMedia {
    if (!isMediaType(type)) throw new ApiError(40005);
    if (!file || file.bytes.length === 0) throw new ApiError(44001);
    const limit = MEDIA_LIMITS[type];
    if (file.bytes.length <= 5) throw new ApiError(40006, 'media size must be more than 5 bytes');
    if (file.truncated || file.bytes.length > limit.maxBytes) throw new ApiError(limit.tooLarge, `${type} size exceed max size ${limit.maxBytes}`);
    const format = limit.formats?.find((f) => f.matches(file.bytes));
    if (limit.formats && !format) throw new ApiError(40004, `${type} must be ${limit.formats.map((f) => f.ext.toUpperCase()).join(' or ')}`);
    this.prune(now);
    const mediaId = randomBytes(33).toString('base64url');
    const rec: StoredMedia = {
      mediaId,
      type,
      bytes: Buffer.from(file.bytes),
      contentType: format?.contentType ?? file.contentType,
      filename: file.filename || `${mediaId}.${format?.ext ?? 'bin'}`,
      createdAt: now,
    };
    this.items.set(mediaId, rec);
    return rec;
  }

  /** 40007 for an unknown or expired (3 days) media_id. */
  get(mediaId: string, now: number): StoredMedia {
    const rec = this.items.get(mediaId);
    if (!rec || now >= rec.createdAt + MEDIA_TTL_MS) throw new ApiError(40007);
    return rec;
  }

  /** Stored media, expired or not (for assertions). */
  peek(mediaId: string): StoredMedia | undefined {
    return this.items.get(mediaId);
  }

  private prune(now: number): void {
    for (const [id, rec] of this.items) if (now >= rec.createdAt + MEDIA_TTL_MS) this.items.delete(id);
  }
}

/** multipart/form-data file parts by field name (busboy); not multipart at all → no parts. */
export function readMultipartFiles(req: IncomingMessage, maxFileBytes = MAX_UPLOAD_BYTES): Promise<Record<string, UploadedFile>> {
  return new Promise((resolve, reject) => {
    let bb: busboy.Busboy;
    try {
      bb = busboy({ headers: req.headers, defParamCharset: 'utf8', limits: { fileSize: maxFileBytes, files: 4, fields: 16, parts: 20 } });
    } catch {
      req.resume();
      resolve({});
      return;
    }
    const files: Record<string, UploadedFile> = {};
    bb.on('file', (name, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        files[name] ??= { bytes: Buffer.concat(chunks), filename: info.filename, contentType: info.mimeType, truncated: stream.truncated === true };
      });
    });
    bb.on('error', (err: Error) => reject(new ApiError(44001, `malformed multipart body: ${err.message}`)));
    bb.on('close', () => resolve(files));
    req.pipe(bb);
  });
}

export const MEDIA_ENDPOINTS: Record<string, Endpoint> = {
  // https://developer.work.weixin.qq.com/document/path/90253: created_at is a string of epoch seconds, as in the doc's example
  '/cgi-bin/media/upload': {
    method: 'POST',
    secrets: ['agent'],
    body: 'multipart',
    handler: (req, s) => {
      const rec = s.media.put(q(req.query, 'type'), req.files?.['media'], s.now());
      return { type: rec.type, media_id: rec.mediaId, created_at: String(Math.floor(rec.createdAt / 1000)) };
    },
  },
  // https://developer.work.weixin.qq.com/document/path/90254
  '/cgi-bin/media/get': {
    method: 'GET',
    secrets: ['agent'],
    handler: (req, s) => {
      const mediaId = q(req.query, 'media_id');
      if (!mediaId) throw new ApiError(41006);
      const rec = s.media.get(mediaId, s.now());
      return new FileReply(rec.bytes, rec.contentType, rec.filename);
    },
  },
};
