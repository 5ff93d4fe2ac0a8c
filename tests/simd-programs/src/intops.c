/* intops: every integer / bitwise / lane / memory SIMD128 instruction, written with
 * wasm_simd128.h intrinsics, run over random vectors and edge-value vectors (0, ±1, MIN,
 * MAX, MIN+1, MAX-1 per lane width). Prints one digest line per operation (so a wrong
 * instruction is named by the line that differs) and a total.
 *
 *   intops [ROUNDS=4] [SEED=1] [NVEC=64] [PREFIX]
 *
 * ROUNDS scales the work: each operation sees NVEC*ROUNDS input pairs. PREFIX (e.g. i16x8,
 * v128_load) runs only the operations whose name starts with it (default: all).
 */
#include "common.h"

static int NV = 64, ROUNDS = 4;
static v128_t *V;          /* NV random / edge vectors */
static uint32_t *S;        /* NV shift counts in 0..70 (wasm masks them by the lane width) */
static uint64_t *X64;      /* NV random or edge scalars */
static uint8_t *MEM;       /* bytes for the load / store tests */
static size_t MEMSZ;
static digest_t TOTAL;

/* Every operation is a noinline kernel taking its operands as parameters (v128 values in
 * wasm locals, a scalar, a pointer), so the compiler cannot fold an extract_lane or a
 * store*_lane of a vector that came from memory into a scalar load, or a splat of a loaded
 * scalar into load*_splat: each named instruction really is in the module. */
#define A a
#define B b
#define C c
#define CNT cnt       /* shift count in 0..70 (wasm masks it by the lane width) */
#define X x           /* a random or edge 64-bit scalar */
#define OFF_AT(i, r) ((size_t)(((i) * 37 + (r) * 11 + (int)S[((i) + (r)) % NV]) % (int)(MEMSZ - 64)))
#define ARGS_AT(i, r) V[i], V[((i) + (r) + 1) % NV], V[((i) * 3 + (r) + 5) % NV], S[((i) + (r)) % NV], X64[((i) + 2 * (r)) % NV], MEM + OFF_AT(i, r)

typedef uint64_t (*test_fn)(void);
struct test { const char *name; test_fn fn; };

#define KERNEL_PARAMS v128_t a, v128_t b, v128_t c, uint32_t cnt, uint64_t x, const uint8_t *m
#define UNUSED_PARAMS (void)a, (void)b, (void)c, (void)cnt, (void)x, (void)m
#define T_VEC(name, expr)                                                           \
    NOINLINE v128_t k_##name(KERNEL_PARAMS) { UNUSED_PARAMS; return (expr); } \
    static NOINLINE uint64_t t_##name(void) {                                       \
        digest_t d; dg_init(&d);                                                    \
        for (int r = 0; r < ROUNDS; r++)                                            \
            for (int i = 0; i < NV; i++) dg_v128(&d, k_##name(ARGS_AT(i, r)));      \
        return d.h;                                                                 \
    }
#define T_INT(name, expr)                                                                          \
    NOINLINE uint64_t k_##name(KERNEL_PARAMS) { UNUSED_PARAMS; return (uint64_t)(expr); }    \
    static NOINLINE uint64_t t_##name(void) {                                                      \
        digest_t d; dg_init(&d);                                                                   \
        for (int r = 0; r < ROUNDS; r++)                                                           \
            for (int i = 0; i < NV; i++) dg_u64(&d, k_##name(ARGS_AT(i, r)));                      \
        return d.h;                                                                                \
    }

/* a 32-bit result (so that sign extensions stay i32 and become extract_lane_s) */
#define T_I32(name, expr)                                                                          \
    NOINLINE uint32_t k_##name(KERNEL_PARAMS) { UNUSED_PARAMS; return (uint32_t)(expr); }           \
    static NOINLINE uint64_t t_##name(void) {                                                      \
        digest_t d; dg_init(&d);                                                                   \
        for (int r = 0; r < ROUNDS; r++)                                                           \
            for (int i = 0; i < NV; i++) dg_u64(&d, k_##name(ARGS_AT(i, r)));                      \
        return d.h;                                                                                \
    }

/* ---- bitwise ---- */
T_VEC(v128_not, wasm_v128_not(A))
T_VEC(v128_and, wasm_v128_and(A, B))
T_VEC(v128_andnot, wasm_v128_andnot(A, B))
T_VEC(v128_or, wasm_v128_or(A, B))
T_VEC(v128_xor, wasm_v128_xor(A, B))
T_VEC(v128_bitselect, wasm_v128_bitselect(A, B, C))
T_INT(v128_any_true, wasm_v128_any_true(wasm_v128_and(A, B)) * 3 + wasm_v128_any_true(wasm_v128_and(A, wasm_v128_not(A))))

