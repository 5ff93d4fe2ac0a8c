/* imgfilter: an 8-bit image pipeline written with wasm_simd128.h intrinsics, each stage
 * checked against a scalar version of itself:
 *   RGBA -> gray (shuffles to deinterleave, u8->u16 extend, i16 mul, shr, narrow),
 *   3x3 box blur (u16 sums, extmul to u32 for the division by 9, narrow),
 *   Sobel magnitude (i16 sub, abs, add_sat, narrow_u for saturation),
 *   threshold (u8 compare, bitselect, bitmask + popcount),
 *   erode / dilate 3x3 (u8 min / max),
 *   alpha blend of two RGBA images (u16 arithmetic, x/255 by multiply-shift),
 *   brightness (add_sat_u / sub_sat_u) and 2x downscale (avgr_u + even/odd shuffles).
 *
 *   imgfilter [WIDTH=192] [HEIGHT=128] [PASSES=2] [SEED=1]
 *
 * WIDTH must be a multiple of 16, HEIGHT even. The scalar pipeline runs once, the SIMD
 * pipeline PASSES times over the same input (so a bench spends its time in the SIMD kernels);
 * prints a digest per stage of the last SIMD pass and whether it agrees with the scalar
 * result: the output does not depend on PASSES.
 */
#include "common.h"

static int W, H;
static int mismatches;

static void check(const char *stage, const uint8_t *simd, const uint8_t *ref, size_t n) {
    uint64_t a = digest_of(simd, n), b = digest_of(ref, n);
    printf("%-10s %016llx %s\n", stage, (unsigned long long)a, a == b ? "ok" : "MISMATCH");
    if (a != b) mismatches++;
}

/* ---- RGBA -> gray: (77 R + 150 G + 29 B + 128) >> 8 ---- */
static NOINLINE void gray_simd(const uint8_t *rgba, uint8_t *g, size_t npix) {
    const v128_t wr = wasm_i16x8_splat(77), wg = wasm_i16x8_splat(150), wb = wasm_i16x8_splat(29);
    const v128_t round = wasm_i16x8_splat(128);
    size_t i = 0;
    for (; i + 16 <= npix; i += 16) {
        v128_t p0 = wasm_v128_load(rgba + 4 * i), p1 = wasm_v128_load(rgba + 4 * i + 16);
        v128_t p2 = wasm_v128_load(rgba + 4 * i + 32), p3 = wasm_v128_load(rgba + 4 * i + 48);
        /* gather R, G, B of 8 pixels from two vectors each */
        v128_t r01 = wasm_i8x16_shuffle(p0, p1, 0, 4, 8, 12, 16, 20, 24, 28, 1, 5, 9, 13, 17, 21, 25, 29);
        v128_t r23 = wasm_i8x16_shuffle(p2, p3, 0, 4, 8, 12, 16, 20, 24, 28, 1, 5, 9, 13, 17, 21, 25, 29);
        v128_t b01 = wasm_i8x16_shuffle(p0, p1, 2, 6, 10, 14, 18, 22, 26, 30, 3, 7, 11, 15, 19, 23, 27, 31);
        v128_t b23 = wasm_i8x16_shuffle(p2, p3, 2, 6, 10, 14, 18, 22, 26, 30, 3, 7, 11, 15, 19, 23, 27, 31);
        v128_t R = wasm_i64x2_shuffle(r01, r23, 0, 2); /* low halves: R */
        v128_t G = wasm_i64x2_shuffle(r01, r23, 1, 3); /* high halves: G */
        v128_t Bv = wasm_i64x2_shuffle(b01, b23, 0, 2);
        v128_t lo = wasm_i16x8_add(wasm_i16x8_add(wasm_i16x8_mul(wasm_u16x8_extend_low_u8x16(R), wr),
                                                  wasm_i16x8_mul(wasm_u16x8_extend_low_u8x16(G), wg)),
                                   wasm_i16x8_add(wasm_i16x8_mul(wasm_u16x8_extend_low_u8x16(Bv), wb), round));
        v128_t hi = wasm_i16x8_add(wasm_i16x8_add(wasm_i16x8_mul(wasm_u16x8_extend_high_u8x16(R), wr),
                                                  wasm_i16x8_mul(wasm_u16x8_extend_high_u8x16(G), wg)),
                                   wasm_i16x8_add(wasm_i16x8_mul(wasm_u16x8_extend_high_u8x16(Bv), wb), round));
        wasm_v128_store(g + i, wasm_u8x16_narrow_i16x8(wasm_u16x8_shr(lo, 8), wasm_u16x8_shr(hi, 8)));
    }
    for (; i < npix; i++) g[i] = (uint8_t)((77 * rgba[4 * i] + 150 * rgba[4 * i + 1] + 29 * rgba[4 * i + 2] + 128) >> 8);
}

