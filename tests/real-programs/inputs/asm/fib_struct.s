	.file	"fib_struct.c"
__SP_H__ = 0x3e
__SP_L__ = 0x3d
__SREG__ = 0x3f
__tmp_reg__ = 0
__zero_reg__ = 1
	.text
	.type	fib, @function
fib:
	push r2
	push r3
	push r4
	push r5
	push r6
	push r7
	push r8
	push r9
	push r10
	push r11
	push r12
	push r13
	push r14
	push r15
	push r16
	push r17
	push r28
	push r29
	in r28,__SP_L__
	in r29,__SP_H__
	sbiw r28,37
	in __tmp_reg__,__SREG__
	cli
	out __SP_H__,r29
	out __SREG__,__tmp_reg__
	out __SP_L__,r28
/* prologue: function */
/* frame size = 37 */
/* stack size = 55 */
.L__stack_usage = 55
	mov r22,r24
	ldi r23,0
	ldi r24,0
	ldi r25,0
	cpi r22,lo8(2)
	brsh .+2
	rjmp .L1
	ldi r24,lo8(-1)
	add r24,r22
	andi r24,lo8(-2)
	mov r18,r22
	sub r18,r24
	std Y+32,r18
	std Y+23,__zero_reg__
	std Y+24,__zero_reg__
	std Y+25,__zero_reg__
	std Y+26,__zero_reg__
	mov r25,r22
	ldd r19,Y+32
	cp r25,r19
	brne .+2
	rjmp .L38
.L3:
	ldi r24,lo8(-1)
	add r24,r25
	ldi r21,lo8(-2)
	add r21,r25
	std Y+28,r21
	andi r25,lo8(-2)
	subi r25,lo8(-(-2))
	mov r26,r24
	sub r26,r25
	std Y+33,r26
	std Y+10,__zero_reg__
	std Y+11,__zero_reg__
	std Y+12,__zero_reg__
	std Y+13,__zero_reg__
	ldd r27,Y+33
	cp r24,r27
	brne .+2
	rjmp .L39
.L6:
	ldi r25,lo8(-1)
	add r25,r24
	ldi r20,lo8(-2)
	add r20,r24
	std Y+29,r20
	andi r24,lo8(-2)
	subi r24,lo8(-(-2))
	mov r21,r25
	sub r21,r24
	std Y+34,r21
	std Y+14,__zero_reg__
	std Y+15,__zero_reg__
	std Y+16,__zero_reg__
	std Y+17,__zero_reg__
	ldd r24,Y+34
	cp r25,r24
	brne .+2
	rjmp .L40
.L10:
	ldi r24,lo8(-1)
	add r24,r25
	ldi r20,lo8(-2)
	add r20,r25
	std Y+30,r20
	andi r25,lo8(-2)
	subi r25,lo8(-(-2))
	mov r21,r24
	sub r21,r25
	std Y+35,r21
	std Y+18,__zero_reg__
	std Y+19,__zero_reg__
	std Y+20,__zero_reg__
	std Y+21,__zero_reg__
	ldd r25,Y+35
	cp r24,r25
	brne .+2
	rjmp .L41
.L14:
	ldi r25,lo8(-1)
	add r25,r24
	ldi r20,lo8(-2)
	add r20,r24
	std Y+31,r20
	andi r24,lo8(-2)
	subi r24,lo8(-(-2))
	mov r3,r25
	sub r3,r24
	std Y+1,__zero_reg__
	std Y+2,__zero_reg__
	std Y+3,__zero_reg__
	std Y+4,__zero_reg__
	std Y+9,r3
	ldd r21,Y+9
	cp r25,r21
	brne .+2
	rjmp .L42
.L18:
	ldi r24,lo8(-1)
	add r24,r25
	ldi r18,lo8(-2)
	mov r2,r18
	add r2,r25
	andi r25,lo8(-2)
	subi r25,lo8(-(-2))
	mov r20,r24
	sub r20,r25
	std Y+22,r20
	mov r6,__zero_reg__
	mov r7,__zero_reg__
	movw r4,r6