/* ---- i8x16 ---- */
T_VEC(i8x16_splat, wasm_i8x16_splat((int8_t)X))
T_I32(i8x16_extract_lane_s, wasm_i8x16_extract_lane(A, 0) + 1000 * wasm_i8x16_extract_lane(A, 15) + 1000000 * wasm_i8x16_extract_lane(A, 7))
T_INT(i8x16_extract_lane_u, wasm_u8x16_extract_lane(A, 0) + 1000 * wasm_u8x16_extract_lane(A, 15) + 1000000 * wasm_u8x16_extract_lane(A, 9))
T_VEC(i8x16_replace_lane, wasm_i8x16_replace_lane(wasm_i8x16_replace_lane(A, 0, (int8_t)CNT), 13, wasm_i8x16_extract_lane(B, 2)))
T_VEC(i8x16_swizzle, wasm_i8x16_swizzle(A, wasm_v128_and(B, wasm_i8x16_splat((int8_t)0x9f))))
T_VEC(i8x16_shuffle_interleave, wasm_i8x16_shuffle(A, B, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23))
T_VEC(i8x16_shuffle_reverse, wasm_i8x16_shuffle(A, B, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0))
T_VEC(i8x16_shuffle_mixed, wasm_i8x16_shuffle(A, B, 31, 0, 30, 1, 5, 5, 5, 5, 16, 17, 2, 3, 27, 9, 20, 14))
T_VEC(i8x16_shuffle_concat, wasm_i8x16_shuffle(A, B, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18))
T_VEC(i8x16_add, wasm_i8x16_add(A, B))
T_VEC(i8x16_sub, wasm_i8x16_sub(A, B))
T_VEC(i8x16_add_sat_s, wasm_i8x16_add_sat(A, B))
T_VEC(i8x16_add_sat_u, wasm_u8x16_add_sat(A, B))
T_VEC(i8x16_sub_sat_s, wasm_i8x16_sub_sat(A, B))
T_VEC(i8x16_sub_sat_u, wasm_u8x16_sub_sat(A, B))
T_VEC(i8x16_min_s, wasm_i8x16_min(A, B))
T_VEC(i8x16_min_u, wasm_u8x16_min(A, B))
T_VEC(i8x16_max_s, wasm_i8x16_max(A, B))
T_VEC(i8x16_max_u, wasm_u8x16_max(A, B))
T_VEC(i8x16_avgr_u, wasm_u8x16_avgr(A, B))
T_VEC(i8x16_abs, wasm_i8x16_abs(A))
T_VEC(i8x16_neg, wasm_i8x16_neg(A))
T_VEC(i8x16_popcnt, wasm_i8x16_popcnt(A))
T_VEC(i8x16_eq, wasm_i8x16_eq(A, wasm_v128_or(B, wasm_v128_and(A, wasm_i8x16_splat(0x70)))))
T_VEC(i8x16_ne, wasm_i8x16_ne(A, wasm_v128_or(B, wasm_v128_and(A, wasm_i8x16_splat(0x70)))))
T_VEC(i8x16_lt_s, wasm_i8x16_lt(A, B))
T_VEC(i8x16_lt_u, wasm_u8x16_lt(A, B))
T_VEC(i8x16_gt_s, wasm_i8x16_gt(A, B))
T_VEC(i8x16_gt_u, wasm_u8x16_gt(A, B))
T_VEC(i8x16_le_s, wasm_i8x16_le(A, B))
T_VEC(i8x16_le_u, wasm_u8x16_le(A, B))
T_VEC(i8x16_ge_s, wasm_i8x16_ge(A, B))
T_VEC(i8x16_ge_u, wasm_u8x16_ge(A, B))
T_INT(i8x16_all_true, wasm_i8x16_all_true(A) + 2 * wasm_i8x16_all_true(wasm_v128_or(A, B)) + 4 * wasm_i8x16_all_true(wasm_i8x16_splat((int8_t)CNT)))
T_INT(i8x16_bitmask, wasm_i8x16_bitmask(A) | (uint64_t)wasm_i8x16_bitmask(B) << 16)
T_VEC(i8x16_narrow_i16x8_s, wasm_i8x16_narrow_i16x8(A, B))
T_VEC(i8x16_narrow_i16x8_u, wasm_u8x16_narrow_i16x8(A, B))
T_VEC(i8x16_shl, wasm_i8x16_shl(A, CNT))
T_VEC(i8x16_shr_s, wasm_i8x16_shr(A, CNT))
T_VEC(i8x16_shr_u, wasm_u8x16_shr(A, CNT))
T_VEC(i8x16_shl_const, wasm_v128_xor(wasm_i8x16_shl(A, 3), wasm_i8x16_shl(B, 7)))
T_VEC(i8x16_shr_s_const, wasm_v128_xor(wasm_i8x16_shr(A, 1), wasm_i8x16_shr(B, 6)))
T_VEC(i8x16_shr_u_const, wasm_v128_xor(wasm_u8x16_shr(A, 2), wasm_u8x16_shr(B, 5)))