static NOINLINE void gray_ref(const uint8_t *rgba, uint8_t *g, size_t npix) {
    NOVEC for (size_t i = 0; i < npix; i++)
        g[i] = (uint8_t)((77 * rgba[4 * i] + 150 * rgba[4 * i + 1] + 29 * rgba[4 * i + 2] + 128) >> 8);
}

/* ---- 3x3 box blur, edges clamped: (sum * 7282 + 32768) >> 16 ~ sum / 9 ---- */
static inline int clampi(int v, int lo, int hi) { return v < lo ? lo : v > hi ? hi : v; }

static NOINLINE void blur_ref(const uint8_t *src, uint8_t *dst) {
    NOVEC for (int y = 0; y < H; y++) NOVEC for (int x = 0; x < W; x++) {
        unsigned s = 0;
        NOVEC for (int dy = -1; dy <= 1; dy++) NOVEC for (int dx = -1; dx <= 1; dx++)
            s += src[clampi(y + dy, 0, H - 1) * W + clampi(x + dx, 0, W - 1)];
        dst[y * W + x] = (uint8_t)((s * 7282 + 32768) >> 16);
    }
}

/* The 3x3 SIMD kernels read each source row through a copy with one clamped pixel on each
 * side, so that they can load at x-1 and x+1. The copies live in a ring of three padded rows:
 * source row r in slot r % 3, each row copied once per kernel (with v128 loads and stores;
 * no_builtin keeps clang from turning the copy into a call of libc's scalar memcpy). */
#define NO_MEMCPY __attribute__((no_builtin("memcpy")))

static inline NO_MEMCPY void pad_row(const uint8_t *row, uint8_t *padded) {
    padded[0] = row[0];
    for (int x = 0; x < W; x += 16) wasm_v128_store(padded + 1 + x, wasm_v128_load(row + x));
    padded[W + 1] = row[W - 1];
}

/* before output row y: rows[0..2] = padded source rows y-1, y, y+1 (clamped) */
static inline NO_MEMCPY void ring_rows(const uint8_t *src, uint8_t *tmp, int y, uint8_t *rows[3]) {
    size_t stride = (size_t)W + 16;
    if (y == 0) pad_row(src, tmp);
    if (y + 1 < H) pad_row(src + (size_t)(y + 1) * W, tmp + (size_t)((y + 1) % 3) * stride);
    rows[0] = tmp + (size_t)(clampi(y - 1, 0, H - 1) % 3) * stride;
    rows[1] = tmp + (size_t)(y % 3) * stride;
    rows[2] = tmp + (size_t)(clampi(y + 1, 0, H - 1) % 3) * stride;
}

