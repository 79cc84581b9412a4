#include <paged/paginate.hpp>
#include <paged/task.hpp>

struct rows {
    using value_type = int;
    long first_cursor() const { return 0; }
    paged::task<paged::page<int, long>> fetch(long) { co_return paged::page<int, long>{}; }
};

void walk() { auto all = paged::paginate(rows{}); }
