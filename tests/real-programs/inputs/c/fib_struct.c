/* Recursion, structs passed by value and by pointer, 32-bit arithmetic. */
#include <stdint.h>

struct point { int16_t x, y; };
struct rect { struct point lo, hi; uint8_t flags; };

static uint32_t fib(uint8_t n)
{
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

static uint32_t ackermann(uint16_t m, uint16_t n)
{
    if (m == 0) return n + 1;
    if (n == 0) return ackermann(m - 1, 1);
    return ackermann(m - 1, ackermann(m, n - 1));
}

static struct point add(struct point a, struct point b)
{
    struct point r = { a.x + b.x, a.y + b.y };
    return r;
}

static int32_t area(const struct rect *r)
{
    int32_t w = (int32_t)r->hi.x - r->lo.x;
    int32_t h = (int32_t)r->hi.y - r->lo.y;
    if (r->flags & 1) w = -w;
    return w * h;
}

static void grow(struct rect *r, int16_t d)
{
    struct point delta = { d, d };
    struct point neg = { -d, -d };
    r->hi = add(r->hi, delta);
    r->lo = add(r->lo, neg);
    r->flags ^= 1;
}

volatile uint32_t sink;

int main(void)
{
    struct rect r = { { 1, 2 }, { 30, 40 }, 0 };
    uint32_t acc = 0;
    for (uint8_t i = 0; i < 20; i++) {
        acc += fib(i);
        grow(&r, i);
        acc ^= (uint32_t)area(&r);
    }
    acc += ackermann(2, 3);
    sink = acc;
    return (int)(acc & 0x7f);
}
