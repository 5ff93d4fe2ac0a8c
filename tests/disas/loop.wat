;; A counting loop with a local, br_if and a memory store.
(module
  (memory 1)
  (func $fill (param $n i32) (local $i i32)
    (loop $top
      (i32.store8 (local.get $i) (i32.const 1))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $top (i32.lt_u (local.get $i) (local.get $n))))))
;; ---- JIT listing (wasmoon explore; WASMOON_BLESS=1 swift test rewrites it) ----
;; function 0 'fill' (i32) -> (): 76 bytes
;; func0:
;;    170  55                             push rbp
;;    171  48 89 e5                       mov rbp, rsp
;;    174  48 8d a5 b0 ff ff ff           lea rsp, [rbp - 0x50]
;;    17b  49 3b 65 00                    cmp rsp, qword ptr [r13]
;;    17f  0f 82 2d 00 00 00              jb trap_callStackExhausted
;;    185  48 c7 45 c8 00 00 00 00        mov qword ptr [rbp - 0x38], 0
;;    18d  48 89 5d e8                    mov qword ptr [rbp - 0x18], rbx
;;    191  4c 89 65 e0                    mov qword ptr [rbp - 0x20], r12
;;    195  44 8b 65 10                    mov r12d, dword ptr [rbp + 0x10]
;;    199  31 db                          xor ebx, ebx
;;         ; @1f loop
;; loop:
;;         ; @21 local.get 1
;;         ; @23 i32.const 1
;;         ; @25 i32.store8 align=1
;;    19b  41 c6 04 1e 01                 mov byte ptr [r14 + rbx], 1
;;         ; @28 local.get 1
;;         ; @2a i32.const 1
;;         ; @2c i32.add
;;         ; @2d local.set 1 (fused)
;;    1a0  83 c3 01                       add ebx, 1
;;         ; @2f local.get 1
;;         ; @31 local.get 0
;;         ; @33 i32.lt_u
;;    1a3  44 39 e3                       cmp ebx, r12d
;;         ; @34 br_if 0 (fused)
;;    1a6  72 f3                          jb loop
;;         ; @36 end
;;         ; @37 end
;; end:
;;    1a8  48 8b 5d e8                    mov rbx, qword ptr [rbp - 0x18]
;;    1ac  4c 8b 65 e0                    mov r12, qword ptr [rbp - 0x20]
;;    1b0  c9                             leave
;;    1b1  c3                             ret
;; trap_callStackExhausted:
;;    1b2  bf 0a 00 00 00                 mov edi, 10
;;    1b7  e8 19 ff ff ff                 call trap_tail