static NOINLINE NO_MEMCPY void blur_simd(const uint8_t *src, uint8_t *dst, uint8_t *tmp /* 3*(W+16) */) {
    const v128_t mul = wasm_i16x8_splat(7282);
    const v128_t rnd = wasm_i32x4_splat(32768);
    for (int y = 0; y < H; y++) {
        uint8_t *rows[3];
        ring_rows(src, tmp, y, rows);
        for (int x = 0; x < W; x += 16) {
            v128_t slo = wasm_i16x8_splat(0), shi = wasm_i16x8_splat(0);
            for (int k = 0; k < 3; k++) {
                v128_t a = wasm_v128_load(rows[k] + x), b = wasm_v128_load(rows[k] + x + 1),
                       c = wasm_v128_load(rows[k] + x + 2);
                slo = wasm_i16x8_add(slo, wasm_i16x8_add(wasm_u16x8_extend_low_u8x16(a),
                                                         wasm_i16x8_add(wasm_u16x8_extend_low_u8x16(b),
                                                                        wasm_u16x8_extend_low_u8x16(c))));
                shi = wasm_i16x8_add(shi, wasm_i16x8_add(wasm_u16x8_extend_high_u8x16(a),
                                                         wasm_i16x8_add(wasm_u16x8_extend_high_u8x16(b),
                                                                        wasm_u16x8_extend_high_u8x16(c))));
            }
            v128_t q0 = wasm_u32x4_shr(wasm_i32x4_add(wasm_u32x4_extmul_low_u16x8(slo, mul), rnd), 16);
            v128_t q1 = wasm_u32x4_shr(wasm_i32x4_add(wasm_u32x4_extmul_high_u16x8(slo, mul), rnd), 16);
            v128_t q2 = wasm_u32x4_shr(wasm_i32x4_add(wasm_u32x4_extmul_low_u16x8(shi, mul), rnd), 16);
            v128_t q3 = wasm_u32x4_shr(wasm_i32x4_add(wasm_u32x4_extmul_high_u16x8(shi, mul), rnd), 16);
            v128_t lo = wasm_u16x8_narrow_i32x4(q0, q1), hi = wasm_u16x8_narrow_i32x4(q2, q3);
            wasm_v128_store(dst + y * W + x, wasm_u8x16_narrow_i16x8(lo, hi));
        }
    }
}

/* ---- Sobel: |gx| + |gy| saturated to 255 ---- */
static NOINLINE void sobel_ref(const uint8_t *s, uint8_t *d) {
    NOVEC for (int y = 0; y < H; y++) NOVEC for (int x = 0; x < W; x++) {
#define P(dx, dy) ((int)s[clampi(y + (dy), 0, H - 1) * W + clampi(x + (dx), 0, W - 1)])
        int gx = (P(1, -1) + 2 * P(1, 0) + P(1, 1)) - (P(-1, -1) + 2 * P(-1, 0) + P(-1, 1));
        int gy = (P(-1, 1) + 2 * P(0, 1) + P(1, 1)) - (P(-1, -1) + 2 * P(0, -1) + P(1, -1));
#undef P
        int m = (gx < 0 ? -gx : gx) + (gy < 0 ? -gy : gy);
        d[y * W + x] = (uint8_t)(m > 255 ? 255 : m);
    }
}

static NOINLINE NO_MEMCPY void sobel_simd(const uint8_t *src, uint8_t *dst, uint8_t *tmp) {
    for (int y = 0; y < H; y++) {
        uint8_t *rows[3];
        ring_rows(src, tmp, y, rows);
        for (int x = 0; x < W; x += 16) {
            v128_t out[2];
            for (int half = 0; half < 2; half++) {
                v128_t p[3][3];
                for (int k = 0; k < 3; k++)
                    for (int j = 0; j < 3; j++)
                        p[k][j] = half ? wasm_u16x8_load8x8(rows[k] + x + j + 8) : wasm_u16x8_load8x8(rows[k] + x + j);
                v128_t gx = wasm_i16x8_sub(wasm_i16x8_add(wasm_i16x8_add(p[0][2], wasm_i16x8_shl(p[1][2], 1)), p[2][2]),
                                           wasm_i16x8_add(wasm_i16x8_add(p[0][0], wasm_i16x8_shl(p[1][0], 1)), p[2][0]));
                v128_t gy = wasm_i16x8_sub(wasm_i16x8_add(wasm_i16x8_add(p[2][0], wasm_i16x8_shl(p[2][1], 1)), p[2][2]),
                                           wasm_i16x8_add(wasm_i16x8_add(p[0][0], wasm_i16x8_shl(p[0][1], 1)), p[0][2]));
                out[half] = wasm_i16x8_add_sat(wasm_i16x8_abs(gx), wasm_i16x8_abs(gy));
            }
            wasm_v128_store(dst + y * W + x, wasm_u8x16_narrow_i16x8(out[0], out[1]));
        }
    }
}

/* ---- threshold: v > t ? 0xE0 : 0x10; count of bright pixels ---- */
static NOINLINE unsigned thresh_simd(const uint8_t *s, uint8_t *d, size_t n, uint8_t t) {
    const v128_t tv = wasm_u8x16_splat(t), hi = wasm_u8x16_splat(0xE0), lo = wasm_u8x16_splat(0x10);
    unsigned count = 0;
    for (size_t i = 0; i < n; i += 16) {
        v128_t m = wasm_u8x16_gt(wasm_v128_load(s + i), tv);
        wasm_v128_store(d + i, wasm_v128_bitselect(hi, lo, m));
        count += (unsigned)__builtin_popcount(wasm_i8x16_bitmask(m));
    }
    return count;
}