/* ---- i16x8 ---- */
T_VEC(i16x8_splat, wasm_i16x8_splat((int16_t)(X >> 8)))
T_I32(i16x8_extract_lane_s, wasm_i16x8_extract_lane(A, 0) + 3 * wasm_i16x8_extract_lane(A, 7) - 65537 * wasm_i16x8_extract_lane(A, 3))
T_INT(i16x8_extract_lane_u, wasm_u16x8_extract_lane(A, 0) + 100000 * (int64_t)wasm_u16x8_extract_lane(A, 7) + 10000000000ll * wasm_u16x8_extract_lane(A, 5))
T_VEC(i16x8_replace_lane, wasm_i16x8_replace_lane(wasm_i16x8_replace_lane(A, 1, (int16_t)CNT), 6, wasm_i16x8_extract_lane(B, 4)))
T_VEC(i16x8_add, wasm_i16x8_add(A, B))
T_VEC(i16x8_sub, wasm_i16x8_sub(A, B))
T_VEC(i16x8_mul, wasm_i16x8_mul(A, B))
T_VEC(i16x8_add_sat_s, wasm_i16x8_add_sat(A, B))
T_VEC(i16x8_add_sat_u, wasm_u16x8_add_sat(A, B))
T_VEC(i16x8_sub_sat_s, wasm_i16x8_sub_sat(A, B))
T_VEC(i16x8_sub_sat_u, wasm_u16x8_sub_sat(A, B))
T_VEC(i16x8_min_s, wasm_i16x8_min(A, B))
T_VEC(i16x8_min_u, wasm_u16x8_min(A, B))
T_VEC(i16x8_max_s, wasm_i16x8_max(A, B))
T_VEC(i16x8_max_u, wasm_u16x8_max(A, B))
T_VEC(i16x8_avgr_u, wasm_u16x8_avgr(A, B))
T_VEC(i16x8_abs, wasm_i16x8_abs(A))
T_VEC(i16x8_neg, wasm_i16x8_neg(A))
T_VEC(i16x8_q15mulr_sat_s, wasm_i16x8_q15mulr_sat(A, B))
T_VEC(i16x8_eq, wasm_i16x8_eq(A, wasm_v128_or(B, wasm_v128_and(A, wasm_i16x8_splat(0x7ff0)))))
T_VEC(i16x8_ne, wasm_i16x8_ne(A, wasm_v128_or(B, wasm_v128_and(A, wasm_i16x8_splat(0x7ff0)))))
T_VEC(i16x8_lt_s, wasm_i16x8_lt(A, B))
T_VEC(i16x8_lt_u, wasm_u16x8_lt(A, B))
T_VEC(i16x8_gt_s, wasm_i16x8_gt(A, B))
T_VEC(i16x8_gt_u, wasm_u16x8_gt(A, B))
T_VEC(i16x8_le_s, wasm_i16x8_le(A, B))
T_VEC(i16x8_le_u, wasm_u16x8_le(A, B))
T_VEC(i16x8_ge_s, wasm_i16x8_ge(A, B))
T_VEC(i16x8_ge_u, wasm_u16x8_ge(A, B))
T_INT(i16x8_all_true, wasm_i16x8_all_true(A) + 2 * wasm_i16x8_all_true(wasm_v128_or(A, B)) + 4 * wasm_i16x8_all_true(wasm_i16x8_splat((int16_t)CNT)))
T_INT(i16x8_bitmask, wasm_i16x8_bitmask(A) | (uint64_t)wasm_i16x8_bitmask(B) << 8)
T_VEC(i16x8_narrow_i32x4_s, wasm_i16x8_narrow_i32x4(A, B))
T_VEC(i16x8_narrow_i32x4_u, wasm_u16x8_narrow_i32x4(A, B))
T_VEC(i16x8_extend_low_i8x16_s, wasm_i16x8_extend_low_i8x16(A))
T_VEC(i16x8_extend_high_i8x16_s, wasm_i16x8_extend_high_i8x16(A))
T_VEC(i16x8_extend_low_i8x16_u, wasm_u16x8_extend_low_u8x16(A))
T_VEC(i16x8_extend_high_i8x16_u, wasm_u16x8_extend_high_u8x16(A))
T_VEC(i16x8_extmul_low_i8x16_s, wasm_i16x8_extmul_low_i8x16(A, B))
T_VEC(i16x8_extmul_high_i8x16_s, wasm_i16x8_extmul_high_i8x16(A, B))
T_VEC(i16x8_extmul_low_i8x16_u, wasm_u16x8_extmul_low_u8x16(A, B))
T_VEC(i16x8_extmul_high_i8x16_u, wasm_u16x8_extmul_high_u8x16(A, B))
T_VEC(i16x8_extadd_pairwise_i8x16_s, wasm_i16x8_extadd_pairwise_i8x16(A))
T_VEC(i16x8_extadd_pairwise_i8x16_u, wasm_u16x8_extadd_pairwise_u8x16(A))
T_VEC(i16x8_shl, wasm_i16x8_shl(A, CNT))
T_VEC(i16x8_shr_s, wasm_i16x8_shr(A, CNT))
T_VEC(i16x8_shr_u, wasm_u16x8_shr(A, CNT))
T_VEC(i16x8_shift_const, wasm_v128_xor(wasm_v128_xor(wasm_i16x8_shl(A, 5), wasm_i16x8_shr(B, 15)), wasm_u16x8_shr(C, 9)))

