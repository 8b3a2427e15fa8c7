/** sniffFileType: what a file is by its bytes. Images are made by sharp; the OOXML files by a minimal ZIP writer below. */
import { crc32, deflateRawSync } from 'node:zlib';
import sharp from 'sharp';
import type { DataSource } from 'typeorm';
import { sniffFileType } from '../../../server/src/lib/file-type';
import type { Storage } from '../../../server/src/lib/storage';
import { FileService } from '../../../server/src/modules/sop/file.service';

/**
 * A ZIP as Office writes one (PKWARE APPNOTE): local headers + deflated data, then the central directory and the
 * end-of-central-directory record, with an optional archive comment.
 */
function zip(entries: Record<string, string>, comment = ''): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(entries)) {
    const data = Buffer.from(text);
    const packed = deflateRawSync(data);
    const nameBytes = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(crc32(data), 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(45, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc32(data), 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, packed);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + packed.length;
  }
  const cd = Buffer.concat(centrals);
  const commentBytes = Buffer.from(comment, 'latin1');
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(Object.keys(entries).length, 8);
  eocd.writeUInt16LE(Object.keys(entries).length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  eocd.writeUInt16LE(commentBytes.length, 20);
  return Buffer.concat([...locals, cd, eocd, commentBytes]);
}

const TYPES = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>';
const RELS = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>';
const XLSX = {
  '[Content_Types].xml': TYPES,
  '_rels/.rels': RELS,
  'docProps/app.xml': '<x/>',
  'xl/workbook.xml': '<workbook/>',
  'xl/worksheets/sheet1.xml': '<worksheet/>',
  'xl/styles.xml': '<s/>',
};
const DOCX = {
  '[Content_Types].xml': TYPES,
  '_rels/.rels': RELS,
  'word/document.xml': '<w:document/>',
  'word/_rels/document.xml.rels': RELS,
  'docProps/core.xml': '<c/>',
};
const PPTX = { '[Content_Types].xml': TYPES, '_rels/.rels': RELS, 'ppt/presentation.xml': '<p/>', 'ppt/slides/slide1.xml': '<p:sld/>' };

const image = (format: 'jpeg' | 'png' | 'gif' | 'webp'): Promise<Buffer> =>
  sharp({ create: { width: 8, height: 6, channels: 3, background: '#3366cc' } })
    .toFormat(format)
    .toBuffer();

describe('sniffFileType', () => {
  it.each([
    ['jpeg', 'image/jpeg', 'jpg'],
    ['png', 'image/png', 'png'],
    ['gif', 'image/gif', 'gif'],
    ['webp', 'image/webp', 'webp'],
  ] as const)('%s by content, whatever the name says', async (format, mime, ext) => {
    expect(sniffFileType(await image(format), 'report.pdf')).toEqual({ mime, ext, kind: 'image' });
  });

  it('PDF by its header', () => {
    expect(sniffFileType(Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n', 'latin1'), 'x.bin')).toEqual({
      mime: 'application/pdf',
      ext: 'pdf',
      kind: 'document',
    });
  });

  it('xlsx, docx and pptx from the ZIP central directory, under any name', () => {
    expect(sniffFileType(zip(XLSX), '报价单.zip')).toEqual({
      mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      ext: 'xlsx',
      kind: 'document',
    });
    expect(sniffFileType(zip(DOCX), 'a')).toMatchObject({ ext: 'docx', mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' });
    expect(sniffFileType(zip(PPTX), 'a.xlsx')).toMatchObject({
      ext: 'pptx',
      mime: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    });
  });

  it('finds the end record past an archive comment that itself contains the signature', () => {
    expect(sniffFileType(zip(XLSX, 'PK\x05\x06 not the end record, just a comment'), '')).toMatchObject({ ext: 'xlsx' });
  });

  it('refuses other ZIPs: a plain archive, no [Content_Types].xml, two kinds at once, macros, truncation', () => {
    expect(sniffFileType(zip({ 'readme.txt': 'hi', 'a/b.txt': 'x' }), 'a.zip')).toBeNull();
    const { ['[Content_Types].xml']: _types, ...noTypes } = XLSX;
    expect(sniffFileType(zip(noTypes), 'a.xlsx')).toBeNull();
    expect(sniffFileType(zip({ ...XLSX, ...DOCX }), 'a.xlsx')).toBeNull();
    expect(sniffFileType(zip({ ...XLSX, 'xl/vbaProject.bin': 'macro' }), 'a.xlsm')).toBeNull();
    const whole = zip(XLSX);
    expect(sniffFileType(whole.subarray(0, whole.length - 10), 'a.xlsx')).toBeNull();
    expect(sniffFileType(whole.subarray(0, 200), 'a.xlsx')).toBeNull();
    // A central directory offset that points past the end record.
    const lying = Buffer.from(whole);
    lying.writeUInt32LE(whole.length, whole.length - 6);
    expect(sniffFileType(lying, 'a.xlsx')).toBeNull();
  });

  it('CSV and text only by extension, only valid UTF-8 without NUL', () => {
    const csv = Buffer.from('\ufeff商品,价格\n主图,12.50\n');
    expect(sniffFileType(csv, '价格表.CSV')).toEqual({ mime: 'text/csv', ext: 'csv', kind: 'document' });
    expect(sniffFileType(Buffer.from('备注'), 'notes.txt')).toEqual({ mime: 'text/plain', ext: 'txt', kind: 'document' });
    expect(sniffFileType(csv, 'price.xls')).toBeNull();
    expect(sniffFileType(csv, 'csv')).toBeNull();
    // Excel's "CSV" on a Chinese Windows: GBK bytes for 商品 are not UTF-8.
    expect(sniffFileType(Buffer.from([0xc9, 0xcc, 0xc6, 0xb7, 0x2c, 0x31, 0x0a]), 'gbk.csv')).toBeNull();
    expect(sniffFileType(Buffer.from('a,b\0,c'), 'nul.csv')).toBeNull();
    expect(sniffFileType(Buffer.alloc(0), 'empty.txt')).toBeNull();
  });

  it('everything else is null: executables, HTML, SVG, tiny and empty input', () => {
    expect(sniffFileType(Buffer.from('MZ\x90\x00\x03', 'latin1'), 'a.exe')).toBeNull();
    expect(sniffFileType(Buffer.from('\x7fELF\x02\x01\x01\x00', 'latin1'), 'a.txt')).toBeNull();
    expect(sniffFileType(Buffer.from('<html><script>alert(1)</script>'), 'a.html')).toBeNull();
    expect(sniffFileType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'a.svg')).toBeNull();
    expect(sniffFileType(Buffer.from('GIF8'), 'a.gif')).toBeNull();
    expect(sniffFileType(Buffer.from('PK'), 'a.xlsx')).toBeNull();
    expect(sniffFileType(Buffer.alloc(0), '')).toBeNull();
  });
});

describe('SOP evidence stays photos only', () => {
  it('a PDF, a sheet or a CSV is 415 there, before anything is stored', async () => {
    const stored: string[] = [];
    const storage: Storage = {
      put: (key) => Promise.resolve(void stored.push(key)),
      get: () => Promise.resolve(null),
      delete: () => Promise.resolve(),
    };
    const files = new FileService(null as unknown as DataSource, storage, Date.now);
    for (const [name, bytes] of [
      ['a.pdf', Buffer.from('%PDF-1.7\n')],
      ['a.xlsx', zip(XLSX)],
      ['a.csv', Buffer.from('a,b\n')],
    ] as const)
      await expect(files.save('u1', name, bytes)).rejects.toMatchObject({ status: 415, code: 'unsupported_file_type' });
    expect(stored).toEqual([]);
  });
});
