// minicxxrt.cpp: a small C++ exception runtime for wasm32 code compiled with clang's
// -fwasm-exceptions (either legacy try/catch/delegate/rethrow or new try_table/exnref: the
// runtime side is the same). Written for the programs in this folder, as a stand-in for
// libc++abi + libunwind, which Debian's wasm32 packages build without exception support.
//
// The protocol, as clang/LLVM generate code for it:
//   * `throw X` calls __cxa_allocate_exception(sizeof X), constructs X there, then
//     __cxa_throw(object, &typeinfo(X), destructor). We throw the Wasm tag __cpp_exception
//     (tag index 0 of __builtin_wasm_throw) with one i32 payload: a pointer to our Header.
//   * A landing pad with catch clauses catches that tag, stores its landing-pad index and the
//     function's LSDA address into the global __wasm_lpad_context, and calls
//     _Unwind_CallPersonality(payload). We decode the LSDA, test the catch clauses in order and
//     store the number of the matching clause (its type-table index, "selector") in
//     __wasm_lpad_context.selector, or 0 if none matches; the generated code then branches on
//     the selector, or rethrows the Wasm exception to the next enclosing handler.
//   * The matching catch block calls __cxa_begin_catch(payload), which returns the (adjusted)
//     address of the object, or the pointer value itself for a pointer catch; leaving the
//     block calls __cxa_end_catch(). `throw;` calls __cxa_rethrow().
//   * Cleanup-only landing pads (destructors of locals) catch all, run the cleanups and
//     rethrow; they never call into this file.
// Wasm has no two-phase unwinding: an exception that nothing catches reaches the embedder
// (a trap there), without std::terminate.
//
// Not supported (not needed by these programs): exception specifications (dynamic throw()
// lists), ambiguous-base detection, pointer-to-member catches, threads (no thread_local
// state), foreign (non-C++) exceptions, std::exception_ptr, std::bad_alloc (a failed
// allocation terminates).
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// ---------------------------------------------------------------------------------------
// RTTI. Clang emits a typeinfo object for each thrown or caught type whose first word is a
// pointer into the vtable of one of the __cxxabiv1 classes below (e.g. for `struct D : B`,
// `_ZTI1D = { &vtable(__si_class_type_info)[2], "1D", &_ZTI1B }`). The layouts of the
// fields are fixed by the Itanium C++ ABI; the virtual functions are ours (only this file
// calls them). Defining __fundamental_type_info's key function (its destructor) makes clang
// emit the typeinfo of every fundamental type T, T* and const T* in this file (`int`,
// `const char*`, ...), as the ABI asks of the runtime library.

namespace __cxxabiv1 { class __class_type_info; }

namespace std {
class type_info {
public:
    virtual ~type_info();
    const char *name() const { return type_name; }
    // What kind of type this is, so that matching can look at the right fields.
    enum Kind { Other, Class, Pointer };
    virtual Kind kind() const { return Other; }
    // Class types: is `target` this class or one of its public bases? If so, adjust `obj`
    // (an object of this class) to point to that base subobject.
    virtual bool find_base(const __cxxabiv1::__class_type_info *, void *&) const { return false; }
protected:
    const char *type_name;
};
[[noreturn]] void terminate() noexcept;
} // namespace std

