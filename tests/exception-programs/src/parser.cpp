// parser.cpp: a recursive-descent parser and evaluator for integer expressions that reports
// every error by throwing from deep inside the recursion.
//
// Checks: throws of class objects from many frames down (expr -> term -> unary -> power ->
// primary -> expr ... : three to five frames per nesting level, up to ~700 frames), catch
// by reference to a base class in a handler list (the most derived matching clause wins),
// RAII destructors running on every frame that the exception leaves (counted), a handler in
// the middle of the recursion (`try(a, b)`) that catches only evaluation errors, so that
// parse errors pass through its frame to the top, and virtual calls on the caught object.
#include <stdio.h>
#include <string.h>

static int live_frames;   // Frame objects alive right now
static int frames_made;   // all Frame objects ever made
static int frames_unwound; // destroyed while an exception was propagating

static bool unwinding; // set just before each throw, cleared by every handler

struct Frame {
    Frame() { live_frames++, frames_made++; }
    ~Frame() {
        live_frames--;
        if (unwinding)
            frames_unwound++;
    }
};

struct Error {
    int pos;
    char msg[64];
    Error(int p, const char *m) : pos(p) { snprintf(msg, sizeof msg, "%s", m); }
    virtual ~Error() {}
    virtual const char *kind() const { return "error"; }
};
struct ParseError : Error {
    using Error::Error;
    const char *kind() const override { return "parse error"; }
};
struct UnexpectedEnd : ParseError {
    explicit UnexpectedEnd(int p) : ParseError(p, "unexpected end of input") {}
    const char *kind() const override { return "parse error (end)"; }
};
struct EvalError : Error {
    using Error::Error;
    const char *kind() const override { return "evaluation error"; }
};
struct DivByZero : EvalError {
    explicit DivByZero(int p) : EvalError(p, "division by zero") {}
};
struct Overflow : EvalError {
    Overflow(int p, const char *op) : EvalError(p, "overflow") {
        snprintf(msg, sizeof msg, "overflow in %s", op);
    }
    const char *kind() const override { return "overflow"; }
};
struct UnknownName : EvalError {
    UnknownName(int p, const char *name, int len) : EvalError(p, "") {
        snprintf(msg, sizeof msg, "unknown name '%.*s'", len, name);
    }
};

template <class E, class... Args> [[noreturn]] static void raise(Args... args) {
    unwinding = true;
    throw E(args...);
}

class Parser {
public:
    explicit Parser(const char *text) : s(text), pos(0), depth(0) {}

    long long parse() {
        Frame f;
        long long v = expr();
        skip_spaces();
        if (s[pos] != '\0')
            raise<ParseError>(pos, "trailing characters");
        return v;
    }

private:
    const char *s;
    int pos;
    int depth;

    void skip_spaces() {
        while (s[pos] == ' ')
            pos++;
    }
    char peek() {
        skip_spaces();
        return s[pos];
    }
    void expect(char c) {
        char got = peek();
        if (got == '\0')
            raise<UnexpectedEnd>(pos);
        if (got != c) {
            char m[32];
            snprintf(m, sizeof m, "expected '%c', got '%c'", c, got);
            raise<ParseError>(pos, m);
        }
        pos++;
    }

    static long long add(int at, long long a, long long b) {
        long long r;
        if (__builtin_add_overflow(a, b, &r))
            raise<Overflow>(at, "+");
        return r;
    }
    static long long sub(int at, long long a, long long b) {
        long long r;
        if (__builtin_sub_overflow(a, b, &r))
            raise<Overflow>(at, "-");
        return r;
    }
    static long long mul(int at, long long a, long long b) {
        long long r;
        if (__builtin_mul_overflow(a, b, &r))
            raise<Overflow>(at, "*");
        return r;
    }

    // expr := term (('+' | '-') term)*
    long long expr() {
        Frame f;
        if (++depth > 200)
            raise<ParseError>(pos, "nesting too deep");
        long long v = term();
        for (;;) {
            char c = peek();
            if (c != '+' && c != '-')
                break;
            int at = pos++;
            long long r = term();
            v = c == '+' ? add(at, v, r) : sub(at, v, r);
        }
        depth--;
        return v;
    }

