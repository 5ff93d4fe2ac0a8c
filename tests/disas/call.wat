;; A direct call: arguments stay in the caller's slots; rsp is pointed at them.
(module
  (func $sq (param f64) (result f64) (f64.mul (local.get 0) (local.get 0)))
  (func $sum (param f64 f64) (result f64)
    (f64.add (call $sq (local.get 0)) (call $sq (local.get 1)))))
;; ---- JIT listing (wasmoon explore; WASMOON_BLESS=1 swift test rewrites it) ----
;; function 0 'sq' (f64) -> (f64): 56 bytes
;; func0:
;;    170  55                             push rbp
;;    171  48 89 e5                       mov rbp, rsp
;;    174  48 8d a5 d0 ff ff ff           lea rsp, [rbp - 0x30]
;;    17b  49 3b 65 00                    cmp rsp, qword ptr [r13]
;;    17f  0f 82 19 00 00 00              jb trap_callStackExhausted
;;         ; @20 local.get 0
;;         ; @22 local.get 0
;;         ; @24 f64.mul
;;    185  f2 0f 10 45 10                 movsd xmm0, qword ptr [rbp + 0x10]
;;    18a  f2 0f 59 45 10                 mulsd xmm0, qword ptr [rbp + 0x10]
;;         ; @25 end
;;    18f  f2 0f 11 45 d8                 movsd qword ptr [rbp - 0x28], xmm0
;; end:
;;    194  48 8b 45 d8                    mov rax, qword ptr [rbp - 0x28]
;;    198  48 89 45 10                    mov qword ptr [rbp + 0x10], rax
;;    19c  c9                             leave
;;    19d  c3                             ret
;; trap_callStackExhausted:
;;    19e  bf 0a 00 00 00                 mov edi, 10
;;    1a3  e8 2d ff ff ff                 call trap_tail
;;
;; function 1 'sum' (f64 f64) -> (f64): 104 bytes
;; func1:
;;    1b0  55                             push rbp
;;    1b1  48 89 e5                       mov rbp, rsp
;;    1b4  48 8d a5 d0 ff ff ff           lea rsp, [rbp - 0x30]
;;    1bb  49 3b 65 00                    cmp rsp, qword ptr [r13]
;;    1bf  0f 82 49 00 00 00              jb trap_callStackExhausted
;;         ; @28 local.get 0
;;         ; @2a call 0
;;    1c5  48 8b 45 18                    mov rax, qword ptr [rbp + 0x18]
;;    1c9  48 89 45 d8                    mov qword ptr [rbp - 0x28], rax
;;    1cd  48 8d 65 d8                    lea rsp, [rbp - 0x28]
;;    1d1  e8 9a ff ff ff                 call func0
;;    1d6  48 8d a5 d0 ff ff ff           lea rsp, [rbp - 0x30]
;;         ; @2c local.get 1
;;         ; @2e call 0
;;    1dd  48 8b 45 10                    mov rax, qword ptr [rbp + 0x10]
;;    1e1  48 89 45 d0                    mov qword ptr [rbp - 0x30], rax
;;    1e5  48 8d 65 d0                    lea rsp, [rbp - 0x30]
;;    1e9  e8 82 ff ff ff                 call func0
;;    1ee  48 8d a5 d0 ff ff ff           lea rsp, [rbp - 0x30]
;;         ; @30 f64.add
;;    1f5  f2 0f 10 45 d8                 movsd xmm0, qword ptr [rbp - 0x28]
;;    1fa  f2 0f 58 45 d0                 addsd xmm0, qword ptr [rbp - 0x30]
;;         ; @31 end
;;    1ff  f2 0f 11 45 d8                 movsd qword ptr [rbp - 0x28], xmm0
;; end:
;;    204  48 8b 45 d8                    mov rax, qword ptr [rbp - 0x28]
;;    208  48 89 45 18                    mov qword ptr [rbp + 0x18], rax
;;    20c  c9                             leave
;;    20d  c3                             ret
;; trap_callStackExhausted:
;;    20e  bf 0a 00 00 00                 mov edi, 10
;;    213  e8 bd fe ff ff                 call trap_tail