/* ---- i32x4 ---- */
T_VEC(i32x4_splat, wasm_i32x4_splat((int32_t)(X >> 16) ^ (int32_t)CNT))
T_INT(i32x4_extract_lane, (uint32_t)wasm_i32x4_extract_lane(A, 0) ^ (uint64_t)(uint32_t)wasm_i32x4_extract_lane(A, 3) << 32 ^ (uint64_t)(uint32_t)wasm_i32x4_extract_lane(A, 2) << 7)
T_VEC(i32x4_replace_lane, wasm_i32x4_replace_lane(wasm_i32x4_replace_lane(A, 2, (int32_t)CNT), 0, wasm_i32x4_extract_lane(B, 1)))
T_VEC(i32x4_add, wasm_i32x4_add(A, B))
T_VEC(i32x4_sub, wasm_i32x4_sub(A, B))
T_VEC(i32x4_mul, wasm_i32x4_mul(A, B))
T_VEC(i32x4_min_s, wasm_i32x4_min(A, B))
T_VEC(i32x4_min_u, wasm_u32x4_min(A, B))
T_VEC(i32x4_max_s, wasm_i32x4_max(A, B))
T_VEC(i32x4_max_u, wasm_u32x4_max(A, B))
T_VEC(i32x4_abs, wasm_i32x4_abs(A))
T_VEC(i32x4_neg, wasm_i32x4_neg(A))
T_VEC(i32x4_dot_i16x8_s, wasm_i32x4_dot_i16x8(A, B))
T_VEC(i32x4_eq, wasm_i32x4_eq(A, wasm_v128_or(B, wasm_v128_and(A, wasm_i32x4_splat(0x7ffffff0)))))
T_VEC(i32x4_ne, wasm_i32x4_ne(A, wasm_v128_or(B, wasm_v128_and(A, wasm_i32x4_splat(0x7ffffff0)))))
T_VEC(i32x4_lt_s, wasm_i32x4_lt(A, B))
T_VEC(i32x4_lt_u, wasm_u32x4_lt(A, B))
T_VEC(i32x4_gt_s, wasm_i32x4_gt(A, B))
T_VEC(i32x4_gt_u, wasm_u32x4_gt(A, B))
T_VEC(i32x4_le_s, wasm_i32x4_le(A, B))
T_VEC(i32x4_le_u, wasm_u32x4_le(A, B))
T_VEC(i32x4_ge_s, wasm_i32x4_ge(A, B))
T_VEC(i32x4_ge_u, wasm_u32x4_ge(A, B))
T_INT(i32x4_all_true, wasm_i32x4_all_true(A) + 2 * wasm_i32x4_all_true(wasm_v128_or(A, B)) + 4 * wasm_i32x4_all_true(wasm_i32x4_splat((int32_t)CNT)))
T_INT(i32x4_bitmask, wasm_i32x4_bitmask(A) | (uint64_t)wasm_i32x4_bitmask(B) << 4)
T_VEC(i32x4_extend_low_i16x8_s, wasm_i32x4_extend_low_i16x8(A))
T_VEC(i32x4_extend_high_i16x8_s, wasm_i32x4_extend_high_i16x8(A))
T_VEC(i32x4_extend_low_i16x8_u, wasm_u32x4_extend_low_u16x8(A))
T_VEC(i32x4_extend_high_i16x8_u, wasm_u32x4_extend_high_u16x8(A))
T_VEC(i32x4_extmul_low_i16x8_s, wasm_i32x4_extmul_low_i16x8(A, B))
T_VEC(i32x4_extmul_high_i16x8_s, wasm_i32x4_extmul_high_i16x8(A, B))
T_VEC(i32x4_extmul_low_i16x8_u, wasm_u32x4_extmul_low_u16x8(A, B))
T_VEC(i32x4_extmul_high_i16x8_u, wasm_u32x4_extmul_high_u16x8(A, B))
T_VEC(i32x4_extadd_pairwise_i16x8_s, wasm_i32x4_extadd_pairwise_i16x8(A))
T_VEC(i32x4_extadd_pairwise_i16x8_u, wasm_u32x4_extadd_pairwise_u16x8(A))
T_VEC(i32x4_shl, wasm_i32x4_shl(A, CNT))
T_VEC(i32x4_shr_s, wasm_i32x4_shr(A, CNT))
T_VEC(i32x4_shr_u, wasm_u32x4_shr(A, CNT))
T_VEC(i32x4_shift_const, wasm_v128_xor(wasm_v128_xor(wasm_i32x4_shl(A, 31), wasm_i32x4_shr(B, 17)), wasm_u32x4_shr(C, 1)))

