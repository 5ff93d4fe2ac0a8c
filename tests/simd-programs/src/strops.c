/* strops: string code with SIMD inner loops, each checked against a scalar version:
 *   strlen       (aligned 16-byte loads, i8x16.eq with zero, bitmask, ctz),
 *   count / find of a byte (eq, bitmask + popcount, sub as counters, extadd to flush),
 *   ASCII lower/upper case (range checks with unsigned compares, bitselect / and-not),
 *   UTF-8 validation (the lookup algorithm of simdjson/simdutf: three i8x16.swizzle
 *                    tables on nibbles, shuffles for the previous 1..3 bytes, sub_sat),
 *   UTF-8 code point count (i8x16.gt_s against continuation bytes),
 *   hex decode (range masks, shifts, narrowing of pairs with i16x8 arithmetic).
 *
 *   strops [SIZE_KB=64] [SEED=1] [REPS=1]
 *
 * The inputs are made once; the scalar versions run once, the SIMD versions REPS times over
 * the same inputs (so a bench spends its time in the SIMD kernels), every result compared with
 * the scalar one. The output does not depend on REPS.
 */
#include "common.h"

static int fails;

static void report(const char *what, uint64_t value, int ok) {
    printf("%-14s %016llx %s\n", what, (unsigned long long)value, ok ? "ok" : "MISMATCH");
    if (!ok) fails++;
}

/* ---------------- strlen / count / find ---------------- */
static NOINLINE size_t strlen_simd(const char *s) {
    /* align down: reading the whole aligned block that holds s cannot cross a page */
    uintptr_t a = (uintptr_t)s & ~(uintptr_t)15;
    unsigned skip = (unsigned)((uintptr_t)s - a);
    const v128_t zero = wasm_i8x16_splat(0);
    unsigned m = (unsigned)wasm_i8x16_bitmask(wasm_i8x16_eq(wasm_v128_load((const void *)a), zero)) >> skip;
    if (m) return (size_t)__builtin_ctz(m);
    for (a += 16;; a += 16) {
        m = (unsigned)wasm_i8x16_bitmask(wasm_i8x16_eq(wasm_v128_load((const void *)a), zero));
        if (m) return a + (size_t)__builtin_ctz(m) - (uintptr_t)s;
    }
}

static NOINLINE size_t strlen_ref(const char *s) {
    size_t n = 0;
    NOVEC while (s[n]) n++;
    return n;
}

static NOINLINE size_t count_simd(const uint8_t *p, size_t n, uint8_t c) {
    const v128_t cv = wasm_i8x16_splat((int8_t)c);
    size_t i = 0, total = 0;
    while (i + 16 <= n) {
        v128_t acc = wasm_i8x16_splat(0);
        size_t stop = i + 16 * 255;
        for (; i + 16 <= n && i < stop; i += 16) acc = wasm_i8x16_sub(acc, wasm_i8x16_eq(wasm_v128_load(p + i), cv));
        v128_t s = wasm_u32x4_extadd_pairwise_u16x8(wasm_u16x8_extadd_pairwise_u8x16(acc));
        s = wasm_i32x4_add(s, wasm_i32x4_shuffle(s, s, 2, 3, 0, 1));
        s = wasm_i32x4_add(s, wasm_i32x4_shuffle(s, s, 1, 0, 3, 2));
        total += (uint32_t)wasm_i32x4_extract_lane(s, 0);
    }
    NOVEC for (; i < n; i++) total += p[i] == c;
    return total;
}

static NOINLINE size_t count_ref(const uint8_t *p, size_t n, uint8_t c) {
    size_t t = 0;
    NOVEC for (size_t i = 0; i < n; i++) t += p[i] == c;
    return t;
}

/* index of the first occurrence of c, or n */
static NOINLINE size_t find_simd(const uint8_t *p, size_t n, uint8_t c) {
    const v128_t cv = wasm_i8x16_splat((int8_t)c);
    size_t i = 0;
    for (; i + 64 <= n; i += 64) {
        v128_t e0 = wasm_i8x16_eq(wasm_v128_load(p + i), cv), e1 = wasm_i8x16_eq(wasm_v128_load(p + i + 16), cv);
        v128_t e2 = wasm_i8x16_eq(wasm_v128_load(p + i + 32), cv), e3 = wasm_i8x16_eq(wasm_v128_load(p + i + 48), cv);
        if (wasm_v128_any_true(wasm_v128_or(wasm_v128_or(e0, e1), wasm_v128_or(e2, e3)))) {
            uint64_t m = (uint64_t)wasm_i8x16_bitmask(e0) | (uint64_t)wasm_i8x16_bitmask(e1) << 16 |
                         (uint64_t)wasm_i8x16_bitmask(e2) << 32 | (uint64_t)wasm_i8x16_bitmask(e3) << 48;
            return i + (size_t)__builtin_ctzll(m);
        }
    }
    for (; i + 16 <= n; i += 16) {
        unsigned m = (unsigned)wasm_i8x16_bitmask(wasm_i8x16_eq(wasm_v128_load(p + i), cv));
        if (m) return i + (size_t)__builtin_ctz(m);
    }
    NOVEC for (; i < n; i++) if (p[i] == c) return i;
    return n;
}

