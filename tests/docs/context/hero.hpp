#pragma once
// For README's first example: a paginated source of customers and a database, defined for real so that the program
// runs (400 pages of 50, each a millisecond of "network") and checks its claims: one customer in 7 is a VIP, so the
// first 10 VIPs are on pages 0 and 1, and the api counts the pages asked for.

#include <paged/paged.hpp>

#include <chrono>
#include <cstddef>
#include <cstdio>
#include <string>
#include <vector>

namespace paged_docs::hero {

struct customer {
    customer(int customer_id, bool vip) : id(customer_id), name("customer-" + std::to_string(customer_id)), vip_(vip) {}
    bool is_vip() const noexcept { return vip_; }

    int id;
    std::string name;

private:
    bool vip_;
};

class api {
public:
    int page_count() const noexcept { return 400; }
    int pages_requested() const noexcept { return pages_requested_; }
    paged::task<std::vector<customer>> fetch_page(int page) {
        ++pages_requested_;
        co_await paged::sleep_for(std::chrono::milliseconds(1));
        std::vector<customer> batch;
        for (int id = page * 50; id < (page + 1) * 50; ++id) batch.emplace_back(id, id % 7 == 0);
        co_return batch;
    }

private:
    int pages_requested_ = 0;
};

struct database {
    void upsert(const customer& c) { rows.push_back(c.id); }
    std::size_t size() const noexcept { return rows.size(); }
    std::vector<int> rows;
};

inline void print(const customer& c) { std::printf("  %s\n", c.name.c_str()); }

}  // namespace paged_docs::hero
