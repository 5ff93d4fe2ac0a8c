#!/usr/bin/env python3
"""oracle.py: runs a WASI command module under Wasmtime with the exception-handling proposal
enabled, through the `wasmtime` PyPI package (tests/requirements.txt), and passes its exit
code through (134 on a trap, message on stderr).

  python3 tests/exception-programs/oracle.py PROGRAM.new.wasm [ARGS...]

The second oracle next to the native CLI (`wasmtime run -W exceptions=y`): build.sh --expected
writes expected/ with the CLI and checks that this one prints the same.
"""
import os
import sys

import wasmtime


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: oracle.py FILE.wasm [ARGS...]")
    path = sys.argv[1]
    config = wasmtime.Config()
    config.wasm_exceptions = True
    engine = wasmtime.Engine(config)
    module = wasmtime.Module.from_file(engine, path)
    wasi = wasmtime.WasiConfig()
    wasi.argv = [os.path.basename(path)] + sys.argv[2:]
    wasi.inherit_stdout()
    wasi.inherit_stderr()
    store = wasmtime.Store(engine)
    store.set_wasi(wasi)
    linker = wasmtime.Linker(engine)
    linker.define_wasi()
    try:
        instance = linker.instantiate(store, module)
        instance.exports(store)["_start"](store)
    except wasmtime.ExitTrap as e:
        return e.code
    except wasmtime.Trap as e:
        sys.stderr.write("oracle.py: trap: %s\n" % e)
        return 134
    except wasmtime.WasmtimeError as e:
        sys.stderr.write("oracle.py: %s\n" % e)
        return 134
    return 0


if __name__ == "__main__":
    sys.exit(main())
