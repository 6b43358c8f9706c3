/**
 * Rasterising primitives of the offline generators, on Float32Array fields of `size × size`
 * pixels (one value per pixel, row-major). Coordinates are normalised: (−1, −1) is the top-left
 * corner, (1, 1) the bottom-right. Internal: no checks.
 */
import type { Rng } from '../../random';

/** A 2-D affine map from output to source coordinates: (a·x + b·y + tx, c·x + d·y + ty). */
export interface _Affine {
  a: number;
  b: number;
  c: number;
  d: number;
  tx: number;
  ty: number;
}

/** A stroke: a quadratic Bézier from p0 via p1 to p2, with a Gaussian cross-section. */
export interface _Stroke {
  readonly points: readonly [number, number, number, number, number, number];
  /** Cross-section standard deviation, normalised units. */
  readonly sigma: number;
}

/** Draws a random stroke inside the central `extent` of the square. */
export function _randomStroke(rng: Rng, extent: number, sigma: number): _Stroke {
  const p = () => rng.uniform(-extent, extent);
  const x0 = p();
  const y0 = p();
  // Keep strokes long enough to be seen: end point at least extent/2 away.
  let x2 = p();
  let y2 = p();
  while (Math.hypot(x2 - x0, y2 - y0) < extent * 0.6) {
    x2 = p();
    y2 = p();
  }
  return { points: [x0, y0, p(), p(), x2, y2], sigma };
}

/** Max-composites a stroke into `field` with peak `intensity`. */
export function _drawStroke(field: Float32Array, size: number, stroke: _Stroke, intensity = 1): void {
  const [x0, y0, x1, y1, x2, y2] = stroke.points;
  const segs = 10;
  const pts: number[] = [];
  for (let i = 0; i <= segs; i++) {
    const t = i / segs;
    const u = 1 - t;
    pts.push(u * u * x0 + 2 * u * t * x1 + t * t * x2, u * u * y0 + 2 * u * t * y1 + t * t * y2);
  }
  const inv = 1 / (2 * stroke.sigma * stroke.sigma);
  for (let py = 0; py < size; py++) {
    const y = ((py + 0.5) / size) * 2 - 1;
    for (let px = 0; px < size; px++) {
      const x = ((px + 0.5) / size) * 2 - 1;
      let best = Infinity;
      for (let s = 0; s < segs; s++) {
        const ax = pts[2 * s];
        const ay = pts[2 * s + 1];
        const dx = pts[2 * s + 2] - ax;
        const dy = pts[2 * s + 3] - ay;
        const len2 = dx * dx + dy * dy || 1e-12;
        const t = Math.min(1, Math.max(0, ((x - ax) * dx + (y - ay) * dy) / len2));
        const ex = x - ax - t * dx;
        const ey = y - ay - t * dy;
        best = Math.min(best, ex * ex + ey * ey);
      }
      const v = intensity * Math.exp(-best * inv);
      const at = py * size + px;
      if (v > field[at]) field[at] = v;
    }
  }
}

/** Max-composites an oriented Gaussian blob (radii rx, ry, angle in radians). */
export function _drawBlob(field: Float32Array, size: number, cx: number, cy: number, rx: number, ry: number, angle: number, intensity = 1): void {
  const cs = Math.cos(angle);
  const sn = Math.sin(angle);
  for (let py = 0; py < size; py++) {
    const y = ((py + 0.5) / size) * 2 - 1 - cy;
    for (let px = 0; px < size; px++) {
      const x = ((px + 0.5) / size) * 2 - 1 - cx;
      const u = (cs * x + sn * y) / rx;
      const v = (-sn * x + cs * y) / ry;
      const val = intensity * Math.exp(-0.5 * (u * u + v * v));
      const at = py * size + px;
      if (val > field[at]) field[at] = val;
    }
  }
}

/** Max-composites a grating (cosine of frequency `freq` cycles per unit, angle) windowed by a Gaussian. */
export function _drawGrating(field: Float32Array, size: number, angle: number, freq: number, phase: number, radius: number, intensity = 1): void {
  const cs = Math.cos(angle);
  const sn = Math.sin(angle);
  for (let py = 0; py < size; py++) {
    const y = ((py + 0.5) / size) * 2 - 1;
    for (let px = 0; px < size; px++) {
      const x = ((px + 0.5) / size) * 2 - 1;
      const wave = 0.5 + 0.5 * Math.cos(2 * Math.PI * freq * (cs * x + sn * y) + phase);
      const val = intensity * wave * Math.exp(-(x * x + y * y) / (2 * radius * radius));
      const at = py * size + px;
      if (val > field[at]) field[at] = val;
    }
  }
}

