// hierarchy.cpp: which handler catches which exception, and what happens to the objects.
//
// Checks: throws of fundamental types (int, char, double, long long, bool, an enum),
// strings (const char*, char* caught as const char*), class hierarchies caught by a base
// reference, by value (slicing, copy constructor) and by pointer (Derived* as Base*, void*),
// multiple inheritance (the handler gets the adjusted base address), a virtual base, templates
// as exception types, rethrow (`throw;`) of the same object, rethrow caught inside its own
// handler, throwing from a handler, nested try blocks in handlers, a function-try-block on a
// constructor (members destroyed, handler rethrows), a throwing element constructor in
// new[] (constructed elements destroyed, memory freed), throws through function pointers,
// virtual calls and lambdas, an over-aligned exception object, and lifetime counts of every
// exception object (all destroyed exactly once, at the end of the last handler).
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static int failures;
static void check(bool ok, const char *what) {
    printf("  %s: %s\n", what, ok ? "ok" : "FAILED");
    if (!ok)
        failures++;
}

// Objects that count their lives and log their ends.
static int alive, constructed, copied, destroyed;
struct Tracked {
    int id;
    explicit Tracked(int i) : id(i) { alive++, constructed++; }
    Tracked(const Tracked &o) : id(o.id) { alive++, copied++; }
    virtual ~Tracked() {
        alive--, destroyed++;
        printf("    ~Tracked(%d)\n", id);
    }
    virtual const char *what() const { return "Tracked"; }
};
struct Special : Tracked {
    explicit Special(int i) : Tracked(i) {}
    const char *what() const override { return "Special"; }
};

static void fundamentals() {
    printf("fundamentals\n");
    try {
        throw 42;
    } catch (long) {
        check(false, "int caught as long");
    } catch (unsigned) {
        check(false, "int caught as unsigned");
    } catch (int v) {
        check(v == 42, "int 42");
    }
    try {
        throw 'c';
    } catch (int) {
        check(false, "char caught as int");
    } catch (char c) {
        check(c == 'c', "char 'c'");
    }
    try {
        throw 2.5;
    } catch (float) {
        check(false, "double caught as float");
    } catch (const double &d) {
        check(d == 2.5, "double 2.5 by const reference");
    }
    try {
        throw -1234567890123LL;
    } catch (long long v) {
        check(v == -1234567890123LL, "long long");
    }
    try {
        throw true;
    } catch (int) {
        check(false, "bool caught as int");
    } catch (bool b) {
        check(b, "bool true");
    }
    enum class Color { Red, Green, Blue };
    try {
        throw Color::Blue;
    } catch (int) {
        check(false, "enum class caught as int");
    } catch (Color c) {
        check(c == Color::Blue, "enum class Color::Blue");
    }
}

static void strings() {
    printf("strings\n");
    try {
        throw "a string literal";
    } catch (const char *s) {
        check(strcmp(s, "a string literal") == 0, "literal as const char*");
    }
    static char buffer[] = "mutable";
    try {
        throw static_cast<char *>(buffer);
    } catch (const char *s) { // adding const to the pointee is allowed
        check(s == buffer, "char* as const char*, same pointer");
    }
    try {
        try {
            throw static_cast<const char *>(buffer);
        } catch (char *) { // dropping const is not
            check(false, "const char* caught as char*");
        }
    } catch (const void *p) {
        check(p == buffer, "const char* as const void*");
    }
}

struct Animal {
    int legs;
    explicit Animal(int l) : legs(l) {}
    virtual ~Animal() {}
    virtual const char *name() const { return "animal"; }
};
struct Mammal : Animal {
    using Animal::Animal;
    const char *name() const override { return "mammal"; }
};
struct Dog : Mammal {
    Dog() : Mammal(4) {}
    const char *name() const override { return "dog"; }
};
struct Cat : Mammal {
    Cat() : Mammal(4) {}
    const char *name() const override { return "cat"; }
};
struct Bird : Animal {
    Bird() : Animal(2) {}
    const char *name() const override { return "bird"; }
};

static const char *catch_animal(int which) {
    try {
        switch (which) {
        case 0: throw Dog();
        case 1: throw Cat();
        case 2: throw Bird();
        default: throw Animal(0);
        }
    } catch (Cat &c) {
        return c.name();
    } catch (Mammal &m) {
        static char text[32];
        snprintf(text, sizeof text, "mammal handler: %s", m.name());
        return text;
    } catch (const Animal &a) {
        static char text[32];
        snprintf(text, sizeof text, "animal handler: %s/%d", a.name(), a.legs);
        return text;
    }
}

