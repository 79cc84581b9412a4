#pragma once
// For README's first example: a paginated source of customers and a database, defined for real so that the program
// runs (400 pages of 50, each a millisecond of "network").

#include <paged/paged.hpp>

#include <chrono>
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
    paged::task<std::vector<customer>> fetch_page(int page) {
        co_await paged::sleep_for(std::chrono::milliseconds(1));
        std::vector<customer> batch;
        for (int id = page * 50; id < (page + 1) * 50; ++id) batch.emplace_back(id, id % 7 == 0);
        co_return batch;
    }
};

struct database {
    void upsert(const customer& c) { rows.push_back(c.id); }
    std::vector<int> rows;
};

inline void print(const customer& c) { std::printf("  %s\n", c.name.c_str()); }

}  // namespace paged_docs::hero
