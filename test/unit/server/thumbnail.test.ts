/** thumbnail(): real images made by sharp in the test, and a real decompression bomb made with zlib. */
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { ImageRejectedError, MAX_INPUT_PIXELS, THUMBNAIL_MAX_PX, thumbnail } from '../../../server/src/lib/thumbnail';

const solid = (width: number, height: number, background: string) => sharp({ create: { width, height, channels: 3, background } });

async function describeThumb(bytes: Buffer | null) {
  expect(bytes).not.toBeNull();
  const meta = await sharp(bytes!).metadata();
  const { data } = await sharp(bytes!).raw().toBuffer({ resolveWithObject: true });
  return { format: meta.format, width: meta.width, height: meta.height, exif: meta.exif, firstPixel: [...data.subarray(0, 3)] };
}

/** A valid PNG of width × height 1-bit grey pixels, all zero: tiny on disk, `width × height` pixels decoded. */
function pngBomb(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'latin1');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
    return Buffer.concat([head, data, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.writeUInt8(1, 8); // bit depth 1
  ihdr.writeUInt8(0, 9); // greyscale
  const rows = Buffer.alloc((1 + Math.ceil(width / 8)) * height); // filter byte 0 + zero pixels per row
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('thumbnail', () => {
  it.each([
    ['image/jpeg', () => solid(1200, 800, '#ff0000').jpeg().toBuffer()],
    ['image/png', () => solid(1200, 800, '#ff0000').png().toBuffer()],
    ['image/webp', () => solid(1200, 800, '#ff0000').webp({ lossless: true }).toBuffer()],
    ['image/gif', () => solid(1200, 800, '#ff0000').gif().toBuffer()],
  ])('%s → a WebP of at most 320 px on the longer side, aspect kept', async (mime, make) => {
    const thumb = await describeThumb(await thumbnail(await make(), mime));
    expect(thumb).toMatchObject({ format: 'webp', width: THUMBNAIL_MAX_PX, height: 213 });
    expect(thumb.firstPixel[0]).toBeGreaterThan(200);
    expect(thumb.firstPixel[2]).toBeLessThan(60);
  });

  it('never enlarges a small image; a tall one is bounded by its height', async () => {
    expect(await describeThumb(await thumbnail(await solid(100, 50, '#00ff00').png().toBuffer(), 'image/png'))).toMatchObject({ width: 100, height: 50 });
    expect(await describeThumb(await thumbnail(await solid(300, 1500, '#00ff00').jpeg().toBuffer(), 'image/jpeg'))).toMatchObject({ width: 64, height: 320 });
  });

  it('turns a phone photo upright by its EXIF orientation and drops the EXIF (GPS and all)', async () => {
    const photo = await solid(800, 400, '#0000ff').jpeg().withMetadata({ orientation: 6 }).toBuffer();
    expect((await sharp(photo).metadata()).orientation).toBe(6);
    const thumb = await describeThumb(await thumbnail(photo, 'image/jpeg'));
    expect(thumb).toMatchObject({ width: 160, height: 320, exif: undefined });
  });

  it('takes the first frame of an animated GIF', async () => {
    const red = await solid(400, 300, '#ff0000').png().toBuffer();
    const blue = await solid(400, 300, '#0000ff').png().toBuffer();
    const gif = await sharp([red, blue], { join: { animated: true } })
      .gif()
      .toBuffer();
    expect((await sharp(gif, { pages: -1 }).metadata()).pages).toBe(2);
    const thumb = await describeThumb(await thumbnail(gif, 'image/gif'));
    expect(thumb).toMatchObject({ width: 320, height: 240 });
    expect(thumb.firstPixel[0]).toBeGreaterThan(200);
  });

  it('null for documents: there is no thumbnail of a PDF or a sheet', async () => {
    expect(await thumbnail(Buffer.from('%PDF-1.7\n'), 'application/pdf')).toBeNull();
    expect(await thumbnail(Buffer.from('a,b\n'), 'text/csv')).toBeNull();
    expect(await thumbnail(await solid(10, 10, '#000').png().toBuffer(), 'image/svg+xml')).toBeNull();
  });

  it(`refuses a decompression bomb (${MAX_INPUT_PIXELS / 1e6} MP limit) from its header, before decoding`, async () => {
    const bomb = pngBomb(10_000, 10_000); // 100 MP, about 20 KB
    expect(bomb.length).toBeLessThan(100_000);
    const started = Date.now();
    const err = await thumbnail(bomb, 'image/png').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImageRejectedError);
    expect(err).toMatchObject({ reason: 'too_many_pixels' });
    expect(Date.now() - started).toBeLessThan(1000);
    // The same construction under the limit is a real image (the test is of the limit, not of a broken file).
    expect(await describeThumb(await thumbnail(pngBomb(2000, 1000), 'image/png'))).toMatchObject({ width: 320, height: 160 });
  });

  it('a truncated or corrupt image is refused as unreadable', async () => {
    const jpeg = await solid(600, 400, '#ff0000').jpeg().toBuffer();
    await expect(thumbnail(jpeg.subarray(0, 200), 'image/jpeg')).rejects.toMatchObject({ name: 'ImageRejectedError', reason: 'unreadable' });
    await expect(thumbnail(Buffer.from('GIF89a not really'), 'image/gif')).rejects.toMatchObject({ reason: 'unreadable' });
  });
});
