;; A counting loop with a local, br_if and a memory store.
(module
  (memory 1)
  (func $fill (param $n i32) (local $i i32)
    (loop $top
      (i32.store8 (local.get $i) (i32.const 1))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $top (i32.lt_u (local.get $i) (local.get $n))))))
;; ---- JIT listing (wasmoon explore; WASMOON_BLESS=1 swift test rewrites it) ----
;; function 0 'fill' (i32) -> (): 140 bytes
;; func0:
;;    120  55                             push rbp
;;    121  48 89 e5                       mov rbp, rsp
;;    124  48 8d a5 d0 ff ff ff           lea rsp, [rbp - 0x30]
;;    12b  49 3b 65 00                    cmp rsp, qword ptr [r13]
;;    12f  0f 82 6d 00 00 00              jb trap_callStackExhausted
;;    135  48 c7 45 e8 00 00 00 00        mov qword ptr [rbp - 0x18], 0
;;         ; @1f loop(WasmCore.BlockType.empty)
;; loop:
;;         ; @21 localGet(1)
;;    13d  48 8b 45 e8                    mov rax, qword ptr [rbp - 0x18]
;;    141  48 89 45 e0                    mov qword ptr [rbp - 0x20], rax
;;         ; @23 i32Const(1)
;;    145  48 c7 45 d8 01 00 00 00        mov qword ptr [rbp - 0x28], 1
;;         ; @25 store(WasmCore.StoreOp.i32Store8, WasmCore.MemArg(align: 0, offset: 0, memory: 0))
;;    14d  48 8b 55 d8                    mov rdx, qword ptr [rbp - 0x28]
;;    151  8b 45 e0                       mov eax, dword ptr [rbp - 0x20]
;;    154  41 88 14 06                    mov byte ptr [r14 + rax], dl
;;         ; @28 localGet(1)
;;    158  48 8b 45 e8                    mov rax, qword ptr [rbp - 0x18]
;;    15c  48 89 45 e0                    mov qword ptr [rbp - 0x20], rax
;;         ; @2a i32Const(1)
;;    160  48 c7 45 d8 01 00 00 00        mov qword ptr [rbp - 0x28], 1
;;         ; @2c i32Add
;;    168  8b 45 e0                       mov eax, dword ptr [rbp - 0x20]
;;    16b  03 45 d8                       add eax, dword ptr [rbp - 0x28]
;;    16e  48 89 45 e0                    mov qword ptr [rbp - 0x20], rax
;;         ; @2d localSet(1)
;;    172  48 8b 45 e0                    mov rax, qword ptr [rbp - 0x20]
;;    176  48 89 45 e8                    mov qword ptr [rbp - 0x18], rax
;;         ; @2f localGet(1)
;;    17a  48 8b 45 e8                    mov rax, qword ptr [rbp - 0x18]
;;    17e  48 89 45 e0                    mov qword ptr [rbp - 0x20], rax
;;         ; @31 localGet(0)
;;    182  48 8b 45 10                    mov rax, qword ptr [rbp + 0x10]
;;    186  48 89 45 d8                    mov qword ptr [rbp - 0x28], rax
;;         ; @33 i32LtU
;;    18a  8b 4d e0                       mov ecx, dword ptr [rbp - 0x20]
;;    18d  31 c0                          xor eax, eax
;;    18f  3b 4d d8                       cmp ecx, dword ptr [rbp - 0x28]
;;    192  0f 92 c0                       setb al
;;    195  48 89 45 e0                    mov qword ptr [rbp - 0x20], rax
;;         ; @34 brIf(0)
;;    199  8b 45 e0                       mov eax, dword ptr [rbp - 0x20]
;;    19c  85 c0                          test eax, eax
;;    19e  75 9d                          jne loop
;;         ; @36 end
;;         ; @37 end
;; end:
;;    1a0  c9                             leave
;;    1a1  c3                             ret
;; trap_callStackExhausted:
;;    1a2  bf 0a 00 00 00                 mov edi, 10
;;    1a7  e8 29 ff ff ff                 call trap_tail