    // term := unary (('*' | '/' | '%') unary)*
    long long term() {
        Frame f;
        long long v = unary();
        for (;;) {
            char c = peek();
            if (c != '*' && c != '/' && c != '%')
                break;
            int at = pos++;
            long long r = unary();
            if (c == '*') {
                v = mul(at, v, r);
            } else {
                if (r == 0)
                    raise<DivByZero>(at);
                if (v == (-9223372036854775807LL - 1) && r == -1)
                    raise<Overflow>(at, c == '/' ? "/" : "%");
                v = c == '/' ? v / r : v % r;
            }
        }
        return v;
    }

    // unary := '-' unary | power
    long long unary() {
        Frame f;
        if (peek() == '-') {
            int at = pos++;
            return sub(at, 0, unary());
        }
        return power();
    }

    // power := primary ('^' unary)?   (right-associative)
    long long power() {
        Frame f;
        long long base = primary();
        if (peek() != '^')
            return base;
        int at = pos++;
        long long e = unary();
        if (e < 0)
            raise<EvalError>(at, "negative exponent");
        long long r = 1;
        for (long long i = 0; i < e; i++)
            r = mul(at, r, base);
        return r;
    }

    // primary := number | name | name '(' args ')' | '(' expr ')'
    long long primary() {
        Frame f;
        char c = peek();
        if (c == '\0')
            raise<UnexpectedEnd>(pos);
        if (c >= '0' && c <= '9') {
            long long v = 0;
            int at = pos;
            while (s[pos] >= '0' && s[pos] <= '9')
                v = add(at, mul(at, v, 10), s[pos++] - '0');
            return v;
        }
        if (c == '(') {
            pos++;
            long long v = expr();
            expect(')');
            return v;
        }
        if ((c >= 'a' && c <= 'z') || c == '_') {
            int start = pos;
            while ((s[pos] >= 'a' && s[pos] <= 'z') || s[pos] == '_')
                pos++;
            int len = pos - start;
            const char *name = s + start;
            if (peek() == '(')
                return call(start, name, len);
            if (len == 1 && name[0] == 'x')
                return 7;
            if (len == 1 && name[0] == 'y')
                return -3;
            if (len == 3 && memcmp(name, "big", 3) == 0)
                return 4611686018427387904LL; // 2^62
            raise<UnknownName>(start, name, len);
        }
        char m[32];
        snprintf(m, sizeof m, "unexpected '%c'", c);
        raise<ParseError>(pos, m);
    }

    // Skips one argument without evaluating it: up to the ',' or ')' that ends it.
    void skip_argument() {
        int nesting = 0;
        for (;; pos++) {
            char c = s[pos];
            if (c == '\0')
                raise<UnexpectedEnd>(pos);
            if (c == '(')
                nesting++;
            else if (c == ')' && nesting-- == 0)
                return;
            else if (c == ',' && nesting == 0)
                return;
        }
    }

    long long call(int at, const char *name, int len) {
        Frame f;
        expect('(');
        if (len == 3 && memcmp(name, "try", 3) == 0) {
            // try(a, b): the value of a, or of b if evaluating a fails. Parse errors in a are
            // not caught here: they go on to the caller.
            int start = pos;
            int saved_depth = depth;
            long long v;
            try {
                v = expr();
                expect(',');
                skip_argument();
            } catch (EvalError &e) {
                unwinding = false;
                printf("    try() at %d recovered from %s at %d: %s\n", at, e.kind(), e.pos, e.msg);
                pos = start;
                depth = saved_depth;
                skip_argument();
                expect(',');
                v = expr();
            }
            expect(')');
            return v;
        }
        long long a = expr();
        if (len == 4 && memcmp(name, "fact", 4) == 0) {
            expect(')');
            return fact(at, a);
        }
        expect(',');
        long long b = expr();
        expect(')');
        if (len == 3 && memcmp(name, "max", 3) == 0)
            return a > b ? a : b;
        if (len == 3 && memcmp(name, "min", 3) == 0)
            return a < b ? a : b;
        if (len == 3 && memcmp(name, "ack", 3) == 0)
            return ack(at, a, b);
        raise<UnknownName>(at, name, len);
    }

