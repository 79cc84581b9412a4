#include <paged/adaptors.hpp>

paged::async_generator<int> numbers() { co_yield 1; }

void first_three() {
    auto gen = numbers();
    auto three = gen | paged::take(3);  // a named generator: must be std::move'd
    (void)three;
}
