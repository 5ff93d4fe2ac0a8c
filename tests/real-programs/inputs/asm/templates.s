	.file	"templates.cpp"
__SP_H__ = 0x3e
__SP_L__ = 0x3d
__SREG__ = 0x3f
__tmp_reg__ = 0
__zero_reg__ = 1
	.text
	.section	.text._ZNK6Square4areaEv,"axG",@progbits,_ZNK6Square4areaEv,comdat
	.weak	_ZNK6Square4areaEv
	.type	_ZNK6Square4areaEv, @function
_ZNK6Square4areaEv:
/* prologue: function */
/* frame size = 0 */
/* stack size = 0 */
.L__stack_usage = 0
	movw r30,r24
	ldd r26,Z+2
	ldd r27,Z+3
	movw r18,r26
	call __mulhisi3
	clr r27
	sbrc r25,7
	dec r27
	mov r26,r25
	mov r25,r24
	mov r24,r23
/* epilogue start */
	ret
	.size	_ZNK6Square4areaEv, .-_ZNK6Square4areaEv
	.section	.text._ZNK6Square5sidesEv,"axG",@progbits,_ZNK6Square5sidesEv,comdat
	.weak	_ZNK6Square5sidesEv
	.type	_ZNK6Square5sidesEv, @function
_ZNK6Square5sidesEv:
/* prologue: function */
/* frame size = 0 */
/* stack size = 0 */
.L__stack_usage = 0
	ldi r24,lo8(4)
/* epilogue start */
	ret
	.size	_ZNK6Square5sidesEv, .-_ZNK6Square5sidesEv
	.section	.text._ZNK8Triangle4areaEv,"axG",@progbits,_ZNK8Triangle4areaEv,comdat
	.weak	_ZNK8Triangle4areaEv
	.type	_ZNK8Triangle4areaEv, @function
_ZNK8Triangle4areaEv:
/* prologue: function */
/* frame size = 0 */
/* stack size = 0 */
.L__stack_usage = 0
	movw r30,r24
	ldd r18,Z+2
	ldd r19,Z+3
	ldd r26,Z+4
	ldd r27,Z+5
	call __mulhisi3
	clr r27
	sbrc r25,7
	dec r27
	mov r26,r25
	mov r25,r24
	mov r24,r23
	mov r26,r25
	lsl r26
	sbc r26,r26
	mov r27,r26
	asr r27
	ror r26
	ror r25
	ror r24
/* epilogue start */
	ret
	.size	_ZNK8Triangle4areaEv, .-_ZNK8Triangle4areaEv
	.section	.text._ZNK8Triangle5sidesEv,"axG",@progbits,_ZNK8Triangle5sidesEv,comdat
	.weak	_ZNK8Triangle5sidesEv
	.type	_ZNK8Triangle5sidesEv, @function
_ZNK8Triangle5sidesEv:
/* prologue: function */
/* frame size = 0 */
/* stack size = 0 */
.L__stack_usage = 0
	ldi r24,lo8(3)
/* epilogue start */
	ret
	.size	_ZNK8Triangle5sidesEv, .-_ZNK8Triangle5sidesEv
	.section	.text._ZN8TriangleD2Ev,"axG",@progbits,_ZN8TriangleD5Ev,comdat
	.weak	_ZN8TriangleD2Ev
	.type	_ZN8TriangleD2Ev, @function
_ZN8TriangleD2Ev:
/* prologue: function */
/* frame size = 0 */
/* stack size = 0 */
.L__stack_usage = 0
/* epilogue start */
	ret
	.size	_ZN8TriangleD2Ev, .-_ZN8TriangleD2Ev
	.weak	_ZN8TriangleD1Ev
	.set	_ZN8TriangleD1Ev,_ZN8TriangleD2Ev
	.section	.text._ZN6SquareD2Ev,"axG",@progbits,_ZN6SquareD5Ev,comdat
	.weak	_ZN6SquareD2Ev
	.type	_ZN6SquareD2Ev, @function
