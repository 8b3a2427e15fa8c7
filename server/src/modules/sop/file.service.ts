import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import busboy from 'busboy';
import type { DataSource } from 'typeorm';
import type { SopFileUploaded } from '@shopcrew/shared';
import { AppError, NotFoundError, PayloadTooLargeError, ValidationError } from '../../errors';
import type { Storage } from '../../lib/storage';
import { SopFile } from './sop.entity';

export const MAX_FILE_BYTES = 10 * 1024 * 1024;

/** Image types by their first bytes: what a file is, whatever its name or Content-Type claims. */
const SNIFF: Array<{ mime: string; ext: string; test: (b: Buffer) => boolean }> = [
  { mime: 'image/jpeg', ext: 'jpg', test: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { mime: 'image/png', ext: 'png', test: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  { mime: 'image/gif', ext: 'gif', test: (b) => b.subarray(0, 4).toString('latin1') === 'GIF8' },
  { mime: 'image/webp', ext: 'webp', test: (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP' },
];

/** A file name fit to show and to send back in Content-Disposition: no folders, no control characters. */
export function safeFileName(raw: string, ext: string): string {
  const base = raw.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex -- control characters are exactly what must go
  const unsafe = /[\u0000-\u001f\u007f"]/g;
  const clean = base.replace(unsafe, '').replace(/^\.+/, '').trim().slice(0, 120);
  return clean || `photo.${ext}`;
}

/** The one file field of a multipart body, capped at MAX_FILE_BYTES (413 beyond, the rest drained). */
export function readMultipartFile(req: Readable & { headers: Record<string, string | string[] | undefined> }): Promise<{ name: string; bytes: Buffer }> {
  return new Promise((resolve, reject) => {
    let bb: busboy.Busboy;
    try {
      // Browsers send file names in UTF-8 (busboy reads latin1 unless told): 证据.png must stay 证据.png.
      bb = busboy({ headers: req.headers, defParamCharset: 'utf8', limits: { files: 1, fileSize: MAX_FILE_BYTES, fields: 10 } });
    } catch {
      return reject(new ValidationError('请以 multipart/form-data 上传文件 (send the file as multipart/form-data)', { field: 'file' }));
    }
    let file: { name: string; bytes: Buffer } | null = null;
    let tooLarge = false;
    bb.on('file', (field, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('limit', () => (tooLarge = true));
      stream.on('end', () => {
        if (field === 'file' && !tooLarge) file = { name: info.filename ?? '', bytes: Buffer.concat(chunks) };
      });
    });
    bb.on('error', () => reject(new ValidationError('上传内容无法解析 (malformed multipart body)', { field: 'file' })));
    bb.on('close', () => {
      if (tooLarge)
        return reject(new PayloadTooLargeError(`照片不能超过 ${MAX_FILE_BYTES / 1024 / 1024} MB (file larger than 10 MB)`, { limitBytes: MAX_FILE_BYTES }));
      if (!file) return reject(new ValidationError('请选择要上传的照片 (field "file" is required)', { field: 'file' }));
      resolve(file);
    });
    req.pipe(bb);
  });
}

/** Evidence photos: checked by content, stored under a key of ours, downloaded by members who may read checklists. */
export class FileService {
  constructor(
    private readonly ds: DataSource,
    private readonly storage: Storage,
    private readonly now: () => number,
  ) {}

  async save(userid: string, name: string, bytes: Buffer): Promise<SopFileUploaded> {
    if (bytes.length > MAX_FILE_BYTES) throw new PayloadTooLargeError('照片不能超过 10 MB (file larger than 10 MB)', { limitBytes: MAX_FILE_BYTES });
    const kind = SNIFF.find((s) => s.test(bytes));
    if (!kind) throw new AppError(415, 'unsupported_file_type', '只能上传 JPG、PNG、WebP 或 GIF 图片 (only jpeg, png, webp or gif images)');
    const date = new Date(this.now());
    const key = `sop/${date.getUTCFullYear()}/${randomUUID()}.${kind.ext}`;
    await this.storage.put(key, bytes);
    const fileName = safeFileName(name, kind.ext);
    const res = await this.ds
      .getRepository(SopFile)
      .insert({ storageKey: key, name: fileName, mime: kind.mime, size: bytes.length, uploadedBy: userid, uploadedAt: this.now() });
    return { fileId: Number((res.identifiers[0] as { id: number }).id), fileName, size: bytes.length, mime: kind.mime };
  }

  async read(id: number): Promise<{ file: SopFile; bytes: Buffer }> {
    const file = await this.ds.getRepository(SopFile).findOneBy({ id });
    const bytes = file ? await this.storage.get(file.storageKey) : null;
    if (!file || !bytes) throw new NotFoundError('文件不存在 (file not found)');
    return { file, bytes };
  }
}
