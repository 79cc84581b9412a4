#include <paged/collect.hpp>
#include <paged/paginate.hpp>

#include <string>

struct rows {
    using value_type = int;
    using cursor_type = long;
    long first_cursor() const { return 0; }
    paged::task<paged::page<int, long>> fetch(long) { co_return paged::page<int, long>{}; }
};

paged::task<std::size_t> count(std::string name) {
    // A temporary lambda owning a string, built inside a co_await: destroyed twice by g++ 12.
    auto all = co_await paged::collect(
        paged::paginate(rows{}, paged::walk_options().on_page([name](const paged::page_event&) { (void)name; })));
    co_return all.size();
}
