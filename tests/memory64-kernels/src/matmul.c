/* Dense double-precision matrix multiply C = A*B (i-k-j order: row of B streamed, row of C
 * updated), N = 256, repeated with a small change to A each time; plus a transpose pass so
 * that both unit-stride and strided accesses are measured. */
#include "common.h"

#define N 256
#define ROUNDS 72

static double A[N * N], B[N * N], C[N * N], T[N * N];

static void matmul(const double *a, const double *b, double *c) {
    for (int i = 0; i < N * N; i++) c[i] = 0.0;
    for (int i = 0; i < N; i++)
        for (int k = 0; k < N; k++) {
            double aik = a[i * N + k];
            const double *brow = b + k * N;
            double *crow = c + i * N;
            for (int j = 0; j < N; j++) crow[j] += aik * brow[j];
        }
}

static void transpose(const double *src, double *dst) {
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) dst[j * N + i] = src[i * N + j];
}

EXPORT("bench") u64 bench(void) {
    u64 seed = 0xD1B54A32D192ED03ULL, h = 0;
    for (int i = 0; i < N * N; i++) {
        A[i] = (double)(i32)(rng_next(&seed) >> 40) / 16777216.0; /* in [0, 1) */
        B[i] = (double)(i32)(rng_next(&seed) >> 41) / 8388608.0 - 0.5;
    }
    for (int r = 0; r < ROUNDS; r++) {
        matmul(A, B, C);
        transpose(C, T);
        double s = 0.0;
        for (int i = 0; i < N; i++) s += T[i * N + (i * 7 + r) % N];
        /* fold the result into the checksum bit-exactly, and perturb A for the next round */
        union { double d; u64 u; } cv = {s};
        h = mix(h, cv.u);
        A[(r * 977) % (N * N)] += s * 1e-6;
        for (int i = 0; i < N * N; i += 4099) {
            union { double d; u64 u; } x = {C[i]};
            h = mix(h, x.u);
        }
    }
    return h;
}