.L25:
	ldd r21,Y+22
	cp r24,r21
	brne .+2
	rjmp .L43
	ldi r25,lo8(-1)
	add r25,r24
	std Y+5,r25
	ldi r16,lo8(-2)
	add r16,r24
	andi r24,lo8(-2)
	subi r24,lo8(-(-2))
	sub r25,r24
	std Y+27,r25
	mov r10,__zero_reg__
	mov r11,__zero_reg__
	movw r8,r10
	ldd r26,Y+5
	std Y+36,r26
	std Y+5,r4
	std Y+6,r5
	std Y+7,r6
	std Y+8,r7
.L29:
	ldd r27,Y+36
	ldd r18,Y+27
	cp r27,r18
	brne .+2
	rjmp .L44
	ldd r21,Y+36
	subi r21,lo8(-(-1))
	std Y+37,r21
	ldd r3,Y+36
	dec r3
	dec r3
	ldd r24,Y+36
	andi r24,lo8(-2)
	subi r24,lo8(-(-2))
	mov r17,r21
	sub r17,r24
	mov r14,__zero_reg__
	mov r15,__zero_reg__
	movw r12,r14
.L32:
	ldd r25,Y+37
	cp r25,r17
	brne .+2
	rjmp .L45
	ldd r18,Y+37
	subi r18,lo8(-(-1))
	std Y+36,r18
	mov r6,__zero_reg__
	mov r7,__zero_reg__
	movw r4,r6
.L34:
	ldd r24,Y+36
	subi r24,lo8(-(-1))
	call fib
	ldd r19,Y+36
	subi r19,lo8(-(-2))
	std Y+36,r19
	add r4,r22
	adc r5,r23
	adc r6,r24
	adc r7,r25
	cpi r19,lo8(2)
	brsh .L34
	ldd r24,Y+37
	subi r24,lo8(-(-3))
	ldd r27,Y+37
	subi r27,lo8(-(-2))
	std Y+37,r27
	andi r24,lo8(1)
	add r12,r24
	adc r13,__zero_reg__
	adc r14,__zero_reg__
	adc r15,__zero_reg__
	add r12,r4
	adc r13,r5
	adc r14,r6
	adc r15,r7
	cpi r27,lo8(1)
	brne .L32
	ldi r24,lo8(1)
	ldi r25,0
	ldi r26,0
	ldi r27,0
	rjmp .L31
.L43:
	ldi r24,-1
	sub r4,r24
	sbc r5,r24
	sbc r6,r24
	sbc r7,r24
	ldi r24,0
	ldi r25,0
	movw r26,r24
.L23:
	add r24,r4
	adc r25,r5
	adc r26,r6
	adc r27,r7
	ldd r18,Y+1
	ldd r19,Y+2
	ldd r20,Y+3
	ldd r21,Y+4
	add r18,r24
	adc r19,r25
	adc r20,r26
	adc r21,r27
	std Y+1,r18
	std Y+2,r19
	std Y+3,r20
	std Y+4,r21
	ldi r19,lo8(2)
	cp r2,r19
	brsh .+2
	rjmp .L20
	mov r25,r2
	ldd r21,Y+9
	cpse r25,r21
	rjmp .L18
.L42:
	ldd r24,Y+1
	ldd r25,Y+2
	ldd r26,Y+3
	ldd r27,Y+4
	adiw r24,1
	adc r26,__zero_reg__
	adc r27,__zero_reg__
	std Y+1,r24
	std Y+2,r25
	std Y+3,r26
	std Y+4,r27
	ldi r24,0
	ldi r25,0
	movw r26,r24
.L19:
	ldd r18,Y+1
	ldd r19,Y+2
	ldd r20,Y+3
	ldd r21,Y+4
	add r24,r18
	adc r25,r19
	adc r26,r20
	adc r27,r21
	ldd r18,Y+18
	ldd r19,Y+19
	ldd r20,Y+20
	ldd r21,Y+21
	add r18,r24
	adc r19,r25
	adc r20,r26
	adc r21,r27
	std Y+18,r18
	std Y+19,r19
	std Y+20,r20
	std Y+21,r21
	ldd r19,Y+31
	cpi r19,lo8(2)
	brsh .+2
	rjmp .L16
	mov r24,r19
	ldd r25,Y+35
	cpse r24,r25
	rjmp .L14
.L41:
	ldd r18,Y+18
	ldd r19,Y+19
	ldd r20,Y+20
	ldd r21,Y+21
	subi r18,-1
	sbci r19,-1
	sbci r20,-1
	sbci r21,-1
	std Y+18,r18
	std Y+19,r19
	std Y+20,r20
	std Y+21,r21
	ldi r24,0
	ldi r25,0
	movw r26,r24
