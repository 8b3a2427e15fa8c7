import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Actor, AttachmentView } from '@shopcrew/shared';
import { AppError, NotFoundError } from '../../errors';
import { safeFileName } from '../../http/multipart';
import { sniffFileType } from '../../lib/file-type';
import type { Storage } from '../../lib/storage';
import { ImageRejectedError, thumbnail } from '../../lib/thumbnail';
import type { UnitOfWork } from '../../platform/tx';
import { readable } from './access';
import { logActivity } from './activity';
import type { Indexer, People } from './ports';
import { Project, ProjectFile, ProjectTask } from './project.entity';

export const MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024;

/**
 * Task attachments (main-image versions, price sheets): checked by content (images, pdf, Office, UTF-8 csv/txt; 415
 * otherwise), ≤ 20 MB, stored under a key of ours in the configured storage (local disk or S3), images with a WebP
 * thumbnail; downloaded by members who may see the project. The bytes are written before the row, so a row always has
 * its file; a crash between leaves an orphan file, never a broken row.
 */
export class ProjectFileService {
  constructor(
    private readonly ds: DataSource,
    private readonly uow: UnitOfWork,
    private readonly storage: Storage,
    private readonly people: People,
    private readonly index: Indexer,
    private readonly now: () => number,
  ) {}

  async upload(actor: Actor, taskId: number, rawName: string, bytes: Buffer, requestId?: string): Promise<AttachmentView> {
    const t = await this.ds.getRepository(ProjectTask).findOneBy({ id: taskId });
    if (!t) throw new NotFoundError('任务不存在 (task not found)');
    const p = readable(actor, await this.ds.getRepository(Project).findOneBy({ id: t.projectId }));
    const type = sniffFileType(bytes, rawName);
    if (!type)
      throw new AppError(415, 'unsupported_file_type', '只能上传图片（JPG/PNG/WebP/GIF）、PDF、Office 文档或 UTF-8 的 CSV/TXT (unsupported file type)');
    const thumb = await thumbnail(bytes, type.mime).catch((err: unknown) => {
      if (err instanceof ImageRejectedError) throw new AppError(422, 'image_rejected', '图片无法读取或尺寸过大 (the image cannot be read or is too large)');
      throw err;
    });
    const base = `projects/${p.id}/${randomUUID()}`;
    const key = `${base}.${type.ext}`;
    await this.storage.put(key, bytes);
    if (thumb) await this.storage.put(`${base}-thumb.webp`, thumb);
    const name = safeFileName(rawName, `file.${type.ext}`);
    const id = await this.uow.run({ actor: actor.userid, requestId }, async (tx) => {
      const now = this.now();
      const res = await tx.manager.insert(ProjectFile, {
        taskId,
        projectId: p.id,
        storageKey: key,
        thumbKey: thumb ? `${base}-thumb.webp` : null,
        name,
        mime: type.mime,
        size: bytes.length,
        uploadedBy: actor.userid,
        uploadedAt: now,
      });
      const fileId = Number((res.identifiers[0] as { id: number }).id);
      await logActivity(tx.manager, now, { projectId: p.id, taskId, actor: actor.userid, kind: 'attachment', to: name, text: `上传了附件「${name}」` });
      await this.index.upsert(tx.manager, { kind: 'file', refId: fileId, projectId: p.id, taskId, shopId: p.shopId, title: t.title, body: name, at: now });
      return fileId;
    });
    return (await this.ofTask(taskId)).find((f) => f.id === id)!;
  }

  /** The file's bytes (or its thumbnail), for a member who may see its project. */
  async read(actor: Actor, id: number, variant: 'file' | 'thumbnail'): Promise<{ file: ProjectFile; bytes: Buffer; mime: string }> {
    const file = await this.ds.getRepository(ProjectFile).findOneBy({ id });
    if (!file) throw new NotFoundError('文件不存在 (file not found)');
    readable(actor, await this.ds.getRepository(Project).findOneBy({ id: file.projectId }));
    const key = variant === 'thumbnail' ? file.thumbKey : file.storageKey;
    const bytes = key ? await this.storage.get(key) : null;
    if (!bytes) throw new NotFoundError('文件不存在 (file not found)');
    return { file, bytes, mime: variant === 'thumbnail' ? 'image/webp' : file.mime };
  }

  async ofTask(taskId: number): Promise<AttachmentView[]> {
    const rows = await this.ds.getRepository(ProjectFile).find({ where: { taskId }, order: { id: 'DESC' } });
    const names = await this.people.namesOf([...new Set(rows.map((f) => f.uploadedBy))]);
    return rows.map((f) => ({
      id: f.id,
      taskId: f.taskId,
      name: f.name,
      mime: f.mime,
      size: f.size,
      uploadedBy: { userid: f.uploadedBy, name: names.get(f.uploadedBy) ?? f.uploadedBy },
      uploadedAt: new Date(f.uploadedAt).toISOString(),
      hasThumbnail: f.thumbKey !== null,
    }));
  }
}
