;; A module with a start function and no `_start`: `wasmoon run examples/start.wat`
;; instantiates it, which runs $init (here it traps: `unreachable`, exit status 134).
(module
  (func $init unreachable)
  (start $init))
