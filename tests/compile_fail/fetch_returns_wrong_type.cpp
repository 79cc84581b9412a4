#include <paged/paginate.hpp>
#include <paged/task.hpp>

#include <vector>

struct rows {
    using value_type = int;
    using cursor_type = long;
    long first_cursor() const { return 0; }
    paged::task<std::vector<int>> fetch(long) { co_return std::vector<int>{}; }  // must give paged::page<int, long>
};

void walk() { auto all = paged::paginate(rows{}); }