static NOINLINE size_t find_ref(const uint8_t *p, size_t n, uint8_t c) {
    NOVEC for (size_t i = 0; i < n; i++) if (p[i] == c) return i;
    return n;
}

/* ---------------- ASCII case ---------------- */
static NOINLINE void case_simd(const uint8_t *s, uint8_t *d, size_t n, int upper) {
    const v128_t lo = wasm_u8x16_splat(upper ? 'a' : 'A'), span = wasm_u8x16_splat(25), bit = wasm_u8x16_splat(0x20);
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        v128_t v = wasm_v128_load(s + i);
        /* in range  <=>  (v - lo) <= 25 unsigned */
        v128_t in = wasm_u8x16_le(wasm_i8x16_sub(v, lo), span);
        v128_t flip = wasm_v128_and(in, bit);
        wasm_v128_store(d + i, upper ? wasm_v128_andnot(v, flip) : wasm_v128_or(v, flip));
    }
    NOVEC for (; i < n; i++) {
        uint8_t c = s[i];
        d[i] = upper ? (c >= 'a' && c <= 'z' ? c - 32 : c) : (c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
}

static NOINLINE void case_ref(const uint8_t *s, uint8_t *d, size_t n, int upper) {
    NOVEC for (size_t i = 0; i < n; i++) {
        uint8_t c = s[i];
        d[i] = upper ? (c >= 'a' && c <= 'z' ? c - 32 : c) : (c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
}

/* ---------------- UTF-8 validation ---------------- */
#define TOO_SHORT (1 << 0)
#define TOO_LONG (1 << 1)
#define OVERLONG_3 (1 << 2)
#define TOO_LARGE (1 << 3)
#define SURROGATE (1 << 4)
#define OVERLONG_2 (1 << 5)
#define TOO_LARGE_1000 (1 << 6)
#define OVERLONG_4 (1 << 6)
#define TWO_CONTS (1 << 7)
#define CARRY (TOO_SHORT | TOO_LONG | TWO_CONTS)

static inline v128_t prev_n(v128_t prev, v128_t cur, int n) {
    switch (n) {
    case 1: return wasm_i8x16_shuffle(prev, cur, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30);
    case 2: return wasm_i8x16_shuffle(prev, cur, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29);
    default: return wasm_i8x16_shuffle(prev, cur, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28);
    }
}

static inline v128_t utf8_block_errors(v128_t prev_input, v128_t input) {
    const v128_t b1h = wasm_u8x16_make(TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG,
                                       TWO_CONTS, TWO_CONTS, TWO_CONTS, TWO_CONTS, TOO_SHORT | OVERLONG_2, TOO_SHORT,
                                       TOO_SHORT | OVERLONG_3 | SURROGATE,
                                       TOO_SHORT | TOO_LARGE | TOO_LARGE_1000 | OVERLONG_4);
    const v128_t b1l = wasm_u8x16_make(
        CARRY | OVERLONG_3 | OVERLONG_2 | OVERLONG_4, CARRY | OVERLONG_2, CARRY, CARRY, CARRY | TOO_LARGE,
        CARRY | TOO_LARGE | TOO_LARGE_1000, CARRY | TOO_LARGE | TOO_LARGE_1000, CARRY | TOO_LARGE | TOO_LARGE_1000,
        CARRY | TOO_LARGE | TOO_LARGE_1000, CARRY | TOO_LARGE | TOO_LARGE_1000, CARRY | TOO_LARGE | TOO_LARGE_1000,
        CARRY | TOO_LARGE | TOO_LARGE_1000, CARRY | TOO_LARGE | TOO_LARGE_1000,
        CARRY | TOO_LARGE | TOO_LARGE_1000 | SURROGATE, CARRY | TOO_LARGE | TOO_LARGE_1000,
        CARRY | TOO_LARGE | TOO_LARGE_1000);
    const v128_t b2h = wasm_u8x16_make(TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT,
                                       TOO_SHORT, TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE_1000 | OVERLONG_4,
                                       TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE,
                                       TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE,
                                       TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE, TOO_SHORT, TOO_SHORT,
                                       TOO_SHORT, TOO_SHORT);
    const v128_t nib = wasm_u8x16_splat(15);
    v128_t prev1 = prev_n(prev_input, input, 1);
    v128_t sc = wasm_v128_and(wasm_v128_and(wasm_i8x16_swizzle(b1h, wasm_u8x16_shr(prev1, 4)),
                                            wasm_i8x16_swizzle(b1l, wasm_v128_and(prev1, nib))),
                              wasm_i8x16_swizzle(b2h, wasm_u8x16_shr(input, 4)));
    v128_t prev2 = prev_n(prev_input, input, 2), prev3 = prev_n(prev_input, input, 3);
    v128_t third = wasm_u8x16_sub_sat(prev2, wasm_u8x16_splat(0xe0 - 0x80));
    v128_t fourth = wasm_u8x16_sub_sat(prev3, wasm_u8x16_splat(0xf0 - 0x80));
    v128_t must23 = wasm_v128_and(wasm_v128_or(third, fourth), wasm_u8x16_splat(0x80));
    return wasm_v128_xor(must23, sc);
}

/* 1 if valid UTF-8 */
static NOINLINE int utf8_valid_simd(const uint8_t *p, size_t n) {
    v128_t prev = wasm_i8x16_splat(0), err = wasm_i8x16_splat(0);
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        v128_t in = wasm_v128_load(p + i);
        /* ASCII fast path: a block of ASCII after a complete sequence has no errors */
        if (!wasm_i8x16_bitmask(in) && !wasm_i8x16_bitmask(prev)) {
            prev = in;
            continue;
        }
        err = wasm_v128_or(err, utf8_block_errors(prev, in));
        prev = in;
    }
    uint8_t tail[16] = {0};
    memcpy(tail, p + i, n - i);
    v128_t in = wasm_v128_load(tail);
    err = wasm_v128_or(err, utf8_block_errors(prev, in));
    /* one block of zeros: a sequence cut short at the end is TOO_SHORT there */
    err = wasm_v128_or(err, utf8_block_errors(in, wasm_i8x16_splat(0)));
    return !wasm_v128_any_true(err);
}

static NOINLINE int utf8_valid_ref(const uint8_t *p, size_t n) {
    size_t i = 0;
    NOVEC while (i < n) {
        uint8_t c = p[i];
        if (c < 0x80) { i++; continue; }
        size_t len;
        uint32_t cp;
        if (c >= 0xc2 && c <= 0xdf) { len = 2; cp = c & 0x1f; }
        else if (c >= 0xe0 && c <= 0xef) { len = 3; cp = c & 0x0f; }
        else if (c >= 0xf0 && c <= 0xf4) { len = 4; cp = c & 0x07; }
        else return 0;
        if (i + len > n) return 0;
        NOVEC for (size_t k = 1; k < len; k++) {
            if ((p[i + k] & 0xc0) != 0x80) return 0;
            cp = cp << 6 | (p[i + k] & 0x3f);
        }
        if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) || (cp >= 0xd800 && cp <= 0xdfff))
            return 0;
        i += len;
    }
    return 1;
}