_ZN6SquareD2Ev:
/* prologue: function */
/* frame size = 0 */
/* stack size = 0 */
.L__stack_usage = 0
/* epilogue start */
	ret
	.size	_ZN6SquareD2Ev, .-_ZN6SquareD2Ev
	.weak	_ZN6SquareD1Ev
	.set	_ZN6SquareD1Ev,_ZN6SquareD2Ev
	.section	.text._ZN6SquareD0Ev,"axG",@progbits,_ZN6SquareD5Ev,comdat
	.weak	_ZN6SquareD0Ev
	.type	_ZN6SquareD0Ev, @function
_ZN6SquareD0Ev:
/* prologue: function */
/* frame size = 0 */
/* stack size = 0 */
.L__stack_usage = 0
	ldi r22,lo8(4)
	ldi r23,0
	jmp _ZdlPvj
	.size	_ZN6SquareD0Ev, .-_ZN6SquareD0Ev
	.section	.text._ZN8TriangleD0Ev,"axG",@progbits,_ZN8TriangleD5Ev,comdat
	.weak	_ZN8TriangleD0Ev
	.type	_ZN8TriangleD0Ev, @function
_ZN8TriangleD0Ev:
/* prologue: function */
/* frame size = 0 */
/* stack size = 0 */
.L__stack_usage = 0
	ldi r22,lo8(6)
	ldi r23,0
	jmp _ZdlPvj
	.size	_ZN8TriangleD0Ev, .-_ZN8TriangleD0Ev
	.section	.rodata
.LC1:
	.word	_ZL2sq
	.word	_ZL3tri
	.word	_ZL2sq
	.section	.text.startup,"ax",@progbits
.global	main
	.type	main, @function
main:
	in r28,__SP_L__
	in r29,__SP_H__
	sbiw r28,22
	in __tmp_reg__,__SREG__
	cli
	out __SP_H__,r29
	out __SREG__,__tmp_reg__
	out __SP_L__,r28
/* prologue: function */
/* frame size = 22 */
/* stack size = 22 */
.L__stack_usage = 22
	ldi r24,lo8(6)
	ldi r30,lo8(.LC1)
	ldi r31,hi8(.LC1)
	movw r26,r28
	adiw r26,17
	0:
	ld r0,Z+
	st X+,r0
	dec r24
	brne 0b
	ldi r16,0
	ldi r17,0
	movw r10,r28
	ldi r24,17
	add r10,r24
	adc r11,__zero_reg__
	mov r15,__zero_reg__
	movw r8,r28
	ldi r26,23
	add r8,r26
	adc r9,__zero_reg__
.L11:
	movw r30,r10
	ld r12,Z+
	ld r13,Z+
	movw r10,r30
	movw r26,r12
	ld r30,X+
	ld r31,X+
	ldd __tmp_reg__,Z+4
	ldd r31,Z+5
	mov r30,__tmp_reg__
	movw r24,r12
	icall
	add r16,r24
	adc r17,r25
	movw r26,r12
	ld r30,X+
	ld r31,X+
	ldd __tmp_reg__,Z+6
	ldd r31,Z+7
	mov r30,__tmp_reg__
	movw r24,r12
	icall
	add r15,r24
	cp r10,r8
	cpc r11,r9
	brne .L11
	lds r22,_ZL2rb+16
	lds r23,_ZL2rb+17
	ldi r20,0
	ldi r21,0
.L13:
	mov r24,r22
	ldi r25,0
	movw r18,r24
	subi r18,-1
	sbci r19,-1
	andi r18,7
	cp r23,r18
	breq .L12
	lsl r24
	rol r25
	movw r30,r24
	subi r30,lo8(-(_ZL2rb))
	sbci r31,hi8(-(_ZL2rb))
	mul r20,r20
	movw r24,r0
	mul r20,r21
	add r25,r0
	add r25,r0
	clr r1
	st Z,r24
	std Z+1,r25
	mov r22,r18
.L12:
	subi r20,-1
	sbci r21,-1
	cpi r20,10
	cpc r21,__zero_reg__
	brne .L13
	sts _ZL2rb+16,r22
	movw r30,r28
	adiw r30,1
	ldi r24,lo8(16)
	movw r26,r30
	0:
	st X+,__zero_reg__
	dec r24
	brne 0b
	movw r12,r30
	ldi r18,0
