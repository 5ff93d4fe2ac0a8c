;; i32.add of two parameters: prologue, stack check, operand slots, epilogue.
(module
  (func $add (export "add") (param i32 i32) (result i32)
    (i32.add (local.get 0) (local.get 1))))
;; ---- JIT listing (wasmoon explore; WASMOON_BLESS=1 swift test rewrites it) ----
;; function 0 'add' (i32 i32) -> (i32): 67 bytes
;; func0:
;;    120  55                             push rbp
;;    121  48 89 e5                       mov rbp, rsp
;;    124  48 8d a5 e0 ff ff ff           lea rsp, [rbp - 0x20]
;;    12b  49 3b 65 00                    cmp rsp, qword ptr [r13]
;;    12f  0f 82 24 00 00 00              jb trap_callStackExhausted
;;         ; @23 localGet(0)
;;    135  48 8b 45 18                    mov rax, qword ptr [rbp + 0x18]
;;    139  48 89 45 e8                    mov qword ptr [rbp - 0x18], rax
;;         ; @25 localGet(1)
;;    13d  48 8b 45 10                    mov rax, qword ptr [rbp + 0x10]
;;    141  48 89 45 e0                    mov qword ptr [rbp - 0x20], rax
;;         ; @27 i32Add
;;    145  8b 45 e8                       mov eax, dword ptr [rbp - 0x18]
;;    148  03 45 e0                       add eax, dword ptr [rbp - 0x20]
;;    14b  48 89 45 e8                    mov qword ptr [rbp - 0x18], rax
;;         ; @28 end
;; end:
;;    14f  48 8b 45 e8                    mov rax, qword ptr [rbp - 0x18]
;;    153  48 89 45 18                    mov qword ptr [rbp + 0x18], rax
;;    157  c9                             leave
;;    158  c3                             ret
;; trap_callStackExhausted:
;;    159  bf 0a 00 00 00                 mov edi, 10
;;    15e  e8 72 ff ff ff                 call trap_tail
