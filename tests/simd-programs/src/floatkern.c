/* floatkern: floating-point kernels with SIMD128 (no relaxed SIMD), each checked bit for bit
 * against a scalar twin that does the same operations in the same order (Wasm's f32/f64
 * arithmetic is IEEE round-to-nearest, so they agree exactly; no input makes a NaN):
 *   sgemm      f32 matrix multiply, 4 x 8 register block (load32_splat, f32x4.mul/add),
 *   fir        a 32-tap f32 FIR filter (unaligned loads, splatted taps, two accumulators),
 *   nbody      gravitational accelerations of N bodies, struct of arrays (f32x4.sqrt, div),
 *              then a leapfrog step,
 *   ycbcr      RGBA8 -> YCbCr8 through f32 (u8 -> u32 extends, f32x4.convert_i32x4_u,
 *              nearest, min/max, i32x4.trunc_sat_f32x4_u, narrows),
 *   rational   a rational approximation of exp on f64x2 (Horner in f64x2.mul/add, div).
 *
 *   floatkern [N=32] [SEED=1] [REPS=1]
 *
 * N (a multiple of 4) sets the sizes: sgemm N x N, fir 1024 N samples, nbody 4 N bodies,
 * ycbcr 1024 N pixels, rational 1024 N values. The scalar twins run once, the SIMD kernels
 * REPS times over the same inputs (so a bench spends its time in the SIMD kernels); prints a
 * digest of each SIMD result and whether it equals the scalar one: the output does not
 * depend on REPS.
 */
#include "common.h"

/* no a*b+c contracted into a fused multiply-add, in either twin */
#pragma clang fp contract(off)

static int fails;

static void report(const char *what, uint64_t digest, int ok) {
    printf("%-9s %016llx %s\n", what, (unsigned long long)digest, ok ? "ok" : "MISMATCH");
    if (!ok) fails++;
}

/* ---------------- sgemm: C = A B, N x N ---------------- */
static NOINLINE void sgemm_simd(int n, const float *a, const float *b, float *c) {
    /* 4 rows x 8 columns of C in 8 accumulators (11 live vectors: x86's 16 XMM registers do) */
    for (int i = 0; i < n; i += 4) {
        int j = 0;
        for (; j + 8 <= n; j += 8) {
            v128_t acc[4][2];
            for (int r = 0; r < 4; r++) acc[r][0] = acc[r][1] = wasm_f32x4_splat(0.0f);
            for (int k = 0; k < n; k++) {
                v128_t b0 = wasm_v128_load(b + k * n + j), b1 = wasm_v128_load(b + k * n + j + 4);
                for (int r = 0; r < 4; r++) {
                    v128_t air = wasm_v128_load32_splat(a + (i + r) * n + k);
                    acc[r][0] = wasm_f32x4_add(acc[r][0], wasm_f32x4_mul(air, b0));
                    acc[r][1] = wasm_f32x4_add(acc[r][1], wasm_f32x4_mul(air, b1));
                }
            }
            for (int r = 0; r < 4; r++) {
                wasm_v128_store(c + (i + r) * n + j, acc[r][0]);
                wasm_v128_store(c + (i + r) * n + j + 4, acc[r][1]);
            }
        }
        if (j < n) /* N % 8 == 4: the last four columns */
            for (int r = 0; r < 4; r++) {
                v128_t acc = wasm_f32x4_splat(0.0f);
                for (int k = 0; k < n; k++)
                    acc = wasm_f32x4_add(acc, wasm_f32x4_mul(wasm_v128_load32_splat(a + (i + r) * n + k),
                                                             wasm_v128_load(b + k * n + j)));
                wasm_v128_store(c + (i + r) * n + j, acc);
            }
    }
}

static NOINLINE void sgemm_ref(int n, const float *a, const float *b, float *c) {
    NOVEC for (int i = 0; i < n; i++) NOVEC for (int j = 0; j < n; j++) {
        float acc = 0.0f;
        NOVEC for (int k = 0; k < n; k++) acc = acc + a[i * n + k] * b[k * n + j];
        c[i * n + j] = acc;
    }
}

