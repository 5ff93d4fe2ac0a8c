/* Arrays and pointers: insertion sort, quicksort with function pointers, binary search, memcpy-like loops. */
#include <stdint.h>
#include <stddef.h>

typedef int (*cmp_fn)(const void *, const void *);

static int cmp_i16(const void *a, const void *b)
{
    int16_t x = *(const int16_t *)a, y = *(const int16_t *)b;
    return (x > y) - (x < y);
}

static void swap_bytes(uint8_t *a, uint8_t *b, size_t n)
{
    while (n--) { uint8_t t = *a; *a++ = *b; *b++ = t; }
}

static void quicksort(void *base, size_t n, size_t size, cmp_fn cmp)
{
    uint8_t *b = base;
    while (n > 1) {
        uint8_t *pivot = b + (n / 2) * size;
        size_t i = 0, j = n - 1;
        for (;;) {
            while (cmp(b + i * size, pivot) < 0) i++;
            while (cmp(b + j * size, pivot) > 0) j--;
            if (i >= j) break;
            if (pivot == b + i * size) pivot = b + j * size;
            else if (pivot == b + j * size) pivot = b + i * size;
            swap_bytes(b + i * size, b + j * size, size);
            i++; j--;
        }
        quicksort(b, j + 1, size, cmp);
        b += (j + 1) * size;
        n -= j + 1;
    }
}

static void insertion_sort(uint8_t *v, uint8_t n)
{
    for (uint8_t i = 1; i < n; i++) {
        uint8_t x = v[i], j = i;
        while (j > 0 && v[j - 1] > x) { v[j] = v[j - 1]; j--; }
        v[j] = x;
    }
}

static int16_t bsearch_i16(const int16_t *v, uint8_t n, int16_t key)
{
    uint8_t lo = 0, hi = n;
    while (lo < hi) {
        uint8_t mid = (uint8_t)((lo + hi) >> 1);
        if (v[mid] < key) lo = mid + 1; else hi = mid;
    }
    return lo < n && v[lo] == key ? lo : -1;
}

int16_t data[24];
uint8_t bytes[32];
volatile int16_t found;

int main(void)
{
    uint16_t seed = 0xACE1u;
    for (uint8_t i = 0; i < 24; i++) {
        seed = (uint16_t)((seed >> 1) ^ (-(seed & 1u) & 0xB400u)); /* LFSR */
        data[i] = (int16_t)(seed % 1000) - 500;
    }
    for (uint8_t i = 0; i < 32; i++)
        bytes[i] = (uint8_t)(i * 37 + 11);
    quicksort(data, 24, sizeof data[0], cmp_i16);
    insertion_sort(bytes, 32);
    found = bsearch_i16(data, 24, data[7]) + bsearch_i16(data, 24, 1234);
    return found;
}