    // Recursive helpers that throw from their own depth.
    static long long fact(int at, long long n) {
        Frame f;
        if (n < 0)
            raise<EvalError>(at, "fact of a negative number");
        return n <= 1 ? 1 : mul(at, n, fact(at, n - 1));
    }
    static long long ack(int at, long long m, long long n) {
        Frame f;
        if (m < 0 || n < 0)
            raise<EvalError>(at, "ack of a negative number");
        if (m == 0)
            return add(at, n, 1);
        if (n == 0)
            return ack(at, m - 1, 1);
        return ack(at, m - 1, ack(at, m, n - 1));
    }
};

static int evaluate(const char *text) {
    int made_before = frames_made, unwound_before = frames_unwound;
    int status = 0;
    printf("%s\n", strlen(text) > 60 ? "<long expression>" : text);
    try {
        Parser p(text);
        long long v = p.parse();
        printf("  = %lld\n", v);
    } catch (DivByZero &e) {
        printf("  division by zero at %d\n", e.pos);
        status = 1;
    } catch (const EvalError &e) {
        printf("  %s at %d: %s\n", e.kind(), e.pos, e.msg);
        status = 2;
    } catch (Error &e) {
        printf("  %s at %d: %s\n", e.kind(), e.pos, e.msg);
        status = 3;
    }
    unwinding = false;
    printf("  frames made %d, unwound %d, alive %d\n", frames_made - made_before,
           frames_unwound - unwound_before, live_frames);
    return status;
}

int main() {
    static const char *const inputs[] = {
        "1 + 2 * 3",
        "(1 + 2) * 3 - 4 / 2",
        "2 ^ 3 ^ 2",
        "-(-(-(5))) % 3",
        "max(x, y) * min(x, y) + fact(10)",
        "ack(2, 3) + ack(3, 3)",
        "((((((((((((1 + 2) * 3) - 4) * 5) / 0) + 1) - 2) * 3) + 4) - 5) * 6) + 7)",
        "((((((((((((1 + 2) * 3) - 4) * 5) / 5) + 1) - 2) * 3) + 4) - 5) * 6) + 7",
        "fact(25)",
        "big * 2",
        "big + big - 1",
        "2 ^ -1",
        "1 + z",
        "foo(1, 2)",
        "1 + (2 * (3 - (4 / (5 % (6 + )))))",
        "(((1 + 2)",
        "1 + 2 3",
        "try(1 / 0, 42)",
        "try(fact(30), try(big * big, 99)) + 1",
        "try(max(1, 2) + q, 8) * try(ack(2, 2), 0)",
        "try(1 + (2 * , 5)",
        "try(try(fact(-1), 1 / 0), 77)",
        "fact(ack(1, 1) + 3) - try(0 / 0 + 1, -1)",
    };
    int counts[4] = {0, 0, 0, 0};
    for (const char *text : inputs)
        counts[evaluate(text)]++;

    // Errors from the bottom of very deep nesting: 100 and 199 levels (a parse error, a
    // division by zero, an overflow), and one level too deep.
    static char buffer[2048];
    const struct { int levels; const char *inner; } deep[] = {
        {100, "1 / (2 - 2)"}, {100, "1 +"}, {199, "big * 4"}, {199, "x * y"}, {201, "1"},
    };
    for (const auto &d : deep) {
        int n = 0;
        for (int i = 0; i < d.levels; i++)
            n += snprintf(buffer + n, sizeof buffer - n, "(");
        n += snprintf(buffer + n, sizeof buffer - n, "%s", d.inner);
        for (int i = 0; i < d.levels; i++)
            n += snprintf(buffer + n, sizeof buffer - n, i % 2 ? "+1)" : ")");
        printf("[%d levels around \"%s\"] ", d.levels, d.inner);
        counts[evaluate(buffer)]++;
    }
    printf("ok %d, division %d, evaluation %d, other %d; frames made %d, unwound %d, alive %d\n",
           counts[0], counts[1], counts[2], counts[3], frames_made, frames_unwound, live_frames);
    return live_frames == 0 ? 0 : 1;
}