static NOINLINE size_t codepoints_simd(const uint8_t *p, size_t n) {
    size_t i = 0, total = 0;
    const v128_t limit = wasm_i8x16_splat(-65); /* 0xbf: continuation bytes are -128..-65 */
    while (i + 16 <= n) {
        v128_t acc = wasm_i8x16_splat(0);
        size_t stop = i + 16 * 255;
        for (; i + 16 <= n && i < stop; i += 16) acc = wasm_i8x16_sub(acc, wasm_i8x16_gt(wasm_v128_load(p + i), limit));
        v128_t s = wasm_u32x4_extadd_pairwise_u16x8(wasm_u16x8_extadd_pairwise_u8x16(acc));
        total += (uint32_t)(wasm_i32x4_extract_lane(s, 0) + wasm_i32x4_extract_lane(s, 1) + wasm_i32x4_extract_lane(s, 2) +
                            wasm_i32x4_extract_lane(s, 3));
    }
    NOVEC for (; i < n; i++) total += (p[i] & 0xc0) != 0x80;
    return total;
}

static NOINLINE size_t codepoints_ref(const uint8_t *p, size_t n) {
    size_t t = 0;
    NOVEC for (size_t i = 0; i < n; i++) t += (p[i] & 0xc0) != 0x80;
    return t;
}

