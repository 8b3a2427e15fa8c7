/**
 * What an uploaded file is, by its bytes: whatever its name or Content-Type claims. Only the types the product
 * accepts are recognised; anything else is null (the caller answers 415).
 *
 * - Images: JPEG, PNG, GIF, WebP by their signatures.
 * - PDF: `%PDF-` at the start.
 * - OOXML (xlsx / docx / pptx): a ZIP whose central directory lists `[Content_Types].xml` and the parts of exactly one
 *   of `xl/`, `word/`, `ppt/`. Read here from the ZIP's own records (PKWARE APPNOTE 4.3.12, 4.3.16), nothing is
 *   decompressed. Macro-enabled files (a `vbaProject.bin` part) are refused.
 * - Plain text and CSV: only by the name's extension (.txt / .csv: text has no signature), and only valid UTF-8 without
 *   NUL bytes. Excel's plain "CSV" on a Chinese Windows is GBK, not UTF-8: it is refused (save as "CSV UTF-8" or xlsx).
 */
export type FileKind = 'image' | 'document';

export interface FileType {
  /** The MIME type to store and to send back (text types are always UTF-8). */
  mime: string;
  /** The extension for our storage key and a download name, without the dot. */
  ext: string;
  kind: FileKind;
}

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const ascii = (b: Buffer, from: number, to: number): string => b.subarray(from, to).toString('latin1');

const SIGNATURES: Array<FileType & { test: (b: Buffer) => boolean }> = [
  { mime: 'image/jpeg', ext: 'jpg', kind: 'image', test: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { mime: 'image/png', ext: 'png', kind: 'image', test: (b) => b.subarray(0, 8).equals(PNG) },
  { mime: 'image/gif', ext: 'gif', kind: 'image', test: (b) => ['GIF87a', 'GIF89a'].includes(ascii(b, 0, 6)) },
  { mime: 'image/webp', ext: 'webp', kind: 'image', test: (b) => ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP' },
  { mime: 'application/pdf', ext: 'pdf', kind: 'document', test: (b) => ascii(b, 0, 5) === '%PDF-' },
];

const OOXML: Record<string, FileType> = {
  'xl/': { mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', ext: 'xlsx', kind: 'document' },
  'word/': { mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', ext: 'docx', kind: 'document' },
  'ppt/': { mime: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', ext: 'pptx', kind: 'document' },
};

const TEXT: Record<string, FileType> = {
  csv: { mime: 'text/csv', ext: 'csv', kind: 'document' },
  txt: { mime: 'text/plain', ext: 'txt', kind: 'document' },
};

/** The type of `bytes`, or null when it is none the product accepts. `fileName` only tells text from text. */
export function sniffFileType(bytes: Buffer, fileName = ''): FileType | null {
  const signed = SIGNATURES.find((s) => s.test(bytes));
  if (signed) return { mime: signed.mime, ext: signed.ext, kind: signed.kind };
  if (bytes.length >= 4 && bytes.readUInt32LE(0) === LOCAL_HEADER) return ooxmlType(bytes);
  const ext = /\.([A-Za-z0-9]{1,8})$/.exec(fileName)?.[1]?.toLowerCase();
  const text = ext ? TEXT[ext] : undefined;
  return text && isUtf8Text(bytes) ? { ...text } : null;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function isUtf8Text(bytes: Buffer): boolean {
  if (bytes.length === 0 || bytes.includes(0)) return false;
  try {
    utf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

// ZIP record signatures (little-endian "PK\3\4", "PK\1\2", "PK\5\6") and the fixed sizes of their records.
const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIR = 0x06054b50;
const EOCD_SIZE = 22;
const CENTRAL_HEADER_SIZE = 46;
/** More entries than any real Office file has (a large workbook has a few hundred); bounds the walk. */
const MAX_ENTRIES = 10_000;

/** xlsx / docx / pptx by the part names in the ZIP's central directory; null for any other or malformed ZIP. */
function ooxmlType(b: Buffer): FileType | null {
  const entries = centralDirectoryNames(b);
  if (!entries || !entries.includes('[Content_Types].xml')) return null;
  if (entries.some((name) => /(^|\/)vbaProject\.bin$/i.test(name))) return null;
  const found = Object.keys(OOXML).filter((prefix) => entries.some((name) => name.startsWith(prefix) && name.length > prefix.length));
  return found.length === 1 ? { ...OOXML[found[0]!]! } : null;
}

/**
 * The entry names listed in a ZIP's central directory, or null when the records do not add up. The end-of-central-
 * directory record is the last one in the file: searched backwards over at most its 65,535-byte comment, and taken only
 * where its comment length ends exactly at the end of the file. ZIP64 and multi-disk archives are refused.
 */
function centralDirectoryNames(b: Buffer): string[] | null {
  if (b.length < EOCD_SIZE) return null;
  let eocd = -1;
  for (let i = b.length - EOCD_SIZE; i >= Math.max(0, b.length - EOCD_SIZE - 0xffff); i--) {
    if (b.readUInt32LE(i) === END_OF_CENTRAL_DIR && i + EOCD_SIZE + b.readUInt16LE(i + 20) === b.length) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  const disk = b.readUInt16LE(eocd + 4);
  const cdDisk = b.readUInt16LE(eocd + 6);
  const countHere = b.readUInt16LE(eocd + 8);
  const count = b.readUInt16LE(eocd + 10);
  const cdSize = b.readUInt32LE(eocd + 12);
  const cdOffset = b.readUInt32LE(eocd + 16);
  if (disk !== 0 || cdDisk !== 0 || countHere !== count || count === 0xffff || cdOffset === 0xffffffff) return null;
  if (count === 0 || count > MAX_ENTRIES || cdOffset + cdSize > eocd) return null;

  const names: string[] = [];
  let p = cdOffset;
  for (let n = 0; n < count; n++) {
    if (p + CENTRAL_HEADER_SIZE > cdOffset + cdSize || b.readUInt32LE(p) !== CENTRAL_HEADER) return null;
    const nameLength = b.readUInt16LE(p + 28);
    const extraLength = b.readUInt16LE(p + 30);
    const commentLength = b.readUInt16LE(p + 32);
    const end = p + CENTRAL_HEADER_SIZE + nameLength + extraLength + commentLength;
    if (end > cdOffset + cdSize) return null;
    // General-purpose flag bit 11: the name is UTF-8; OOXML part names are ASCII either way.
    names.push(b.subarray(p + CENTRAL_HEADER_SIZE, p + CENTRAL_HEADER_SIZE + nameLength).toString('utf8'));
    p = end;
  }
  return names;
}