namespace __cxxabiv1 {

// Two typeinfos describe the same type when they are the same object, or (should a type's
// typeinfo exist twice) when their mangled names are equal.
static bool same_type(const std::type_info *a, const std::type_info *b) {
    return a == b || strcmp(a->name(), b->name()) == 0;
}

class __fundamental_type_info : public std::type_info {
public:
    ~__fundamental_type_info() override;
};
class __enum_type_info : public std::type_info {
public:
    ~__enum_type_info() override;
};

class __class_type_info : public std::type_info {
public:
    ~__class_type_info() override;
    Kind kind() const override { return Class; }
    bool find_base(const __class_type_info *target, void *&) const override {
        return same_type(this, target);
    }
};

// A class with one public, non-virtual base at offset 0.
class __si_class_type_info : public __class_type_info {
public:
    ~__si_class_type_info() override;
    bool find_base(const __class_type_info *target, void *&obj) const override {
        return same_type(this, target) || base_type->find_base(target, obj);
    }
    const __class_type_info *base_type;
};

struct __base_class_type_info {
    const __class_type_info *base_type;
    long offset_flags; // offset << 8 | flags
    enum { virtual_mask = 1, public_mask = 2, offset_shift = 8 };
};

// Any other class with bases (multiple, virtual or non-public ones).
class __vmi_class_type_info : public __class_type_info {
public:
    ~__vmi_class_type_info() override;
    bool find_base(const __class_type_info *target, void *&obj) const override {
        if (same_type(this, target))
            return true;
        for (unsigned i = 0; i < base_count; i++) {
            const __base_class_type_info &b = base_info[i];
            if (!(b.offset_flags & __base_class_type_info::public_mask))
                continue;
            long offset = b.offset_flags >> __base_class_type_info::offset_shift;
            void *sub = obj;
            if (obj) {
                if (b.offset_flags & __base_class_type_info::virtual_mask) {
                    // The offset of a virtual base is stored in the vtable, at `offset`.
                    const char *vtable = *static_cast<const char *const *>(obj);
                    offset = *reinterpret_cast<const long *>(vtable + offset);
                }
                sub = static_cast<char *>(obj) + offset;
            }
            if (b.base_type->find_base(target, sub)) {
                obj = sub;
                return true;
            }
        }
        return false;
    }
    unsigned flags;
    unsigned base_count;
    __base_class_type_info base_info[1];
};

class __pbase_type_info : public std::type_info {
public:
    ~__pbase_type_info() override;
    enum { const_mask = 1, volatile_mask = 2, restrict_mask = 4 };
    unsigned flags;
    const std::type_info *pointee;
};

class __pointer_type_info : public __pbase_type_info {
public:
    ~__pointer_type_info() override;
    Kind kind() const override { return Pointer; }
};

// The key functions: each definition makes clang emit that class's vtable here.
__fundamental_type_info::~__fundamental_type_info() {}
__enum_type_info::~__enum_type_info() {}
__class_type_info::~__class_type_info() {}
__si_class_type_info::~__si_class_type_info() {}
__vmi_class_type_info::~__vmi_class_type_info() {}
__pbase_type_info::~__pbase_type_info() {}
__pointer_type_info::~__pointer_type_info() {}

// Does a handler for `caught` catch an exception object of type `thrown` at address `obj`?
// On success `obj` becomes what __cxa_begin_catch must return: the address of the (base)
// object for a class or reference catch, the pointer value itself for a pointer catch.
// A null `caught` is catch (...).
static bool can_catch(const std::type_info *caught, const std::type_info *thrown, void *&obj) {
    if (!caught)
        return true;
    bool thrown_is_pointer = thrown->kind() == std::type_info::Pointer;
    if (same_type(caught, thrown)) {
        if (thrown_is_pointer)
            obj = *static_cast<void **>(obj);
        return true;
    }
    if (caught->kind() == std::type_info::Class && thrown->kind() == std::type_info::Class)
        return thrown->find_base(static_cast<const __class_type_info *>(caught), obj);
    if (caught->kind() == std::type_info::Pointer && thrown_is_pointer) {
        auto c = static_cast<const __pointer_type_info *>(caught);
        auto t = static_cast<const __pointer_type_info *>(thrown);
        // A handler may add const/volatile to the pointee (char* -> const char*), never drop it.
        if (t->flags & ~c->flags & (__pbase_type_info::const_mask | __pbase_type_info::volatile_mask))
            return false;
        void *value = *static_cast<void **>(obj);
        if (same_type(c->pointee, t->pointee)) {
            obj = value;
            return true;
        }
        // Derived* -> Base*.
        if (c->pointee->kind() == std::type_info::Class && t->pointee->kind() == std::type_info::Class) {
            if (!t->pointee->find_base(static_cast<const __class_type_info *>(c->pointee), value))
                return false;
            obj = value;
            return true;
        }
        // Any object pointer -> void*.
        if (strcmp(c->pointee->name(), "v") == 0) {
            obj = value;
            return true;
        }
    }
    return false;
}

} // namespace __cxxabiv1

using namespace __cxxabiv1;

// ---------------------------------------------------------------------------------------
// Exception objects. Each thrown object lives right after a Header, in one heap block; the
// address of the Header is the payload of the Wasm exception.