static NOINLINE unsigned thresh_ref(const uint8_t *s, uint8_t *d, size_t n, uint8_t t) {
    unsigned count = 0;
    NOVEC for (size_t i = 0; i < n; i++) {
        d[i] = s[i] > t ? 0xE0 : 0x10;
        count += s[i] > t;
    }
    return count;
}

/* ---- erode (min) / dilate (max), 3x3, clamped ---- */
static NOINLINE void morph_ref(const uint8_t *s, uint8_t *d, int dilate) {
    NOVEC for (int y = 0; y < H; y++) NOVEC for (int x = 0; x < W; x++) {
        int v = dilate ? 0 : 255;
        NOVEC for (int dy = -1; dy <= 1; dy++) NOVEC for (int dx = -1; dx <= 1; dx++) {
            int p = s[clampi(y + dy, 0, H - 1) * W + clampi(x + dx, 0, W - 1)];
            v = dilate ? (p > v ? p : v) : (p < v ? p : v);
        }
        d[y * W + x] = (uint8_t)v;
    }
}

static NOINLINE NO_MEMCPY void morph_simd(const uint8_t *src, uint8_t *dst, uint8_t *tmp, int dilate) {
    for (int y = 0; y < H; y++) {
        uint8_t *rows[3];
        ring_rows(src, tmp, y, rows);
        for (int x = 0; x < W; x += 16) {
            v128_t v = wasm_v128_load(rows[0] + x);
            for (int k = 0; k < 3; k++)
                for (int j = 0; j < 3; j++) {
                    v128_t p = wasm_v128_load(rows[k] + x + j);
                    v = dilate ? wasm_u8x16_max(v, p) : wasm_u8x16_min(v, p);
                }
            wasm_v128_store(dst + y * W + x, v);
        }
    }
}

/* ---- alpha blend: out = (a*x + (255-a)*y + 127) / 255 per channel, alpha from image 1 ---- */
static inline unsigned div255(unsigned v) { return (v + 1 + (v >> 8)) >> 8; }

static NOINLINE void blend_ref(const uint8_t *p, const uint8_t *q, uint8_t *o, size_t npix) {
    NOVEC for (size_t i = 0; i < npix; i++) {
        unsigned a = p[4 * i + 3];
        NOVEC for (int c = 0; c < 4; c++) o[4 * i + c] = (uint8_t)div255(a * p[4 * i + c] + (255 - a) * q[4 * i + c] + 127);
    }
}

static NOINLINE void blend_simd(const uint8_t *p, const uint8_t *q, uint8_t *o, size_t npix) {
    const v128_t c255 = wasm_i16x8_splat(255), c127 = wasm_i16x8_splat(127), one = wasm_i16x8_splat(1);
    for (size_t i = 0; i < npix; i += 4) {
        v128_t x = wasm_v128_load(p + 4 * i), y = wasm_v128_load(q + 4 * i);
        /* broadcast each pixel's alpha (byte 3, 7, 11, 15) to its four channels */
        v128_t a = wasm_i8x16_swizzle(x, wasm_i8x16_const(3, 3, 3, 3, 7, 7, 7, 7, 11, 11, 11, 11, 15, 15, 15, 15));
        v128_t r[2];
        for (int h = 0; h < 2; h++) {
            v128_t aw = h ? wasm_u16x8_extend_high_u8x16(a) : wasm_u16x8_extend_low_u8x16(a);
            v128_t xw = h ? wasm_u16x8_extend_high_u8x16(x) : wasm_u16x8_extend_low_u8x16(x);
            v128_t yw = h ? wasm_u16x8_extend_high_u8x16(y) : wasm_u16x8_extend_low_u8x16(y);
            v128_t v = wasm_i16x8_add(wasm_i16x8_add(wasm_i16x8_mul(aw, xw), wasm_i16x8_mul(wasm_i16x8_sub(c255, aw), yw)), c127);
            r[h] = wasm_u16x8_shr(wasm_i16x8_add(wasm_i16x8_add(v, one), wasm_u16x8_shr(v, 8)), 8);
        }
        wasm_v128_store(o + 4 * i, wasm_u8x16_narrow_i16x8(r[0], r[1]));
    }
}

