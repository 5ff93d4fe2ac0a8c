/* SHA-256 (FIPS 180-4) over a 1 MiB pseudo-random buffer, repeated; each round's digest is
 * folded back into the buffer so no round can be skipped. Loads/stores: the message bytes,
 * the 64-word schedule (in the shadow stack, i.e. linear memory) and the round constants. */
#include "common.h"

#define BUF_BYTES (1u << 20)
#define ROUNDS 128

static u8 data[BUF_BYTES];

static const u32 K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static inline u32 rotr(u32 x, int n) { return (x >> n) | (x << (32 - n)); }

static void compress(u32 *st, const u8 *p) {
    u32 w[64];
    for (int i = 0; i < 16; i++)
        w[i] = (u32)p[4 * i] << 24 | (u32)p[4 * i + 1] << 16 | (u32)p[4 * i + 2] << 8 | p[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        u32 s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
        u32 s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    u32 a = st[0], b = st[1], c = st[2], d = st[3], e = st[4], f = st[5], g = st[6], h = st[7];
    for (int i = 0; i < 64; i++) {
        u32 t1 = h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
        u32 t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        h = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
    }
    st[0] += a; st[1] += b; st[2] += c; st[3] += d; st[4] += e; st[5] += f; st[6] += g; st[7] += h;
}

/* Full SHA-256 of msg[0..len) (len a multiple of 64 here, plus the standard padding block). */
static void sha256(const u8 *msg, usize len, u32 *out) {
    static const u32 iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                              0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    u32 st[8];
    for (int i = 0; i < 8; i++) st[i] = iv[i];
    usize off = 0;
    for (; off + 64 <= len; off += 64) compress(st, msg + off);
    u8 last[128];
    usize rest = len - off, n = 0;
    for (; n < rest; n++) last[n] = msg[off + n];
    last[n++] = 0x80;
    usize total = (rest < 56) ? 64 : 128;
    while (n < total - 8) last[n++] = 0;
    u64 bits = (u64)len * 8;
    for (int i = 7; i >= 0; i--) last[n++] = (u8)(bits >> (8 * i));
    for (usize b = 0; b < total; b += 64) compress(st, last + b);
    for (int i = 0; i < 8; i++) out[i] = st[i];
}

EXPORT("bench") u64 bench(void) {
    u64 seed = 0x9E3779B97F4A7C15ULL, h = 0;
    for (usize i = 0; i < BUF_BYTES; i += 8) {
        u64 r = rng_next(&seed);
        for (int k = 0; k < 8; k++) data[i + k] = (u8)(r >> (8 * k));
    }
    u32 dig[8];
    for (int r = 0; r < ROUNDS; r++) {
        sha256(data, BUF_BYTES - (usize)r, dig); /* lengths vary: exercises the padding path */
        for (int i = 0; i < 8; i++) {
            h = mix(h, dig[i]);
            data[(dig[i] % BUF_BYTES)] ^= (u8)dig[(i + 1) & 7];
        }
    }
    return h;
}