static void single_inheritance() {
    printf("single inheritance\n");
    for (int i = 0; i < 4; i++)
        printf("  %d -> %s\n", i, catch_animal(i));
    try {
        throw Dog();
    } catch (Animal a) { // by value: a sliced copy
        check(strcmp(a.name(), "animal") == 0 && a.legs == 4, "Dog caught by value as Animal (sliced)");
    }
    static Dog rex;
    try {
        throw &rex;
    } catch (Cat *) {
        check(false, "Dog* caught as Cat*");
    } catch (Animal *a) {
        check(a == &rex && strcmp(a->name(), "dog") == 0, "Dog* caught as Animal*");
    }
    try {
        throw static_cast<Dog *>(nullptr);
    } catch (Animal *a) {
        check(a == nullptr, "null Dog* caught as Animal*");
    }
    int number = 5;
    try {
        throw &number;
    } catch (void *p) {
        check(p == &number, "int* caught as void*");
    }
}

struct Named {
    const char *name;
    explicit Named(const char *n) : name(n) {}
};
struct Coded {
    int code;
    explicit Coded(int c) : code(c) {}
    virtual ~Coded() {}
};
struct Failure : Named, Coded { // Coded is the primary base (polymorphic); Named follows it
    int detail;
    Failure(const char *n, int c, int d) : Named(n), Coded(c), detail(d) {}
};

struct Base {
    int base_value = 11;
};
struct Left : virtual Base {
    int left_value = 22;
};
struct Right : virtual Base {
    int right_value = 33;
};
struct Diamond : Left, Right {
    int own = 44;
};

static void multiple_inheritance() {
    printf("multiple and virtual inheritance\n");
    try {
        throw Failure("disk", 28, 3);
    } catch (Named &n) {
        check(strcmp(n.name, "disk") == 0, "Failure caught as its second base Named&");
    }
    try {
        throw Failure("net", 110, 4);
    } catch (Coded &c) {
        Failure *f = static_cast<Failure *>(&c);
        check(c.code == 110 && f->detail == 4 && strcmp(f->name, "net") == 0,
              "Failure caught as its primary base Coded&");
    }
    static Failure stored("pipe", 32, 5);
    try {
        throw &stored;
    } catch (Named *n) {
        check(n == static_cast<Named *>(&stored), "Failure* caught as Named* (adjusted)");
    }
    try {
        throw Diamond();
    } catch (Right &r) {
        check(r.right_value == 33 && r.base_value == 11, "Diamond caught as Right&");
    }
    try {
        throw Diamond();
    } catch (Base &b) {
        check(b.base_value == 11, "Diamond caught as its virtual base Base&");
    }
    static Diamond d;
    d.base_value = 99;
    try {
        throw &d;
    } catch (Base *b) {
        check(b == static_cast<Base *>(&d) && b->base_value == 99, "Diamond* caught as Base* (virtual)");
    }
}

template <class T> struct DivideByZero {
    T numerator;
};
template <class T> T checked_divide(T a, T b) {
    if (b == 0)
        throw DivideByZero<T>{a};
    return a / b;
}

static void templates_and_calls() {
    printf("templates, function pointers, virtual calls, lambdas\n");
    long long sum = 0;
    for (int i = -2; i <= 2; i++) {
        try {
            sum += checked_divide<int>(100, i);
            sum += checked_divide<long long>(1000, i - 1);
        } catch (DivideByZero<long long> &e) {
            printf("  DivideByZero<long long> of %lld\n", e.numerator);
        } catch (DivideByZero<int> &e) {
            printf("  DivideByZero<int> of %d\n", e.numerator);
        }
    }
    check(sum == 167, "sum of the successful divisions");

    struct Step {
        virtual ~Step() {}
        virtual int run(int x) const = 0;
    };
    struct Double : Step {
        int run(int x) const override { return 2 * x; }
    };
    struct Fail : Step {
        int run(int x) const override { throw Special(x); }
    };
    static const Double twice;
    static const Fail fail;
    const Step *pipeline[] = {&twice, &twice, &fail, &twice};
    int x = 3;
    try {
        for (const Step *s : pipeline)
            x = s->run(x);
    } catch (Tracked &t) {
        check(strcmp(t.what(), "Special") == 0 && t.id == 12, "throw from a virtual call, caught as base");
    }

    static int (*const table[])(int) = {
        [](int v) { return v + 1; },
        [](int v) -> int { if (v > 5) throw v * 10; return v; },
    };
    int thrown = 0;
    for (int v = 0; v < 10; v++) {
        try {
            table[v % 2](v);
        } catch (int e) {
            thrown += e;
        }
    }
    check(thrown == 70 + 90, "throws through function pointers");

    auto apply_twice = [](auto f, int v) { return f(f(v)); };
    try {
        apply_twice([](int v) { if (v > 40) throw "too big"; return v * 3; }, 20);
    } catch (const char *msg) {
        check(strcmp(msg, "too big") == 0, "throw through a generic lambda");
    }
}

