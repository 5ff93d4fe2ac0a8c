;; The interpreter's handler for i8x16.bitmask does not tail-call the next handler: every
;; execution leaves a native stack frame until the run ends, so a loop that runs it often
;; enough overflows the native stack (SIGSEGV, exit 139).
;;   wasmoon run --no-jit --invoke run interp-handler-stack.wat 1000      -> 32767500
;;   wasmoon run --no-jit --invoke run interp-handler-stack.wat 1000000   -> SIGSEGV (exit 139)
;;   Wasmtime and wasmoon's JIT, N = 1000000                               -> -1592238368
;; (v alternates between all-ones and zero: the result is 65535 * ceil(N / 2) as an i32.)
;; handler-stack-check.py runs every SIMD instruction in such a loop and lists the ones that crash.
(module
  (func (export "run") (param $n i32) (result i32)
    (local $v v128) (local $acc i32)
    (loop $l
      (local.set $v (i8x16.eq (local.get $v) (v128.const i32x4 0 0 0 0)))
      (local.set $acc (i32.add (local.get $acc) (i8x16.bitmask (local.get $v))))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $acc)))