.L15:
	ldd r18,Y+18
	ldd r19,Y+19
	ldd r20,Y+20
	ldd r21,Y+21
	add r24,r18
	adc r25,r19
	adc r26,r20
	adc r27,r21
	ldd r18,Y+14
	ldd r19,Y+15
	ldd r20,Y+16
	ldd r21,Y+17
	add r18,r24
	adc r19,r25
	adc r20,r26
	adc r21,r27
	std Y+14,r18
	std Y+15,r19
	std Y+16,r20
	std Y+17,r21
	ldd r19,Y+30
	cpi r19,lo8(2)
	brsh .+2
	rjmp .L12
	mov r25,r19
	ldd r24,Y+34
	cpse r25,r24
	rjmp .L10
.L40:
	ldd r18,Y+14
	ldd r19,Y+15
	ldd r20,Y+16
	ldd r21,Y+17
	subi r18,-1
	sbci r19,-1
	sbci r20,-1
	sbci r21,-1
	std Y+14,r18
	std Y+15,r19
	std Y+16,r20
	std Y+17,r21
	ldi r24,0
	ldi r25,0
	movw r26,r24
.L11:
	ldd r18,Y+14
	ldd r19,Y+15
	ldd r20,Y+16
	ldd r21,Y+17
	add r24,r18
	adc r25,r19
	adc r26,r20
	adc r27,r21
	ldd r18,Y+10
	ldd r19,Y+11
	ldd r20,Y+12
	ldd r21,Y+13
	add r18,r24
	adc r19,r25
	adc r20,r26
	adc r21,r27
	std Y+10,r18
	std Y+11,r19
	std Y+12,r20
	std Y+13,r21
	ldd r19,Y+29
	cpi r19,lo8(2)
	brsh .+2
	rjmp .L8
	mov r24,r19
	ldd r27,Y+33
	cpse r24,r27
	rjmp .L6
.L39:
	ldd r18,Y+10
	ldd r19,Y+11
	ldd r20,Y+12
	ldd r21,Y+13
	subi r18,-1
	sbci r19,-1
	sbci r20,-1
	sbci r21,-1
	std Y+10,r18
	std Y+11,r19
	std Y+12,r20
	std Y+13,r21
	ldi r24,0
	ldi r25,0
	movw r26,r24
.L7:
	ldd r18,Y+10
	ldd r19,Y+11
	ldd r20,Y+12
	ldd r21,Y+13
	add r24,r18
	adc r25,r19
	adc r26,r20
	adc r27,r21
	ldd r18,Y+23
	ldd r19,Y+24
	ldd r20,Y+25
	ldd r21,Y+26
	add r18,r24
	adc r19,r25
	adc r20,r26
	adc r21,r27
	std Y+23,r18
	std Y+24,r19
	std Y+25,r20
	std Y+26,r21
	ldd r19,Y+28
	cpi r19,lo8(2)
	brsh .+2
	rjmp .L46
	ldd r25,Y+28
	ldd r19,Y+32
	cpse r25,r19
	rjmp .L3
.L38:
	ldd r22,Y+23
	ldd r23,Y+24
	ldd r24,Y+25
	ldd r25,Y+26
	subi r22,-1
	sbci r23,-1
	sbci r24,-1
	sbci r25,-1
.L1:
/* epilogue start */
	adiw r28,37
	in __tmp_reg__,__SREG__
	cli
	out __SP_H__,r29
	out __SREG__,__tmp_reg__
	out __SP_L__,r28
	pop r29
	pop r28
	pop r17
	pop r16
	pop r15
	pop r14
	pop r13
	pop r12
	pop r11
	pop r10
	pop r9
	pop r8
	pop r7
	pop r6
	pop r5
	pop r4
	pop r3
	pop r2
	ret
.L44:
	ldd r4,Y+5
	ldd r5,Y+6
	ldd r6,Y+7
	ldd r7,Y+8
	ldi r19,-1
	sub r8,r19
	sbc r9,r19
	sbc r10,r19
	sbc r11,r19
	ldi r24,0
	ldi r25,0
	movw r26,r24
