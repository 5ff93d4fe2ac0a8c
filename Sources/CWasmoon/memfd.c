// An anonymous in-memory file for dual-mapped JIT code (see CodeSpace.swift).
#define _GNU_SOURCE
#include "CWasmoon.h"

#include <errno.h>
#include <unistd.h>
#if defined(__linux__)
#include <sys/mman.h>
#include <sys/syscall.h>
#endif

int wasmoon_memfd_create(const char *name) {
#if defined(__linux__) && defined(SYS_memfd_create)
    return (int)syscall(SYS_memfd_create, name, 1u /* MFD_CLOEXEC */);
#else
    (void)name;
    errno = ENOSYS;
    return -1;
#endif
}
