/* A switch-driven tokenizer and state machine, lookup tables in flash, bit twiddling. */
#include <stdint.h>
#include <avr/pgmspace.h>

enum tok { T_END, T_NUM, T_PLUS, T_MINUS, T_STAR, T_LP, T_RP, T_ERR };

static const uint8_t crc_table[16] PROGMEM = {
    0x00, 0x07, 0x0e, 0x09, 0x1c, 0x1b, 0x12, 0x15,
    0x38, 0x3f, 0x36, 0x31, 0x24, 0x23, 0x2a, 0x2d,
};

static uint8_t crc8(const char *s)
{
    uint8_t crc = 0;
    while (*s) {
        uint8_t b = (uint8_t)*s++;
        crc = (uint8_t)(crc << 4) ^ pgm_read_byte(&crc_table[(crc >> 4) ^ (b >> 4)]);
        crc = (uint8_t)(crc << 4) ^ pgm_read_byte(&crc_table[(crc >> 4) ^ (b & 15)]);
    }
    return crc;
}

struct lexer { const char *p; int16_t value; };

static enum tok next(struct lexer *lx)
{
    for (;;) {
        char c = *lx->p;
        switch (c) {
        case '\0': return T_END;
        case ' ': case '\t': lx->p++; continue;
        case '+': lx->p++; return T_PLUS;
        case '-': lx->p++; return T_MINUS;
        case '*': lx->p++; return T_STAR;
        case '(': lx->p++; return T_LP;
        case ')': lx->p++; return T_RP;
        case '0': case '1': case '2': case '3': case '4':
        case '5': case '6': case '7': case '8': case '9':
            lx->value = 0;
            while (*lx->p >= '0' && *lx->p <= '9')
                lx->value = lx->value * 10 + (*lx->p++ - '0');
            return T_NUM;
        default:
            return T_ERR;
        }
    }
}

/* Shunting-yard-free evaluator: + and - only, left to right, with a small stack for parens. */
static int16_t eval(const char *src)
{
    struct lexer lx = { src, 0 };
    int16_t stack[8], acc = 0;
    int8_t sign = 1, sp = 0;
    enum tok t;
    while ((t = next(&lx)) != T_END) {
        switch (t) {
        case T_NUM: acc += sign * lx.value; break;
        case T_PLUS: sign = 1; break;
        case T_MINUS: sign = -1; break;
        case T_LP: if (sp < 8) { stack[sp++] = acc; stack[sp++] = sign; } acc = 0; sign = 1; break;
        case T_RP: if (sp >= 2) { int16_t s = stack[--sp]; acc = stack[--sp] + s * acc; } break;
        case T_STAR: acc <<= 1; break;
        default: return -1;
        }
    }
    return acc;
}

static uint8_t popcount16(uint16_t v)
{
    uint8_t n = 0;
    while (v) { v &= v - 1; n++; }
    return n;
}

volatile int16_t result;
volatile uint8_t check;

int main(void)
{
    static const char *const exprs[] = { "1 + 2 - 3", "(10 - (4 + 3)) + 7", "12 * + 1", "9-(8-(7-(6-5)))" };
    for (uint8_t i = 0; i < sizeof exprs / sizeof exprs[0]; i++) {
        result += eval(exprs[i]);
        check ^= crc8(exprs[i]) + popcount16((uint16_t)result);
    }
    return check;
}