/* ---------------- fir: y[i] = sum_k h[k] x[i + k], k = 0..TAPS-1 in order ---------------- */
#define TAPS 32

static NOINLINE void fir_simd(const float *x, size_t len, const float *h, float *y) {
    for (size_t i = 0; i < len; i += 8) { /* len % 8 == 0 */
        v128_t acc0 = wasm_f32x4_splat(0.0f), acc1 = acc0;
        for (int k = 0; k < TAPS; k++) {
            v128_t hk = wasm_f32x4_splat(h[k]);
            acc0 = wasm_f32x4_add(acc0, wasm_f32x4_mul(hk, wasm_v128_load(x + i + k)));
            acc1 = wasm_f32x4_add(acc1, wasm_f32x4_mul(hk, wasm_v128_load(x + i + 4 + k)));
        }
        wasm_v128_store(y + i, acc0);
        wasm_v128_store(y + i + 4, acc1);
    }
}

static NOINLINE void fir_ref(const float *x, size_t len, const float *h, float *y) {
    NOVEC for (size_t i = 0; i < len; i++) {
        float acc = 0.0f;
        NOVEC for (int k = 0; k < TAPS; k++) acc = acc + h[k] * x[i + k];
        y[i] = acc;
    }
}

/* ---------------- nbody: accelerations, then one leapfrog step ----------------
 * a_i = sum_j m_j d / (|d|^2 + eps)^(3/2), d = p_j - p_i; body j contributes to lane j % 4 of
 * the SIMD accumulators, which are summed as (l0 + l1) + (l2 + l3) at the end. */
struct bodies { float *x, *y, *z, *m, *vx, *vy, *vz; };

#define EPS 0.01f
#define DT 0.001f

static inline float hsum_f32x4(v128_t v) {
    v128_t s = wasm_f32x4_add(v, wasm_i32x4_shuffle(v, v, 1, 0, 3, 2)); /* l0+l1, l1+l0, l2+l3, l3+l2 */
    s = wasm_f32x4_add(s, wasm_i32x4_shuffle(s, s, 2, 3, 0, 1));
    return wasm_f32x4_extract_lane(s, 0);
}

static NOINLINE void nbody_simd(int n, const struct bodies *in, struct bodies *out) {
    const v128_t eps = wasm_f32x4_splat(EPS);
    for (int i = 0; i < n; i++) {
        v128_t xi = wasm_f32x4_splat(in->x[i]), yi = wasm_f32x4_splat(in->y[i]), zi = wasm_f32x4_splat(in->z[i]);
        v128_t ax = wasm_f32x4_splat(0.0f), ay = ax, az = ax;
        for (int j = 0; j < n; j += 4) {
            v128_t dx = wasm_f32x4_sub(wasm_v128_load(in->x + j), xi);
            v128_t dy = wasm_f32x4_sub(wasm_v128_load(in->y + j), yi);
            v128_t dz = wasm_f32x4_sub(wasm_v128_load(in->z + j), zi);
            v128_t r2 = wasm_f32x4_add(
                wasm_f32x4_add(wasm_f32x4_add(wasm_f32x4_mul(dx, dx), wasm_f32x4_mul(dy, dy)), wasm_f32x4_mul(dz, dz)), eps);
            v128_t s = wasm_f32x4_div(wasm_v128_load(in->m + j), wasm_f32x4_mul(r2, wasm_f32x4_sqrt(r2)));
            ax = wasm_f32x4_add(ax, wasm_f32x4_mul(dx, s));
            ay = wasm_f32x4_add(ay, wasm_f32x4_mul(dy, s));
            az = wasm_f32x4_add(az, wasm_f32x4_mul(dz, s));
        }
        out->vx[i] = in->vx[i] + hsum_f32x4(ax) * DT;
        out->vy[i] = in->vy[i] + hsum_f32x4(ay) * DT;
        out->vz[i] = in->vz[i] + hsum_f32x4(az) * DT;
    }
    const v128_t dt = wasm_f32x4_splat(DT);
    for (int i = 0; i < n; i += 4) {
        wasm_v128_store(out->x + i, wasm_f32x4_add(wasm_v128_load(in->x + i), wasm_f32x4_mul(wasm_v128_load(out->vx + i), dt)));
        wasm_v128_store(out->y + i, wasm_f32x4_add(wasm_v128_load(in->y + i), wasm_f32x4_mul(wasm_v128_load(out->vy + i), dt)));
        wasm_v128_store(out->z + i, wasm_f32x4_add(wasm_v128_load(in->z + i), wasm_f32x4_mul(wasm_v128_load(out->vz + i), dt)));
    }
}

