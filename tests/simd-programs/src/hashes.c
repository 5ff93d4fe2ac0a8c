/* hashes: checksums and hashes with SIMD inner loops, each compared with a scalar version
 * (and the real algorithms with known test vectors):
 *   Adler-32   (u8 extadd_pairwise, extmul with weights, i32x4.dot_i16x8_s, shifts),
 *   XXH32      (4 x u32 lanes: i32x4.mul, rotl by shl/shr_u/or),
 *   XXH64      (2 x i64x2: i64x2.mul, 64-bit rotl),
 *   an XXH3-style accumulator (i32x4 shuffles, u64x2.extmul_low_u32x4, i64x2.add, xor),
 *   a 16-lane byte histogram of the first quarter of each input (i8x16.swizzle to broadcast,
 *   eq + sub as counters, u8 -> u32 extends to flush).
 *
 *   hashes [SIZE_KB=64] [SEED=1] [REPS=1]
 *
 * Six inputs (lengths and misalignments that exercise the tails and Adler-32's NMAX blocks):
 * the scalar versions hash each once, the SIMD versions REPS times (so a bench spends its
 * time in the SIMD kernels), every result compared with the scalar one. The output does not
 * depend on REPS.
 */
#include "common.h"

/* ---------------- Adler-32 ---------------- */
#define ADLER_MOD 65521u
#define ADLER_NMAX 5552u

static NOINLINE uint32_t adler32_ref(uint32_t adler, const uint8_t *p, size_t n) {
    uint32_t s1 = adler & 0xffff, s2 = adler >> 16;
    NOVEC for (size_t i = 0; i < n; i++) {
        s1 += p[i];
        s2 += s1;
        if ((i & 2047) == 2047) { s1 %= ADLER_MOD; s2 %= ADLER_MOD; }
    }
    return (s2 % ADLER_MOD) << 16 | (s1 % ADLER_MOD);
}

static inline uint32_t hsum_u32x4(v128_t v) {
    v = wasm_i32x4_add(v, wasm_i32x4_shuffle(v, v, 2, 3, 0, 1));
    v = wasm_i32x4_add(v, wasm_i32x4_shuffle(v, v, 1, 0, 3, 2));
    return (uint32_t)wasm_i32x4_extract_lane(v, 0);
}

static NOINLINE uint32_t adler32_simd(uint32_t adler, const uint8_t *p, size_t n) {
    uint32_t s1 = adler & 0xffff, s2 = adler >> 16;
    const v128_t w_lo = wasm_u16x8_make(16, 15, 14, 13, 12, 11, 10, 9);
    const v128_t w_hi = wasm_i16x8_make(8, 7, 6, 5, 4, 3, 2, 1);
    while (n >= 16) {
        size_t chunks = n / 16;
        if (chunks > ADLER_NMAX / 16) chunks = ADLER_NMAX / 16;
        n -= chunks * 16;
        v128_t v_s1 = wasm_i32x4_splat(0), v_ps = wasm_i32x4_splat(0), v_w = wasm_i32x4_splat(0);
        for (size_t c = 0; c < chunks; c++, p += 16) {
            v128_t v = wasm_v128_load(p);
            v_ps = wasm_i32x4_add(v_ps, v_s1);
            v_s1 = wasm_i32x4_add(v_s1, wasm_u32x4_extadd_pairwise_u16x8(wasm_u16x8_extadd_pairwise_u8x16(v)));
            /* low 8 bytes: u8*u16 weights via extmul, then pairwise to u32 */
            v128_t lo = wasm_u32x4_extadd_pairwise_u16x8(wasm_u16x8_extmul_low_u8x16(v, wasm_u8x16_narrow_i16x8(w_lo, w_lo)));
            /* high 8 bytes: widen, then dot product with the weights */
            v128_t hi = wasm_i32x4_dot_i16x8(wasm_u16x8_extend_high_u8x16(v), w_hi);
            v_w = wasm_i32x4_add(v_w, wasm_i32x4_add(lo, hi));
        }
        s2 += s1 * (uint32_t)(16 * chunks) % ADLER_MOD;
        s2 += (hsum_u32x4(v_ps) % ADLER_MOD << 4) + hsum_u32x4(v_w) % ADLER_MOD;
        s1 += hsum_u32x4(v_s1);
        s1 %= ADLER_MOD;
        s2 %= ADLER_MOD;
    }
    NOVEC while (n--) {
        s1 += *p++;
        s2 += s1;
    }
    return (s2 % ADLER_MOD) << 16 | (s1 % ADLER_MOD);
}