/* ---- brightness +b / -b with saturation ---- */
static NOINLINE void bright_simd(const uint8_t *s, uint8_t *d, size_t n, int b) {
    v128_t bv = wasm_u8x16_splat((uint8_t)(b < 0 ? -b : b));
    for (size_t i = 0; i < n; i += 16) {
        v128_t v = wasm_v128_load(s + i);
        wasm_v128_store(d + i, b < 0 ? wasm_u8x16_sub_sat(v, bv) : wasm_u8x16_add_sat(v, bv));
    }
}

static NOINLINE void bright_ref(const uint8_t *s, uint8_t *d, size_t n, int b) {
    NOVEC for (size_t i = 0; i < n; i++) d[i] = (uint8_t)clampi(s[i] + b, 0, 255);
}

/* ---- 2x downscale: rounding average of 2x2, as avg(avg(rows), pairs) ---- */
static NOINLINE void down_ref(const uint8_t *s, uint8_t *d) {
    NOVEC for (int y = 0; y < H / 2; y++) NOVEC for (int x = 0; x < W / 2; x++) {
        const uint8_t *a = s + 2 * y * W + 2 * x, *b = a + W;
        unsigned r0 = (a[0] + b[0] + 1) >> 1, r1 = (a[1] + b[1] + 1) >> 1;
        d[y * (W / 2) + x] = (uint8_t)((r0 + r1 + 1) >> 1);
    }
}

