;; i32.div_s: explicit divide-by-zero and INT_MIN / -1 checks with out-of-line trap sites.
(module
  (func $div (param i32 i32) (result i32)
    (i32.div_s (local.get 0) (local.get 1))))
;; ---- JIT listing (wasmoon explore; WASMOON_BLESS=1 swift test rewrites it) ----
;; function 0 'div' (i32 i32) -> (i32): 104 bytes
;; func0:
;;    120  55                             push rbp
;;    121  48 89 e5                       mov rbp, rsp
;;    124  48 8d a5 d0 ff ff ff           lea rsp, [rbp - 0x30]
;;    12b  49 3b 65 00                    cmp rsp, qword ptr [r13]
;;    12f  0f 82 35 00 00 00              jb trap_callStackExhausted
;;         ; @1a local.get 0
;;         ; @1c local.get 1
;;         ; @1e i32.div_s
;;    135  8b 75 10                       mov esi, dword ptr [rbp + 0x10]
;;    138  8b 45 18                       mov eax, dword ptr [rbp + 0x18]
;;    13b  85 f6                          test esi, esi
;;    13d  0f 84 31 00 00 00              je trap_integerDivideByZero
;;    143  83 fe ff                       cmp esi, -1
;;    146  0f 85 0d 00 00 00              jne L15
;;    14c  f7 d8                          neg eax
;;    14e  0f 80 2a 00 00 00              jo trap_integerOverflow
;;    154  e9 03 00 00 00                 jmp L14
;; L15:
;;    159  99                             cdq
;;    15a  f7 fe                          idiv esi
;; L14:
;;         ; @1f end
;;    15c  48 89 45 d8                    mov qword ptr [rbp - 0x28], rax
;; end:
;;    160  48 8b 45 d8                    mov rax, qword ptr [rbp - 0x28]
;;    164  48 89 45 18                    mov qword ptr [rbp + 0x18], rax
;;    168  c9                             leave
;;    169  c3                             ret
;; trap_callStackExhausted:
;;    16a  bf 0a 00 00 00                 mov edi, 10
;;    16f  e8 61 ff ff ff                 call trap_tail
;; trap_integerDivideByZero:
;;    174  bf 02 00 00 00                 mov edi, 2
;;    179  e8 57 ff ff ff                 call trap_tail
;; trap_integerOverflow:
;;    17e  bf 03 00 00 00                 mov edi, 3
;;    183  e8 4d ff ff ff                 call trap_tail