/* ---------------- XXH32 ---------------- */
#define P32_1 0x9E3779B1u
#define P32_2 0x85EBCA77u
#define P32_3 0xC2B2AE3Du
#define P32_4 0x27D4EB2Fu
#define P32_5 0x165667B1u

static inline uint32_t rotl32(uint32_t x, int r) { return (x << r) | (x >> (32 - r)); }
static inline uint32_t rd32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static inline uint64_t rd64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return v; }

static uint32_t xxh32_tail(uint32_t h, const uint8_t *p, size_t len) {
    NOVEC while (len >= 4) { h = rotl32(h + rd32(p) * P32_3, 17) * P32_4; p += 4; len -= 4; }
    NOVEC while (len--) h = rotl32(h + (*p++) * P32_5, 11) * P32_1;
    h ^= h >> 15; h *= P32_2; h ^= h >> 13; h *= P32_3; h ^= h >> 16;
    return h;
}

static NOINLINE uint32_t xxh32_ref(const uint8_t *p, size_t len, uint32_t seed) {
    size_t n = len;
    uint32_t h;
    if (len >= 16) {
        uint32_t v[4] = {seed + P32_1 + P32_2, seed + P32_2, seed, seed - P32_1};
        NOVEC for (; len >= 16; len -= 16, p += 16)
            NOVEC for (int k = 0; k < 4; k++) v[k] = rotl32(v[k] + rd32(p + 4 * k) * P32_2, 13) * P32_1;
        h = rotl32(v[0], 1) + rotl32(v[1], 7) + rotl32(v[2], 12) + rotl32(v[3], 18);
    } else {
        h = seed + P32_5;
    }
    return xxh32_tail(h + (uint32_t)n, p, len);
}

static NOINLINE uint32_t xxh32_simd(const uint8_t *p, size_t len, uint32_t seed) {
    size_t n = len;
    uint32_t h;
    if (len >= 16) {
        v128_t v = wasm_u32x4_make(seed + P32_1 + P32_2, seed + P32_2, seed, seed - P32_1);
        const v128_t p1 = wasm_u32x4_splat(P32_1), p2 = wasm_u32x4_splat(P32_2);
        for (; len >= 16; len -= 16, p += 16) {
            v = wasm_i32x4_add(v, wasm_i32x4_mul(wasm_v128_load(p), p2));
            v = wasm_v128_or(wasm_i32x4_shl(v, 13), wasm_u32x4_shr(v, 19));
            v = wasm_i32x4_mul(v, p1);
        }
        /* rotl by 1, 7, 12, 18 lane-wise, then the sum */
        uint32_t l[4];
        wasm_v128_store(l, v);
        h = rotl32(l[0], 1) + rotl32(l[1], 7) + rotl32(l[2], 12) + rotl32(l[3], 18);
    } else {
        h = seed + P32_5;
    }
    return xxh32_tail(h + (uint32_t)n, p, len);
}

/* ---------------- XXH64 ---------------- */
#define P64_1 0x9E3779B185EBCA87ull
#define P64_2 0xC2B2AE3D27D4EB4Full
#define P64_3 0x165667B19E3779F9ull
#define P64_4 0x85EBCA77C2B2AE63ull
#define P64_5 0x27D4EB2F165667C5ull

static inline uint64_t rotl64(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }
static inline uint64_t xxh64_round(uint64_t acc, uint64_t in) { return rotl64(acc + in * P64_2, 31) * P64_1; }
static inline uint64_t xxh64_merge(uint64_t h, uint64_t v) { return (h ^ xxh64_round(0, v)) * P64_1 + P64_4; }

static uint64_t xxh64_finish(uint64_t h, const uint8_t *p, size_t len) {
    NOVEC while (len >= 8) { h = rotl64(h ^ xxh64_round(0, rd64(p)), 27) * P64_1 + P64_4; p += 8; len -= 8; }
    if (len >= 4) { h = rotl64(h ^ (uint64_t)rd32(p) * P64_1, 23) * P64_2 + P64_3; p += 4; len -= 4; }
    NOVEC while (len--) h = rotl64(h ^ (*p++) * P64_5, 11) * P64_1;
    h ^= h >> 33; h *= P64_2; h ^= h >> 29; h *= P64_3; h ^= h >> 32;
    return h;
}

static uint64_t xxh64_converge(uint64_t v[4]) {
    uint64_t h = rotl64(v[0], 1) + rotl64(v[1], 7) + rotl64(v[2], 12) + rotl64(v[3], 18);
    for (int k = 0; k < 4; k++) h = xxh64_merge(h, v[k]);
    return h;
}