static NOINLINE void nbody_ref(int n, const struct bodies *in, struct bodies *out) {
    NOVEC for (int i = 0; i < n; i++) {
        float a[3][4] = {{0}};
        NOVEC for (int j = 0; j < n; j++) {
            float dx = in->x[j] - in->x[i], dy = in->y[j] - in->y[i], dz = in->z[j] - in->z[i];
            float r2 = dx * dx + dy * dy + dz * dz + EPS;
            float s = in->m[j] / (r2 * __builtin_sqrtf(r2));
            a[0][j % 4] = a[0][j % 4] + dx * s;
            a[1][j % 4] = a[1][j % 4] + dy * s;
            a[2][j % 4] = a[2][j % 4] + dz * s;
        }
        float t[3];
        NOVEC for (int c = 0; c < 3; c++) t[c] = (a[c][0] + a[c][1]) + (a[c][2] + a[c][3]);
        out->vx[i] = in->vx[i] + t[0] * DT;
        out->vy[i] = in->vy[i] + t[1] * DT;
        out->vz[i] = in->vz[i] + t[2] * DT;
    }
    NOVEC for (int i = 0; i < n; i++) {
        out->x[i] = in->x[i] + out->vx[i] * DT;
        out->y[i] = in->y[i] + out->vy[i] * DT;
        out->z[i] = in->z[i] + out->vz[i] * DT;
    }
}

/* ---------------- ycbcr: RGBA8 -> Y, Cb, Cr planes (BT.601, full range) ---------------- */
static const float YC[3][4] = {
    {0.299f, 0.587f, 0.114f, 0.0f},
    {-0.168736f, -0.331264f, 0.5f, 128.0f},
    {0.5f, -0.418688f, -0.081312f, 128.0f},
};

static NOINLINE void ycbcr_simd(const uint8_t *rgba, size_t npix, uint8_t *planes[3]) {
    const v128_t lo = wasm_f32x4_splat(0.0f), hi = wasm_f32x4_splat(255.0f);
    for (size_t i = 0; i < npix; i += 16) { /* npix % 16 == 0 */
        v128_t ch[3][4]; /* R, G, B of pixels i + 4q .. i + 4q + 3 as f32 */
        for (int q = 0; q < 4; q++) {
            v128_t p = wasm_v128_load(rgba + 4 * (i + 4 * q));
            /* u32 lanes are pixels: the channel is a shift and a mask away */
            ch[0][q] = wasm_f32x4_convert_u32x4(wasm_v128_and(p, wasm_i32x4_splat(0xff)));
            ch[1][q] = wasm_f32x4_convert_u32x4(wasm_v128_and(wasm_u32x4_shr(p, 8), wasm_i32x4_splat(0xff)));
            ch[2][q] = wasm_f32x4_convert_i32x4(wasm_v128_and(wasm_u32x4_shr(p, 16), wasm_i32x4_splat(0xff)));
        }
        for (int c = 0; c < 3; c++) {
            v128_t out[4];
            for (int q = 0; q < 4; q++) {
                v128_t v = wasm_f32x4_add(wasm_f32x4_add(wasm_f32x4_mul(ch[0][q], wasm_f32x4_splat(YC[c][0])),
                                                         wasm_f32x4_mul(ch[1][q], wasm_f32x4_splat(YC[c][1]))),
                                          wasm_f32x4_mul(ch[2][q], wasm_f32x4_splat(YC[c][2])));
                v = wasm_f32x4_nearest(wasm_f32x4_add(v, wasm_f32x4_splat(YC[c][3])));
                out[q] = wasm_u32x4_trunc_sat_f32x4(wasm_f32x4_min(wasm_f32x4_max(v, lo), hi));
            }
            v128_t w0 = wasm_u16x8_narrow_i32x4(out[0], out[1]), w1 = wasm_u16x8_narrow_i32x4(out[2], out[3]);
            wasm_v128_store(planes[c] + i, wasm_u8x16_narrow_i16x8(w0, w1));
        }
    }
}

