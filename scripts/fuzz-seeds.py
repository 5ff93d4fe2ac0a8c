#!/usr/bin/env python3
"""Seed corpora for the fuzz targets, from the spec test suite's .wast scripts.

    scripts/fuzz-seeds.py OUT_DIR SCRIPT.wast...

Every `(module ...)` form of the scripts, at any depth (so the modules of
assert_invalid, assert_malformed, assert_unlinkable, ... too), becomes a seed:

  OUT_DIR/wat/   text modules as written, and `(module quote ...)` put back together
  OUT_DIR/wasm/  `(module binary ...)` bytes (text modules are turned into binaries
                 later, by running FuzzWAT with WASMOON_FUZZ_EMIT_WASM; see scripts/fuzz)
  OUT_DIR/wat.dict   a libFuzzer dictionary of the keywords of the text modules
  OUT_DIR/wasm.dict  a libFuzzer dictionary of binary-format tokens

Nothing here is copied into the repository: OUT_DIR is generated at run time.
"""
import collections
import hashlib
import os
import re
import sys


def tokens(src):
    """Yields (kind, start, end) tokens: '(' ')' 'str' 'atom'. Skips comments."""
    i, n = 0, len(src)
    while i < n:
        c = src[i]
        if c in ' \t\r\n':
            i += 1
        elif src.startswith(';;', i):
            j = src.find('\n', i)
            i = n if j < 0 else j + 1
        elif src.startswith('(;', i):
            depth, i = 1, i + 2
            while i < n and depth:
                if src.startswith('(;', i):
                    depth, i = depth + 1, i + 2
                elif src.startswith(';)', i):
                    depth, i = depth - 1, i + 2
                else:
                    i += 1
        elif c == '(':
            yield '(', i, i + 1
            i += 1
        elif c == ')':
            yield ')', i, i + 1
            i += 1
        elif c == '"':
            j = i + 1
            while j < n and src[j] != '"':
                j += 2 if src[j] == '\\' else 1
            yield 'str', i, j + 1
            i = j + 1
        else:
            j = i
            while j < n and src[j] not in ' \t\r\n()";':
                j += 1
            yield 'atom', i, max(j, i + 1)
            i = max(j, i + 1)


def string_bytes(lit):
    """The bytes of a WAT string literal (with its quotes)."""
    s, out, i = lit[1:-1], bytearray(), 0
    while i < len(s):
        c = s[i]
        if c != '\\':
            out += c.encode('utf-8')
            i += 1
            continue
        e = s[i + 1]
        if e in 'nrt\\\'"':
            out += {'n': b'\n', 'r': b'\r', 't': b'\t', '\\': b'\\', "'": b"'", '"': b'"'}[e]
            i += 2
        elif e == 'u':
            j = s.index('}', i)
            out += chr(int(s[i + 3:j], 16)).encode('utf-8', 'surrogatepass')
            i = j + 1
        else:
            out.append(int(s[i + 1:i + 3], 16))
            i += 3
    return bytes(out)


def modules(src):
    """Yields ('wat', text) and ('wasm', bytes) for every module form in a script."""
    toks = list(tokens(src))
    stack = []  # indices into toks of open parens
    for k, (kind, a, b) in enumerate(toks):
        if kind == '(':
            stack.append(k)
        elif kind == ')' and stack:
            open_k = stack.pop()
            head = toks[open_k + 1] if open_k + 1 < len(toks) else None
            if not head or head[0] != 'atom' or src[head[1]:head[2]] != 'module':
                continue
            body = toks[open_k + 2:k]
            atoms = [src[x:y] for (t, x, y) in body[:3] if t == 'atom']
            strings = [src[x:y] for (t, x, y) in body if t == 'str']
            if 'binary' in atoms:
                yield 'wasm', b''.join(string_bytes(s) for s in strings)
            elif 'quote' in atoms:
                text = b' '.join(string_bytes(s) for s in strings)
                yield 'wat', b'(module ' + text + b')'
            elif 'definition' in atoms or 'instance' in atoms:
                continue
            else:
                yield 'wat', src[toks[open_k][1]:b].encode('utf-8')


