#include <paged/paginate.hpp>
#include <paged/task.hpp>

struct rows {
    using value_type = int;
    using cursor_type = long;
    long first_cursor() const { return 0; }
    paged::task<paged::page<int, long>> fetch(long) { co_return paged::page<int, long>{}; }
};

void walk() { auto some = paged::paginate(rows{}, {.max_items = 10}); }  // paged::walk_options().max_items(10)
