import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { SopFileUploaded } from '@shopcrew/shared';
import { AppError, NotFoundError } from '../../errors';
import { safeFileName } from '../../http/multipart';
import { sniffFileType } from '../../lib/file-type';
import type { Storage } from '../../lib/storage';
import { SopFile } from './sop.entity';

export const MAX_FILE_BYTES = 10 * 1024 * 1024;

/** Evidence photos: checked by content, stored under a key of ours, downloaded by members who may read checklists. */
export class FileService {
  constructor(
    private readonly ds: DataSource,
    private readonly storage: Storage,
    private readonly now: () => number,
  ) {}

  async save(userid: string, name: string, bytes: Buffer): Promise<SopFileUploaded> {
    if (bytes.length > MAX_FILE_BYTES) throw new AppError(413, 'file_too_large', '照片不能超过 10 MB (file larger than 10 MB)', { limitBytes: MAX_FILE_BYTES });
    // Checked by content (lib/file-type.ts); evidence is photos only, so a PDF or a sheet is refused here too.
    const sniffed = sniffFileType(bytes, name);
    const kind = sniffed?.kind === 'image' ? sniffed : null;
    if (!kind) throw new AppError(415, 'unsupported_file_type', '只能上传 JPG、PNG、WebP 或 GIF 图片 (only jpeg, png, webp or gif images)');
    const date = new Date(this.now());
    const key = `sop/${date.getUTCFullYear()}/${randomUUID()}.${kind.ext}`;
    await this.storage.put(key, bytes);
    const fileName = safeFileName(name, `photo.${kind.ext}`);
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
