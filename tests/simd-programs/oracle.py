#!/usr/bin/env python3
"""Runs a WASI command module under Wasmtime (the `wasmtime` PyPI package pinned in
tests/requirements.txt, Cranelift) with SIMD and relaxed SIMD in deterministic mode, the
oracle for tests/simd-programs:

  oracle.py [--expected] MODULE.wasm [ARGS...]

The guest's stdout goes to our stdout, its stderr to our stderr; the exit status is the
guest's exit code (0 when _start returns, the proc_exit code otherwise), 134 on a trap.
With --expected, a last line `exit code: N` is added to stdout: the format of
tests/simd-programs/expected/NAME.txt.
"""
import os
import sys
import tempfile

try:
    import wasmtime
except ImportError:
    sys.exit("oracle.py: the Python package 'wasmtime' is missing (pip install -r tests/requirements.txt)")


def main(argv):
    expected = False
    if argv and argv[0] == "--expected":
        expected, argv = True, argv[1:]
    if not argv:
        sys.exit(__doc__)
    path, args = argv[0], argv[1:]
    config = wasmtime.Config()
    config.wasm_simd = True
    config.wasm_relaxed_simd = True
    config.wasm_relaxed_simd_deterministic = True
    engine = wasmtime.Engine(config)
    module = wasmtime.Module.from_file(engine, path)
    linker = wasmtime.Linker(engine)
    linker.define_wasi()
    store = wasmtime.Store(engine)
    with tempfile.TemporaryDirectory() as tmp:
        out, err = os.path.join(tmp, "stdout"), os.path.join(tmp, "stderr")
        wasi = wasmtime.WasiConfig()
        wasi.argv = [os.path.basename(path)] + args
        wasi.stdout_file, wasi.stderr_file = out, err
        store.set_wasi(wasi)
        try:
            linker.instantiate(store, module).exports(store)["_start"](store)
            code = 0
        except wasmtime.ExitTrap as e:
            code = e.code
        except wasmtime.Trap as e:
            code = 134
            with open(err, "a") as f:
                f.write("oracle.py: wasm trap: %s\n" % str(e).splitlines()[0])
        del store
        with open(out, "rb") as f:
            data = f.read()
        with open(err, "rb") as f:
            sys.stderr.buffer.write(f.read())
    sys.stdout.buffer.write(data)
    if expected:
        if data and not data.endswith(b"\n"):
            sys.stdout.buffer.write(b"\n")
        sys.stdout.buffer.write(b"exit code: %d\n" % code)
    sys.stdout.flush()
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
