// vm.cpp: an assembler and a stack-machine interpreter whose errors, and whose own
// `try`/`throw` instructions, are C++ exceptions.
//
// Checks: a VM-level `try` implemented as a C++ try block around a recursive call of the
// interpreter loop, VM `throw` crossing many VM calls (each VM call is a few C++ frames with
// RAII objects), C++ handlers that do not match (VM `try` catches VM throws and arithmetic
// errors only) so that other errors go through hundreds of them to the top, a handler that
// throws a new exception, errors thrown from a template container (Stack<T, N>), from the
// assembler (bad source text, caught and reported with its line), and from deep recursion
// (call depth limit), plus counts showing that every interpreter frame was destroyed.
#include <stdio.h>
#include <string.h>

static int contexts_alive, contexts_made;

struct Error {
    char msg[96];
    Error() { msg[0] = 0; }
    virtual ~Error() {}
    virtual const char *kind() const = 0;
};
struct AsmError : Error {
    int line;
    AsmError(int l, const char *what, const char *token) : line(l) {
        snprintf(msg, sizeof msg, "%s '%s'", what, token);
    }
    const char *kind() const override { return "assembler error"; }
};
struct VmError : Error {
    const char *kind() const override { return "vm error"; }
};
struct StackError : VmError {
    StackError(const char *what, int capacity) { snprintf(msg, sizeof msg, "%s (capacity %d)", what, capacity); }
    const char *kind() const override { return "stack error"; }
};
struct ArithmeticError : VmError {
    long long code;
    ArithmeticError(long long c, const char *what) : code(c) { snprintf(msg, sizeof msg, "%s", what); }
    const char *kind() const override { return "arithmetic error"; }
};
struct CallDepthError : VmError {
    explicit CallDepthError(int depth) { snprintf(msg, sizeof msg, "call depth %d exceeded", depth); }
};
// What the VM's own `throw` instruction throws: not an Error.
struct VmThrow {
    long long value;
};

template <class T, int N> class Stack {
public:
    void push(T v) {
        if (n == N)
            throw StackError("operand stack overflow", N);
        items[n++] = v;
    }
    T pop() {
        if (n == 0)
            throw StackError("operand stack underflow", N);
        return items[--n];
    }
    int size() const { return n; }
    void truncate(int size) { n = size; }

private:
    T items[N];
    int n = 0;
};

// ---------------------------------------------------------------------------------------
// The assembler: text -> functions of integer code.

enum Op { PUSH, LOAD, STORE, ADD, SUB, MUL, DIV, MOD, LT, EQ, DUP, DROP, SWAP, JMP, JZ, CALL,
          RET, PRINT, THROW, TRY, ENDTRY, OP_COUNT };
static const char *const op_names[OP_COUNT] = {
    "push", "load", "store", "add", "sub", "mul", "div", "mod", "lt", "eq", "dup", "drop",
    "swap", "jmp", "jz", "call", "ret", "print", "throw", "try", "endtry"};
static int operand_count(int op) {
    return op == CALL ? 2 : (op == PUSH || op == LOAD || op == STORE || op == JMP || op == JZ || op == TRY) ? 1 : 0;
}

enum { MAX_FUNCS = 16, MAX_CODE = 256, MAX_LABELS = 16, MAX_LOCALS = 8 };
struct Function {
    char name[32];
    int params;
    int code[MAX_CODE];
    int length;
};
struct Module {
    Function funcs[MAX_FUNCS];
    int count = 0;
    int find(const char *name) const {
        for (int i = 0; i < count; i++)
            if (strcmp(funcs[i].name, name) == 0)
                return i;
        return -1;
    }
};

class Assembler {
public:
    Assembler(Module &m, const char *text) : module(m), p(text) {}