static NOINLINE void down_simd(const uint8_t *s, uint8_t *d) {
    for (int y = 0; y < H / 2; y++)
        for (int x = 0; x < W; x += 32) {
            const uint8_t *a = s + 2 * y * W + x;
            v128_t r0 = wasm_u8x16_avgr(wasm_v128_load(a), wasm_v128_load(a + W));
            v128_t r1 = wasm_u8x16_avgr(wasm_v128_load(a + 16), wasm_v128_load(a + W + 16));
            v128_t ev = wasm_i8x16_shuffle(r0, r1, 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
            v128_t od = wasm_i8x16_shuffle(r0, r1, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
            v128_t out = wasm_u8x16_avgr(ev, od);
            if (x + 32 <= W) wasm_v128_store(d + y * (W / 2) + x / 2, out);
            else wasm_v128_store64_lane(d + y * (W / 2) + x / 2, out, 0); /* W % 32 == 16 */
        }
}

/* every stage's output; the SIMD and the scalar pipeline each have one set */
struct stages {
    uint8_t *gray, *blur1, *blur2, *sobel, *thresh, *erode, *dilate, *down; /* npix (down: npix/4) */
    uint8_t *blend, *brighter, *darker;                                      /* 4*npix */
    unsigned bright_count;
};

static void alloc_stages(struct stages *o, size_t npix) {
    o->gray = xmalloc(npix), o->blur1 = xmalloc(npix), o->blur2 = xmalloc(npix), o->sobel = xmalloc(npix);
    o->thresh = xmalloc(npix), o->erode = xmalloc(npix), o->dilate = xmalloc(npix), o->down = xmalloc(npix / 4);
    o->blend = xmalloc(4 * npix), o->brighter = xmalloc(4 * npix), o->darker = xmalloc(4 * npix);
}

static NOINLINE void pipeline_simd(const uint8_t *rgba, const uint8_t *rgba2, struct stages *o, uint8_t *tmp) {
    size_t npix = (size_t)W * (size_t)H;
    gray_simd(rgba, o->gray, npix);
    blur_simd(o->gray, o->blur1, tmp);
    blur_simd(o->blur1, o->blur2, tmp);
    sobel_simd(o->blur2, o->sobel, tmp);
    o->bright_count = thresh_simd(o->sobel, o->thresh, npix, 40);
    morph_simd(o->blur2, o->erode, tmp, 0);
    morph_simd(o->blur2, o->dilate, tmp, 1);
    blend_simd(rgba, rgba2, o->blend, npix);
    bright_simd(o->blend, o->brighter, 4 * npix, 60);
    bright_simd(o->blend, o->darker, 4 * npix, -90);
    down_simd(o->blur2, o->down);
}

static NOINLINE void pipeline_ref(const uint8_t *rgba, const uint8_t *rgba2, struct stages *o) {
    size_t npix = (size_t)W * (size_t)H;
    gray_ref(rgba, o->gray, npix);
    blur_ref(o->gray, o->blur1);
    blur_ref(o->blur1, o->blur2);
    sobel_ref(o->blur2, o->sobel);
    o->bright_count = thresh_ref(o->sobel, o->thresh, npix, 40);
    morph_ref(o->blur2, o->erode, 0);
    morph_ref(o->blur2, o->dilate, 1);
    blend_ref(rgba, rgba2, o->blend, npix);
    bright_ref(o->blend, o->brighter, 4 * npix, 60);
    bright_ref(o->blend, o->darker, 4 * npix, -90);
    down_ref(o->blur2, o->down);
}

int main(int argc, char **argv) {
    prog_usage = "[WIDTH=192] [HEIGHT=128] [PASSES=2] [SEED=1]   (WIDTH a multiple of 16, HEIGHT even)";
    W = (int)arg_long(argc, argv, 1, 192, 16, 16384);
    H = (int)arg_long(argc, argv, 2, 128, 2, 16384);
    long passes = arg_long(argc, argv, 3, 2, 1, 1000000);
    long seed = arg_long(argc, argv, 4, 1, 0, 0x7fffffff);
    if (W % 16 || H % 2) {
        fprintf(stderr, "imgfilter: WIDTH must be a multiple of 16 and HEIGHT even\n");
        return 2;
    }
    rng_seed((uint64_t)seed);
    size_t npix = (size_t)W * (size_t)H;
    uint8_t *rgba = xmalloc(4 * npix), *rgba2 = xmalloc(4 * npix);
    /* a smooth gradient with circles, plus noise, and a second image with varying alpha */
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            uint8_t *p = rgba + 4 * ((size_t)y * W + x), *q = rgba2 + 4 * ((size_t)y * W + x);
            int cx = x - W / 2, cy = y - H / 3, ring = ((cx * cx + cy * cy) >> 5) & 0xff;
            uint32_t n = rng_u32();
            p[0] = (uint8_t)(x * 255 / W + (n & 15));
            p[1] = (uint8_t)(ring ^ (n >> 8 & 7));
            p[2] = (uint8_t)(y * 255 / H);
            p[3] = (uint8_t)((x + y) * 7);
            q[0] = (uint8_t)(255 - p[1]);
            q[1] = (uint8_t)(n >> 16);
            q[2] = (uint8_t)(ring * 3);
            q[3] = 255;
        }
    struct stages simd, ref;
    alloc_stages(&simd, npix);
    alloc_stages(&ref, npix);
    uint8_t *tmp = xmalloc(3 * ((size_t)W + 16));

    /* the scalar pipeline once, the SIMD one PASSES times (the same result every time) */
    pipeline_ref(rgba, rgba2, &ref);
    for (long pass = 0; pass < passes; pass++) pipeline_simd(rgba, rgba2, &simd, tmp);

    check("gray", simd.gray, ref.gray, npix);
    check("blur", simd.blur1, ref.blur1, npix);
    check("blur", simd.blur2, ref.blur2, npix);
    check("sobel", simd.sobel, ref.sobel, npix);
    check("threshold", simd.thresh, ref.thresh, npix);
    printf("bright pixels %u %s\n", simd.bright_count, simd.bright_count == ref.bright_count ? "ok" : "MISMATCH");
    if (simd.bright_count != ref.bright_count) mismatches++;
    check("erode", simd.erode, ref.erode, npix);
    check("dilate", simd.dilate, ref.dilate, npix);
    check("blend", simd.blend, ref.blend, 4 * npix);
    check("bright+60", simd.brighter, ref.brighter, 4 * npix);
    check("bright-90", simd.darker, ref.darker, 4 * npix);
    check("down2x", simd.down, ref.down, npix / 4);

    unsigned hist[8] = {0};
    for (size_t i = 0; i < npix; i++) hist[simd.blur2[i] >> 5]++;
    printf("blurred histogram:");
    for (int i = 0; i < 8; i++) printf(" %u", hist[i]);
    printf("\nimgfilter %dx%d seed %ld: %s\n", W, H, seed, mismatches ? "MISMATCHES" : "all stages agree");
    return mismatches ? 1 : 0;
}
