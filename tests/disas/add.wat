;; i32.add of two parameters: prologue, stack check, operand slots, epilogue.
(module
  (func $add (export "add") (param i32 i32) (result i32)
    (i32.add (local.get 0) (local.get 1))))
;; ---- JIT listing (wasmoon explore; WASMOON_BLESS=1 swift test rewrites it) ----
;; function 0 'add' (i32 i32) -> (i32): 51 bytes
;; func0:
;;    170  55                             push rbp
;;    171  48 89 e5                       mov rbp, rsp
;;    174  48 8d a5 d0 ff ff ff           lea rsp, [rbp - 0x30]
;;    17b  49 3b 65 00                    cmp rsp, qword ptr [r13]
;;    17f  0f 82 14 00 00 00              jb trap_callStackExhausted
;;         ; @23 local.get 0
;;         ; @25 local.get 1
;;         ; @27 i32.add
;;    185  8b 45 18                       mov eax, dword ptr [rbp + 0x18]
;;    188  03 45 10                       add eax, dword ptr [rbp + 0x10]
;;         ; @28 end
;;    18b  48 89 45 d8                    mov qword ptr [rbp - 0x28], rax
;; end:
;;    18f  48 8b 45 d8                    mov rax, qword ptr [rbp - 0x28]
;;    193  48 89 45 18                    mov qword ptr [rbp + 0x18], rax
;;    197  c9                             leave
;;    198  c3                             ret
;; trap_callStackExhausted:
;;    199  bf 0a 00 00 00                 mov edi, 10
;;    19e  e8 32 ff ff ff                 call trap_tail