namespace {
struct alignas(16) Header {
    const std::type_info *type;
    void *(*destructor)(void *); // in the Wasm C++ ABI, destructors return `this`
    void *adjusted;              // what __cxa_begin_catch returns (set by the personality)
    Header *next_caught;         // the stack of exceptions being handled
    int handler_count;           // catch blocks active for this exception
    bool rethrown;               // `throw;` sent it on: the last __cxa_end_catch keeps it
};

void *object_of(Header *h) { return h + 1; }
Header *header_of(void *obj) { return static_cast<Header *>(obj) - 1; }

Header *caught_stack; // innermost exception being handled first

void destroy(Header *h) {
    if (h->destructor)
        h->destructor(object_of(h));
    free(h);
}

[[noreturn]] void fatal(const char *what) {
    fprintf(stderr, "minicxxrt: %s\n", what);
    abort();
}
} // namespace

// The landing-pad context that generated code fills in before calling the personality
// (field order fixed by LLVM's WasmEHPrepare pass: index at +0, LSDA at +4, selector at +8).
struct LandingPadContext {
    uintptr_t lpad_index;
    uintptr_t lsda;
    uintptr_t selector;
};
extern "C" LandingPadContext __wasm_lpad_context;
LandingPadContext __wasm_lpad_context;

// ---------------------------------------------------------------------------------------
// The LSDA (the function's GCC_except_table), as LLVM writes it for Wasm:
//   u8 LPStart encoding (0xff: omitted), u8 TType encoding, [uleb128 offset to the end of the
//   type table], u8 call-site encoding (uleb128), uleb128 call-site table length,
//   call-site table: one record per landing pad, in landing-pad index order:
//     uleb128 landing pad (= its index), uleb128 action (0: cleanup only, else 1 + offset
//     into the action table),
//   action table: records of sleb128 type filter (>0: catch clause, index into the type
//     table; 0: cleanup; <0: exception specification), sleb128 offset from this field to the
//     next record (0: last),
//   type table: typeinfo pointers, indexed backwards from its end (entry N at end - N*size).

namespace {
uintptr_t read_uleb(const uint8_t *&p) {
    uintptr_t v = 0;
    unsigned shift = 0;
    uint8_t byte;
    do {
        byte = *p++;
        v |= uintptr_t(byte & 0x7f) << shift;
        shift += 7;
    } while (byte & 0x80);
    return v;
}

intptr_t read_sleb(const uint8_t *&p) {
    uintptr_t v = 0;
    unsigned shift = 0;
    uint8_t byte;
    do {
        byte = *p++;
        v |= uintptr_t(byte & 0x7f) << shift;
        shift += 7;
    } while (byte & 0x80);
    if (shift < 8 * sizeof(v) && (byte & 0x40))
        v |= ~uintptr_t(0) << shift;
    return intptr_t(v);
}

enum : uint8_t { DW_EH_PE_absptr = 0x00, DW_EH_PE_udata4 = 0x03, DW_EH_PE_sdata4 = 0x0b,
                 DW_EH_PE_omit = 0xff };

// The typeinfo of catch clause `index` (1-based).
const std::type_info *catch_type(const uint8_t *type_table_end, uint8_t encoding, intptr_t index) {
    if (encoding != DW_EH_PE_absptr && encoding != DW_EH_PE_udata4 && encoding != DW_EH_PE_sdata4)
        fatal("unsupported type table encoding");
    uint32_t address;
    memcpy(&address, type_table_end - 4 * index, 4);
    return reinterpret_cast<const std::type_info *>(uintptr_t(address));
}
} // namespace

enum { URC_HANDLER_FOUND = 6, URC_CONTINUE_UNWIND = 8 };

