/* floatops: every f32x4 / f64x2 SIMD128 instruction and the int<->float conversions, over
 * random values and edge values (±0, ±inf, quiet and signalling NaNs with payloads, ±min
 * and max subnormals, ±1, halves for rounding ties, 2^23±1, 2^31, 2^32, FLT_MAX, values just
 * inside and outside the i32/u32 ranges, ...).
 *
 *   floatops [ROUNDS=4] [SEED=1] [NVEC=64] [PREFIX]
 *
 * Prints a table of selected edge cases lane by lane, then one digest line per operation
 * (PREFIX "edges": the table only; another PREFIX: only the operations starting with it).
 * Results that may be NaN are digested by class only (common.h: Wasm leaves the sign and
 * payload of an arithmetic NaN open); bit-exact operations (abs, neg, pmin, pmax, lane ops)
 * and all integer results are digested bit for bit.
 */
#include "common.h"

static int NV = 64, ROUNDS = 4;
static v128_t *V; /* vectors of f32 or f64 lanes: random, edge values, or mixed */
static float *F;  /* scalars: random and edge f32 values */

/* Each operation is a noinline kernel with external linkage taking its operands as
 * parameters, so the compiler cannot turn a lane operation on a vector that came from
 * memory into a scalar load or store (see intops.c). */
#define A a
#define B b
#define X x /* a scalar float from the edge / random pool */

typedef uint64_t (*test_fn)(void);
struct test { const char *name; test_fn fn; };

/* kind: 0 = bit-exact (raw digest), 1 = f32 lanes (NaN by class), 2 = f64 lanes */
#define T_(name, kind, expr)                                                     \
    NOINLINE v128_t k_##name(v128_t a, v128_t b, float x) {                      \
        (void)a, (void)b, (void)x;                                               \
        return (expr);                                                           \
    }                                                                            \
    static NOINLINE uint64_t t_##name(void) {                                    \
        digest_t d; dg_init(&d);                                                 \
        for (int r = 0; r < ROUNDS; r++)                                         \
            for (int i = 0; i < NV; i++) {                                       \
                v128_t res = k_##name(V[i], V[(i + r + 1) % NV], F[(i + 3 * r) % NV]); \
                if (kind == 0) dg_v128(&d, res);                                 \
                else if (kind == 1) dg_f32x4(&d, res);                           \
                else dg_f64x2(&d, res);                                          \
            }                                                                    \
        return d.h;                                                              \
    }
#define T_RAW(name, expr) T_(name, 0, expr)
#define T_F32(name, expr) T_(name, 1, expr)
#define T_F64(name, expr) T_(name, 2, expr)

/* ---- f32x4 ---- */
T_RAW(f32x4_splat, wasm_f32x4_splat(X))
T_RAW(f32x4_replace_lane, wasm_f32x4_replace_lane(wasm_f32x4_replace_lane(A, 0, X), 3, wasm_f32x4_extract_lane(B, 1)))
T_F32(f32x4_add, wasm_f32x4_add(A, B))
T_F32(f32x4_sub, wasm_f32x4_sub(A, B))
T_F32(f32x4_mul, wasm_f32x4_mul(A, B))
T_F32(f32x4_div, wasm_f32x4_div(A, B))
T_F32(f32x4_min, wasm_f32x4_min(A, B))
T_F32(f32x4_max, wasm_f32x4_max(A, B))
T_RAW(f32x4_pmin, wasm_f32x4_pmin(A, B))
T_RAW(f32x4_pmax, wasm_f32x4_pmax(A, B))
T_F32(f32x4_sqrt, wasm_f32x4_sqrt(A))
T_RAW(f32x4_abs, wasm_f32x4_abs(A))
T_RAW(f32x4_neg, wasm_f32x4_neg(A))
T_F32(f32x4_ceil, wasm_f32x4_ceil(A))
T_F32(f32x4_floor, wasm_f32x4_floor(A))
T_F32(f32x4_trunc, wasm_f32x4_trunc(A))
T_F32(f32x4_nearest, wasm_f32x4_nearest(A))
T_RAW(f32x4_eq, wasm_f32x4_eq(A, B))
T_RAW(f32x4_ne, wasm_f32x4_ne(A, B))
T_RAW(f32x4_lt, wasm_f32x4_lt(A, B))
T_RAW(f32x4_gt, wasm_f32x4_gt(A, B))
T_RAW(f32x4_le, wasm_f32x4_le(A, B))
T_RAW(f32x4_ge, wasm_f32x4_ge(A, B))
T_RAW(f32x4_eq_self, wasm_v128_xor(wasm_f32x4_eq(A, A), wasm_f32x4_ne(B, B)))
T_F32(f32x4_convert_i32x4_s, wasm_f32x4_convert_i32x4(A))
T_F32(f32x4_convert_i32x4_u, wasm_f32x4_convert_u32x4(A))
T_RAW(i32x4_trunc_sat_f32x4_s, wasm_i32x4_trunc_sat_f32x4(A))
T_RAW(i32x4_trunc_sat_f32x4_u, wasm_u32x4_trunc_sat_f32x4(A))
T_F32(f32x4_demote_f64x2_zero, wasm_f32x4_demote_f64x2_zero(A))