.L27:
	add r24,r8
	adc r25,r9
	adc r26,r10
	adc r27,r11
	add r4,r24
	adc r5,r25
	adc r6,r26
	adc r7,r27
	cpi r16,lo8(2)
	brsh .+2
	rjmp .L24
	mov r24,r16
	rjmp .L25
.L45:
	ldi r26,-1
	sub r12,r26
	sbc r13,r26
	sbc r14,r26
	sbc r15,r26
	ldi r24,0
	ldi r25,0
	movw r26,r24
.L31:
	add r24,r12
	adc r25,r13
	adc r26,r14
	adc r27,r15
	add r8,r24
	adc r9,r25
	adc r10,r26
	adc r11,r27
	ldi r20,lo8(2)
	cp r3,r20
	brlo .L28
	std Y+36,r3
	rjmp .L29
.L20:
	std Y+5,r2
	mov r24,r2
	ldi r25,0
	ldi r26,0
	ldi r27,0
	rjmp .L19
.L8:
	ldd r20,Y+29
	mov r24,r20
	ldi r25,0
	ldi r26,0
	ldi r27,0
	rjmp .L7
.L46:
	ldd r22,Y+23
	ldd r23,Y+24
	ldd r24,Y+25
	ldd r25,Y+26
	add r22,r19
	adc r23,__zero_reg__
	adc r24,__zero_reg__
	adc r25,__zero_reg__
	rjmp .L1
.L12:
	ldd r19,Y+30
	mov r24,r19
	ldi r25,0
	ldi r26,0
	ldi r27,0
	rjmp .L11
.L16:
	ldd r19,Y+31
	mov r24,r19
	ldi r25,0
	ldi r26,0
	ldi r27,0
	rjmp .L15
.L28:
	ldd r4,Y+5
	ldd r5,Y+6
	ldd r6,Y+7
	ldd r7,Y+8
	mov r24,r3
	ldi r25,0
	ldi r26,0
	ldi r27,0
	rjmp .L27
.L24:
	std Y+5,r16
	mov r24,r16
	ldi r25,0
	ldi r26,0
	ldi r27,0
	rjmp .L23
	.size	fib, .-fib
	.type	ackermann, @function
ackermann:
	push r2
	push r3
	push r4
	push r5
	push r6
	push r7
	push r8
	push r9
	push r10
	push r11
	push r12
	push r13
	push r14
	push r15
	push r16
	push r17
	push r28
	push r29
/* prologue: function */
/* frame size = 0 */
/* stack size = 18 */
.L__stack_usage = 18
	movw r2,r24
.L48:
	movw r4,r2
	ldi r24,1
	sub r4,r24
	sbc r5,__zero_reg__
	cp r22,__zero_reg__
	cpc r23,__zero_reg__
	breq .+2
	rjmp .L121
	cp r4,__zero_reg__
	cpc r5,__zero_reg__
	brne .+2
	rjmp .L84
	ldi r24,2
	sub r2,r24
	sbc r3,__zero_reg__
	ldi r22,lo8(1)
	ldi r23,0
.L50:
	subi r22,1
	sbc r23,__zero_reg__
.L52:
	movw r6,r4
	ldi r24,1
	sub r6,r24
	sbc r7,__zero_reg__
	cp r22,__zero_reg__
	cpc r23,__zero_reg__
	breq .+2
	rjmp .L122
	cp r6,__zero_reg__
	cpc r7,__zero_reg__
	brne .+2
	rjmp .L85
	ldi r24,2
	sub r4,r24
	sbc r5,__zero_reg__
	ldi r22,lo8(1)
	ldi r23,0
.L54:
	subi r22,1
	sbc r23,__zero_reg__
.L56:
	movw r8,r6
	ldi r24,1
	sub r8,r24
	sbc r9,__zero_reg__
	cp r22,__zero_reg__
	cpc r23,__zero_reg__
	breq .+2
	rjmp .L123
	cp r8,__zero_reg__
	cpc r9,__zero_reg__
	brne .+2
	rjmp .L86
	ldi r24,2
	sub r6,r24
	sbc r7,__zero_reg__
	ldi r22,lo8(1)
	ldi r23,0
.L58:
	subi r22,1
	sbc r23,__zero_reg__
