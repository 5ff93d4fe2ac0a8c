;; Prints the guest's arguments (argv[0] is MODULE as given), then its environment
;; (only what --env passes), one per line.
;;   wasmoon run --env GREETING=hi examples/args.wat one "two words"
;;   →   examples/args.wat / one / two words / GREETING=hi   (one per line)
(module
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_sizes_get" (func $environ_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_get" (func $environ_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  ;; 0: count, 4: buffer size, 16: two iovecs, 32: bytes written, 48: "\n";
  ;; the pointer arrays and strings go into pages grown at the end of memory.
  (memory (export "memory") 1)
  (data (i32.const 48) "\n")

  (func $check (param $errno i32)
    (if (local.get $errno) (then (call $proc_exit (local.get $errno)))))

  ;; Writes the NUL-terminated string at $ptr and a newline to stdout.
  (func $println (param $ptr i32)
    (local $end i32)
    (local.set $end (local.get $ptr))
    (block $done
      (loop $scan
        (br_if $done (i32.eqz (i32.load8_u (local.get $end))))
        (local.set $end (i32.add (local.get $end) (i32.const 1)))
        (br $scan)))
    (i32.store (i32.const 16) (local.get $ptr))
    (i32.store (i32.const 20) (i32.sub (local.get $end) (local.get $ptr)))
    (i32.store (i32.const 24) (i32.const 48))
    (i32.store (i32.const 28) (i32.const 1))
    (call $check (call $fd_write (i32.const 1) (i32.const 16) (i32.const 2) (i32.const 32))))

  ;; Room for the pointer array and the strings (sizes at 0 and 4): grows memory
  ;; and returns the address of the new pages.
  (func $alloc (result i32)
    (local $bytes i32)
    (local $pages i32)
    (local.set $bytes (i32.add (i32.mul (i32.load (i32.const 0)) (i32.const 4)) (i32.load (i32.const 4))))
    (local.set $pages (i32.add (i32.shr_u (local.get $bytes) (i32.const 16)) (i32.const 1)))
    (local.set $pages (memory.grow (local.get $pages)))
    (if (i32.eq (local.get $pages) (i32.const -1)) (then (call $proc_exit (i32.const 48)))) ;; ENOMEM
    (i32.shl (local.get $pages) (i32.const 16)))

  ;; Prints the $count strings whose pointers start at $ptrs.
  (func $print_all (param $ptrs i32)
    (local $i i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (i32.load (i32.const 0))))
        (call $println (i32.load (i32.add (local.get $ptrs) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next))))

  (func (export "_start")
    (local $ptrs i32)
    (call $check (call $args_sizes_get (i32.const 0) (i32.const 4)))
    (local.set $ptrs (call $alloc))
    (call $check (call $args_get (local.get $ptrs)
      (i32.add (local.get $ptrs) (i32.shl (i32.load (i32.const 0)) (i32.const 2)))))
    (call $print_all (local.get $ptrs))
    (call $check (call $environ_sizes_get (i32.const 0) (i32.const 4)))
    (local.set $ptrs (call $alloc))
    (call $check (call $environ_get (local.get $ptrs)
      (i32.add (local.get $ptrs) (i32.shl (i32.load (i32.const 0)) (i32.const 2)))))
    (call $print_all (local.get $ptrs))))
