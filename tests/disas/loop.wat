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
;;    120  55                             push rbp
;;    121  48 89 e5                       mov rbp, rsp
;;    124  48 8d a5 b0 ff ff ff           lea rsp, [rbp - 0x50]
;;    12b  49 3b 65 00                    cmp rsp, qword ptr [r13]
;;    12f  0f 82 2d 00 00 00              jb trap_callStackExhausted
;;    135  48 c7 45 c8 00 00 00 00        mov qword ptr [rbp - 0x38], 0
;;    13d  48 89 5d e8                    mov qword ptr [rbp - 0x18], rbx
;;    141  4c 89 65 e0                    mov qword ptr [rbp - 0x20], r12
;;    145  44 8b 65 10                    mov r12d, dword ptr [rbp + 0x10]
;;    149  31 db                          xor ebx, ebx
;;         ; @1f loop
;; loop:
;;         ; @21 local.get 1
;;         ; @23 i32.const 1
;;         ; @25 i32.store8 align=1
;;    14b  41 c6 04 1e 01                 mov byte ptr [r14 + rbx], 1
;;         ; @28 local.get 1
;;         ; @2a i32.const 1
;;         ; @2c i32.add
;;         ; @2d local.set 1 (fused)
;;    150  83 c3 01                       add ebx, 1
;;         ; @2f local.get 1
;;         ; @31 local.get 0
;;         ; @33 i32.lt_u
;;    153  44 39 e3                       cmp ebx, r12d
;;         ; @34 br_if 0 (fused)
;;    156  72 f3                          jb loop
;;         ; @36 end
;;         ; @37 end
;; end:
;;    158  48 8b 5d e8                    mov rbx, qword ptr [rbp - 0x18]
;;    15c  4c 8b 65 e0                    mov r12, qword ptr [rbp - 0x20]
;;    160  c9                             leave
;;    161  c3                             ret
;; trap_callStackExhausted:
;;    162  bf 0a 00 00 00                 mov edi, 10
;;    167  e8 69 ff ff ff                 call trap_tail
