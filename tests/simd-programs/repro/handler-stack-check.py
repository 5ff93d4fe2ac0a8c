#!/usr/bin/env python3
"""Runs every SIMD instruction 1,000,000 times in a loop inside one call on wasmoon's
interpreter and lists those whose run fails (a handler that does not tail-call the next one
keeps a native frame per execution and overflows the stack: SIGSEGV, exit -11).

  handler-stack-check.py [WASMOON] [N=1000000]
"""
import os, re, subprocess, sys, tempfile
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
WASMOON = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, 'wasmoon')
N = sys.argv[2] if len(sys.argv) > 2 else '1000000'
SPEC = os.path.join(ROOT, 'Sources/WasmCore/Generated/VectorOps.swift')
names = sorted(set(re.findall(r'"((?:v128|i8x16|i16x8|i32x4|i64x2|f32x4|f64x2)\.[a-z0-9_]+)"', open(SPEC).read())))
ops = names + ['i8x16.shuffle', 'v128.const'] + \
  ['v128.load','v128.load8x8_s','v128.load8x8_u','v128.load16x4_s','v128.load16x4_u','v128.load32x2_s','v128.load32x2_u',
   'v128.load8_splat','v128.load16_splat','v128.load32_splat','v128.load64_splat','v128.load32_zero','v128.load64_zero','v128.store']
def scalar(op):
    if op.startswith('f32x4'): return 'f32', '(f32.const 1.5)'
    if op.startswith('f64x2'): return 'f64', '(f64.const 1.5)'
    if op.startswith('i64x2'): return 'i64', '(i64.const 7)'
    return 'i32', '(i32.const 7)'
V = '(local.get $v)'; W = '(local.get $w)'
def body(op):
    t, s = scalar(op)
    if re.search(r'\.(bitmask|all_true|any_true)$', op): return f'(local.set $acc (i32.add (local.get $acc) ({op} {V})))'
    if 'extract_lane' in op:
        e = f'({op} 1 {V})'
        e = {'i64': f'(i32.wrap_i64 {e})', 'f32': f'(i32.trunc_sat_f32_s {e})', 'f64': f'(i32.trunc_sat_f64_s {e})'}.get(t, e)
        return f'(local.set $acc (i32.add (local.get $acc) {e}))'
    if 'replace_lane' in op: return f'(local.set $v ({op} 1 {V} {s}))'
    if op.endswith('.splat'): return f'(local.set $v ({op} {s}))'
    if re.search(r'\.(shl|shr_s|shr_u)$', op): return f'(local.set $v ({op} {V} (i32.const 3)))'
    if op == 'i8x16.shuffle': return f'(local.set $v (i8x16.shuffle 1 0 3 2 5 4 7 6 9 8 11 10 13 12 15 31 {V} {W}))'
    if op == 'v128.const': return f'(local.set $v (v128.xor {V} (v128.const i32x4 1 2 3 4)))'
    if op == 'v128.store': return f'(v128.store offset=16 (i32.const 0) {V})'
    if re.search(r'store\d+_lane', op): return f'({op} offset=16 1 (i32.const 0) {V})'
    if re.search(r'load\d+_lane', op): return f'(local.set $v ({op} offset=16 1 (i32.const 0) {V}))'
    if op.startswith('v128.load'): return f'(local.set $v ({op} offset=16 (i32.const 0)))'
    if re.search(r'bitselect|madd|nmadd|laneselect|dot_i8x16_i7x16_add', op): return f'(local.set $v ({op} {V} {W} {V}))'
    if re.search(r'\.(not|abs|neg|popcnt|sqrt|ceil|floor|trunc|nearest)$|extend|convert|trunc_sat|relaxed_trunc|demote|promote|extadd', op):
        return f'(local.set $v ({op} {V}))'
    return f'(local.set $v ({op} {V} {W}))'
bad = []
for op in ops:
    wat = f'''(module (memory 1)
  (func (export "run") (param $n i32) (result i32)
    (local $v v128) (local $w v128) (local $acc i32)
    (local.set $w (v128.const i32x4 3 5 7 9))
    (loop $l
      {body(op)}
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $acc)))'''
    with tempfile.NamedTemporaryFile('w', suffix='.wat', delete=False) as f:
        f.write(wat)
    r = subprocess.run([WASMOON, 'run', '--no-jit', '--invoke', 'run', f.name, N], capture_output=True, text=True,
                       env=dict(os.environ, SWIFT_BACKTRACE='enable=no'))
    os.unlink(f.name)
    if r.returncode != 0:
        bad.append((op, r.returncode))
print(len(set(ops)), 'instructions run', N, 'times each;', len(bad), 'failed:')
for op, code in bad: print('  %-36s exit %d' % (op, code))
sys.exit(1 if bad else 0)
