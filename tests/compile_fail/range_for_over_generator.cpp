#include <paged/async_generator.hpp>
#include <paged/task.hpp>

paged::async_generator<int> numbers() { co_yield 1; }

paged::task<int> sum() {
    int total = 0;
    for (int x : numbers()) total += x;  // must be co_await gen.begin() / ++it, or paged::blocking
    co_return total;
}
