;; Creates `hello.txt` in the first preopened directory (fd 3), writes a line to it,
;; reads it back and prints it. Any WASI error ends the run with proc_exit(errno).
;;   wasmoon run --dir /tmp/demo::/ examples/files.wat   →   written and read back: Hello, file!
;;   wasmoon run examples/files.wat; echo $?              →   8 (EBADF: no preopen)
(module
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param $dirfd i32) (param $dirflags i32) (param $path i32) (param $path_len i32)
      (param $oflags i32) (param $rights i64) (param $inheriting i64) (param $fdflags i32)
      (param $fd_out i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_seek" (func $fd_seek (param i32 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func $fd_close (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  ;; 0: iovec, 8: fd, 12: byte count, 16: offset (u64), 64: name, 96: label, 128: text, 1024: buffer
  (memory (export "memory") 1)
  (data (i32.const 64) "hello.txt")
  (data (i32.const 96) "written and read back: ")
  (data (i32.const 128) "Hello, file!\n")

  (func $check (param $errno i32)
    (if (local.get $errno) (then (call $proc_exit (local.get $errno)))))

  ;; fd_write(fd, one iovec {ptr, len}); returns the bytes written.
  (func $write (param $fd i32) (param $ptr i32) (param $len i32) (result i32)
    (i32.store (i32.const 0) (local.get $ptr))
    (i32.store (i32.const 4) (local.get $len))
    (call $check (call $fd_write (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 12)))
    (i32.load (i32.const 12)))

  (func (export "_start")
    (local $fd i32)
    (local $n i32)
    ;; oflags CREAT|TRUNC = 9; rights fd_read|fd_seek|fd_tell|fd_write = 2|4|32|64
    (call $check (call $path_open (i32.const 3) (i32.const 0) (i32.const 64) (i32.const 9)
      (i32.const 9) (i64.const 102) (i64.const 0) (i32.const 0) (i32.const 8)))
    (local.set $fd (i32.load (i32.const 8)))
    (drop (call $write (local.get $fd) (i32.const 128) (i32.const 13)))
    ;; back to the start (whence SET = 0), then read what is there
    (call $check (call $fd_seek (local.get $fd) (i64.const 0) (i32.const 0) (i32.const 16)))
    (i32.store (i32.const 0) (i32.const 1024))
    (i32.store (i32.const 4) (i32.const 1024))
    (call $check (call $fd_read (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 12)))
    (local.set $n (i32.load (i32.const 12)))
    (call $check (call $fd_close (local.get $fd)))
    (drop (call $write (i32.const 1) (i32.const 96) (i32.const 23)))
    (drop (call $write (i32.const 1) (i32.const 1024) (local.get $n)))))