/* ---- f64x2 ---- */
T_RAW(f64x2_splat, wasm_f64x2_splat(wasm_f64x2_extract_lane(A, 1) * (double)X))
T_RAW(f64x2_replace_lane, wasm_f64x2_replace_lane(wasm_f64x2_replace_lane(A, 0, wasm_f64x2_extract_lane(B, 1)), 1, wasm_f64x2_extract_lane(B, 0)))
T_F64(f64x2_add, wasm_f64x2_add(A, B))
T_F64(f64x2_sub, wasm_f64x2_sub(A, B))
T_F64(f64x2_mul, wasm_f64x2_mul(A, B))
T_F64(f64x2_div, wasm_f64x2_div(A, B))
T_F64(f64x2_min, wasm_f64x2_min(A, B))
T_F64(f64x2_max, wasm_f64x2_max(A, B))
T_RAW(f64x2_pmin, wasm_f64x2_pmin(A, B))
T_RAW(f64x2_pmax, wasm_f64x2_pmax(A, B))
T_F64(f64x2_sqrt, wasm_f64x2_sqrt(A))
T_RAW(f64x2_abs, wasm_f64x2_abs(A))
T_RAW(f64x2_neg, wasm_f64x2_neg(A))
T_F64(f64x2_ceil, wasm_f64x2_ceil(A))
T_F64(f64x2_floor, wasm_f64x2_floor(A))
T_F64(f64x2_trunc, wasm_f64x2_trunc(A))
T_F64(f64x2_nearest, wasm_f64x2_nearest(A))
T_RAW(f64x2_eq, wasm_f64x2_eq(A, B))
T_RAW(f64x2_ne, wasm_f64x2_ne(A, B))
T_RAW(f64x2_lt, wasm_f64x2_lt(A, B))
T_RAW(f64x2_gt, wasm_f64x2_gt(A, B))
T_RAW(f64x2_le, wasm_f64x2_le(A, B))
T_RAW(f64x2_ge, wasm_f64x2_ge(A, B))
T_F64(f64x2_convert_low_i32x4_s, wasm_f64x2_convert_low_i32x4(A))
T_F64(f64x2_convert_low_i32x4_u, wasm_f64x2_convert_low_u32x4(A))
T_RAW(i32x4_trunc_sat_f64x2_s_zero, wasm_i32x4_trunc_sat_f64x2_zero(A))
T_RAW(i32x4_trunc_sat_f64x2_u_zero, wasm_u32x4_trunc_sat_f64x2_zero(A))
T_F64(f64x2_promote_low_f32x4, wasm_f64x2_promote_low_f32x4(A))

