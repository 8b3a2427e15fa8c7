import sharp from 'sharp';

/** The longest side of a thumbnail, in pixels. */
export const THUMBNAIL_MAX_PX = 320;

/**
 * The most pixels (width × height of the first frame) an image may have to be decoded at all. sharp checks it from the
 * header, before decoding, so a decompression bomb (an 80 KB PNG of 30,000 × 30,000 pixels) is refused at once instead
 * of taking gigabytes. 50 MP lets a 48 MP phone photo (8064 × 6048) through.
 */
export const MAX_INPUT_PIXELS = 50_000_000;

/** Longest time libvips may spend on one thumbnail. */
const TIMEOUT_SECONDS = 10;

const IMAGES = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/gif']);

/** The image could not be made into a thumbnail: too many pixels, or not decodable (truncated, corrupt). */
export class ImageRejectedError extends Error {
  constructor(
    readonly reason: 'too_many_pixels' | 'unreadable',
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`image ${reason.replace(/_/g, ' ')}: ${detail}`, options);
    this.name = 'ImageRejectedError';
  }
}

/**
 * A WebP of at most THUMBNAIL_MAX_PX on its longer side (never enlarged), turned upright by its EXIF orientation and
 * with its metadata (EXIF, GPS) dropped; the first frame of an animated GIF or WebP. null for a type that is not one of
 * the images above (documents have no thumbnail). Throws ImageRejectedError for an image it will not or cannot decode.
 */
export async function thumbnail(bytes: Buffer, mime: string): Promise<Buffer | null> {
  if (!IMAGES.has(mime)) return null;
  try {
    return await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, sequentialRead: true, pages: 1 })
      .rotate()
      .resize(THUMBNAIL_MAX_PX, THUMBNAIL_MAX_PX, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 80 })
      .timeout({ seconds: TIMEOUT_SECONDS })
      .toBuffer();
  } catch (err) {
    const message = (err as Error).message ?? String(err);
    if (/pixel limit/i.test(message)) throw new ImageRejectedError('too_many_pixels', `more than ${MAX_INPUT_PIXELS / 1e6} megapixels`, { cause: err });
    throw new ImageRejectedError('unreadable', message.split('\n')[0]!.slice(0, 200), { cause: err });
  }
}
