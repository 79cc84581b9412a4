#include <paged/async_generator.hpp>
#include <paged/task.hpp>

paged::async_generator<int> numbers() { co_yield 1; }

paged::task<int> sum() {
    int total = 0;
    auto gen = numbers();
    for (auto it = gen.begin(); it != gen.end(); (void)co_await ++it) total += *it;  // begin() needs co_await
    co_return total;
}
