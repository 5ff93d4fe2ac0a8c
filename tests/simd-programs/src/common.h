/* Shared helpers for the SIMD test programs (tests/simd-programs).
 *
 * Everything here is deterministic: a splitmix64 generator seeded from argv, a 64-bit
 * FNV-style digest over 64-bit words, argument parsing with range checks, and printers for
 * float bit patterns that are stable across conforming Wasm engines (see fmt_f32 below).
 * The helpers are scalar on purpose: the SIMD is in the programs.
 */
#ifndef SIMD_PROGRAMS_COMMON_H
#define SIMD_PROGRAMS_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wasm_simd128.h>

#define NOVEC _Pragma("clang loop vectorize(disable) interleave(disable) unroll(disable)")
#define NOINLINE __attribute__((noinline))

/* ---- random numbers: splitmix64 ---- */
static uint64_t rng_state;

static inline void rng_seed(uint64_t s) { rng_state = s * 0x9E3779B97F4A7C15ull + 0x1234567ull; }

static inline uint64_t rng_next(void) {
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static inline uint32_t rng_u32(void) { return (uint32_t)(rng_next() >> 32); }

/* uniform in [0, n) for small n (bias irrelevant here) */
static inline uint32_t rng_below(uint32_t n) { return (uint32_t)(((rng_next() >> 32) * (uint64_t)n) >> 32); }

static NOINLINE __attribute__((unused)) void rng_fill(void *dst, size_t n) {
    uint8_t *p = dst;
    NOVEC for (size_t i = 0; i < n; i += 8) {
        uint64_t r = rng_next();
        size_t k = n - i < 8 ? n - i : 8;
        memcpy(p + i, &r, k);
    }
}

/* ---- digest: 64-bit, word at a time ---- */
typedef struct { uint64_t h; } digest_t;

static inline void dg_init(digest_t *d) { d->h = 0xcbf29ce484222325ull; }

static inline void dg_u64(digest_t *d, uint64_t w) {
    d->h ^= w;
    d->h *= 0x100000001b3ull;
    d->h ^= d->h >> 29;
}

static NOINLINE __attribute__((unused)) void dg_bytes(digest_t *d, const void *p, size_t n) {
    const uint8_t *b = p;
    size_t i = 0;
    NOVEC for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, b + i, 8);
        dg_u64(d, w);
    }
    uint64_t w = 0;
    NOVEC for (size_t k = 0; i + k < n; k++) w |= (uint64_t)b[i + k] << (8 * k);
    dg_u64(d, w ^ ((uint64_t)n << 56));
}

static inline void dg_v128(digest_t *d, v128_t v) {
    dg_u64(d, (uint64_t)wasm_i64x2_extract_lane(v, 0));
    dg_u64(d, (uint64_t)wasm_i64x2_extract_lane(v, 1));
}

static inline uint64_t digest_of(const void *p, size_t n) {
    digest_t d;
    dg_init(&d);
    dg_bytes(&d, p, n);
    return d.h;
}

/* ---- arguments ---- */
static const char *prog_usage = "";

static __attribute__((unused)) long arg_long(int argc, char **argv, int i, long def, long lo, long hi) {
    if (i >= argc) return def;
    char *end;
    long v = strtol(argv[i], &end, 0);
    if (*argv[i] == 0 || *end != 0 || v < lo || v > hi) {
        fprintf(stderr, "bad argument %d: '%s' (expected %ld..%ld)\nusage: %s %s\n", i, argv[i], lo, hi,
                argv[0], prog_usage);
        exit(2);
    }
    return v;
}

static __attribute__((unused)) void *xmalloc(size_t n) {
    void *p = aligned_alloc(16, (n + 15) & ~(size_t)15);
    if (!p) {
        fprintf(stderr, "out of memory (%zu bytes)\n", n);
        exit(3);
    }
    return p;
}

/* ---- float bit patterns that every conforming engine prints the same way ----
 * Wasm leaves the sign and payload of a NaN produced by arithmetic nondeterministic (only
 * "canonical or arithmetic NaN": the quiet bit is set). So a quiet NaN is printed as "qnan"
 * whatever its sign and payload; a NaN without the quiet bit ("snan:...") can only come from
 * a bit-exact operation (abs, neg, copysign, pmin/pmax, loads, bitselect, ...) and is
 * printed in full. Non-NaN values are printed bit for bit, so -0 and +0 differ. Bit-exact
 * operations are digested with dg_v128 (raw bits) by the programs, arithmetic ones with
 * dg_f32x4 / dg_f64x2 (NaNs by class). */
static inline const char *fmt_f32(char *buf, uint32_t b) {
    if ((b & 0x7f800000u) == 0x7f800000u && (b & 0x007fffffu)) {
        if (b & 0x00400000u) return "qnan";
        snprintf(buf, 24, "snan:%08x", (unsigned)b);
        return buf;
    }
    snprintf(buf, 24, "%08x", (unsigned)b);
    return buf;
}

static inline const char *fmt_f64(char *buf, uint64_t b) {
    if ((b & 0x7ff0000000000000ull) == 0x7ff0000000000000ull && (b & 0x000fffffffffffffull)) {
        if (b & 0x0008000000000000ull) return "qnan";
        snprintf(buf, 32, "snan:%016llx", (unsigned long long)b);
        return buf;
    }
    snprintf(buf, 32, "%016llx", (unsigned long long)b);
    return buf;
}

static inline uint32_t canon_f32_bits(uint32_t b) {
    if ((b & 0x7f800000u) == 0x7f800000u && (b & 0x00400000u)) return 0x7fc00000u;
    return b;
}

static inline uint64_t canon_f64_bits(uint64_t b) {
    if ((b & 0x7ff0000000000000ull) == 0x7ff0000000000000ull && (b & 0x0008000000000000ull))
        return 0x7ff8000000000000ull;
    return b;
}

static inline void dg_f32x4(digest_t *d, v128_t v) {
    uint32_t l[4];
    wasm_v128_store(l, v);
    for (int i = 0; i < 4; i++) l[i] = canon_f32_bits(l[i]);
    dg_u64(d, (uint64_t)l[0] | (uint64_t)l[1] << 32);
    dg_u64(d, (uint64_t)l[2] | (uint64_t)l[3] << 32);
}

static inline void dg_f64x2(digest_t *d, v128_t v) {
    uint64_t l[2];
    wasm_v128_store(l, v);
    dg_u64(d, canon_f64_bits(l[0]));
    dg_u64(d, canon_f64_bits(l[1]));
}

static inline void print_v128_hex(const char *label, v128_t v) {
    uint8_t b[16];
    wasm_v128_store(b, v);
    printf("%s", label);
    for (int i = 0; i < 16; i++) printf("%s%02x", i && i % 4 == 0 ? "_" : "", b[i]);
    printf("\n");
}

#endif