/* ---- i64x2 ---- */
T_VEC(i64x2_splat, wasm_i64x2_splat((int64_t)(X + CNT)))
T_INT(i64x2_extract_lane, wasm_i64x2_extract_lane(A, 0) * 3 + wasm_i64x2_extract_lane(A, 1))
T_VEC(i64x2_replace_lane, wasm_i64x2_replace_lane(wasm_i64x2_replace_lane(A, 1, (int64_t)CNT << 40), 0, wasm_i64x2_extract_lane(B, 1)))
T_VEC(i64x2_add, wasm_i64x2_add(A, B))
T_VEC(i64x2_sub, wasm_i64x2_sub(A, B))
T_VEC(i64x2_mul, wasm_i64x2_mul(A, B))
T_VEC(i64x2_abs, wasm_i64x2_abs(A))
T_VEC(i64x2_neg, wasm_i64x2_neg(A))
T_VEC(i64x2_eq, wasm_i64x2_eq(A, wasm_v128_or(B, wasm_v128_and(A, wasm_i64x2_splat(0x7ffffffffffffff0ll)))))
T_VEC(i64x2_ne, wasm_i64x2_ne(A, wasm_v128_or(B, wasm_v128_and(A, wasm_i64x2_splat(0x7ffffffffffffff0ll)))))
T_VEC(i64x2_lt_s, wasm_i64x2_lt(A, B))
T_VEC(i64x2_gt_s, wasm_i64x2_gt(A, B))
T_VEC(i64x2_le_s, wasm_i64x2_le(A, B))
T_VEC(i64x2_ge_s, wasm_i64x2_ge(A, B))
T_INT(i64x2_all_true, wasm_i64x2_all_true(A) + 2 * wasm_i64x2_all_true(wasm_v128_or(A, B)) + 4 * wasm_i64x2_all_true(wasm_i64x2_splat((int64_t)CNT)))
T_INT(i64x2_bitmask, wasm_i64x2_bitmask(A) | (uint64_t)wasm_i64x2_bitmask(B) << 2)
T_VEC(i64x2_extend_low_i32x4_s, wasm_i64x2_extend_low_i32x4(A))
T_VEC(i64x2_extend_high_i32x4_s, wasm_i64x2_extend_high_i32x4(A))
T_VEC(i64x2_extend_low_i32x4_u, wasm_u64x2_extend_low_u32x4(A))
T_VEC(i64x2_extend_high_i32x4_u, wasm_u64x2_extend_high_u32x4(A))
T_VEC(i64x2_extmul_low_i32x4_s, wasm_i64x2_extmul_low_i32x4(A, B))
T_VEC(i64x2_extmul_high_i32x4_s, wasm_i64x2_extmul_high_i32x4(A, B))
T_VEC(i64x2_extmul_low_i32x4_u, wasm_u64x2_extmul_low_u32x4(A, B))
T_VEC(i64x2_extmul_high_i32x4_u, wasm_u64x2_extmul_high_u32x4(A, B))
T_VEC(i64x2_shl, wasm_i64x2_shl(A, CNT))
T_VEC(i64x2_shr_s, wasm_i64x2_shr(A, CNT))
T_VEC(i64x2_shr_u, wasm_u64x2_shr(A, CNT))
T_VEC(i64x2_shift_const, wasm_v128_xor(wasm_v128_xor(wasm_i64x2_shl(A, 63), wasm_i64x2_shr(B, 33)), wasm_u64x2_shr(C, 7)))