    void assemble() {
        struct Fixup { int func, at, line; char name[32]; };
        Fixup calls[64];
        int ncalls = 0;
        char tok[32];
        while (next(tok)) {
            if (strcmp(tok, "func") != 0)
                throw AsmError(line, "expected 'func', got", tok);
            if (module.count == MAX_FUNCS)
                throw AsmError(line, "too many functions at", tok);
            Function &f = module.funcs[module.count++];
            f.length = 0;
            need(tok, "function name");
            snprintf(f.name, sizeof f.name, "%s", tok);
            f.params = number(tok);
            struct Label { char name[16]; int at; } labels[MAX_LABELS], jumps[MAX_LABELS * 4];
            int nlabels = 0, njumps = 0, jump_lines[MAX_LABELS * 4];
            for (;;) {
                need(tok, "instruction");
                if (strcmp(tok, "end") == 0)
                    break;
                size_t len = strlen(tok);
                if (tok[len - 1] == ':') {
                    tok[len - 1] = 0;
                    snprintf(labels[nlabels].name, 16, "%s", tok);
                    labels[nlabels++].at = f.length;
                    continue;
                }
                int op = 0;
                while (op < OP_COUNT && strcmp(op_names[op], tok) != 0)
                    op++;
                if (op == OP_COUNT)
                    throw AsmError(line, "unknown instruction", tok);
                emit(f, op);
                if (op == JMP || op == JZ || op == TRY) {
                    need(tok, "label");
                    snprintf(jumps[njumps].name, 16, "%s", tok);
                    jump_lines[njumps] = line;
                    jumps[njumps++].at = f.length;
                    emit(f, 0);
                } else if (op == CALL) {
                    need(tok, "function");
                    Fixup &c = calls[ncalls++];
                    c.func = module.count - 1, c.at = f.length, c.line = line;
                    snprintf(c.name, sizeof c.name, "%s", tok);
                    emit(f, 0);
                    emit(f, number(tok));
                } else if (operand_count(op) == 1) {
                    emit(f, number(tok));
                }
            }
            for (int j = 0; j < njumps; j++) {
                int k = 0;
                while (k < nlabels && strcmp(labels[k].name, jumps[j].name) != 0)
                    k++;
                if (k == nlabels)
                    throw AsmError(jump_lines[j], "unknown label", jumps[j].name);
                f.code[jumps[j].at] = labels[k].at;
            }
        }
        for (int i = 0; i < ncalls; i++) {
            int target = module.find(calls[i].name);
            if (target < 0)
                throw AsmError(calls[i].line, "unknown function", calls[i].name);
            module.funcs[calls[i].func].code[calls[i].at] = target;
        }
    }

private:
    Module &module;
    const char *p;
    int line = 1;

    bool next(char *tok) {
        for (;;) {
            while (*p == ' ' || *p == '\n' || *p == '\t')
                line += *p++ == '\n';
            if (*p != ';')
                break;
            while (*p && *p != '\n')
                p++;
        }
        if (!*p)
            return false;
        int n = 0;
        while (*p && *p != ' ' && *p != '\n' && *p != '\t' && n < 31)
            tok[n++] = *p++;
        tok[n] = 0;
        return true;
    }
    void need(char *tok, const char *what) {
        if (!next(tok))
            throw AsmError(line, "end of text, expected", what);
    }
    int number(char *tok) {
        need(tok, "number");
        int sign = 1, v = 0, i = 0;
        if (tok[0] == '-')
            sign = -1, i = 1;
        if (!tok[i])
            throw AsmError(line, "bad number", tok);
        for (; tok[i]; i++) {
            if (tok[i] < '0' || tok[i] > '9')
                throw AsmError(line, "bad number", tok);
            v = v * 10 + (tok[i] - '0');
        }
        return sign * v;
    }
    void emit(Function &f, int v) {
        if (f.length == MAX_CODE)
            throw AsmError(line, "function too long:", f.name);
        f.code[f.length++] = v;
    }
};

// ---------------------------------------------------------------------------------------
// The interpreter. Each VM call is a Context on the C++ stack; `try` recurses into exec.

struct Context {
    const Module &module;
    const Function &f;
    Stack<long long, 16> stack;
    long long locals[MAX_LOCALS] = {};
    long long result = 0;
    int depth;
    Context(const Module &m, int fn, int d) : module(m), f(m.funcs[fn]), depth(d) {
        contexts_alive++, contexts_made++;
    }
    ~Context() { contexts_alive--; }
};

