/* Deliberately sloppy code: cc1 -Wall -Wextra must produce the same diagnostics everywhere. */
#include <stdint.h>

static int unused_helper(int x) { return x * 2; }

int compare(unsigned a, int b)
{
    int unused;
    if (a < b)            /* -Wsign-compare */
        return 1;
    uint8_t small = 300;  /* -Woverflow */
    switch (small) {
    case 1:
        a++;              /* -Wimplicit-fallthrough */
    case 2:
        return 2;
    }
    return a = b;         /* fine, but see below */
}

int missing_return(int v)
{
    if (v > 0)
        return v;
}                         /* -Wreturn-type */

int shadow(int v)
{
    int r = 0;
    for (int i = 0; i < v; i++) {
        int r = i;        /* shadows nothing under -Wall, but -Wextra unused-but-set */
        (void)r;
    }
    return r + (v == v);
}
