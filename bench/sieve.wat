;; Sieve of Eratosthenes over 1,000,000 bytes of linear memory, repeated $n times.
;; Returns the number of primes below 1,000,000 (78498).
(module
  (memory 16)
  (func (export "run") (param $n i32) (result i32)
    (local $rep i32) (local $i i32) (local $j i32) (local $count i32)
    (loop $repeat
      ;; clear
      (memory.fill (i32.const 0) (i32.const 0) (i32.const 1000000))
      (local.set $count (i32.const 0))
      (local.set $i (i32.const 2))
      (block $done
        (loop $outer
          (br_if $done (i32.ge_u (local.get $i) (i32.const 1000000)))
          (if (i32.eqz (i32.load8_u (local.get $i)))
            (then
              (local.set $count (i32.add (local.get $count) (i32.const 1)))
              (local.set $j (i32.mul (local.get $i) (local.get $i)))
              (block $mark_done
                (br_if $mark_done (i32.gt_u (local.get $i) (i32.const 1000)))
                (loop $mark
                  (br_if $mark_done (i32.ge_u (local.get $j) (i32.const 1000000)))
                  (i32.store8 (local.get $j) (i32.const 1))
                  (local.set $j (i32.add (local.get $j) (local.get $i)))
                  (br $mark)))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $outer)))
      (local.set $rep (i32.add (local.get $rep) (i32.const 1)))
      (br_if $repeat (i32.lt_u (local.get $rep) (local.get $n))))
    (local.get $count)))