.L60:
	movw r10,r8
	ldi r24,1
	sub r10,r24
	sbc r11,__zero_reg__
	cp r22,__zero_reg__
	cpc r23,__zero_reg__
	breq .+2
	rjmp .L124
	cp r10,__zero_reg__
	cpc r11,__zero_reg__
	brne .+2
	rjmp .L87
	ldi r24,2
	sub r8,r24
	sbc r9,__zero_reg__
	ldi r22,lo8(1)
	ldi r23,0
.L62:
	subi r22,1
	sbc r23,__zero_reg__
.L64:
	movw r12,r10
	ldi r24,1
	sub r12,r24
	sbc r13,__zero_reg__
	cp r22,__zero_reg__
	cpc r23,__zero_reg__
	breq .+2
	rjmp .L125
	cp r12,__zero_reg__
	cpc r13,__zero_reg__
	brne .+2
	rjmp .L88
	ldi r24,2
	sub r10,r24
	sbc r11,__zero_reg__
	ldi r22,lo8(1)
	ldi r23,0
.L66:
	subi r22,1
	sbc r23,__zero_reg__
.L68:
	movw r14,r12
	ldi r24,1
	sub r14,r24
	sbc r15,__zero_reg__
	cp r22,__zero_reg__
	cpc r23,__zero_reg__
	breq .+2
	rjmp .L126
	cp r14,__zero_reg__
	cpc r15,__zero_reg__
	brne .+2
	rjmp .L89
	ldi r24,2
	sub r12,r24
	sbc r13,__zero_reg__
	ldi r22,lo8(1)
	ldi r23,0
.L70:
	subi r22,1
	sbc r23,__zero_reg__
.L72:
	movw r16,r14
	subi r16,1
	sbc r17,__zero_reg__
	cp r22,__zero_reg__
	cpc r23,__zero_reg__
	breq .+2
	rjmp .L127
	cp r16,__zero_reg__
	cpc r17,__zero_reg__
	brne .+2
	rjmp .L90
	ldi r24,2
	sub r14,r24
	sbc r15,__zero_reg__
	ldi r22,lo8(1)
	ldi r23,0
.L74:
	subi r22,1
	sbc r23,__zero_reg__
.L76:
	movw r28,r16
	sbiw r28,1
	cp r22,__zero_reg__
	cpc r23,__zero_reg__
	breq .+2
	rjmp .L128
	sbiw r28,0
	brne .+2
	rjmp .L91
	subi r16,2
	sbc r17,__zero_reg__
	ldi r22,lo8(1)
	ldi r23,0
.L78:
	subi r22,1
	sbc r23,__zero_reg__
.L80:
	movw r24,r28
	sbiw r24,1
	cp r22,__zero_reg__
	cpc r23,__zero_reg__
	breq .+2
	rjmp .L129
	sbiw r24,0
	brne .+2
	rjmp .L92
	sbiw r28,2
	ldi r22,lo8(1)
	ldi r23,0
.L82:
	subi r22,1
	sbc r23,__zero_reg__
	call ackermann
	sbiw r28,0
	brne .L80
	subi r22,-1
	sbci r23,-1
	cp r16,__zero_reg__
	cpc r17,__zero_reg__
	brne .L76
.L77:
	subi r22,-1
	sbci r23,-1
	cp r14,__zero_reg__
	cpc r15,__zero_reg__
	brne .L72
.L73:
	subi r22,-1
	sbci r23,-1
	cp r12,__zero_reg__
	cpc r13,__zero_reg__
	breq .+2
	rjmp .L68
.L69:
	subi r22,-1
	sbci r23,-1
	cp r10,__zero_reg__
	cpc r11,__zero_reg__
	breq .+2
	rjmp .L64
.L65:
	subi r22,-1
	sbci r23,-1
	cp r8,__zero_reg__
	cpc r9,__zero_reg__
	breq .+2
	rjmp .L60
.L61:
	subi r22,-1
	sbci r23,-1
	cp r6,__zero_reg__
	cpc r7,__zero_reg__
	breq .+2
	rjmp .L56
.L57:
	subi r22,-1
	sbci r23,-1
	cp r4,__zero_reg__
	cpc r5,__zero_reg__
	breq .+2
	rjmp .L52
.L53:
	subi r22,-1
	sbci r23,-1
	cp r2,__zero_reg__
	cpc r3,__zero_reg__
	breq .+2
	rjmp .L48
.L49:
	subi r22,-1
	sbci r23,-1
	ldi r24,0
	ldi r25,0