/* ---- constants ---- */
T_VEC(v128_const, wasm_v128_xor(wasm_i32x4_add(A, wasm_i32x4_const(0x01234567, (int32_t)0x89abcdef, 0x7fffffff, (int32_t)0x80000000)),
                                wasm_i8x16_const(1, 2, 3, 4, 5, 6, 7, 8, -1, -2, -3, -4, -5, -6, -7, -128)))

/* ---- memory: loads and stores at unaligned offsets ---- */
T_VEC(v128_load, wasm_v128_load(m))
T_VEC(v128_load_offset, wasm_v128_xor(wasm_v128_load(m + 16), wasm_v128_load(m + 33)))
T_VEC(v128_load8_splat, wasm_v128_load8_splat(m))
T_VEC(v128_load16_splat, wasm_v128_load16_splat(m + 1))
T_VEC(v128_load32_splat, wasm_v128_load32_splat(m + 3))
T_VEC(v128_load64_splat, wasm_v128_load64_splat(m + 5))
T_VEC(v128_load32_zero, wasm_v128_load32_zero(m + 2))
T_VEC(v128_load64_zero, wasm_v128_load64_zero(m + 7))
T_VEC(v128_load8x8_s, wasm_i16x8_load8x8(m))
T_VEC(v128_load8x8_u, wasm_u16x8_load8x8(m + 1))
T_VEC(v128_load16x4_s, wasm_i32x4_load16x4(m + 2))
T_VEC(v128_load16x4_u, wasm_u32x4_load16x4(m + 3))
T_VEC(v128_load32x2_s, wasm_i64x2_load32x2(m + 4))
T_VEC(v128_load32x2_u, wasm_u64x2_load32x2(m + 5))
T_VEC(v128_load8_lane, wasm_v128_load8_lane(m, wasm_v128_load8_lane(m + 9, A, 3), 14))
T_VEC(v128_load16_lane, wasm_v128_load16_lane(m + 1, wasm_v128_load16_lane(m + 8, A, 0), 7))
T_VEC(v128_load32_lane, wasm_v128_load32_lane(m + 2, wasm_v128_load32_lane(m + 20, A, 1), 3))
T_VEC(v128_load64_lane, wasm_v128_load64_lane(m + 3, A, 1))

static uint8_t STORE_BUF[64];
#define T_STORE(name, stmt)                                                   \
    NOINLINE void k_##name(v128_t a, uint8_t *buf) { stmt; }           \
    static NOINLINE uint64_t t_##name(void) {                                 \
        digest_t d; dg_init(&d);                                              \
        for (int r = 0; r < ROUNDS; r++)                                      \
            for (int i = 0; i < NV; i++) {                                    \
                memset(STORE_BUF, 0xa5, sizeof STORE_BUF);                    \
                k_##name(V[i], STORE_BUF + (i * 5 + r) % 40);                 \
                dg_bytes(&d, STORE_BUF, sizeof STORE_BUF);                    \
            }                                                                 \
        return d.h;                                                           \
    }
T_STORE(v128_store, wasm_v128_store(buf + 1, A))
T_STORE(v128_store8_lane, (wasm_v128_store8_lane(buf, A, 0), wasm_v128_store8_lane(buf + 3, A, 15)))
T_STORE(v128_store16_lane, (wasm_v128_store16_lane(buf + 1, A, 2), wasm_v128_store16_lane(buf + 6, A, 7)))
T_STORE(v128_store32_lane, (wasm_v128_store32_lane(buf + 2, A, 3), wasm_v128_store32_lane(buf + 9, A, 1)))
T_STORE(v128_store64_lane, (wasm_v128_store64_lane(buf + 3, A, 0), wasm_v128_store64_lane(buf + 13, A, 1)))