.L15:
	cp r22,r23
	breq .L14
	mov r24,r23
	ldi r25,0
	movw r20,r24
	subi r20,-1
	sbci r21,-1
	andi r20,7
	clr r21
	mov r23,r20
	subi r18,lo8(-(1))
	lsl r24
	rol r25
	movw r26,r24
	subi r26,lo8(-(_ZL2rb))
	sbci r27,hi8(-(_ZL2rb))
	ld r24,X+
	ld r25,X+
	movw r26,r12
	st X+,r24
	st X+,r25
	movw r12,r26
	cpi r18,lo8(8)
	brne .L15
	sts _ZL2rb+17,r20
	ldi r20,lo8(16)
	rjmp .L19
.L14:
	sts _ZL2rb+17,r22
	ldi r19,0
	movw r20,r18
	lsl r20
	rol r21
	or r18,r19
	breq .L20
.L19:
	add r20,r30
	adc r21,r31
	ldi r24,0
	ldi r25,0
.L18:
	ld r18,Z+
	ld r19,Z+
	add r24,r18
	adc r25,r19
	cp r20,r30
	cpc r21,r31
	brne .L18
.L17:
	add r16,r15
	adc r17,__zero_reg__
	add r16,r24
	adc r17,r25
	subi r16,80
	sbci r17,-1
	sts out+1,r17
	sts out,r16
	ldi r24,0
	ldi r25,0
/* epilogue start */
	adiw r28,22
	in __tmp_reg__,__SREG__
	cli
	out __SP_H__,r29
	out __SREG__,__tmp_reg__
	out __SP_L__,r28
	ret
.L20:
	ldi r24,0
	ldi r25,0
	rjmp .L17
	.size	main, .-main
	.type	_GLOBAL__sub_I_out, @function
_GLOBAL__sub_I_out:
/* prologue: function */
/* frame size = 0 */
/* stack size = 0 */
.L__stack_usage = 0
	ldi r24,lo8(_ZTV6Square+4)
	ldi r25,hi8(_ZTV6Square+4)
	sts _ZL2sq,r24
	sts _ZL2sq+1,r25
	ldi r25,lo8(3)
	sts _ZL2sq+2,__zero_reg__
	sts _ZL2sq+3,r25
	ldi r24,lo8(_ZTV8Triangle+4)
	ldi r25,hi8(_ZTV8Triangle+4)
	sts _ZL3tri,r24
	sts _ZL3tri+1,r25
	ldi r25,lo8(4)
	sts _ZL3tri+2,__zero_reg__
	sts _ZL3tri+3,r25
	ldi r25,lo8(5)
	sts _ZL3tri+4,__zero_reg__
	sts _ZL3tri+5,r25
/* epilogue start */
	ret
	.size	_GLOBAL__sub_I_out, .-_GLOBAL__sub_I_out
	.global __do_global_ctors
	.section .ctors,"a",@progbits
	.p2align	1
	.word	gs(_GLOBAL__sub_I_out)
	.weak	_ZTV6Square
	.section	.rodata._ZTV6Square,"aG",@progbits,_ZTV6Square,comdat
	.type	_ZTV6Square, @object
	.size	_ZTV6Square, 12
_ZTV6Square:
	.word	0
	.word	0
	.word	gs(_ZN6SquareD1Ev)
	.word	gs(_ZN6SquareD0Ev)
	.word	gs(_ZNK6Square4areaEv)
	.word	gs(_ZNK6Square5sidesEv)
	.weak	_ZTV8Triangle
	.section	.rodata._ZTV8Triangle,"aG",@progbits,_ZTV8Triangle,comdat
	.type	_ZTV8Triangle, @object
	.size	_ZTV8Triangle, 12
_ZTV8Triangle:
	.word	0
	.word	0
	.word	gs(_ZN8TriangleD1Ev)
	.word	gs(_ZN8TriangleD0Ev)
	.word	gs(_ZNK8Triangle4areaEv)
	.word	gs(_ZNK8Triangle5sidesEv)
.global	out
	.section .bss
	.type	out, @object
	.size	out, 2
out:
	.zero	2
	.local	_ZL2rb
	.comm	_ZL2rb,18,1
	.local	_ZL3tri
	.comm	_ZL3tri,6,1
	.local	_ZL2sq
	.comm	_ZL2sq,4,1
	.ident	"GCC: (GNU) 15.2.0"
.global __do_copy_data
.global __do_clear_bss