/* epilogue start */
	pop r29
	pop r28
	pop r17
	pop r16
	pop r15
	pop r14
	pop r13
	pop r12
	pop r11
	pop r10
	pop r9
	pop r8
	pop r7
	pop r6
	pop r5
	pop r4
	pop r3
	pop r2
	ret
.L92:
	ldi r22,lo8(1)
	ldi r23,0
	subi r22,-1
	sbci r23,-1
	cp r16,__zero_reg__
	cpc r17,__zero_reg__
	breq .+2
	rjmp .L76
	rjmp .L77
.L91:
	ldi r22,lo8(1)
	ldi r23,0
	subi r22,-1
	sbci r23,-1
	cp r14,__zero_reg__
	cpc r15,__zero_reg__
	breq .+2
	rjmp .L72
	rjmp .L73
.L90:
	ldi r22,lo8(1)
	ldi r23,0
	subi r22,-1
	sbci r23,-1
	cp r12,__zero_reg__
	cpc r13,__zero_reg__
	breq .+2
	rjmp .L68
	rjmp .L69
.L89:
	ldi r22,lo8(1)
	ldi r23,0
	subi r22,-1
	sbci r23,-1
	cp r10,__zero_reg__
	cpc r11,__zero_reg__
	breq .+2
	rjmp .L64
	rjmp .L65
.L88:
	ldi r22,lo8(1)
	ldi r23,0
	subi r22,-1
	sbci r23,-1
	cp r8,__zero_reg__
	cpc r9,__zero_reg__
	breq .+2
	rjmp .L60
	rjmp .L61
.L87:
	ldi r22,lo8(1)
	ldi r23,0
	subi r22,-1
	sbci r23,-1
	cp r6,__zero_reg__
	cpc r7,__zero_reg__
	breq .+2
	rjmp .L56
	rjmp .L57
.L86:
	ldi r22,lo8(1)
	ldi r23,0
	subi r22,-1
	sbci r23,-1
	cp r4,__zero_reg__
	cpc r5,__zero_reg__
	breq .+2
	rjmp .L52
	rjmp .L53
.L85:
	ldi r22,lo8(1)
	ldi r23,0
	subi r22,-1
	sbci r23,-1
	cp r2,__zero_reg__
	cpc r3,__zero_reg__
	breq .+2
	rjmp .L48
	rjmp .L49
.L129:
	mov r19,r28
	mov r18,r29
	movw r28,r24
	mov r24,r19
	mov r25,r18
	rjmp .L82
.L84:
	ldi r22,lo8(1)
	ldi r23,0
	rjmp .L49
.L128:
	mov r25,r16
	mov r24,r17
	movw r16,r28
	mov r28,r25
	mov r29,r24
	rjmp .L78
.L127:
	mov r25,r14
	mov r24,r15
	movw r14,r16
	mov r16,r25
	mov r17,r24
	rjmp .L74
.L126:
	mov r25,r12
	mov r24,r13
	movw r12,r14
	mov r14,r25
	mov r15,r24
	rjmp .L70
.L125:
	mov r25,r10
	mov r24,r11
	movw r10,r12
	mov r12,r25
	mov r13,r24
	rjmp .L66
.L124:
	mov r25,r10
	mov r24,r11
	movw r10,r8
	mov r8,r25
	mov r9,r24
	rjmp .L62
.L123:
	mov r25,r8
	mov r24,r9
	movw r8,r6
	mov r6,r25
	mov r7,r24
	rjmp .L58
.L122:
	mov r25,r4
	mov r24,r5
	movw r4,r6
	mov r6,r25
	mov r7,r24
	rjmp .L54
.L121:
	mov r25,r2
	mov r24,r3
	movw r2,r4
	mov r4,r25
	mov r5,r24
	rjmp .L50
	.size	ackermann, .-ackermann
	.section	.text.startup,"ax",@progbits
.global	main
	.type	main, @function
main:
	in r28,__SP_L__
	in r29,__SP_H__
	sbiw r28,9
	in __tmp_reg__,__SREG__
	cli
	out __SP_H__,r29
	out __SREG__,__tmp_reg__
	out __SP_L__,r28
