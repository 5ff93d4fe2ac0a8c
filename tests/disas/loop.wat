;; A counting loop with a local, br_if and a memory store.
(module
  (memory 1)
  (func $fill (param $n i32) (local $i i32)
    (loop $top
      (i32.store8 (local.get $i) (i32.const 1))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $top (i32.lt_u (local.get $i) (local.get $n))))))
;; ---- JIT listing (wasmoon explore; WASMOON_BLESS=1 swift test rewrites it) ----
;; function 0 'fill' (i32) -> (): 67 bytes
;; func0:
;;    120  55                             push rbp
;;    121  48 89 e5                       mov rbp, rsp
;;    124  48 8d a5 d0 ff ff ff           lea rsp, [rbp - 0x30]
;;    12b  49 3b 65 00                    cmp rsp, qword ptr [r13]
;;    12f  0f 82 24 00 00 00              jb trap_callStackExhausted
;;    135  48 c7 45 e8 00 00 00 00        mov qword ptr [rbp - 0x18], 0
;;         ; @1f loop(WasmCore.BlockType.empty)
;; loop:
;;         ; @21 localGet(1)
;;         ; @23 i32Const(1)
;;         ; @25 store(WasmCore.StoreOp.i32Store8, WasmCore.MemArg(align: 0, offset: 0, memory: 0))
;;    13d  8b 45 e8                       mov eax, dword ptr [rbp - 0x18]
;;    140  41 c6 04 06 01                 mov byte ptr [r14 + rax], 1
;;         ; @28 localGet(1)
;;         ; @2a i32Const(1)
;;         ; @2c i32Add
;;    145  8b 45 e8                       mov eax, dword ptr [rbp - 0x18]
;;    148  83 c0 01                       add eax, 1
;;         ; @2d localSet(1)
;;    14b  48 89 45 e8                    mov qword ptr [rbp - 0x18], rax
;;         ; @2f localGet(1)
;;         ; @31 localGet(0)
;;         ; @33 i32LtU
;;    14f  8b 45 e8                       mov eax, dword ptr [rbp - 0x18]
;;    152  3b 45 10                       cmp eax, dword ptr [rbp + 0x10]
;;         ; @34 brIf(0) (fused)
;;    155  72 e6                          jb loop
;;         ; @36 end
;;         ; @37 end
;; end:
;;    157  c9                             leave
;;    158  c3                             ret
;; trap_callStackExhausted:
;;    159  bf 0a 00 00 00                 mov edi, 10
;;    15e  e8 72 ff ff ff                 call trap_tail