/**
 * A random affine jitter: rotation ±`rotation` rad, scale 1 ± `scale` (per axis, with a shared
 * part), shear ±`shear`, shift ±`shift` (normalised units). Maps output to source coordinates.
 */
export function _randomAffine(rng: Rng, rotation: number, scale: number, shear: number, shift: number): _Affine {
  const r = rng.uniform(-rotation, rotation);
  const common = rng.uniform(-scale, scale);
  const sx = 1 + common + rng.uniform(-scale, scale) * 0.3;
  const sy = 1 + common + rng.uniform(-scale, scale) * 0.3;
  const k = rng.uniform(-shear, shear);
  const cs = Math.cos(r);
  const sn = Math.sin(r);
  // Source = R · S · K · output + t, with K = [[1, k], [0, 1]]; inverse scale so larger sx = bigger shape.
  return {
    a: cs / sx,
    b: (cs * k) / sx - sn / sy,
    c: sn / sx,
    d: (sn * k) / sx + cs / sy,
    tx: rng.uniform(-shift, shift),
    ty: rng.uniform(-shift, shift),
  };
}

/**
 * Samples `src` (size × size × channels) bilinearly under `m` into `out` (same layout) as
 * `out = out·(1 − gain·α) + gain·α·colour` when `alphaColor` is given (src is then 1 channel of
 * alpha; outside the source reads 0), or `out += gain·src` otherwise (edges clamped).
 */
export function _warp(
  out: Float32Array,
  src: Float32Array,
  size: number,
  channels: number,
  m: _Affine,
  gain: number,
  alphaColor?: readonly number[],
): void {
  const half = size / 2;
  const srcC = alphaColor ? 1 : channels;
  const last = size - 1;
  for (let py = 0; py < size; py++) {
    const y = (py + 0.5) / half - 1;
    for (let px = 0; px < size; px++) {
      const x = (px + 0.5) / half - 1;
      const sx = (m.a * x + m.b * y + m.tx + 1) * half - 0.5;
      const sy = (m.c * x + m.d * y + m.ty + 1) * half - 0.5;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      if (alphaColor && (x0 < -1 || y0 < -1 || x0 >= size || y0 >= size)) continue;
      const fx = sx - x0;
      const fy = sy - y0;
      let w00 = (1 - fx) * (1 - fy);
      let w10 = fx * (1 - fy);
      let w01 = (1 - fx) * fy;
      let w11 = fx * fy;
      if (alphaColor) {
        if (x0 < 0) w00 = w01 = 0;
        if (x0 + 1 > last) w10 = w11 = 0;
        if (y0 < 0) w00 = w10 = 0;
        if (y0 + 1 > last) w01 = w11 = 0;
      }
      const cx0 = x0 < 0 ? 0 : x0 > last ? last : x0;
      const cx1 = x0 + 1 < 0 ? 0 : x0 + 1 > last ? last : x0 + 1;
      const cy0 = y0 < 0 ? 0 : y0 > last ? last : y0;
      const cy1 = y0 + 1 < 0 ? 0 : y0 + 1 > last ? last : y0 + 1;
      const i00 = (cy0 * size + cx0) * srcC;
      const i10 = (cy0 * size + cx1) * srcC;
      const i01 = (cy1 * size + cx0) * srcC;
      const i11 = (cy1 * size + cx1) * srcC;
      const o = (py * size + px) * channels;
      if (alphaColor) {
        const v = w00 * src[i00] + w10 * src[i10] + w01 * src[i01] + w11 * src[i11];
        const alpha = Math.min(1, gain * v);
        for (let k = 0; k < channels; k++) out[o + k] = out[o + k] * (1 - alpha) + alpha * alphaColor[k];
      } else {
        for (let c = 0; c < channels; c++) {
          out[o + c] += gain * (w00 * src[i00 + c] + w10 * src[i10 + c] + w01 * src[i01 + c] + w11 * src[i11 + c]);
        }
      }
    }
  }
}
