// A consumer outside the paged tree: the umbrella header compiles, a pipeline runs, the result is checked.
#include <paged/paged.hpp>

#include <cstdio>
#include <vector>

namespace {
paged::async_generator<int> numbers() {
    for (int i = 0;; ++i) co_yield i;
}
}  // namespace

int main() {
    std::vector<int> seen;
    for (int x : paged::blocking(numbers() | paged::filter([](int x) { return x % 3 == 0; }) | paged::take(4))) {
        seen.push_back(x);
    }
    const bool ok = seen == std::vector<int>{0, 3, 6, 9};
    std::printf("paged %s consumer: %s\n", paged::version, ok ? "ok" : "wrong result");
    return ok ? 0 : 1;
}