static NOINLINE void ycbcr_ref(const uint8_t *rgba, size_t npix, uint8_t *planes[3]) {
    NOVEC for (size_t i = 0; i < npix; i++) NOVEC for (int c = 0; c < 3; c++) {
        float v = (float)rgba[4 * i] * YC[c][0] + (float)rgba[4 * i + 1] * YC[c][1];
        v = v + (float)rgba[4 * i + 2] * YC[c][2];
        v = __builtin_nearbyintf(v + YC[c][3]); /* ties to even, as f32x4.nearest */
        v = v < 0.0f ? 0.0f : v > 255.0f ? 255.0f : v;
        planes[c][i] = (uint8_t)v;
    }
}

/* ---------------- rational: exp(x) ~ P(x) / Q(x) on [-1, 1], f64 ---------------- */
/* the [4/4] Pade approximant of exp: P(x) = 1 + x/2 + 3x^2/28 + x^3/84 + x^4/1680, Q(x) = P(-x) */
static const double PC[5] = {1.0 / 1680.0, 1.0 / 84.0, 3.0 / 28.0, 0.5, 1.0};
static const double QC[5] = {1.0 / 1680.0, -1.0 / 84.0, 3.0 / 28.0, -0.5, 1.0};

static NOINLINE void rational_simd(const double *x, size_t n, double *y) {
    for (size_t i = 0; i < n; i += 4) { /* n % 4 == 0: two vectors at a time */
        v128_t x0 = wasm_v128_load(x + i), x1 = wasm_v128_load(x + i + 2);
        v128_t p0 = wasm_f64x2_splat(PC[0]), p1 = p0, q0 = wasm_f64x2_splat(QC[0]), q1 = q0;
        for (int k = 1; k < 5; k++) {
            p0 = wasm_f64x2_add(wasm_f64x2_mul(p0, x0), wasm_f64x2_splat(PC[k]));
            p1 = wasm_f64x2_add(wasm_f64x2_mul(p1, x1), wasm_f64x2_splat(PC[k]));
            q0 = wasm_f64x2_add(wasm_f64x2_mul(q0, x0), wasm_f64x2_splat(QC[k]));
            q1 = wasm_f64x2_add(wasm_f64x2_mul(q1, x1), wasm_f64x2_splat(QC[k]));
        }
        wasm_v128_store(y + i, wasm_f64x2_div(p0, q0));
        wasm_v128_store(y + i + 2, wasm_f64x2_div(p1, q1));
    }
}

static NOINLINE void rational_ref(const double *x, size_t n, double *y) {
    NOVEC for (size_t i = 0; i < n; i++) {
        double p = PC[0], q = QC[0];
        NOVEC for (int k = 1; k < 5; k++) {
            p = p * x[i] + PC[k];
            q = q * x[i] + QC[k];
        }
        y[i] = p / q;
    }
}

static float rand_f32(float scale) { return (float)((int32_t)rng_u32() >> 8) / 8388608.0f * scale; }

static struct bodies alloc_bodies(int n) {
    struct bodies b;
    float **f[] = {&b.x, &b.y, &b.z, &b.m, &b.vx, &b.vy, &b.vz};
    for (int k = 0; k < 7; k++) *f[k] = xmalloc(4 * (size_t)n);
    return b;
}

static uint64_t digest_bodies(const struct bodies *b, int n, int *same, const struct bodies *r) {
    const float *f[] = {b->x, b->y, b->z, b->vx, b->vy, b->vz}, *g[] = {r->x, r->y, r->z, r->vx, r->vy, r->vz};
    digest_t d;
    dg_init(&d);
    *same = 1;
    for (int k = 0; k < 6; k++) {
        dg_bytes(&d, f[k], 4 * (size_t)n);
        *same &= memcmp(f[k], g[k], 4 * (size_t)n) == 0;
    }
    return d.h;
}