/* prologue: function */
/* frame size = 9 */
/* stack size = 9 */
.L__stack_usage = 9
	std Y+4,__zero_reg__
	std Y+5,__zero_reg__
	std Y+3,__zero_reg__
	ldi r24,lo8(40)
	mov r12,r24
	mov r13,__zero_reg__
	ldi r25,lo8(30)
	mov r14,r25
	mov r15,__zero_reg__
	ldi r18,lo8(2)
	std Y+1,r18
	std Y+2,__zero_reg__
	ldi r16,lo8(1)
	ldi r17,0
	mov r10,__zero_reg__
	mov r11,__zero_reg__
	movw r8,r10
.L131:
	ldd r2,Y+4
	ldi r19,lo8(2)
	cp r2,r19
	brlo .L137
	mov r3,r2
	mov r6,__zero_reg__
	mov r7,__zero_reg__
	movw r4,r6
.L135:
	ldi r24,lo8(-1)
	add r24,r3
	call fib
	dec r3
	dec r3
	add r4,r22
	adc r5,r23
	adc r6,r24
	adc r7,r25
	ldi r18,lo8(2)
	cp r3,r18
	brsh .L135
	bst r2,0
	clr r2
	bld r2,0
	add r8,r4
	adc r9,r5
	adc r10,r6
	adc r11,r7
.L137:
	add r8,r2
	adc r9,__zero_reg__
	adc r10,__zero_reg__
	adc r11,__zero_reg__
	ldd r4,Y+4
	ldd r5,Y+5
	add r14,r4
	adc r15,r5
	add r12,r4
	adc r13,r5
	sub r16,r4
	sbc r17,r5
	ldd r6,Y+1
	ldd r7,Y+2
	sub r6,r4
	sbc r7,r5
	std Y+1,r6
	std Y+2,r7
	ldd r30,Y+3
	clr r7
	inc r7
	eor r30,r7
	movw r22,r14
	mov r24,r15
	lsl r24
	sbc r24,r24
	std Y+6,r14
	std Y+7,r23
	std Y+8,r24
	std Y+9,r24
	movw r24,r16
	mov r26,r17
	lsl r26
	sbc r26,r26
	mov r27,r26
	movw r18,r12
	mov r20,r13
	lsl r20
	sbc r20,r20
	mov r21,r20
	ldd r4,Y+1
	ldd r5,Y+2
	mov r0,r5
	lsl r0
	sbc r0,r0
	sub r18,r4
	sbc r19,r5
	sbc r20,r0
	sbc r21,r0
	ldd r22,Y+3
	cpi r22,lo8(1)
	brne .L132
	ldd r4,Y+6
	ldd r5,Y+7
	ldd r6,Y+8
	ldd r7,Y+9
	sub r4,r24
	sbc r5,r25
	sbc r6,r26
	sbc r7,r27
	movw r22,r4
	movw r24,r6
.L133:
	call __mulsi3
	eor r8,r22
	eor r9,r23
	eor r10,r24
	eor r11,r25
	ldd r18,Y+4
	ldd r19,Y+5
	subi r18,-1
	sbci r19,-1
	std Y+4,r18
	std Y+5,r19
	cpi r18,20
	cpc r19,__zero_reg__
	breq .L136
	std Y+3,r30
	rjmp .L131
.L132:
	movw r22,r16
	movw r24,r26
	ldd r4,Y+6
	ldd r5,Y+7
	ldd r6,Y+8
	ldd r7,Y+9
	sub r22,r4
	sbc r23,r5
	sbc r24,r6
	sbc r25,r7
	rjmp .L133
.L136:
	ldi r22,lo8(3)
	ldi r23,0
	ldi r24,lo8(2)
	ldi r25,0
	call ackermann
	movw r26,r24
	movw r24,r22
	add r24,r8
	adc r25,r9
	adc r26,r10
	adc r27,r11
	sts sink,r24
	sts sink+1,r25
	sts sink+2,r26
	sts sink+3,r27
	andi r24,lo8(127)
	ldi r25,0
/* epilogue start */
	adiw r28,9
	in __tmp_reg__,__SREG__
	cli
	out __SP_H__,r29
	out __SREG__,__tmp_reg__
	out __SP_L__,r28
	ret
	.size	main, .-main
.global	sink
	.section .bss
	.type	sink, @object
	.size	sink, 4
sink:
	.zero	4
	.ident	"GCC: (GNU) 15.2.0"
.global __do_clear_bss