#define E(name) {#name, t_##name},
static const struct test TESTS[] = {
    E(v128_not) E(v128_and) E(v128_andnot) E(v128_or) E(v128_xor) E(v128_bitselect) E(v128_any_true)
    E(i8x16_splat) E(i8x16_extract_lane_s) E(i8x16_extract_lane_u) E(i8x16_replace_lane) E(i8x16_swizzle)
    E(i8x16_shuffle_interleave) E(i8x16_shuffle_reverse) E(i8x16_shuffle_mixed) E(i8x16_shuffle_concat)
    E(i8x16_add) E(i8x16_sub) E(i8x16_add_sat_s) E(i8x16_add_sat_u) E(i8x16_sub_sat_s) E(i8x16_sub_sat_u)
    E(i8x16_min_s) E(i8x16_min_u) E(i8x16_max_s) E(i8x16_max_u) E(i8x16_avgr_u) E(i8x16_abs) E(i8x16_neg)
    E(i8x16_popcnt) E(i8x16_eq) E(i8x16_ne) E(i8x16_lt_s) E(i8x16_lt_u) E(i8x16_gt_s) E(i8x16_gt_u)
    E(i8x16_le_s) E(i8x16_le_u) E(i8x16_ge_s) E(i8x16_ge_u) E(i8x16_all_true) E(i8x16_bitmask)
    E(i8x16_narrow_i16x8_s) E(i8x16_narrow_i16x8_u) E(i8x16_shl) E(i8x16_shr_s) E(i8x16_shr_u)
    E(i8x16_shl_const) E(i8x16_shr_s_const) E(i8x16_shr_u_const)
    E(i16x8_splat) E(i16x8_extract_lane_s) E(i16x8_extract_lane_u) E(i16x8_replace_lane) E(i16x8_add)
    E(i16x8_sub) E(i16x8_mul) E(i16x8_add_sat_s) E(i16x8_add_sat_u) E(i16x8_sub_sat_s) E(i16x8_sub_sat_u)
    E(i16x8_min_s) E(i16x8_min_u) E(i16x8_max_s) E(i16x8_max_u) E(i16x8_avgr_u) E(i16x8_abs) E(i16x8_neg)
    E(i16x8_q15mulr_sat_s) E(i16x8_eq) E(i16x8_ne) E(i16x8_lt_s) E(i16x8_lt_u) E(i16x8_gt_s) E(i16x8_gt_u)
    E(i16x8_le_s) E(i16x8_le_u) E(i16x8_ge_s) E(i16x8_ge_u) E(i16x8_all_true) E(i16x8_bitmask)
    E(i16x8_narrow_i32x4_s) E(i16x8_narrow_i32x4_u) E(i16x8_extend_low_i8x16_s) E(i16x8_extend_high_i8x16_s)
    E(i16x8_extend_low_i8x16_u) E(i16x8_extend_high_i8x16_u) E(i16x8_extmul_low_i8x16_s)
    E(i16x8_extmul_high_i8x16_s) E(i16x8_extmul_low_i8x16_u) E(i16x8_extmul_high_i8x16_u)
    E(i16x8_extadd_pairwise_i8x16_s) E(i16x8_extadd_pairwise_i8x16_u) E(i16x8_shl) E(i16x8_shr_s)
    E(i16x8_shr_u) E(i16x8_shift_const)
    E(i32x4_splat) E(i32x4_extract_lane) E(i32x4_replace_lane) E(i32x4_add) E(i32x4_sub) E(i32x4_mul)
    E(i32x4_min_s) E(i32x4_min_u) E(i32x4_max_s) E(i32x4_max_u) E(i32x4_abs) E(i32x4_neg) E(i32x4_dot_i16x8_s)
    E(i32x4_eq) E(i32x4_ne) E(i32x4_lt_s) E(i32x4_lt_u) E(i32x4_gt_s) E(i32x4_gt_u) E(i32x4_le_s) E(i32x4_le_u)
    E(i32x4_ge_s) E(i32x4_ge_u) E(i32x4_all_true) E(i32x4_bitmask) E(i32x4_extend_low_i16x8_s)
    E(i32x4_extend_high_i16x8_s) E(i32x4_extend_low_i16x8_u) E(i32x4_extend_high_i16x8_u)
    E(i32x4_extmul_low_i16x8_s) E(i32x4_extmul_high_i16x8_s) E(i32x4_extmul_low_i16x8_u)
    E(i32x4_extmul_high_i16x8_u) E(i32x4_extadd_pairwise_i16x8_s) E(i32x4_extadd_pairwise_i16x8_u)
    E(i32x4_shl) E(i32x4_shr_s) E(i32x4_shr_u) E(i32x4_shift_const)
    E(i64x2_splat) E(i64x2_extract_lane) E(i64x2_replace_lane) E(i64x2_add) E(i64x2_sub) E(i64x2_mul)
    E(i64x2_abs) E(i64x2_neg) E(i64x2_eq) E(i64x2_ne) E(i64x2_lt_s) E(i64x2_gt_s) E(i64x2_le_s) E(i64x2_ge_s)
    E(i64x2_all_true) E(i64x2_bitmask) E(i64x2_extend_low_i32x4_s) E(i64x2_extend_high_i32x4_s)
    E(i64x2_extend_low_i32x4_u) E(i64x2_extend_high_i32x4_u) E(i64x2_extmul_low_i32x4_s)
    E(i64x2_extmul_high_i32x4_s) E(i64x2_extmul_low_i32x4_u) E(i64x2_extmul_high_i32x4_u)
    E(i64x2_shl) E(i64x2_shr_s) E(i64x2_shr_u) E(i64x2_shift_const)
    E(v128_const)
    E(v128_load) E(v128_load_offset) E(v128_load8_splat) E(v128_load16_splat) E(v128_load32_splat)
    E(v128_load64_splat) E(v128_load32_zero) E(v128_load64_zero) E(v128_load8x8_s) E(v128_load8x8_u)
    E(v128_load16x4_s) E(v128_load16x4_u) E(v128_load32x2_s) E(v128_load32x2_u) E(v128_load8_lane)
    E(v128_load16_lane) E(v128_load32_lane) E(v128_load64_lane)
    E(v128_store) E(v128_store8_lane) E(v128_store16_lane) E(v128_store32_lane) E(v128_store64_lane)
};

