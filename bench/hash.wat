;; xorshift32 fills 64 KiB of memory, then FNV-1a hashes it byte by byte; $n rounds.
(module
  (memory 1)
  (func (export "run") (param $n i32) (result i32)
    (local $round i32) (local $p i32) (local $x i32) (local $h i32)
    (local.set $x (i32.const 2463534242))
    (local.set $h (i32.const 2166136261))
    (loop $rounds
      ;; fill with xorshift32, 4 bytes at a time
      (local.set $p (i32.const 0))
      (loop $fill
        (local.set $x (i32.xor (local.get $x) (i32.shl (local.get $x) (i32.const 13))))
        (local.set $x (i32.xor (local.get $x) (i32.shr_u (local.get $x) (i32.const 17))))
        (local.set $x (i32.xor (local.get $x) (i32.shl (local.get $x) (i32.const 5))))
        (i32.store (local.get $p) (local.get $x))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (br_if $fill (i32.lt_u (local.get $p) (i32.const 65536))))
      ;; FNV-1a over the bytes
      (local.set $p (i32.const 0))
      (loop $hash
        (local.set $h (i32.mul (i32.xor (local.get $h) (i32.load8_u (local.get $p))) (i32.const 16777619)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br_if $hash (i32.lt_u (local.get $p) (i32.const 65536))))
      (local.set $round (i32.add (local.get $round) (i32.const 1)))
      (br_if $rounds (i32.lt_u (local.get $round) (local.get $n))))
    (local.get $h)))