/* f32x4.extract_lane / f64x2.extract_lane on their own: digest the scalar bits */
NOINLINE uint64_t k_f32x4_extract_lane(v128_t a, v128_t b) {
    /* promoted to f64 so that the lanes are used as floats (a bit cast would make the
     * compiler use i32x4.extract_lane); NaNs by class, the promotion may change them */
    double f0 = wasm_f32x4_extract_lane(a, 0), f3 = wasm_f32x4_extract_lane(a, 3);
    uint64_t b0, b3;
    memcpy(&b0, &f0, 8); memcpy(&b3, &f3, 8);
    (void)b;
    return canon_f64_bits(b0) * 31 + canon_f64_bits(b3);
}
NOINLINE uint64_t k_f64x2_extract_lane(v128_t a, v128_t b) {
    double g1 = wasm_f64x2_extract_lane(b, 1), g0 = wasm_f64x2_extract_lane(a, 0);
    uint64_t c1, c0;
    memcpy(&c1, &g1, 8); memcpy(&c0, &g0, 8);
    return c1 ^ (c0 << 1 | c0 >> 63);
}
static NOINLINE uint64_t t_f32x4_extract_lane_real(void) {
    digest_t d; dg_init(&d);
    for (int r = 0; r < ROUNDS; r++)
        for (int i = 0; i < NV; i++) {
            dg_u64(&d, k_f32x4_extract_lane(V[i], V[(i + r + 1) % NV]));
            dg_u64(&d, k_f64x2_extract_lane(V[i], V[(i + r + 1) % NV]));
        }
    return d.h;
}

#define E(name) {#name, t_##name},
static const struct test TESTS[] = {
    E(f32x4_splat) {"f32x4_extract_lane", t_f32x4_extract_lane_real}, E(f32x4_replace_lane)
    E(f32x4_add) E(f32x4_sub) E(f32x4_mul) E(f32x4_div) E(f32x4_min) E(f32x4_max) E(f32x4_pmin) E(f32x4_pmax)
    E(f32x4_sqrt) E(f32x4_abs) E(f32x4_neg) E(f32x4_ceil) E(f32x4_floor) E(f32x4_trunc) E(f32x4_nearest)
    E(f32x4_eq) E(f32x4_ne) E(f32x4_lt) E(f32x4_gt) E(f32x4_le) E(f32x4_ge) E(f32x4_eq_self)
    E(f32x4_convert_i32x4_s) E(f32x4_convert_i32x4_u) E(i32x4_trunc_sat_f32x4_s) E(i32x4_trunc_sat_f32x4_u)
    E(f32x4_demote_f64x2_zero)
    E(f64x2_splat) E(f64x2_replace_lane) E(f64x2_add) E(f64x2_sub) E(f64x2_mul) E(f64x2_div) E(f64x2_min)
    E(f64x2_max) E(f64x2_pmin) E(f64x2_pmax) E(f64x2_sqrt) E(f64x2_abs) E(f64x2_neg) E(f64x2_ceil)
    E(f64x2_floor) E(f64x2_trunc) E(f64x2_nearest) E(f64x2_eq) E(f64x2_ne) E(f64x2_lt) E(f64x2_gt)
    E(f64x2_le) E(f64x2_ge) E(f64x2_convert_low_i32x4_s) E(f64x2_convert_low_i32x4_u)
    E(i32x4_trunc_sat_f64x2_s_zero) E(i32x4_trunc_sat_f64x2_u_zero) E(f64x2_promote_low_f32x4)
};

