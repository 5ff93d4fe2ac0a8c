// C++ without exceptions or RTTI: templates, constexpr, classes with virtual functions,
// operator overloading, lambdas, placement of objects in static storage.
#include <stdint.h>

template <typename T, uint8_t N>
class RingBuffer {
public:
    bool push(T v) {
        uint8_t n = static_cast<uint8_t>((head_ + 1) % N);
        if (n == tail_) return false;
        buf_[head_] = v;
        head_ = n;
        return true;
    }
    bool pop(T &out) {
        if (head_ == tail_) return false;
        out = buf_[tail_];
        tail_ = static_cast<uint8_t>((tail_ + 1) % N);
        return true;
    }
    uint8_t size() const { return static_cast<uint8_t>((head_ + N - tail_) % N); }
private:
    T buf_[N] {};
    uint8_t head_ = 0, tail_ = 0;
};

struct Fixed {
    int16_t raw; // Q8.8
    constexpr Fixed(int16_t r = 0) : raw(r) {}
    static constexpr Fixed from_int(int8_t v) { return Fixed(static_cast<int16_t>(v * 256)); }
    constexpr Fixed operator+(Fixed o) const { return Fixed(static_cast<int16_t>(raw + o.raw)); }
    constexpr Fixed operator*(Fixed o) const {
        return Fixed(static_cast<int16_t>((static_cast<int32_t>(raw) * o.raw) >> 8));
    }
    constexpr bool operator<(Fixed o) const { return raw < o.raw; }
};

constexpr uint32_t factorial(uint8_t n) { return n <= 1 ? 1 : n * factorial(n - 1); }
static_assert(factorial(10) == 3628800UL, "constexpr evaluation");

class Shape {
public:
    virtual ~Shape() = default;
    virtual Fixed area() const = 0;
    virtual uint8_t sides() const { return 0; }
};

class Square : public Shape {
public:
    explicit Square(Fixed s) : s_(s) {}
    Fixed area() const override { return s_ * s_; }
    uint8_t sides() const override { return 4; }
private:
    Fixed s_;
};

class Triangle : public Shape {
public:
    Triangle(Fixed b, Fixed h) : b_(b), h_(h) {}
    Fixed area() const override { return b_ * h_ * Fixed(128); }
    uint8_t sides() const override { return 3; }
private:
    Fixed b_, h_;
};

template <typename It, typename F>
static auto fold(It first, It last, decltype(*first + *first) init, F f) {
    for (; first != last; ++first) init = f(init, *first);
    return init;
}

static Square sq(Fixed::from_int(3));
static Triangle tri(Fixed::from_int(4), Fixed::from_int(5));
static RingBuffer<int16_t, 8> rb;

volatile int16_t out;

int main()
{
    const Shape *shapes[] = { &sq, &tri, &sq };
    Fixed total;
    uint8_t sides = 0;
    for (const Shape *s : shapes) {
        total = total + s->area();
        sides += s->sides();
    }
    for (int16_t i = 0; i < 10; i++) rb.push(static_cast<int16_t>(i * i));
    int16_t vals[8] {};
    uint8_t n = 0;
    int16_t v;
    while (n < 8 && rb.pop(v)) vals[n++] = v;
    auto sum = fold(vals, vals + n, 0, [](int a, int16_t b) { return a + b; });
    out = static_cast<int16_t>(total.raw + sides + sum + static_cast<int16_t>(factorial(7) & 0xff));
    return 0;
}
