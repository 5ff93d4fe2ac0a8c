;; f64 matrix multiply C = A × B of 64×64 matrices in linear memory, $n times.
;; C is not stored: the trace of C is accumulated instead; returns it truncated to i32.
(module
  (memory 1)
  (func (export "run") (param $n i32) (result i32)
    (local $rep i32) (local $i i32) (local $j i32) (local $k i32) (local $sum f64) (local $t f64)
    ;; A[i][j] = i + j at 0, B[i][j] = i - 2j at 32768 (64 * 64 * 8 bytes each).
    (local.set $i (i32.const 0))
    (loop $fi
      (local.set $j (i32.const 0))
      (loop $fj
        (f64.store (i32.shl (i32.add (i32.shl (local.get $i) (i32.const 6)) (local.get $j)) (i32.const 3))
          (f64.convert_i32_s (i32.add (local.get $i) (local.get $j))))
        (f64.store offset=32768 (i32.shl (i32.add (i32.shl (local.get $i) (i32.const 6)) (local.get $j)) (i32.const 3))
          (f64.convert_i32_s (i32.sub (local.get $i) (i32.shl (local.get $j) (i32.const 1)))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br_if $fj (i32.lt_u (local.get $j) (i32.const 64))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $fi (i32.lt_u (local.get $i) (i32.const 64))))
    (loop $repeat
      (local.set $i (i32.const 0))
      (loop $li
        (local.set $j (i32.const 0))
        (loop $lj
          (local.set $sum (f64.const 0))
          (local.set $k (i32.const 0))
          (loop $lk
            (local.set $sum
              (f64.add (local.get $sum)
                (f64.mul
                  (f64.load (i32.shl (i32.add (i32.shl (local.get $i) (i32.const 6)) (local.get $k)) (i32.const 3)))
                  (f64.load offset=32768 (i32.shl (i32.add (i32.shl (local.get $k) (i32.const 6)) (local.get $j)) (i32.const 3))))))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br_if $lk (i32.lt_u (local.get $k) (i32.const 64))))
          (if (i32.eq (local.get $i) (local.get $j))
            (then (local.set $t (f64.add (local.get $t) (local.get $sum)))))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br_if $lj (i32.lt_u (local.get $j) (i32.const 64))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $li (i32.lt_u (local.get $i) (i32.const 64))))
      (local.set $rep (i32.add (local.get $rep) (i32.const 1)))
      (br_if $repeat (i32.lt_u (local.get $rep) (local.get $n))))
    (i32.trunc_sat_f64_s (local.get $t))))
