// paged_redis_tests' own main: the multi-process test runs this same binary as its workers, and a worker must start
// before Catch parses the command line.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <cstring>

namespace paged_redis_test {
int worker_main(int argc, char** argv);  // shared_budget_test.cpp
inline constexpr const char* worker_flag = "--paged-redis-worker";
}  // namespace paged_redis_test

int main(int argc, char** argv) {
    if (argc > 1 && std::strcmp(argv[1], paged_redis_test::worker_flag) == 0) {
        return paged_redis_test::worker_main(argc, argv);
    }
    return Catch::Session().run(argc, argv);
}