static void lifetimes() {
    printf("exception object lifetimes\n");
    int base_destroyed = destroyed;
    try {
        throw Tracked(1);
    } catch (Tracked t) { // a copy, destroyed before the exception object
        printf("    caught a copy of %d\n", t.id);
    }
    check(alive == 0 && copied == 1 && destroyed - base_destroyed == 2, "catch by value: one copy, two destructions");

    // Rethrow: the outer handler sees the same object, changed by the inner one.
    const Tracked *inner_address = nullptr;
    try {
        try {
            throw Special(2);
        } catch (Tracked &t) {
            t.id = 20;
            inner_address = &t;
            throw;
        }
    } catch (Special &s) {
        check(&s == inner_address && s.id == 20, "rethrow keeps the same object");
        check(alive == 1, "still alive in the outer handler");
    }
    check(alive == 0, "destroyed after the outer handler");

    // catch (...) then rethrow, caught by type.
    try {
        try {
            throw Tracked(3);
        } catch (...) {
            printf("    catch (...) rethrows\n");
            throw;
        }
    } catch (Tracked &t) {
        check(t.id == 3, "rethrow from catch (...)");
    }

    // A handler that throws: the first exception ends when its handler is left.
    try {
        try {
            throw Tracked(4);
        } catch (Tracked &t) {
            throw Tracked(t.id + 1);
        }
    } catch (Tracked &t) {
        check(t.id == 5 && alive == 1, "throw from a handler replaces the exception");
    }

    // A nested try in a handler: the outer exception stays alive.
    try {
        throw Tracked(6);
    } catch (Tracked &outer) {
        try {
            throw Special(7);
        } catch (Tracked &inner) {
            check(inner.id == 7 && outer.id == 6 && alive == 2, "two exceptions handled at once");
        }
        check(outer.id == 6 && alive == 1, "inner one gone, outer one intact");
    }

    // Rethrow caught inside the same handler: one object, destroyed once at the end.
    int before = destroyed;
    try {
        throw Tracked(8);
    } catch (Tracked &first) {
        try {
            throw;
        } catch (Tracked &again) {
            check(&again == &first, "rethrow caught in its own handler: same object");
        }
        check(alive == 1 && destroyed == before, "still alive after the inner handler");
    }
    check(alive == 0 && destroyed == before + 1, "destroyed once");

    // An over-aligned exception object.
    struct alignas(16) Vec4 {
        float x, y, z, w;
    };
    try {
        throw Vec4{1, 2, 3, 4};
    } catch (const Vec4 &v) {
        check(reinterpret_cast<uintptr_t>(&v) % 16 == 0 && v.x + v.y + v.z + v.w == 10, "16-byte aligned exception object");
    }
    check(alive == 0, "no exception object left");
}

struct Part : Tracked {
    explicit Part(int i) : Tracked(i) {
        if (i < 0)
            throw Tracked(-i);
    }
};
struct Widget {
    Part a, b, c;
    Widget(int x, int y, int z) try : a(x), b(y), c(z) {
        printf("    Widget built\n");
    } catch (Tracked &t) {
        printf("    Widget constructor handler: part %d failed, a and b are gone (alive %d)\n", t.id, alive);
        // falls off the end: the exception is rethrown
    }
};

static int allocations, deallocations;
struct Element : Tracked {
    Element() : Tracked(next++) {
        if (id == 5)
            throw "element 5";
    }
    static int next;
    static void *operator new[](size_t size) {
        allocations++;
        return ::operator new[](size);
    }
    static void operator delete[](void *p) {
        deallocations++;
        ::operator delete[](p);
    }
};
int Element::next;

static void construction() {
    printf("construction\n");
    try {
        Widget w(1, 2, -3);
        check(false, "Widget constructed");
    } catch (Tracked &t) {
        check(t.id == 3 && alive == 1, "function-try-block rethrew the member's exception");
    }
    Element::next = 1;
    try {
        Element *array = new Element[8];
        delete[] array;
    } catch (const char *msg) {
        check(strcmp(msg, "element 5") == 0 && alive == 0 && allocations == 1 && deallocations == 1,
              "new[]: elements 1-4 destroyed, memory freed");
    }
    // Locals of each loop iteration and of each frame are destroyed on the way out.
    int reached = 0;
    try {
        for (int i = 1;; i++) {
            Tracked local(100 + i);
            reached = i;
            if (i == 3)
                throw Special(i);
        }
    } catch (Special &s) {
        check(reached == 3 && alive == 1 && s.id == 3, "loop locals destroyed");
    }
}

int main() {
    fundamentals();
    strings();
    single_inheritance();
    multiple_inheritance();
    templates_and_calls();
    lifetimes();
    construction();
    printf("constructed %d, copied %d, destroyed %d, alive %d\n", constructed, copied, destroyed, alive);
    printf("%s\n", failures ? "FAILURES" : "all ok");
    return failures ? 1 : 0;
}
