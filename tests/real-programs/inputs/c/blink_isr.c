/* AVR peripherals: io registers, an interrupt handler, a ring buffer, inline helpers. */
#include <stdint.h>
#include <avr/io.h>
#include <avr/interrupt.h>

#define RING 16
static volatile uint8_t ring[RING];
static volatile uint8_t head, tail;
static volatile uint16_t ticks;

ISR(TIMER0_OVF_vect)
{
    ticks++;
    if ((ticks & 63) == 0)
        PORTB ^= _BV(PB5);
}

ISR(USART_RX_vect)
{
    uint8_t c = UDR0;
    uint8_t n = (uint8_t)((head + 1) & (RING - 1));
    if (n != tail) { ring[head] = c; head = n; }
}

static inline int16_t ring_get(void)
{
    if (head == tail) return -1;
    uint8_t c = ring[tail];
    tail = (uint8_t)((tail + 1) & (RING - 1));
    return c;
}

static void uart_init(uint16_t ubrr)
{
    UBRR0H = (uint8_t)(ubrr >> 8);
    UBRR0L = (uint8_t)ubrr;
    UCSR0B = _BV(RXEN0) | _BV(TXEN0) | _BV(RXCIE0);
    UCSR0C = _BV(UCSZ01) | _BV(UCSZ00);
}

static void uart_put(uint8_t c)
{
    while (!(UCSR0A & _BV(UDRE0)))
        ;
    UDR0 = c;
}

int main(void)
{
    DDRB |= _BV(DDB5);
    TCCR0B = _BV(CS01) | _BV(CS00);
    TIMSK0 = _BV(TOIE0);
    uart_init(103);
    sei();
    for (;;) {
        int16_t c = ring_get();
        if (c >= 'a' && c <= 'z') c -= 'a' - 'A';
        if (c >= 0) uart_put((uint8_t)c);
    }
}
