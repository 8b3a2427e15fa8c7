import type { Readable } from 'node:stream';
import busboy from 'busboy';
import { AppError, ValidationError } from '../errors';

/**
 * The one file field (`file`) of a multipart body, read with busboy and capped at `maxBytes` (413 beyond; the rest is
 * drained). Browsers send file names in UTF-8, which busboy reads as latin1 unless told: 证据.png stays 证据.png.
 * Upload routes declare `upload: true` (routes.ts) so the CSRF check admits the multipart type.
 */
export function readMultipartFile(
  req: Readable & { headers: Record<string, string | string[] | undefined> },
  maxBytes: number,
): Promise<{ name: string; bytes: Buffer }> {
  return new Promise((resolve, reject) => {
    let bb: busboy.Busboy;
    try {
      bb = busboy({ headers: req.headers, defParamCharset: 'utf8', limits: { files: 1, fileSize: maxBytes, fields: 10 } });
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
      const mb = Math.round(maxBytes / 1024 / 1024);
      if (tooLarge) return reject(new AppError(413, 'file_too_large', `文件不能超过 ${mb} MB (file larger than ${mb} MB)`, { limitBytes: maxBytes }));
      if (!file) return reject(new ValidationError('请选择要上传的文件 (field "file" is required)', { field: 'file' }));
      resolve(file);
    });
    req.pipe(bb);
  });
}

/** A file name fit to show and to send back in Content-Disposition: no folders, no control characters. */
export function safeFileName(raw: string, fallback: string): string {
  const base = raw.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex -- control characters are exactly what must go
  const unsafe = /[\u0000-\u001f\u007f"]/g;
  const clean = base.replace(unsafe, '').replace(/^\.+/, '').trim().slice(0, 120);
  return clean || fallback;
}