/* ---------------- hex decode: 32 hex digits -> 16 bytes; returns 0 on a bad digit ---------------- */
static NOINLINE int hexdec_simd(const char *s, size_t nbytes, uint8_t *out) {
    for (size_t i = 0; i < nbytes; i += 8) {
        v128_t v = wasm_v128_load(s + 2 * i);
        v128_t digit = wasm_i8x16_sub(v, wasm_u8x16_splat('0'));
        v128_t isdig = wasm_u8x16_le(digit, wasm_u8x16_splat(9));
        v128_t low = wasm_v128_or(v, wasm_u8x16_splat(0x20));
        v128_t alpha = wasm_i8x16_sub(low, wasm_u8x16_splat('a'));
        v128_t isalpha = wasm_u8x16_le(alpha, wasm_u8x16_splat(5));
        if (!wasm_i8x16_all_true(wasm_v128_or(isdig, isalpha))) return 0;
        v128_t val = wasm_v128_bitselect(digit, wasm_i8x16_add(alpha, wasm_u8x16_splat(10)), isdig);
        /* pairs (hi, lo) as u16 lanes: hi * 16 + lo */
        v128_t hi = wasm_v128_and(val, wasm_u16x8_splat(0x00ff));
        v128_t lo = wasm_u16x8_shr(val, 8);
        v128_t bytes = wasm_v128_or(wasm_i16x8_shl(hi, 4), lo);
        wasm_v128_store64_lane(out + i, wasm_u8x16_narrow_i16x8(bytes, bytes), 0);
    }
    return 1;
}

static NOINLINE int hexdec_ref(const char *s, size_t nbytes, uint8_t *out) {
    NOVEC for (size_t i = 0; i < nbytes; i++) {
        int v[2];
        NOVEC for (int k = 0; k < 2; k++) {
            char c = s[2 * i + k];
            if (c >= '0' && c <= '9') v[k] = c - '0';
            else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f') v[k] = (c | 0x20) - 'a' + 10;
            else return 0;
        }
        out[i] = (uint8_t)(v[0] << 4 | v[1]);
    }
    return 1;
}

/* ---------------- input ---------------- */
static const char *SNIPPETS[] = {
    "Hello, World! ", "SIMD lanes ", "naïve café ", "Ünïcödé ", "日本語のテキスト ", "中文字符 ", "Ελληνικά ",
    "кириллица ", "emoji \xf0\x9f\x98\x80\xf0\x9f\x9a\x80 ", "tab\tand\nnewline ", "MiXeD CaSe 123 ", "\xe2\x82\xac 42 ",
    "quick brown fox ", "THE LAZY DOG ",
};
#define NSNIP (sizeof SNIPPETS / sizeof SNIPPETS[0])

static size_t make_text(uint8_t *p, size_t n) {
    size_t i = 0;
    while (i < n) {
        const char *s = SNIPPETS[rng_below(NSNIP)];
        size_t len = strlen(s);
        if (i + len > n) break;
        memcpy(p + i, s, len);
        i += len;
    }
    while (i < n) p[i++] = ' ';
    return n;
}

/* the UTF-8 inputs: text[off .. off+len) with `patch` written at `at` (npatch bytes, 0: none) */
struct utf8_case { size_t off, len, at; uint8_t patch[4], npatch; };

/* applies a case's patch to t2 (a copy of the text), saving the bytes it replaces */
static inline void patch_apply(uint8_t *t2, const struct utf8_case *c, uint8_t saved[4]) {
    for (int k = 0; k < c->npatch; k++) saved[k] = t2[c->off + c->at + k], t2[c->off + c->at + k] = c->patch[k];
}

static inline void patch_undo(uint8_t *t2, const struct utf8_case *c, const uint8_t saved[4]) {
    for (int k = 0; k < c->npatch; k++) t2[c->off + c->at + k] = saved[k];
}

/* through a volatile, so that the compiler cannot hoist a (pure) kernel call out of the
 * repetition loop */
static inline const uint8_t *opaque(const uint8_t *p) {
    const uint8_t *volatile v = p;
    return v;
}