static const uint32_t EDGE32[] = {
    0x00000000, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000, 0x7fc12345, 0xffa00001,
    0x7f800001, 0x00000001, 0x80000001, 0x007fffff, 0x807fffff, 0x00800000, 0x3f800000, 0xbf800000,
    0x3f000000, 0xbf000000, 0x3fc00000, 0x40200000, 0xc0200000, 0x3effffff, 0x4b000001, 0x4affffff,
    0x4b7fffff, 0x4f000000, 0xcf000000, 0x4f800000, 0x4effffff, 0xcf000001, 0x4f7fffff, 0x7f7fffff,
    0xff7fffff, 0x5f000000, 0xbe99999a, 0x40490fdb, 0xc0490fdb, 0x3f7fffff, 0xbfc00000, 0x40400000,
};
static const uint64_t EDGE64[] = {
    0x0000000000000000ull, 0x8000000000000000ull, 0x7ff0000000000000ull, 0xfff0000000000000ull,
    0x7ff8000000000000ull, 0xfff8000000000000ull, 0x7ff8000012345678ull, 0xfff4000000000001ull,
    0x7ff0000000000001ull, 0x0000000000000001ull, 0x8000000000000001ull, 0x000fffffffffffffull,
    0x3ff0000000000000ull, 0xbff0000000000000ull, 0x3fe0000000000000ull, 0xbfe0000000000000ull,
    0x3ff8000000000000ull, 0x4004000000000000ull, 0xc004000000000000ull, 0x41dfffffffc00000ull,
    0x41e0000000000000ull, 0xc1e0000000000000ull, 0xc1e0000000200000ull, 0x41efffffffe00000ull,
    0x41f0000000000000ull, 0x4330000000000001ull, 0x432fffffffffffffull, 0x7fefffffffffffffull,
    0xffefffffffffffffull, 0x47efffffe0000000ull, 0x47efffffffffffffull, 0x36a0000000000000ull,
    0x3690000000000000ull, 0xbfd3333333333333ull, 0x400921fb54442d18ull, 0xbff8000000000000ull,
};
#define NE32 (sizeof EDGE32 / sizeof EDGE32[0])
#define NE64 (sizeof EDGE64 / sizeof EDGE64[0])

static void make_inputs(void) {
    V = xmalloc(sizeof(v128_t) * (size_t)NV);
    F = xmalloc(sizeof(float) * (size_t)NV);
    for (int i = 0; i < NV; i++) {
        uint32_t fb = i % 2 ? EDGE32[rng_below(NE32)] : rng_u32();
        memcpy(&F[i], &fb, 4);
        uint32_t l[4];
        uint64_t q[2];
        switch (i % 6) {
        case 0: /* random f32 in a moderate range, some negative */
            for (int k = 0; k < 4; k++) {
                float f = (float)((int32_t)rng_u32() >> 8) / (float)(1 << (rng_below(20)));
                memcpy(&l[k], &f, 4);
            }
            V[i] = wasm_v128_load(l);
            break;
        case 1: /* f32 edges */
            for (int k = 0; k < 4; k++) l[k] = EDGE32[rng_below(NE32)];
            V[i] = wasm_v128_load(l);
            break;
        case 2: /* random f64 */
            for (int k = 0; k < 2; k++) {
                double f = (double)((int64_t)rng_next() >> 11) / (double)(1ull << rng_below(60));
                memcpy(&q[k], &f, 8);
            }
            V[i] = wasm_v128_load(q);
            break;
        case 3: /* f64 edges */
            for (int k = 0; k < 2; k++) q[k] = EDGE64[rng_below(NE64)];
            V[i] = wasm_v128_load(q);
            break;
        case 4: /* random bits (also integers for the convert tests) */
            rng_fill(l, 16);
            V[i] = wasm_v128_load(l);
            break;
        default: /* integer edges for convert */
            for (int k = 0; k < 4; k++) {
                static const uint32_t IE[] = {0, 1, 0xffffffff, 0x80000000, 0x7fffffff, 0x01000001, 0x00ffffff,
                                              0xfeffffff, 0x7fffff80, 0xffffff7f, 16777217, 0x80000001};
                l[k] = IE[rng_below(sizeof IE / sizeof IE[0])];
            }
            V[i] = wasm_v128_load(l);
            break;
        }
    }
}

/* A few edge cases printed lane by lane (readable when a digest differs). Types: 'f' f32
 * lanes, 'd' f64 lanes (NaNs as common.h prints them), 'i' i32 lanes, 'l' i64 lanes (hex). */
