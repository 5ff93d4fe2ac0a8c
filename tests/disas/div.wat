;; i32.div_s: explicit divide-by-zero and INT_MIN / -1 checks with out-of-line trap sites.
(module
  (func $div (param i32 i32) (result i32)
    (i32.div_s (local.get 0) (local.get 1))))
;; ---- JIT listing (wasmoon explore; WASMOON_BLESS=1 swift test rewrites it) ----
;; function 0 'div' (i32 i32) -> (i32): 104 bytes
;; func0:
;;    170  55                             push rbp
;;    171  48 89 e5                       mov rbp, rsp
;;    174  48 8d a5 d0 ff ff ff           lea rsp, [rbp - 0x30]
;;    17b  49 3b 65 00                    cmp rsp, qword ptr [r13]
;;    17f  0f 82 35 00 00 00              jb trap_callStackExhausted
;;         ; @1a local.get 0
;;         ; @1c local.get 1
;;         ; @1e i32.div_s
;;    185  8b 75 10                       mov esi, dword ptr [rbp + 0x10]
;;    188  8b 45 18                       mov eax, dword ptr [rbp + 0x18]
;;    18b  85 f6                          test esi, esi
;;    18d  0f 84 31 00 00 00              je trap_integerDivideByZero
;;    193  83 fe ff                       cmp esi, -1
;;    196  0f 85 0d 00 00 00              jne L17
;;    19c  f7 d8                          neg eax
;;    19e  0f 80 2a 00 00 00              jo trap_integerOverflow
;;    1a4  e9 03 00 00 00                 jmp L16
;; L17:
;;    1a9  99                             cdq
;;    1aa  f7 fe                          idiv esi
;; L16:
;;         ; @1f end
;;    1ac  48 89 45 d8                    mov qword ptr [rbp - 0x28], rax
;; end:
;;    1b0  48 8b 45 d8                    mov rax, qword ptr [rbp - 0x28]
;;    1b4  48 89 45 18                    mov qword ptr [rbp + 0x18], rax
;;    1b8  c9                             leave
;;    1b9  c3                             ret
;; trap_callStackExhausted:
;;    1ba  bf 0a 00 00 00                 mov edi, 10
;;    1bf  e8 11 ff ff ff                 call trap_tail
;; trap_integerDivideByZero:
;;    1c4  bf 02 00 00 00                 mov edi, 2
;;    1c9  e8 07 ff ff ff                 call trap_tail
;; trap_integerOverflow:
;;    1ce  bf 03 00 00 00                 mov edi, 3
;;    1d3  e8 fd fe ff ff                 call trap_tail
