// The example at the top of README.md, with just enough of an API and a database around it to compile and run.

#include <paged/paged.hpp>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

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
        ++requests;
        co_await paged::sleep_for(std::chrono::milliseconds(1));  // the network, as far as this example goes
        std::vector<customer> batch;
        for (int id = page * 50; id < (page + 1) * 50; ++id) batch.emplace_back(id, id % 7 == 0);
        co_return batch;
    }
    int requests = 0;
};

struct database {
    void upsert(const customer& c) { rows.push_back(c.id); }
    std::vector<int> rows;
};

void print(const customer& c) { std::printf("  %s\n", c.name.c_str()); }

paged::async_generator<customer> customers(api& client) {
    for (int page = 0; page < client.page_count(); ++page) {
        std::vector<customer> batch = co_await client.fetch_page(page);  // suspends only this coroutine
        for (auto& c : batch) co_yield c;                                // hands out a reference, no copy
    }
}

paged::task<void> sync_vip_customers(api& client, database& db) {
    auto vips = customers(client) | paged::filter(&customer::is_vip) | paged::take(10);
    for (auto it = co_await vips.begin(); it != vips.end(); (void)co_await ++it)
        db.upsert(*it);  // stops after the 10th VIP: pages after it are never requested
}

int main() {
    api client;
    database db;
    paged::sync_wait(sync_vip_customers(client, db));
    const int requests = client.requests;
    std::printf("%zu VIP customers upserted after %d requests\n", db.rows.size(), requests);

    // Not in a coroutine? Iterate in a plain for loop.
    for (const customer& c : paged::blocking(customers(client) | paged::take(3))) print(c);
    return db.rows.size() == 10 && requests == 2 ? 0 : 1;  // the 10th VIP (id 63) is on page 2
}
