; Minimal ATmega328P start-up code, written by hand for the real-programs corpus:
; vector table, stack set-up, .data copy from flash, .bss clear, call main, then halt.
        .section .vectors,"ax",@progbits
        .global __vectors
__vectors:
        jmp     __init
        .rept   25
        jmp     __bad_interrupt
        .endr

        .section .init0,"ax",@progbits
        .global __init
__init:
        clr     r1
        out     0x3f, r1                ; SREG = 0
        ldi     r28, lo8(0x08ff)        ; RAMEND
        ldi     r29, hi8(0x08ff)
        out     0x3e, r29               ; SPH
        out     0x3d, r28               ; SPL

        .global __do_copy_data
__do_copy_data:
        ldi     r17, hi8(__data_end)
        ldi     r26, lo8(__data_start)
        ldi     r27, hi8(__data_start)
        ldi     r30, lo8(__data_load_start)
        ldi     r31, hi8(__data_load_start)
        rjmp    2f
1:      lpm     r0, Z+
        st      X+, r0
2:      cpi     r26, lo8(__data_end)
        cpc     r27, r17
        brne    1b

        .global __do_clear_bss
__do_clear_bss:
        ldi     r18, hi8(__bss_end)
        ldi     r26, lo8(__bss_start)
        ldi     r27, hi8(__bss_start)
        rjmp    4f
3:      st      X+, r1
4:      cpi     r26, lo8(__bss_end)
        cpc     r27, r18
        brne    3b

        call    main
        .global __stop_program
__stop_program:
        cli
        rjmp    __stop_program

        .text
        .global __bad_interrupt
__bad_interrupt:
        jmp     __vectors