int main(int argc, char **argv) {
    prog_usage = "[N=32] [SEED=1] [REPS=1]   (N a multiple of 4)";
    int n = (int)arg_long(argc, argv, 1, 32, 4, 4096);
    long seed = arg_long(argc, argv, 2, 1, 0, 0x7fffffff);
    long reps = arg_long(argc, argv, 3, 1, 1, 1000000);
    if (n % 4) {
        fprintf(stderr, "floatkern: N must be a multiple of 4\n");
        return 2;
    }
    rng_seed((uint64_t)seed);
    size_t nn = (size_t)n * (size_t)n, len = 1024 * (size_t)n;

    /* ---- inputs ---- */
    float *a = xmalloc(4 * nn), *b = xmalloc(4 * nn), *c1 = xmalloc(4 * nn), *c2 = xmalloc(4 * nn);
    for (size_t i = 0; i < nn; i++) a[i] = rand_f32(2.0f), b[i] = rand_f32(0.5f);
    float *x = xmalloc(4 * (len + TAPS)), *h = xmalloc(4 * TAPS), *y1 = xmalloc(4 * len), *y2 = xmalloc(4 * len);
    for (size_t i = 0; i < len + TAPS; i++) x[i] = rand_f32(1.0f) + 0.25f * (float)((i / 37) % 5);
    for (int k = 0; k < TAPS; k++) h[k] = rand_f32(0.125f);
    int nb = 4 * n;
    struct bodies bin = alloc_bodies(nb), bs = alloc_bodies(nb), br = alloc_bodies(nb);
    for (int i = 0; i < nb; i++) {
        bin.x[i] = rand_f32(10.0f), bin.y[i] = rand_f32(10.0f), bin.z[i] = rand_f32(1.0f);
        bin.m[i] = 0.5f + (float)rng_below(1000) / 1000.0f;
        bin.vx[i] = rand_f32(0.1f), bin.vy[i] = rand_f32(0.1f), bin.vz[i] = 0.0f;
    }
    uint8_t *rgba = xmalloc(4 * len), *ps[3], *pr[3];
    rng_fill(rgba, 4 * len);
    for (int c = 0; c < 3; c++) ps[c] = xmalloc(len), pr[c] = xmalloc(len);
    double *dx = xmalloc(8 * len), *dy1 = xmalloc(8 * len), *dy2 = xmalloc(8 * len);
    for (size_t i = 0; i < len; i++) dx[i] = (double)((int64_t)rng_next() >> 11) / 4503599627370496.0; /* [-1, 1) */

    /* ---- the scalar twins once, the SIMD kernels REPS times ---- */
    sgemm_ref(n, a, b, c2);
    fir_ref(x, len, h, y2);
    nbody_ref(nb, &bin, &br);
    ycbcr_ref(rgba, len, pr);
    rational_ref(dx, len, dy2);
    for (long r = 0; r < reps; r++) {
        sgemm_simd(n, a, b, c1);
        fir_simd(x, len, h, y1);
        nbody_simd(nb, &bin, &bs);
        ycbcr_simd(rgba, len, ps);
        rational_simd(dx, len, dy1);
    }

    report("sgemm", digest_of(c1, 4 * nn), memcmp(c1, c2, 4 * nn) == 0);
    report("fir", digest_of(y1, 4 * len), memcmp(y1, y2, 4 * len) == 0);
    int same;
    uint64_t db = digest_bodies(&bs, nb, &same, &br);
    report("nbody", db, same);
    digest_t d;
    dg_init(&d);
    int ok = 1;
    for (int c = 0; c < 3; c++) dg_bytes(&d, ps[c], len), ok &= memcmp(ps[c], pr[c], len) == 0;
    report("ycbcr", d.h, ok);
    report("rational", digest_of(dy1, 8 * len), memcmp(dy1, dy2, 8 * len) == 0);
    printf("floatkern n %d seed %ld: %s\n", n, seed, fails ? "MISMATCHES" : "simd == scalar");
    return fails ? 1 : 0;
}
