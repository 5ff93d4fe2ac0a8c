;; A direct call: arguments stay in the caller's slots; rsp is pointed at them.
(module
  (func $sq (param f64) (result f64) (f64.mul (local.get 0) (local.get 0)))
  (func $sum (param f64 f64) (result f64)
    (f64.add (call $sq (local.get 0)) (call $sq (local.get 1)))))
;; ---- JIT listing (wasmoon explore; WASMOON_BLESS=1 swift test rewrites it) ----
;; function 0 'sq' (f64) -> (f64): 72 bytes
;; func0:
;;    120  55                             push rbp
;;    121  48 89 e5                       mov rbp, rsp
;;    124  48 8d a5 e0 ff ff ff           lea rsp, [rbp - 0x20]
;;    12b  49 3b 65 00                    cmp rsp, qword ptr [r13]
;;    12f  0f 82 29 00 00 00              jb trap_callStackExhausted
;;         ; @20 localGet(0)
;;         ; @22 localGet(0)
;;         ; @24 f64Mul
;;    135  48 8b 45 10                    mov rax, qword ptr [rbp + 0x10]
;;    139  48 89 45 e8                    mov qword ptr [rbp - 0x18], rax
;;    13d  48 8b 45 10                    mov rax, qword ptr [rbp + 0x10]
;;    141  48 89 45 e0                    mov qword ptr [rbp - 0x20], rax
;;    145  f2 0f 10 45 e8                 movsd xmm0, qword ptr [rbp - 0x18]
;;    14a  f2 0f 59 45 e0                 mulsd xmm0, qword ptr [rbp - 0x20]
;;    14f  f2 0f 11 45 e8                 movsd qword ptr [rbp - 0x18], xmm0
;;         ; @25 end
;; end:
;;    154  48 8b 45 e8                    mov rax, qword ptr [rbp - 0x18]
;;    158  48 89 45 10                    mov qword ptr [rbp + 0x10], rax
;;    15c  c9                             leave
;;    15d  c3                             ret
;; trap_callStackExhausted:
;;    15e  bf 0a 00 00 00                 mov edi, 10
;;    163  e8 6d ff ff ff                 call trap_tail
;;
;; function 1 'sum' (f64 f64) -> (f64): 104 bytes
;; func1:
;;    170  55                             push rbp
;;    171  48 89 e5                       mov rbp, rsp
;;    174  48 8d a5 e0 ff ff ff           lea rsp, [rbp - 0x20]
;;    17b  49 3b 65 00                    cmp rsp, qword ptr [r13]
;;    17f  0f 82 49 00 00 00              jb trap_callStackExhausted
;;         ; @28 localGet(0)
;;         ; @2a call(0)
;;    185  48 8b 45 18                    mov rax, qword ptr [rbp + 0x18]
;;    189  48 89 45 e8                    mov qword ptr [rbp - 0x18], rax
;;    18d  48 8d 65 e8                    lea rsp, [rbp - 0x18]
;;    191  e8 8a ff ff ff                 call func0
;;    196  48 8d a5 e0 ff ff ff           lea rsp, [rbp - 0x20]
;;         ; @2c localGet(1)
;;         ; @2e call(0)
;;    19d  48 8b 45 10                    mov rax, qword ptr [rbp + 0x10]
;;    1a1  48 89 45 e0                    mov qword ptr [rbp - 0x20], rax
;;    1a5  48 8d 65 e0                    lea rsp, [rbp - 0x20]
;;    1a9  e8 72 ff ff ff                 call func0
;;    1ae  48 8d a5 e0 ff ff ff           lea rsp, [rbp - 0x20]
;;         ; @30 f64Add
;;    1b5  f2 0f 10 45 e8                 movsd xmm0, qword ptr [rbp - 0x18]
;;    1ba  f2 0f 58 45 e0                 addsd xmm0, qword ptr [rbp - 0x20]
;;    1bf  f2 0f 11 45 e8                 movsd qword ptr [rbp - 0x18], xmm0
;;         ; @31 end
;; end:
;;    1c4  48 8b 45 e8                    mov rax, qword ptr [rbp - 0x18]
;;    1c8  48 89 45 18                    mov qword ptr [rbp + 0x18], rax
;;    1cc  c9                             leave
;;    1cd  c3                             ret
;; trap_callStackExhausted:
;;    1ce  bf 0a 00 00 00                 mov edi, 10
;;    1d3  e8 fd fe ff ff                 call trap_tail