def write(directory, data, suffix):
    name = hashlib.sha1(data).hexdigest()[:16] + suffix
    with open(os.path.join(directory, name), 'wb') as f:
        f.write(data)


def dict_entry(data):
    return '"' + ''.join(
        chr(c) if 0x20 <= c < 0x7F and chr(c) not in '"\\' else '\\x%02X' % c for c in data) + '"'


# Binary-format tokens: the header, section ids with small sizes, type constructors,
# common opcodes and prefixes.
WASM_TOKENS = [
    b'\x00asm\x01\x00\x00\x00', b'\x00asm', b'\x01\x00\x00\x00',
    b'\x60\x00\x00', b'\x60\x01\x7f\x01\x7f', b'\x7f', b'\x7e', b'\x7d', b'\x7c', b'\x70', b'\x6f', b'\x40',
    b'\x0b', b'\x00\x0b', b'\x41\x00', b'\x42\x00', b'\x20\x00', b'\x21\x00', b'\x23\x00', b'\x10\x00',
    b'\x11\x00\x00', b'\x0e\x01\x00\x00', b'\x02\x40', b'\x03\x40', b'\x04\x40', b'\x05', b'\x0c\x00', b'\x0d\x00',
    b'\xd0\x70', b'\xd2\x00', b'\xfc\x08\x00\x00', b'\xfc\x09\x00', b'\xfc\x0a\x00\x00', b'\xfc\x0b\x00',
    b'\xfc\x0c\x00\x00', b'\x28\x02\x00', b'\x36\x02\x00', b'\x3f\x00', b'\x40\x00', b'\x1c\x01\x7f',
    b'\x12\x00', b'\x13\x00\x00', b'\x04name', b'\x80\x80\x80\x80\x00', b'\xff\xff\xff\xff\x0f',
] + [bytes([sid]) for sid in range(13)]


def main():
    out, scripts = sys.argv[1], sys.argv[2:]
    for sub in ('wat', 'wasm'):
        os.makedirs(os.path.join(out, sub), exist_ok=True)
    counts = collections.Counter()
    words = collections.Counter()
    for path in scripts:
        with open(path, encoding='utf-8', errors='surrogateescape') as f:
            src = f.read()
        try:
            found = list(modules(src))
        except (ValueError, IndexError) as e:
            print(f'fuzz-seeds: skipping {path}: {e}', file=sys.stderr)
            continue
        for kind, data in found:
            if kind == 'wat':
                try:
                    data.decode('utf-8')
                except UnicodeDecodeError:
                    continue
                words.update(re.findall(rb'[a-z][a-z0-9_.]*[a-z0-9]', data))
                write(os.path.join(out, 'wat'), data, '.wat')
            else:
                write(os.path.join(out, 'wasm'), data, '.wasm')
            counts[kind] += 1
    with open(os.path.join(out, 'wat.dict'), 'w') as f:
        for word, _ in words.most_common(400):
            f.write(dict_entry(word) + '\n')
        for extra in (b'(', b')', b'$', b'"', b';;', b'(;', b';)', b'0x', b'nan:0x', b'inf', b'-0'):
            f.write(dict_entry(extra) + '\n')
    with open(os.path.join(out, 'wasm.dict'), 'w') as f:
        for token in WASM_TOKENS:
            f.write(dict_entry(token) + '\n')
    print(f"fuzz-seeds: {counts['wat']} text and {counts['wasm']} binary modules from {len(scripts)} scripts "
          f"({len(os.listdir(os.path.join(out, 'wat')))} and {len(os.listdir(os.path.join(out, 'wasm')))} distinct)")


if __name__ == '__main__':
    main()
