// stress.cpp: many throws (the throw-heavy program, for timing too).
//
// Each round throws one exception from the bottom of a recursion 1 to 24 frames deep. Every
// frame holds an RAII object; a frame in the middle has a handler that catches one of the
// three exception types, swallows some of them and rethrows (`throw;`) the rest; another
// frame has a handler for a type never thrown (selector mismatch, rethrown by the generated
// code); the top catches by base class. The checksum mixes the caught values, the depth at
// which each was caught and the number of destructors run, so a handler or cleanup skipped or
// run twice changes it. Rounds: argument 1 (default 20000).
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t destructors_run;
static int live_objects;

struct Resource {
    uint32_t tag;
    explicit Resource(uint32_t t) : tag(t) { live_objects++; }
    ~Resource() {
        live_objects--;
        destructors_run += tag & 7;
    }
};

struct Fault {
    uint32_t value;
    explicit Fault(uint32_t v) : value(v) {}
    virtual ~Fault() {}
    virtual uint32_t weight() const { return 1; }
};
struct SmallFault : Fault {
    using Fault::Fault;
    uint32_t weight() const override { return 3; }
};
struct BigFault : Fault {
    uint32_t data[16];
    explicit BigFault(uint32_t v) : Fault(v) {
        for (int i = 0; i < 16; i++)
            data[i] = v * 2654435761u + i;
    }
    uint32_t weight() const override {
        uint32_t s = 0;
        for (uint32_t d : data)
            s ^= d;
        return s;
    }
};
struct HugeFault : BigFault {
    using BigFault::BigFault;
    uint32_t weight() const override { return BigFault::weight() + 5; }
};
struct NeverThrown {};

static uint32_t rng = 12345;
static uint32_t next_random() {
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

static int caught_in_middle;

__attribute__((noinline)) static uint32_t descend(int depth, int middle, uint32_t round) {
    Resource r(round + depth);
    if (depth == 0) {
        switch ((round >> 8) % 4) {
        case 0: throw SmallFault(round);
        case 1: throw BigFault(round);
        case 2: throw HugeFault(round);
        default: return round * 7; // no throw this round
        }
    }
    if (depth == middle) {
        try {
            return descend(depth - 1, middle, round) + 1;
        } catch (SmallFault &f) {
            if (f.value % 3 == 0) {
                caught_in_middle++;
                return f.value ^ 0x5a5a5a5au;
            }
            throw;
        }
    }
    if (depth == middle + 1) {
        try {
            return descend(depth - 1, middle, round) + 2;
        } catch (NeverThrown &) {
            return 0;
        }
    }
    return descend(depth - 1, middle, round) + (r.tag & 1);
}

int main(int argc, char **argv) {
    long rounds = argc > 1 ? strtol(argv[1], nullptr, 10) : 20000;
    uint64_t checksum = 1469598103934665603ull;
    long thrown_to_top = 0, returned = 0;
    for (long i = 0; i < rounds; i++) {
        uint32_t round = next_random();
        int depth = 1 + round % 24;
        int middle = depth / 2;
        uint32_t result;
        try {
            result = descend(depth, middle, round);
            returned++;
        } catch (const Fault &f) {
            result = f.value + f.weight();
            thrown_to_top++;
        }
        checksum = (checksum ^ result) * 1099511628211ull;
        checksum ^= destructors_run;
    }
    printf("rounds %ld: returned %ld, caught at top %ld, caught in the middle %d\n", rounds, returned,
           thrown_to_top, caught_in_middle);
    printf("destructor tags %llu, live objects %d\n", (unsigned long long)destructors_run, live_objects);
    printf("checksum %016llx\n", (unsigned long long)checksum);
    return live_objects == 0 ? 0 : 1;
}
