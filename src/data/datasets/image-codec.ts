/**
 * Decoding PNG (pngjs) and JPEG (jpeg-js) files into uint8 pixels with a chosen channel count,
 * and resizing typed-array images (area average when shrinking, bilinear when enlarging).
 * Used by the folder-of-images datasets: notMNIST, Omniglot, Tiny-ImageNet, unlabeled pools.
 */
import * as fs from 'node:fs';
import * as jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { DataFormatError } from '../../errors';

/** A decoded image, HWC uint8. */
export interface DecodedImage {
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 3;
  readonly data: Uint8Array;
}

/** ITU-R BT.601 luma, the weights PIL's `convert('L')` uses. */
function luma(r: number, g: number, b: number): number {
  return Math.round((r * 299 + g * 587 + b * 114) / 1000);
}

/** Packs RGBA (or RGB, `stride` 3) pixels into `channels` channels. */
function pack(src: Uint8Array, stride: number, pixels: number, channels: 1 | 3): Uint8Array {
  const out = new Uint8Array(pixels * channels);
  for (let p = 0; p < pixels; p++) {
    const s = p * stride;
    if (channels === 1) out[p] = luma(src[s]!, src[s + 1]!, src[s + 2]!);
    else {
      out[3 * p] = src[s]!;
      out[3 * p + 1] = src[s + 1]!;
      out[3 * p + 2] = src[s + 2]!;
    }
  }
  return out;
}

/**
 * Decodes a PNG or JPEG file (chosen by its first bytes) to `channels` channels: colour images
 * become grey by BT.601 luma, grey images are copied to three channels. Alpha is dropped.
 * @throws DataFormatError when the file is neither PNG nor JPEG, or cannot be decoded
 */
export function decodeImageFile(file: string, channels: 1 | 3): DecodedImage {
  const bytes = fs.readFileSync(file);
  const isPng = bytes.length > 8 && bytes.readUInt32BE(0) === 0x89504e47;
  const isJpeg = bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8;
  try {
    if (isPng) {
      const png = PNG.sync.read(bytes);
      const pixels = png.width * png.height;
      return { width: png.width, height: png.height, channels, data: pack(png.data, 4, pixels, channels) };
    }
    if (isJpeg) {
      // formatAsRGBA false gives 3 bytes per pixel; greyscale JPEGs come back with R = G = B.
      const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false, maxMemoryUsageInMB: 256 });
      const pixels = img.width * img.height;
      return { width: img.width, height: img.height, channels, data: pack(img.data, 3, pixels, channels) };
    }
  } catch (err) {
    throw new DataFormatError(file, `a decodable ${isPng ? 'PNG' : 'JPEG'} image`, `a decoding error (${(err as Error).message})`);
  }
  throw new DataFormatError(file, 'a PNG or JPEG image', `a file starting with bytes ${bytes.subarray(0, 4).toString('hex') || '(empty)'}`);
}

/**
 * Resizes one HWC uint8 image into `dst` (length dh·dw·c). Shrinking averages the source area
 * each output pixel covers (exact box filter, like PIL's `BOX`); enlarging interpolates
 * bilinearly with pixel centres aligned (like `align_corners=False`).
 */
export function resizeInto(
  src: Uint8Array, sh: number, sw: number, c: number, dst: Uint8Array, dh: number, dw: number,
): void {
  if (sh === dh && sw === dw) {
    dst.set(src.subarray(0, sh * sw * c));
    return;
  }
  const sy = sh / dh; // source pixels per output pixel, vertically
  const sx = sw / dw;
  const acc = new Float64Array(c);
  for (let y = 0; y < dh; y++) {
    for (let x = 0; x < dw; x++) {
      acc.fill(0);
      let weight = 0;
      if (sy >= 1 && sx >= 1) {
        const y0 = y * sy, y1 = y0 + sy, x0 = x * sx, x1 = x0 + sx;
        for (let yy = Math.floor(y0); yy < Math.min(sh, Math.ceil(y1)); yy++) {
          const wy = Math.min(yy + 1, y1) - Math.max(yy, y0);
          for (let xx = Math.floor(x0); xx < Math.min(sw, Math.ceil(x1)); xx++) {
            const w = wy * (Math.min(xx + 1, x1) - Math.max(xx, x0));
            const s = (yy * sw + xx) * c;
            for (let k = 0; k < c; k++) acc[k] += w * src[s + k]!;
            weight += w;
          }
        }
      } else {
        const fy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), sh - 1);
        const fx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), sw - 1);
        const ya = Math.floor(fy), xa = Math.floor(fx);
        const yb = Math.min(ya + 1, sh - 1), xb = Math.min(xa + 1, sw - 1);
        const ty = fy - ya, tx = fx - xa;
        for (const [yy, xx, w] of [[ya, xa, (1 - ty) * (1 - tx)], [ya, xb, (1 - ty) * tx], [yb, xa, ty * (1 - tx)], [yb, xb, ty * tx]] as const) {
          const s = (yy * sw + xx) * c;
          for (let k = 0; k < c; k++) acc[k] += w * src[s + k]!;
          weight += w;
        }
      }
      const d = (y * dw + x) * c;
      for (let k = 0; k < c; k++) dst[d + k] = Math.round(acc[k]! / weight);
    }
  }
}
