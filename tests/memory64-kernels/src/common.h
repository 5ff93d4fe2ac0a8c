/* Freestanding helpers shared by the memory64 kernels: no libc, no headers.
 * Every kernel exports `bench` (no parameters, i64 result: a checksum of all it computed).
 * The same source builds for wasm32 and wasm64; only pointer width (and so the linear
 * memory's index type) differs, so the checksums must be identical. */
#ifndef MEMORY64_COMMON_H
#define MEMORY64_COMMON_H

typedef unsigned char u8;
typedef unsigned int u32;
typedef int i32;
typedef unsigned long long u64;
typedef long long i64;
typedef __SIZE_TYPE__ usize;

#define EXPORT(name) __attribute__((export_name(name), visibility("default")))

/* clang may turn loops or struct copies into calls to these; defined here because there is
 * no libc (with bulk memory enabled it emits memory.fill/memory.copy instead). */
__attribute__((no_builtin("memset"))) void *memset(void *dst, int c, usize n) {
    u8 *d = (u8 *)dst;
    while (n--) *d++ = (u8)c;
    return dst;
}
__attribute__((no_builtin("memcpy"))) void *memcpy(void *dst, const void *src, usize n) {
    u8 *d = (u8 *)dst;
    const u8 *s = (const u8 *)src;
    while (n--) *d++ = *s++;
    return dst;
}

/* xorshift64*: the pseudo-random inputs */
static inline u64 rng_next(u64 *s) {
    u64 x = *s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *s = x;
    return x * 0x2545F4914F6CDD1DULL;
}

/* FNV-1a style fold of 64-bit words into the checksum */
static inline u64 mix(u64 h, u64 x) {
    h ^= x;
    h *= 0x100000001B3ULL;
    return h ^ (h >> 29);
}

#endif