static void show_vec(char type, v128_t v) {
    uint32_t w[4];
    uint64_t q[2];
    char buf[32];
    wasm_v128_store(w, v);
    wasm_v128_store(q, v);
    printf(" [");
    int n = (type == 'f' || type == 'i') ? 4 : 2;
    for (int k = 0; k < n; k++) {
        const char *s;
        if (type == 'f') s = fmt_f32(buf, w[k]);
        else if (type == 'd') s = fmt_f64(buf, q[k]);
        else if (type == 'i') { snprintf(buf, sizeof buf, "%08x", (unsigned)w[k]); s = buf; }
        else { snprintf(buf, sizeof buf, "%016llx", (unsigned long long)q[k]); s = buf; }
        printf("%s%s", k ? " " : "", s);
    }
    printf("]");
}
static void show(const char *name, const char *types, v128_t a, v128_t b, v128_t res) {
    printf("%s", name);
    show_vec(types[0], a);
    if (types[1] != '-') show_vec(types[1], b);
    printf(" ->");
    show_vec(types[2], res);
    printf("\n");
}

/* Keeps the compiler from folding the edge cases at compile time. */
static volatile v128_t OPAQUE;
static v128_t opaque(v128_t v) {
    OPAQUE = v;
    return OPAQUE;
}

static void edge_table(void) {
    /* -0/+0, NaN against a number, and signalling NaN in bit-exact ops */
    v128_t a = opaque(wasm_i32x4_make((int)0x80000000, 0x00000000, 0x7fc00000, (int)0xffa00001));
    v128_t b = opaque(wasm_i32x4_make(0x00000000, (int)0x80000000, 0x3f800000, 0x3f800000));
    show("f32x4.min", "fff", a, b, wasm_f32x4_min(a, b));
    show("f32x4.max", "fff", a, b, wasm_f32x4_max(a, b));
    show("f32x4.pmin", "fff", a, b, wasm_f32x4_pmin(a, b));
    show("f32x4.pmax", "fff", a, b, wasm_f32x4_pmax(a, b));
    show("f32x4.abs", "f-f", a, b, wasm_f32x4_abs(a));
    show("f32x4.neg", "f-f", a, b, wasm_f32x4_neg(a));
    show("f32x4.add", "fff", a, b, wasm_f32x4_add(a, b));
    show("f32x4.lt", "ffi", a, b, wasm_f32x4_lt(a, b));
    /* rounding: ties, negative halves, tiny values, 2^23+1 */
    v128_t h = opaque(wasm_i32x4_make(0x3fc00000, 0x40200000, (int)0xbf000000, (int)0xbe99999a));
    v128_t h2 = opaque(wasm_i32x4_make(0x4b000001, 0x3effffff, (int)0x80000001, (int)0xbfc00000));
    show("f32x4.nearest", "f-f", h, h2, wasm_f32x4_nearest(h));
    show("f32x4.nearest", "f-f", h2, h, wasm_f32x4_nearest(h2));
    show("f32x4.ceil", "f-f", h, h2, wasm_f32x4_ceil(h));
    show("f32x4.floor", "f-f", h2, h, wasm_f32x4_floor(h2));
    show("f32x4.trunc", "f-f", h, h2, wasm_f32x4_trunc(h));
    show("f32x4.sqrt", "f-f", h2, h, wasm_f32x4_sqrt(h2));
    /* saturating truncation at the i32 / u32 limits, NaN -> 0 */
    v128_t t = opaque(wasm_i32x4_make(0x4f000000, (int)0xcf000001, 0x7fc00000, 0x4effffff));
    v128_t t2 = opaque(wasm_i32x4_make(0x4f800000, 0x4f7fffff, (int)0xbf7fffff, (int)0xff800000));
    show("i32x4.trunc_sat_f32x4_s", "f-i", t, t2, wasm_i32x4_trunc_sat_f32x4(t));
    show("i32x4.trunc_sat_f32x4_u", "f-i", t2, t, wasm_u32x4_trunc_sat_f32x4(t2));
    v128_t u = opaque(wasm_i32x4_make((int)0xffffffff, (int)0x80000000, 0x7fffffff, 16777217));
    show("f32x4.convert_i32x4_s", "i-f", u, u, wasm_f32x4_convert_i32x4(u));
    show("f32x4.convert_i32x4_u", "i-f", u, u, wasm_f32x4_convert_u32x4(u));
    /* f64 */
    v128_t d1 = opaque(wasm_i64x2_make((int64_t)0x8000000000000000ull, 0x7ff8000012345678ll));
    v128_t d2 = opaque(wasm_i64x2_make(0, 0x3ff0000000000000ll));
    show("f64x2.min", "ddd", d1, d2, wasm_f64x2_min(d1, d2));
    show("f64x2.max", "ddd", d1, d2, wasm_f64x2_max(d1, d2));
    show("f64x2.pmin", "ddd", d1, d2, wasm_f64x2_pmin(d1, d2));
    show("f64x2.pmax", "ddd", d2, d1, wasm_f64x2_pmax(d2, d1));
    v128_t d3 = opaque(wasm_i64x2_make(0x4004000000000000ll, (int64_t)0xbff8000000000000ull));
    show("f64x2.nearest", "d-d", d3, d3, wasm_f64x2_nearest(d3));
    v128_t d4 = opaque(wasm_i64x2_make(0x41e0000000000000ll, (int64_t)0xc1e0000000200000ull));
    show("i32x4.trunc_sat_f64x2_s_zero", "d-i", d4, d4, wasm_i32x4_trunc_sat_f64x2_zero(d4));
    v128_t d5 = opaque(wasm_i64x2_make(0x41efffffffe00000ll, 0x41f0000000000000ll));
    show("i32x4.trunc_sat_f64x2_u_zero", "d-i", d5, d5, wasm_u32x4_trunc_sat_f64x2_zero(d5));
    v128_t d6 = opaque(wasm_i64x2_make(0x47efffffe0000000ll, 0x36a0000000000000ll));
    show("f32x4.demote_f64x2_zero", "d-f", d6, d6, wasm_f32x4_demote_f64x2_zero(d6));
    v128_t p = opaque(wasm_i32x4_make(0x00000001, (int)0xff800000, 0, 0));
    show("f64x2.promote_low_f32x4", "f-d", p, p, wasm_f64x2_promote_low_f32x4(p));
    v128_t c = opaque(wasm_i32x4_make((int)0xffffffff, (int)0x80000000, 0, 0));
    show("f64x2.convert_low_i32x4_s", "i-d", c, c, wasm_f64x2_convert_low_i32x4(c));
    show("f64x2.convert_low_i32x4_u", "i-d", c, c, wasm_f64x2_convert_low_u32x4(c));
}