static NOINLINE uint64_t xxh64_ref(const uint8_t *p, size_t len, uint64_t seed) {
    size_t n = len;
    uint64_t h;
    if (len >= 32) {
        uint64_t v[4] = {seed + P64_1 + P64_2, seed + P64_2, seed, seed - P64_1};
        NOVEC for (; len >= 32; len -= 32, p += 32)
            NOVEC for (int k = 0; k < 4; k++) v[k] = xxh64_round(v[k], rd64(p + 8 * k));
        h = xxh64_converge(v);
    } else {
        h = seed + P64_5;
    }
    return xxh64_finish(h + n, p, len);
}

static NOINLINE uint64_t xxh64_simd(const uint8_t *p, size_t len, uint64_t seed) {
    size_t n = len;
    uint64_t h;
    if (len >= 32) {
        v128_t a = wasm_u64x2_make(seed + P64_1 + P64_2, seed + P64_2);
        v128_t b = wasm_u64x2_make(seed, seed - P64_1);
        const v128_t p1 = wasm_u64x2_splat(P64_1), p2 = wasm_u64x2_splat(P64_2);
        for (; len >= 32; len -= 32, p += 32) {
            a = wasm_i64x2_add(a, wasm_i64x2_mul(wasm_v128_load(p), p2));
            b = wasm_i64x2_add(b, wasm_i64x2_mul(wasm_v128_load(p + 16), p2));
            a = wasm_i64x2_mul(wasm_v128_or(wasm_i64x2_shl(a, 31), wasm_u64x2_shr(a, 33)), p1);
            b = wasm_i64x2_mul(wasm_v128_or(wasm_i64x2_shl(b, 31), wasm_u64x2_shr(b, 33)), p1);
        }
        uint64_t v[4] = {(uint64_t)wasm_i64x2_extract_lane(a, 0), (uint64_t)wasm_i64x2_extract_lane(a, 1),
                         (uint64_t)wasm_i64x2_extract_lane(b, 0), (uint64_t)wasm_i64x2_extract_lane(b, 1)};
        h = xxh64_converge(v);
    } else {
        h = seed + P64_5;
    }
    return xxh64_finish(h + n, p, len);
}

/* ---------------- an XXH3-style accumulator (not XXH3 itself) ----------------
 * 8 x u64 accumulators over 64-byte stripes: k = data ^ key; acc[i^1] += data[i];
 * acc[i] += lo32(k) * hi32(k); every 16 stripes: acc = (acc ^ acc >> 47 ^ key) * P32_1. */
static uint8_t KEY[64 + 16 * 8];

static NOINLINE uint64_t acc3_ref(const uint8_t *p, size_t len) {
    uint64_t acc[8] = {P32_3, P64_1, P64_2, P64_3, P64_4, P32_2, P64_5, P32_1};
    size_t stripes = len / 64;
    NOVEC for (size_t s = 0; s < stripes; s++) {
        const uint8_t *key = KEY + 8 * (s % 16);
        NOVEC for (int i = 0; i < 8; i++) {
            uint64_t d = rd64(p + 64 * s + 8 * i), k = d ^ rd64(key + 8 * i);
            acc[i ^ 1] += d;
            acc[i] += (k & 0xffffffffu) * (k >> 32);
        }
        if (s % 16 == 15)
            NOVEC for (int i = 0; i < 8; i++) acc[i] = (acc[i] ^ (acc[i] >> 47) ^ rd64(KEY + 128 + 8 * (i & 1))) * P32_1;
    }
    uint64_t h = len * P64_1;
    NOVEC for (int i = 0; i < 8; i++) h = rotl64(h ^ acc[i], 29) * P64_2;
    return h;
}