static long long call(const Module &m, int fn, const long long *args, int depth);
static int handlers_run;

// Runs from pc until `endtry` (returns the pc after it) or `ret` (returns -1).
static int exec(Context &c, int pc, int try_nesting) {
    const int *code = c.f.code;
    for (;;) {
        int op = code[pc];
        long long a, b;
        switch (op) {
        case PUSH: c.stack.push(code[pc + 1]); break;
        case LOAD: c.stack.push(c.locals[code[pc + 1]]); break;
        case STORE: c.locals[code[pc + 1]] = c.stack.pop(); break;
        case ADD: b = c.stack.pop(), a = c.stack.pop(); c.stack.push(a + b); break;
        case SUB: b = c.stack.pop(), a = c.stack.pop(); c.stack.push(a - b); break;
        case MUL: b = c.stack.pop(), a = c.stack.pop(); c.stack.push(a * b); break;
        case DIV:
        case MOD:
            b = c.stack.pop(), a = c.stack.pop();
            if (b == 0)
                throw ArithmeticError(op == DIV ? -1 : -2, op == DIV ? "division by zero" : "modulo by zero");
            c.stack.push(op == DIV ? a / b : a % b);
            break;
        case LT: b = c.stack.pop(), a = c.stack.pop(); c.stack.push(a < b); break;
        case EQ: b = c.stack.pop(), a = c.stack.pop(); c.stack.push(a == b); break;
        case DUP: a = c.stack.pop(); c.stack.push(a); c.stack.push(a); break;
        case DROP: c.stack.pop(); break;
        case SWAP: b = c.stack.pop(), a = c.stack.pop(); c.stack.push(b); c.stack.push(a); break;
        case JMP: pc = code[pc + 1]; continue;
        case JZ:
            if (c.stack.pop() == 0) {
                pc = code[pc + 1];
                continue;
            }
            break;
        case CALL: {
            const Function &callee = c.module.funcs[code[pc + 1]];
            long long args[MAX_LOCALS];
            for (int i = callee.params - 1; i >= 0; i--)
                args[i] = c.stack.pop();
            c.stack.push(call(c.module, code[pc + 1], args, c.depth + 1));
            break;
        }
        case RET: c.result = c.stack.pop(); return -1;
        case PRINT: printf("    %s: %lld\n", c.f.name, c.stack.pop()); break;
        case THROW: throw VmThrow{c.stack.pop()};
        case TRY: {
            int handler = code[pc + 1], height = c.stack.size(), after;
            try {
                after = exec(c, pc + 2, try_nesting + 1);
            } catch (VmThrow &t) {
                handlers_run++;
                c.stack.truncate(height);
                c.stack.push(t.value);
                after = handler;
            } catch (ArithmeticError &e) {
                handlers_run++;
                c.stack.truncate(height);
                c.stack.push(e.code);
                after = handler;
            }
            if (after < 0)
                return after; // `ret` inside the try block
            pc = after;
            continue;
        }
        case ENDTRY:
            if (try_nesting == 0) {
                VmError e;
                snprintf(e.msg, sizeof e.msg, "endtry outside try in %s", c.f.name);
                throw e;
            }
            return pc + 1;
        }
        pc += 1 + operand_count(op);
    }
}

static long long call(const Module &m, int fn, const long long *args, int depth) {
    if (depth > 400)
        throw CallDepthError(400);
    Context c(m, fn, depth);
    for (int i = 0; i < c.f.params; i++)
        c.locals[i] = args[i];
    exec(c, 0, 0);
    return c.result;
}

static const char program[] = R"(
; n! by recursion
func fact 1
    load 0  push 2  lt  jz recurse
    push 1  ret
recurse:
    load 0  load 0 push 1 sub  call fact 1  mul  ret
end

; recurses n levels, then throws 1000 + n0 from the bottom
func dive 2
    load 0  jz bottom
    load 0 push 1 sub  load 1  call dive 2  ret
bottom:
    load 1  push 1000 add  throw
end

func catch_dive 1
    try handler
        load 0  load 0  call dive 2
        ret
    endtry
