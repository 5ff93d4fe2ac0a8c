;; Integer loop arithmetic: a multiply-xor-shift mix over a counter, i32 and i64.
(module
  (func (export "run") (param $n i32) (result i32)
    (local $i i32) (local $acc i32) (local $wide i64)
    (local.set $acc (i32.const 7))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $acc
          (i32.add
            (i32.mul (local.get $acc) (i32.const 31))
            (i32.xor (local.get $i) (i32.shr_u (local.get $i) (i32.const 3)))))
        (local.set $wide
          (i64.add (local.get $wide)
            (i64.extend_i32_u (i32.and (local.get $acc) (i32.const 0xFFFF)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (i32.xor (local.get $acc) (i32.wrap_i64 (local.get $wide)))))