static NOINLINE uint64_t acc3_simd(const uint8_t *p, size_t len) {
    v128_t acc[4] = {wasm_u64x2_make(P32_3, P64_1), wasm_u64x2_make(P64_2, P64_3), wasm_u64x2_make(P64_4, P32_2),
                     wasm_u64x2_make(P64_5, P32_1)};
    const v128_t prime = wasm_u64x2_splat(P32_1);
    const v128_t scr = wasm_v128_load(KEY + 128);
    size_t stripes = len / 64;
    for (size_t s = 0; s < stripes; s++) {
        const uint8_t *key = KEY + 8 * (s % 16);
        for (int i = 0; i < 4; i++) {
            v128_t d = wasm_v128_load(p + 64 * s + 16 * i);
            v128_t k = wasm_v128_xor(d, wasm_v128_load(key + 16 * i));
            /* lanes (lo0, lo1, hi0, hi1) and (hi0, hi1, ...) so that extmul_low multiplies lo*hi per u64 */
            v128_t lo = wasm_i32x4_shuffle(k, k, 0, 2, 1, 3);
            v128_t hi = wasm_i32x4_shuffle(k, k, 1, 3, 0, 2);
            v128_t prod = wasm_u64x2_extmul_low_u32x4(lo, hi);
            v128_t swapped = wasm_i64x2_shuffle(d, d, 1, 0);
            acc[i] = wasm_i64x2_add(acc[i], wasm_i64x2_add(prod, swapped));
        }
        if (s % 16 == 15)
            for (int i = 0; i < 4; i++) {
                v128_t a = wasm_v128_xor(wasm_v128_xor(acc[i], wasm_u64x2_shr(acc[i], 47)), scr);
                acc[i] = wasm_i64x2_mul(a, prime);
            }
    }
    uint64_t a8[8];
    for (int i = 0; i < 4; i++) wasm_v128_store(a8 + 2 * i, acc[i]);
    uint64_t h = len * P64_1;
    NOVEC for (int i = 0; i < 8; i++) h = rotl64(h ^ a8[i], 29) * P64_2;
    return h;
}

/* ---------------- byte histogram of the values 0..15 mod 16 ---------------- */
static NOINLINE void hist_ref(const uint8_t *p, size_t n, uint32_t out[16]) {
    memset(out, 0, 16 * sizeof out[0]);
    NOVEC for (size_t i = 0; i < n; i++) out[p[i] & 15]++;
}

