/* Soft-float on AVR (-mdouble=32): Newton iterations, polynomial evaluation, conversions. */
#include <stdint.h>
#include <float.h>

static float my_sqrt(float x)
{
    if (x <= 0.0f) return 0.0f;
    float g = x > 1.0f ? x / 2.0f : 1.0f;
    for (int i = 0; i < 12; i++)
        g = 0.5f * (g + x / g);
    return g;
}

/* Horner evaluation of a Taylor series for sin on [-pi, pi]. */
static float my_sin(float x)
{
    static const float c[] = { 1.0f, -1.0f / 6, 1.0f / 120, -1.0f / 5040, 1.0f / 362880 };
    float x2 = x * x, r = c[4];
    for (int i = 3; i >= 0; i--)
        r = r * x2 + c[i];
    return r * x;
}

static double mean(const double *v, uint8_t n)
{
    double s = 0;
    for (uint8_t i = 0; i < n; i++) s += v[i];
    return n ? s / n : 0;
}

volatile float fout[8];
volatile int32_t iout;

int main(void)
{
    double samples[16];
    for (uint8_t i = 0; i < 16; i++)
        samples[i] = my_sin((float)i * 0.25f - 2.0f) * 100.0;
    fout[0] = my_sqrt(2.0f);
    fout[1] = my_sqrt(12345.678f);
    fout[2] = (float)mean(samples, 16);
    fout[3] = FLT_EPSILON * 3;
    fout[4] = (float)iout / 7.0f;
    iout = (int32_t)(fout[1] * 1000.0f) + (int32_t)fout[2];
    return fout[0] > 1.41f && fout[0] < 1.42f ? 0 : 1;
}