int main(int argc, char **argv) {
    prog_usage = "[ROUNDS=4] [SEED=1] [NVEC=64] [PREFIX]";
    ROUNDS = (int)arg_long(argc, argv, 1, 4, 1, 1000000);
    long seed = arg_long(argc, argv, 2, 1, 0, 0x7fffffff);
    NV = (int)arg_long(argc, argv, 3, 64, 6, 100000);
    const char *prefix = argc > 4 ? argv[4] : "";
    rng_seed((uint64_t)seed);
    make_inputs();
    int only_edges = strcmp(prefix, "edges") == 0;
    if (!*prefix || only_edges) edge_table();
    if (only_edges) return 0;
    digest_t total;
    dg_init(&total);
    int n = 0;
    for (int t = 0; t < (int)(sizeof TESTS / sizeof TESTS[0]); t++) {
        if (strncmp(TESTS[t].name, prefix, strlen(prefix)) != 0) continue;
        n++;
        uint64_t h = TESTS[t].fn();
        dg_u64(&total, h);
        printf("%-30s %016llx\n", TESTS[t].name, (unsigned long long)h);
    }
    if (n == 0) {
        fprintf(stderr, "floatops: no operation starts with '%s'\n", prefix);
        return 2;
    }
    printf("floatops: %d operations%s%s, rounds %d, seed %ld, nvec %d, total %016llx\n", n, *prefix ? " matching " : "",
           prefix, ROUNDS, seed, NV, (unsigned long long)total.h);
    return 0;
}