static NOINLINE void hist_simd(const uint8_t *p, size_t n, uint32_t out[16]) {
    v128_t total[4] = {wasm_i32x4_splat(0), wasm_i32x4_splat(0), wasm_i32x4_splat(0), wasm_i32x4_splat(0)};
    const v128_t lanes = wasm_i8x16_const(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    const v128_t m15 = wasm_i8x16_splat(15);
    size_t i = 0;
    /* counters per byte lane: lane j counts bytes equal to j among the values splatted into it */
    while (i + 16 <= n) {
        v128_t cnt = wasm_i8x16_splat(0);
        size_t stop = i + 16 * 15; /* at most 15*16 = 240 < 256 per lane */
        for (; i + 16 <= n && i < stop; i += 16) {
            v128_t v = wasm_v128_and(wasm_v128_load(p + i), m15);
            /* for each of the 16 bytes of v, add 1 to the counter lane equal to it */
            for (int b = 0; b < 16; b++) {
                v128_t s = wasm_i8x16_swizzle(v, wasm_i8x16_splat((int8_t)b));
                cnt = wasm_i8x16_sub(cnt, wasm_i8x16_eq(s, lanes));
            }
        }
        v128_t w16 = wasm_u16x8_extend_low_u8x16(cnt), w16h = wasm_u16x8_extend_high_u8x16(cnt);
        total[0] = wasm_i32x4_add(total[0], wasm_u32x4_extend_low_u16x8(w16));
        total[1] = wasm_i32x4_add(total[1], wasm_u32x4_extend_high_u16x8(w16));
        total[2] = wasm_i32x4_add(total[2], wasm_u32x4_extend_low_u16x8(w16h));
        total[3] = wasm_i32x4_add(total[3], wasm_u32x4_extend_high_u16x8(w16h));
    }
    for (int k = 0; k < 4; k++) wasm_v128_store(out + 4 * k, total[k]);
    NOVEC for (; i < n; i++) out[p[i] & 15]++;
}

int main(int argc, char **argv) {
    prog_usage = "[SIZE_KB=64] [SEED=1] [REPS=1]";
    long kb = arg_long(argc, argv, 1, 64, 1, 1 << 20);
    long seed = arg_long(argc, argv, 2, 1, 0, 0x7fffffff);
    long reps = arg_long(argc, argv, 3, 1, 1, 100000);
    int bad = 0;

    /* known answers first */
    static const char abc[] = "abc", fox[] = "The quick brown fox jumps over the lazy dog";
    uint32_t kv[4] = {xxh32_simd((const uint8_t *)"", 0, 0), xxh32_simd((const uint8_t *)abc, 3, 0),
                      adler32_simd(1, (const uint8_t *)fox, 43), xxh32_simd((const uint8_t *)fox, 43, 0)};
    uint64_t kv64 = xxh64_simd((const uint8_t *)"", 0, 0), kvfox = xxh64_simd((const uint8_t *)fox, 43, 0);
    int kok = kv[0] == 0x02CC5D05u && kv[1] == 0x32D153FFu && kv[2] == 0x5BDC0FDAu && kv64 == 0xEF46DB3751D8E999ull && kvfox == 0x0B242D361FDA71BCull &&
              kv[3] == xxh32_ref((const uint8_t *)fox, 43, 0) && kvfox == xxh64_ref((const uint8_t *)fox, 43, 0);
    printf("known answers: xxh32('')=%08x xxh32('abc')=%08x adler32(fox)=%08x xxh64('')=%016llx xxh64(fox)=%016llx %s\n",
           kv[0], kv[1], kv[2], (unsigned long long)kv64, (unsigned long long)kvfox, kok ? "ok" : "MISMATCH");
    bad += !kok;

    rng_seed((uint64_t)seed);
    size_t n = (size_t)kb * 1024;
    uint8_t *buf = xmalloc(n + 64);
    rng_fill(buf, n + 64);
    /* make part of it low-entropy text-like so the histograms are uneven */
    for (size_t i = 0; i < n / 3; i++) buf[i] = (uint8_t)("etaoin shrdlu"[rng_below(13)]);
    rng_fill(KEY, sizeof KEY);

    /* several lengths and misalignments, so the tails and the NMAX blocks are exercised */
    enum { NCASE = 6 };
    struct result { uint32_t adler, xxh32; uint64_t xxh64, acc3; uint32_t hist[16]; };
    struct { size_t off, len; struct result ref, simd; } cs[NCASE];
    for (int t = 0; t < NCASE; t++) {
        size_t off = (size_t)(t * 7) % 61, len = n - off - (size_t)(t * 13) % 29;
        if (t == 5) len = 5551;
        const uint8_t *p = buf + off;
        struct result *r = &cs[t].ref;
        cs[t].off = off, cs[t].len = len;
        r->adler = adler32_ref(1, p, len);
        r->xxh32 = xxh32_ref(p, len, (uint32_t)t);
        r->xxh64 = xxh64_ref(p, len, (uint64_t)t << 40);
        r->acc3 = acc3_ref(p, len);
        hist_ref(p, len / 4, r->hist); /* the slowest kernel: a quarter of the input */
    }
    int ok[NCASE];
    for (int t = 0; t < NCASE; t++) ok[t] = 1;
    for (long rep = 0; rep < reps; rep++)
        for (int t = 0; t < NCASE; t++) {
            /* through a volatile, so that the compiler cannot hoist the (pure) calls out of the loop */
            const uint8_t *volatile launder = buf + cs[t].off;
            const uint8_t *p = launder;
            size_t len = cs[t].len;
            struct result *s = &cs[t].simd, *r = &cs[t].ref;
            s->adler = adler32_simd(1, p, len);
            s->xxh32 = xxh32_simd(p, len, (uint32_t)t);
            s->xxh64 = xxh64_simd(p, len, (uint64_t)t << 40);
            s->acc3 = acc3_simd(p, len);
            hist_simd(p, len / 4, s->hist);
            ok[t] &= s->adler == r->adler && s->xxh32 == r->xxh32 && s->xxh64 == r->xxh64 && s->acc3 == r->acc3 &&
                     memcmp(s->hist, r->hist, sizeof s->hist) == 0;
        }
    digest_t d;
    dg_init(&d);
    for (int t = 0; t < NCASE; t++) {
        struct result *s = &cs[t].simd;
        bad += !ok[t];
        dg_u64(&d, s->adler); dg_u64(&d, s->xxh32); dg_u64(&d, s->xxh64); dg_u64(&d, s->acc3);
        dg_bytes(&d, s->hist, sizeof s->hist);
        printf("len %7zu off %2zu: adler32 %08x xxh32 %08x xxh64 %016llx acc3 %016llx hist[0..3] %u %u %u %u %s\n",
               cs[t].len, cs[t].off, s->adler, s->xxh32, (unsigned long long)s->xxh64, (unsigned long long)s->acc3,
               s->hist[0], s->hist[1], s->hist[2], s->hist[3], ok[t] ? "ok" : "MISMATCH");
    }
    printf("hashes %ld KiB seed %ld: digest %016llx, %s\n", kb, seed, (unsigned long long)d.h,
           bad ? "MISMATCHES" : "simd == scalar");
    return bad ? 1 : 0;
}