handler:
    push 1 add  ret
end

; the sum over i in [-5, 5) of 120 / i, where 120 / 0 counts as the error code (-1)
func divisions 0
    push -5 store 0  push 0 store 1
loop:
    load 0 push 5 lt  jz done
    try caught
        push 120 load 0 div
    endtry
    jmp accumulate
caught:
    dup print
accumulate:
    load 1 add store 1
    load 0 push 1 add store 0
    jmp loop
done:
    load 1 ret
end

; i from 0 to n - 1: every third one throws i inside a call; sum what the handler gets
func maybe_throw 1
    load 0 push 3 mod  jz yes
    push 0 ret
yes:
    load 0 throw
end
func throw_loop 1
    push 0 store 1  push 0 store 2
loop:
    load 1 load 0 lt  jz done
    try caught
        load 1 call maybe_throw 1 drop
        push 0
    endtry
    jmp next
caught:
    push 1 add
next:
    load 2 add store 2
    load 1 push 1 add store 1
    jmp loop
done:
    load 2 ret
end

; a handler that throws on: the outer try sees 10 * the inner value
func rethrow_in_handler 0
    try outer
        try inner
            push 7 throw
        endtry
inner:
        push 10 mul throw
    endtry
outer:
    push 1 add  ret
end

; every level has a try whose handlers do not match a call-depth error
func runaway 1
    try handler
        load 0 push 1 add  call runaway 1  ret
    endtry
handler:
    ret
end

func fill 0
loop:
    push 1  jmp loop
end

func underflow 0
    push 1 add ret
end

func uncaught 1
    load 0 load 0 call dive 2 ret
end

func stray_endtry 0
    endtry
end
)";

static const char *const bad_programs[] = {
    "func f 0\n  push 1\n  jump 3\nend\n",
    "func f 0\n  push 1\n  jz nowhere\n  ret\nend\n",
    "func f 0\n  call g 0\n  ret\nend\n",
    "func f x\n  ret\nend\n",
    "func f 0\n  push 12a\nend\n",
    "func f 0\n  push 1\n",
};

static void run(const Module &m, const char *name, long long arg) {
    int before_made = contexts_made, before_handlers = handlers_run;
    printf("%s(%lld)\n", name, arg);
    try {
        int fn = m.find(name);
        if (fn < 0)
            throw AsmError(0, "no function", name);
        long long args[1] = {arg};
        printf("  = %lld\n", call(m, fn, args, 0));
    } catch (VmThrow &t) {
        printf("  uncaught vm throw %lld\n", t.value);
    } catch (StackError &e) {
        printf("  %s: %s\n", e.kind(), e.msg);
    } catch (Error &e) {
        printf("  %s: %s\n", e.kind(), e.msg);
    }
    printf("  calls %d, handlers run %d, contexts alive %d\n", contexts_made - before_made,
           handlers_run - before_handlers, contexts_alive);
}

int main() {
    static Module m;
    try {
        Assembler(m, program).assemble();
    } catch (AsmError &e) {
        printf("the program does not assemble: line %d: %s\n", e.line, e.msg);
        return 1;
    }
    printf("assembled %d functions\n", m.count);
    for (const char *text : bad_programs) {
        static Module scratch;
        scratch.count = 0;
        try {
            Assembler(scratch, text).assemble();
            printf("bad program assembled?\n");
        } catch (const Error &e) {
            printf("%s at line %d: %s\n", e.kind(), static_cast<const AsmError &>(e).line, e.msg);
        }
    }
    run(m, "fact", 20);
    run(m, "catch_dive", 5);
    run(m, "catch_dive", 300);
    run(m, "divisions", 0);
    run(m, "throw_loop", 1000);
    run(m, "rethrow_in_handler", 0);
    run(m, "runaway", 0);
    run(m, "fill", 0);
    run(m, "underflow", 0);
    run(m, "uncaught", 150);
    run(m, "stray_endtry", 0);
    printf("contexts made %d, alive %d, handlers run %d\n", contexts_made, contexts_alive, handlers_run);
    return contexts_alive == 0 ? 0 : 1;
}
