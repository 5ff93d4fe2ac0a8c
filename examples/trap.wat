;; A trap with a backtrace: integer division by zero two calls deep.
;;   wasmoon run --invoke average examples/trap.wat 10 0
;; exits with status 134 after printing on stderr
;;   error: wasm trap: integer divide by zero
;; and one backtrace line per frame ($divide, then $average).
(module
  (func $divide (param $a i32) (param $b i32) (result i32)
    (i32.div_s (local.get $a) (local.get $b)))
  (func $average (export "average") (param $sum i32) (param $count i32) (result i32)
    (call $divide (local.get $sum) (local.get $count))))
