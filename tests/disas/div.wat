;; i32.div_s: explicit divide-by-zero and INT_MIN / -1 checks with out-of-line trap sites.
(module
  (func $div (param i32 i32) (result i32)
    (i32.div_s (local.get 0) (local.get 1))))
;; ---- JIT listing (wasmoon explore; WASMOON_BLESS=1 swift test rewrites it) ----
;; function 0 'div' (i32 i32) -> (i32): 124 bytes
;; func0:
;;    120  55                             push rbp
;;    121  48 89 e5                       mov rbp, rsp
;;    124  48 8d a5 e0 ff ff ff           lea rsp, [rbp - 0x20]
;;    12b  49 3b 65 00                    cmp rsp, qword ptr [r13]
;;    12f  0f 82 49 00 00 00              jb trap_callStackExhausted
;;         ; @1a localGet(0)
;;         ; @1c localGet(1)
;;         ; @1e i32DivS
;;    135  48 8b 45 18                    mov rax, qword ptr [rbp + 0x18]
;;    139  48 89 45 e8                    mov qword ptr [rbp - 0x18], rax
;;    13d  48 8b 45 10                    mov rax, qword ptr [rbp + 0x10]
;;    141  48 89 45 e0                    mov qword ptr [rbp - 0x20], rax
;;    145  8b 4d e0                       mov ecx, dword ptr [rbp - 0x20]
;;    148  8b 45 e8                       mov eax, dword ptr [rbp - 0x18]
;;    14b  85 c9                          test ecx, ecx
;;    14d  0f 84 35 00 00 00              je trap_integerDivideByZero
;;    153  83 f9 ff                       cmp ecx, -1
;;    156  0f 85 0f 00 00 00              jne L14
;;    15c  f7 d8                          neg eax
;;    15e  0f 80 2e 00 00 00              jo trap_integerOverflow
;;    164  89 c2                          mov edx, eax
;;    166  e9 05 00 00 00                 jmp L15
;; L14:
;;    16b  99                             cdq
;;    16c  f7 f9                          idiv ecx
;;    16e  89 c2                          mov edx, eax
;; L15:
;;    170  48 89 55 e8                    mov qword ptr [rbp - 0x18], rdx
;;         ; @1f end
;; end:
;;    174  48 8b 45 e8                    mov rax, qword ptr [rbp - 0x18]
;;    178  48 89 45 18                    mov qword ptr [rbp + 0x18], rax
;;    17c  c9                             leave
;;    17d  c3                             ret
;; trap_callStackExhausted:
;;    17e  bf 0a 00 00 00                 mov edi, 10
;;    183  e8 4d ff ff ff                 call trap_tail
;; trap_integerDivideByZero:
;;    188  bf 02 00 00 00                 mov edi, 2
;;    18d  e8 43 ff ff ff                 call trap_tail
;; trap_integerOverflow:
;;    192  bf 03 00 00 00                 mov edi, 3
;;    197  e8 39 ff ff ff                 call trap_tail