extern "C" int _Unwind_CallPersonality(void *payload) {
    Header *h = static_cast<Header *>(payload);
    __wasm_lpad_context.selector = 0;
    const uint8_t *p = reinterpret_cast<const uint8_t *>(__wasm_lpad_context.lsda);
    if (!p)
        return URC_CONTINUE_UNWIND;
    if (*p++ != DW_EH_PE_omit)
        fatal("unsupported LPStart encoding");
    uint8_t type_encoding = *p++;
    const uint8_t *type_table_end = nullptr;
    if (type_encoding != DW_EH_PE_omit) {
        uintptr_t offset = read_uleb(p);
        type_table_end = p + offset;
    }
    p++; // call-site encoding: uleb128
    uintptr_t call_sites_length = read_uleb(p);
    const uint8_t *action_table = p + call_sites_length;

    // Find this landing pad's record.
    uintptr_t action = 0;
    for (uintptr_t i = 0;; i++) {
        if (p >= action_table)
            return URC_CONTINUE_UNWIND; // no record: nothing to do here
        read_uleb(p);                   // landing pad
        uintptr_t a = read_uleb(p);
        if (i == __wasm_lpad_context.lpad_index) {
            action = a;
            break;
        }
    }
    if (action == 0)
        return URC_CONTINUE_UNWIND; // cleanup only

    // Try its catch clauses in order.
    const uint8_t *a = action_table + (action - 1);
    for (;;) {
        intptr_t filter = read_sleb(a);
        const uint8_t *next_field = a;
        intptr_t next = read_sleb(a);
        if (filter > 0) {
            void *obj = object_of(h);
            if (can_catch(catch_type(type_table_end, type_encoding, filter), h->type, obj)) {
                h->adjusted = obj;
                __wasm_lpad_context.selector = uintptr_t(filter);
                return URC_HANDLER_FOUND;
            }
        }
        if (next == 0)
            return URC_CONTINUE_UNWIND;
        a = next_field + next;
    }
}

// The personality routine clang names in the IR; for Wasm the work is done above.
extern "C" int __gxx_wasm_personality_v0(...) { return URC_CONTINUE_UNWIND; }

// ---------------------------------------------------------------------------------------
// The __cxa_* entry points that generated code calls.

extern "C" {

void *__cxa_allocate_exception(size_t size) noexcept {
    size_t total = (sizeof(Header) + size + 15) & ~size_t(15);
    Header *h = static_cast<Header *>(aligned_alloc(16, total));
    if (!h)
        fatal("out of memory allocating an exception");
    memset(h, 0, sizeof *h);
    return object_of(h);
}

void __cxa_free_exception(void *obj) noexcept { free(header_of(obj)); }

[[noreturn]] void __cxa_throw(void *obj, std::type_info *type, void *(*destructor)(void *)) {
    Header *h = header_of(obj);
    h->type = type;
    h->destructor = destructor;
    h->adjusted = obj;
    __builtin_wasm_throw(0, h);
}

// For a catch by value of a class with a copy constructor: the object to copy from, before
// __cxa_begin_catch.
void *__cxa_get_exception_ptr(void *payload) noexcept {
    return static_cast<Header *>(payload)->adjusted;
}

void *__cxa_begin_catch(void *payload) noexcept {
    Header *h = static_cast<Header *>(payload);
    if (!h)
        return nullptr;
    h->rethrown = false;
    h->handler_count++;
    if (caught_stack != h) { // a rethrown exception caught inside its first handler stays put
        h->next_caught = caught_stack;
        caught_stack = h;
    }
    return h->adjusted;
}

void __cxa_end_catch() {
    Header *h = caught_stack;
    if (!h)
        return;
    if (--h->handler_count == 0) {
        caught_stack = h->next_caught;
        if (!h->rethrown)
            destroy(h);
    }
}

[[noreturn]] void __cxa_rethrow() {
    Header *h = caught_stack;
    if (!h)
        std::terminate(); // `throw;` with no exception being handled
    h->rethrown = true;
    __builtin_wasm_throw(0, h);
}

[[noreturn]] void __cxa_pure_virtual() { fatal("pure virtual function called"); }
[[noreturn]] void __cxa_deleted_virtual() { fatal("deleted virtual function called"); }

} // extern "C"

std::type_info::~type_info() {}

[[noreturn]] void std::terminate() noexcept { fatal("terminate called"); }

// ---------------------------------------------------------------------------------------
// Global new/delete (normally libc++abi's). No std::bad_alloc: out of memory terminates.

void *operator new(size_t size) {
    void *p = malloc(size ? size : 1);
    if (!p)
        fatal("out of memory in operator new");
    return p;
}
void *operator new[](size_t size) { return operator new(size); }
void operator delete(void *p) noexcept { free(p); }
void operator delete[](void *p) noexcept { free(p); }
void operator delete(void *p, size_t) noexcept { free(p); }
void operator delete[](void *p, size_t) noexcept { free(p); }