/* Edge values per lane width, as 64-bit patterns truncated to the width. */
static uint64_t edge(int bits) {
    uint64_t m = bits == 64 ? ~0ull : (1ull << bits) - 1, mn = 1ull << (bits - 1);
    switch (rng_below(9)) {
    case 0: return 0;
    case 1: return 1;
    case 2: return m;            /* -1 */
    case 3: return mn;           /* MIN */
    case 4: return mn - 1;       /* MAX */
    case 5: return mn + 1;       /* MIN+1 */
    case 6: return mn - 2;       /* MAX-1 */
    case 7: return m - 1;        /* -2 */
    default: return rng_next() & m;
    }
}

static void make_inputs(void) {
    V = xmalloc(sizeof(v128_t) * (size_t)NV);
    S = xmalloc(sizeof(uint32_t) * (size_t)NV);
    X64 = xmalloc(sizeof(uint64_t) * (size_t)NV);
    for (int i = 0; i < NV; i++) {
        uint8_t b[16];
        if (i % 2 == 0) {
            rng_fill(b, 16);
        } else {
            int bits = 8 << rng_below(4);
            for (int k = 0; k < 16; k += bits / 8) {
                uint64_t e = edge(bits);
                memcpy(b + k, &e, (size_t)bits / 8);
            }
        }
        V[i] = wasm_v128_load(b);
        S[i] = rng_below(71);
        X64[i] = i % 3 == 0 ? rng_next() : edge(8 << rng_below(4));
    }
    MEMSZ = 4096;
    MEM = xmalloc(MEMSZ);
    rng_fill(MEM, MEMSZ);
}

int main(int argc, char **argv) {
    prog_usage = "[ROUNDS=4] [SEED=1] [NVEC=64] [PREFIX]";
    ROUNDS = (int)arg_long(argc, argv, 1, 4, 1, 1000000);
    long seed = arg_long(argc, argv, 2, 1, 0, 0x7fffffff);
    NV = (int)arg_long(argc, argv, 3, 64, 4, 100000);
    rng_seed((uint64_t)seed);
    make_inputs();
    dg_init(&TOTAL);
    const char *prefix = argc > 4 ? argv[4] : "";
    int n = 0;
    for (int t = 0; t < (int)(sizeof TESTS / sizeof TESTS[0]); t++) {
        if (strncmp(TESTS[t].name, prefix, strlen(prefix)) != 0) continue;
        n++;
        uint64_t h = TESTS[t].fn();
        dg_u64(&TOTAL, h);
        printf("%-32s %016llx\n", TESTS[t].name, (unsigned long long)h);
    }
    if (n == 0) {
        fprintf(stderr, "intops: no operation starts with '%s'\n", prefix);
        return 2;
    }
    printf("intops: %d operations%s%s, rounds %d, seed %ld, nvec %d, total %016llx\n", n, *prefix ? " matching " : "",
           prefix, ROUNDS, seed, NV, (unsigned long long)TOTAL.h);
    return 0;
}
