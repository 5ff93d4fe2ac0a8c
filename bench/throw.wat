;; bench/throw.wat: the cost of a wasm exception thrown ten frames below its handler.
;; `_start` runs 200,000 rounds: $down recurses ten frames (each adds to its i32 argument), the
;; innermost throws $e with the sum, the try_table in $round catches it; a wrong sum traps.
;; Run: wasmoon run bench/throw.wat; wasmtime run -W exceptions=y bench/throw.wat.
(module
  (tag $e (param i32))
  (func $down (param $depth i32) (param $sum i32)
    (if (i32.eqz (local.get $depth)) (then (throw $e (local.get $sum))))
    (call $down (i32.sub (local.get $depth) (i32.const 1)) (i32.add (local.get $sum) (local.get $depth))))
  (func $round (param $i i32) (result i32)
    (block $caught (result i32)
      (try_table (catch $e $caught)
        (call $down (i32.const 10) (local.get $i)))
      (unreachable)))
  (func (export "_start")
    (local $i i32) (local $check i32)
    (loop $rounds
      ;; 10 + 9 + ... + 1 = 55 added on the way down
      (if (i32.ne (call $round (local.get $i)) (i32.add (local.get $i) (i32.const 55))) (then (unreachable)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $rounds (i32.lt_u (local.get $i) (i32.const 200000))))))
