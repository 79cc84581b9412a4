#include <paged/for_each.hpp>

paged::async_generator<int> numbers() { co_yield 1; }

paged::task<void> print_all() {
    paged::for_each(numbers(), [](int) {});  // the task is dropped: nothing would run
    co_return;
}
