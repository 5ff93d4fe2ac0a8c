/* Quicksort (median of three, explicit stack, insertion sort below 16) of a 1 Mi-element
 * pseudo-random int array, then a heapsort of a 256 Ki-element one; repeated with fresh
 * data each round. Checksum: a position-weighted fold of the sorted arrays. */
#include "common.h"

#define QN (1 << 20)
#define HN (1 << 18)
#define ROUNDS 7

static i32 qa[QN];
static i32 ha[HN];

static void insertion(i32 *a, i32 lo, i32 hi) {
    for (i32 i = lo + 1; i <= hi; i++) {
        i32 v = a[i], j = i - 1;
        while (j >= lo && a[j] > v) { a[j + 1] = a[j]; j--; }
        a[j + 1] = v;
    }
}

static inline void swap(i32 *a, i32 i, i32 j) { i32 t = a[i]; a[i] = a[j]; a[j] = t; }

static void quicksort(i32 *a, i32 n) {
    i32 stack[128];
    i32 sp = 0;
    stack[sp++] = 0;
    stack[sp++] = n - 1;
    while (sp) {
        i32 hi = stack[--sp], lo = stack[--sp];
        while (hi - lo >= 16) {
            i32 mid = lo + (hi - lo) / 2;
            if (a[mid] < a[lo]) swap(a, mid, lo);
            if (a[hi] < a[lo]) swap(a, hi, lo);
            if (a[hi] < a[mid]) swap(a, hi, mid);
            i32 pivot = a[mid], i = lo, j = hi;
            while (i <= j) {
                while (a[i] < pivot) i++;
                while (a[j] > pivot) j--;
                if (i <= j) { swap(a, i, j); i++; j--; }
            }
            /* recurse into the smaller part later (push the larger): stack depth O(log n) */
            if (j - lo < hi - i) {
                stack[sp++] = i; stack[sp++] = hi; hi = j;
            } else {
                stack[sp++] = lo; stack[sp++] = j; lo = i;
            }
        }
        insertion(a, lo, hi);
    }
}

static void sift(i32 *a, i32 root, i32 n) {
    i32 v = a[root];
    for (;;) {
        i32 child = 2 * root + 1;
        if (child >= n) break;
        if (child + 1 < n && a[child + 1] > a[child]) child++;
        if (a[child] <= v) break;
        a[root] = a[child];
        root = child;
    }
    a[root] = v;
}

static void heapsort(i32 *a, i32 n) {
    for (i32 i = n / 2 - 1; i >= 0; i--) sift(a, i, n);
    for (i32 end = n - 1; end > 0; end--) {
        swap(a, 0, end);
        sift(a, 0, end);
    }
}

EXPORT("bench") u64 bench(void) {
    u64 seed = 0xA0761D6478BD642FULL, h = 0;
    for (int r = 0; r < ROUNDS; r++) {
        for (i32 i = 0; i < QN; i++) qa[i] = (i32)(rng_next(&seed) >> 32);
        for (i32 i = 0; i < HN; i++) ha[i] = (i32)(rng_next(&seed) >> 40) - (1 << 23);
        quicksort(qa, QN);
        heapsort(ha, HN);
        i32 bad = 0;
        for (i32 i = 1; i < QN; i++) bad += qa[i - 1] > qa[i];
        for (i32 i = 1; i < HN; i++) bad += ha[i - 1] > ha[i];
        h = mix(h, (u64)bad);
        u64 s = 0;
        for (i32 i = 0; i < QN; i += 1) s += (u64)(u32)qa[i] * (u64)(i + 1);
        for (i32 i = 0; i < HN; i += 1) s ^= (u64)(u32)ha[i] << (i & 31);
        h = mix(h, s);
    }
    return h;
}
