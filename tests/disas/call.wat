;; A direct call: arguments stay in the caller's slots; rsp is pointed at them.
(module
  (func $sq (param f64) (result f64) (f64.mul (local.get 0) (local.get 0)))
  (func $sum (param f64 f64) (result f64)
    (f64.add (call $sq (local.get 0)) (call $sq (local.get 1)))))
;; ---- JIT listing (wasmoon explore; WASMOON_BLESS=1 swift test rewrites it) ----
;; function 0 'sq' (f64) -> (f64): 56 bytes
;; func0:
;;    120  55                             push rbp
;;    121  48 89 e5                       mov rbp, rsp
;;    124  48 8d a5 d0 ff ff ff           lea rsp, [rbp - 0x30]
;;    12b  49 3b 65 00                    cmp rsp, qword ptr [r13]
;;    12f  0f 82 19 00 00 00              jb trap_callStackExhausted
;;         ; @20 local.get 0
;;         ; @22 local.get 0
;;         ; @24 f64.mul
;;    135  f2 0f 10 45 10                 movsd xmm0, qword ptr [rbp + 0x10]
;;    13a  f2 0f 59 45 10                 mulsd xmm0, qword ptr [rbp + 0x10]
;;         ; @25 end
;;    13f  f2 0f 11 45 d8                 movsd qword ptr [rbp - 0x28], xmm0
;; end:
;;    144  48 8b 45 d8                    mov rax, qword ptr [rbp - 0x28]
;;    148  48 89 45 10                    mov qword ptr [rbp + 0x10], rax
;;    14c  c9                             leave
;;    14d  c3                             ret
;; trap_callStackExhausted:
;;    14e  bf 0a 00 00 00                 mov edi, 10
;;    153  e8 7d ff ff ff                 call trap_tail
;;
;; function 1 'sum' (f64 f64) -> (f64): 104 bytes
;; func1:
;;    160  55                             push rbp
;;    161  48 89 e5                       mov rbp, rsp
;;    164  48 8d a5 d0 ff ff ff           lea rsp, [rbp - 0x30]
;;    16b  49 3b 65 00                    cmp rsp, qword ptr [r13]
;;    16f  0f 82 49 00 00 00              jb trap_callStackExhausted
;;         ; @28 local.get 0
;;         ; @2a call 0
;;    175  48 8b 45 18                    mov rax, qword ptr [rbp + 0x18]
;;    179  48 89 45 d8                    mov qword ptr [rbp - 0x28], rax
;;    17d  48 8d 65 d8                    lea rsp, [rbp - 0x28]
;;    181  e8 9a ff ff ff                 call func0
;;    186  48 8d a5 d0 ff ff ff           lea rsp, [rbp - 0x30]
;;         ; @2c local.get 1
;;         ; @2e call 0
;;    18d  48 8b 45 10                    mov rax, qword ptr [rbp + 0x10]
;;    191  48 89 45 d0                    mov qword ptr [rbp - 0x30], rax
;;    195  48 8d 65 d0                    lea rsp, [rbp - 0x30]
;;    199  e8 82 ff ff ff                 call func0
;;    19e  48 8d a5 d0 ff ff ff           lea rsp, [rbp - 0x30]
;;         ; @30 f64.add
;;    1a5  f2 0f 10 45 d8                 movsd xmm0, qword ptr [rbp - 0x28]
;;    1aa  f2 0f 58 45 d0                 addsd xmm0, qword ptr [rbp - 0x30]
;;         ; @31 end
;;    1af  f2 0f 11 45 d8                 movsd qword ptr [rbp - 0x28], xmm0
;; end:
;;    1b4  48 8b 45 d8                    mov rax, qword ptr [rbp - 0x28]
;;    1b8  48 89 45 18                    mov qword ptr [rbp + 0x18], rax
;;    1bc  c9                             leave
;;    1bd  c3                             ret
;; trap_callStackExhausted:
;;    1be  bf 0a 00 00 00                 mov edi, 10
;;    1c3  e8 0d ff ff ff                 call trap_tail