int main(int argc, char **argv) {
    prog_usage = "[SIZE_KB=64] [SEED=1] [REPS=1]";
    long kb = arg_long(argc, argv, 1, 64, 1, 1 << 20);
    long seed = arg_long(argc, argv, 2, 1, 0, 0x7fffffff);
    long reps = arg_long(argc, argv, 3, 1, 1, 100000);
    rng_seed((uint64_t)seed);
    size_t n = (size_t)kb * 1024;
    uint8_t *text = xmalloc(n + 64), *t2 = xmalloc(n + 64), *t3 = xmalloc(n + 64), *nuls = xmalloc(n + 64);
    uint8_t *cased = xmalloc(n + 64);
    make_text(text, n);
    memset(text + n, 0, 64);

    /* ---- the inputs ---- */
    /* strlen of many suffixes: NULs at random places in a copy */
    memcpy(nuls, text, n + 64);
    for (size_t k = 0; k < n / 97; k++) nuls[rng_below((uint32_t)n)] = 0;
    size_t nstr = 0, *str_off = xmalloc(sizeof(size_t) * (n + 1));
    for (size_t off = 0; off < n; off += 1 + rng_below(331)) str_off[nstr++] = off;
    /* count / find: a byte, an offset and a length each */
    static const uint8_t CH[] = {' ', 'e', 'o', '\n', 0xe3, 0x80, 'Z', 0};
    enum { NCH = sizeof CH };
    size_t ch_off[NCH], ch_len[NCH];
    for (size_t k = 0; k < NCH; k++) ch_off[k] = rng_below(61), ch_len[k] = n - ch_off[k] - rng_below(100);
    /* UTF-8: parts of the text (1/4 to 1/32 of it), then with one random byte changed, a byte
     * replaced by a continuation byte, a bad sequence written in, cut short, ... */
    enum { NUTF = 200 };
    struct utf8_case uc[NUTF];
    for (int k = 0; k < NUTF; k++) {
        struct utf8_case *c = &uc[k];
        c->off = rng_below(64), c->len = (n - c->off) >> (k % 4 + 2), c->at = 0, c->npatch = 0;
        /* (the byte first, then its place: the order of the earlier versions of this program) */
        if (k % 5 == 1) c->patch[0] = (uint8_t)rng_u32(), c->at = rng_below((uint32_t)c->len), c->npatch = 1;
        if (k % 5 == 2) c->patch[0] = (uint8_t)(0x80 | rng_below(0x80)), c->at = rng_below((uint32_t)c->len), c->npatch = 1;
        if (k % 5 == 3) {
            static const uint8_t BAD[][4] = {{0xc0, 0x80}, {0xed, 0xa0, 0x80}, {0xf4, 0x90, 0x80, 0x80}, {0xe0, 0x80, 0x80},
                                             {0xf0, 0x80, 0x80, 0x80}, {0xf5, 0x80, 0x80, 0x80}, {0xef, 0xbf, 0xbf},
                                             {0xf4, 0x8f, 0xbf, 0xbf}, {0xc2, 0x80}, {0xdf, 0xbf}};
            c->at = rng_below((uint32_t)(c->len - 4));
            memcpy(c->patch, BAD[k / 5 % 10], 4);
            c->npatch = 4;
        }
        if (k % 5 == 4) c->len -= rng_below(3); /* may cut a sequence short */
    }
    /* hex: part of the text encoded; a copy with a bad digit in the middle */
    size_t hn = n / 4 & ~(size_t)7;
    char *hex = xmalloc(2 * hn + 16), *badhex = xmalloc(2 * hn + 16);
    NOVEC for (size_t i = 0; i < hn; i++) {
        hex[2 * i] = "0123456789abcdef"[text[i] >> 4];
        hex[2 * i + 1] = "0123456789ABCDEF"[text[i] & 15];
    }
    memcpy(badhex, hex, 2 * hn);
    badhex[2 * (hn / 2) + 1] = 'g';

    /* ---- the scalar references, once ---- */
    size_t *str_ref = xmalloc(sizeof(size_t) * (nstr + 1));
    for (size_t i = 0; i < nstr; i++) str_ref[i] = strlen_ref((const char *)nuls + str_off[i]);
    size_t cnt_ref[NCH], fnd_ref[NCH], fnd2_ref[NCH];
    for (size_t k = 0; k < NCH; k++) {
        const uint8_t *p = text + ch_off[k];
        cnt_ref[k] = count_ref(p, ch_len[k], CH[k]);
        fnd_ref[k] = find_ref(p, ch_len[k], CH[k]);
        fnd2_ref[k] = find_ref(p + n / 2, ch_len[k] - n / 2, CH[k]);
    }
    case_ref(text, t3, n - 3, 0);
    uint64_t lower_ref = digest_of(t3, n - 3);
    case_ref(t3, t3, n - 3, 1);
    uint64_t upper_ref = digest_of(t3, n - 3);
    int utf_ref[NUTF];
    memcpy(t2, text, n + 64); /* the UTF-8 cases patch it and undo their patch */
    for (int k = 0; k < NUTF; k++) {
        uint8_t saved[4];
        patch_apply(t2, &uc[k], saved);
        utf_ref[k] = utf8_valid_ref(t2 + uc[k].off, uc[k].len);
        patch_undo(t2, &uc[k], saved);
    }
    size_t cp_ref = codepoints_ref(text, n);
    int hex_ok_ref = hexdec_ref(hex, hn, t3) && memcmp(t3, text, hn) == 0;
    uint64_t hex_ref = digest_of(t3, hn);
    hex_ok_ref &= !hexdec_ref(badhex, hn, t3);

    /* ---- the SIMD versions, REPS times: every result against the reference ---- */
    int ok_str = 1, ok_cf = 1, ok_case = 1, ok_utf = 1, ok_cp = 1, ok_hex = 1;
    size_t *str_simd = xmalloc(sizeof(size_t) * (nstr + 1)), cnt[NCH], fnd[NCH], fnd2[NCH], cp = 0;
    int utf[NUTF];
    memset(t3, 0, n + 64); /* held the reference's hex decoding */
    for (long r = 0; r < reps; r++) {
        const uint8_t *nl = opaque(nuls), *tx = opaque(text);
        for (size_t i = 0; i < nstr; i++) {
            str_simd[i] = strlen_simd((const char *)nl + str_off[i]);
            ok_str &= str_simd[i] == str_ref[i];
        }
        for (size_t k = 0; k < NCH; k++) {
            const uint8_t *p = tx + ch_off[k];
            cnt[k] = count_simd(p, ch_len[k], CH[k]);
            fnd[k] = find_simd(p, ch_len[k], CH[k]);
            fnd2[k] = find_simd(p + n / 2, ch_len[k] - n / 2, CH[k]);
            ok_cf &= cnt[k] == cnt_ref[k] && fnd[k] == fnd_ref[k] && fnd2[k] == fnd2_ref[k];
        }
        case_simd(tx, cased, n - 3, 0);
        if (r == reps - 1) ok_case &= digest_of(cased, n - 3) == lower_ref;
        case_simd(cased, cased, n - 3, 1);
        for (int k = 0; k < NUTF; k++) {
            uint8_t saved[4];
            patch_apply(t2, &uc[k], saved);
            utf[k] = utf8_valid_simd(t2 + uc[k].off, uc[k].len);
            patch_undo(t2, &uc[k], saved);
            ok_utf &= utf[k] == utf_ref[k];
        }
        cp = codepoints_simd(tx, n);
        ok_cp &= cp == cp_ref;
        ok_hex &= hexdec_simd(hex, hn, t3);
        ok_hex &= !hexdec_simd(badhex, hn, t3 + hn + 8);
    }

    digest_t d;
    dg_init(&d);
    for (size_t i = 0; i < nstr; i++) dg_u64(&d, str_simd[i]);
    report("strlen", d.h, ok_str);

    dg_init(&d);
    for (size_t k = 0; k < NCH; k++) {
        dg_u64(&d, cnt[k]);
        dg_u64(&d, (uint64_t)fnd[k] << 32 | fnd2[k]);
    }
    report("count/find", d.h, ok_cf);

    uint64_t upper = digest_of(cased, n - 3);
    report("lower/upper", upper, ok_case && upper == upper_ref);

    dg_init(&d);
    int valid = 0;
    for (int k = 0; k < NUTF; k++) {
        valid += utf[k];
        dg_u64(&d, (uint64_t)utf[k] << 40 | uc[k].len);
    }
    report("utf8-validate", d.h, ok_utf);
    printf("utf8-validate  %d of %d valid\n", valid, NUTF);

    report("codepoints", cp, ok_cp);

    uint64_t hexd = digest_of(t3, hn);
    report("hex-decode", hexd, ok_hex && hex_ok_ref && hexd == hex_ref && memcmp(t3, text, hn) == 0);
    printf("strops %ld KiB seed %ld: %s\n", kb, seed, fails ? "MISMATCHES" : "simd == scalar");
    return fails ? 1 : 0;
}
