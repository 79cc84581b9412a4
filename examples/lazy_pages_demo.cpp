// The experiment behind paged, on an in-memory API: 20,000 records served 50 a page with a little latency per
// request. Streaming pulls a page only when the one before is used up, so "the first 10" costs one request and
// memory stays at about one page; collecting everything first holds the whole dataset.
//
//     lazy_pages_demo [latency in ms, default 1]

#include <paged/paged.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

// Counts the records alive at once, to show how much of the dataset each approach holds.
struct memory_meter {
    long live = 0;
    long peak = 0;
    void reset() { peak = live; }
};
memory_meter meter;

class record {
public:
    explicit record(int id) : id_(id), name_("customer-" + std::to_string(id)) { note_created(); }
    record(const record& other) : id_(other.id_), name_(other.name_) { note_created(); }
    record(record&& other) noexcept : id_(other.id_), name_(std::move(other.name_)) { note_created(); }
    record& operator=(const record&) = default;
    record& operator=(record&&) noexcept = default;
    ~record() { --meter.live; }

    int id() const noexcept { return id_; }

private:
    static void note_created() noexcept {
        if (++meter.live > meter.peak) meter.peak = meter.live;
    }
    int id_;
    std::string name_;
};

// A paginated API in memory: page n holds records [n*50, n*50+50), and the API tells its total (as an X-Total-Count
// header would). Each request waits `latency` on the loop.
class in_memory_api {
public:
    static constexpr int total = 20'000;
    static constexpr int page_size = 50;
    static constexpr int pages = (total + page_size - 1) / page_size;

    explicit in_memory_api(std::chrono::milliseconds latency) : latency_(latency) {}

    paged::task<std::vector<record>> fetch_page(int number) {
        ++requests;
        co_await paged::sleep_for(latency_);
        std::vector<record> page;
        for (int id = number * page_size; id < total && id < (number + 1) * page_size; ++id) page.emplace_back(id);
        co_return page;
    }

    int requests = 0;

private:
    std::chrono::milliseconds latency_;
};

// One lazy stream of records, whatever the number of pages.
paged::async_generator<record> all_records(in_memory_api& api) {
    for (int number = 0; number < in_memory_api::pages; ++number) {
        std::vector<record> page = co_await api.fetch_page(number);
        for (auto& item : page) co_yield item;
    }
}

// The usual loop: every page into one vector before anything is processed.
paged::task<std::vector<record>> collect_everything(in_memory_api& api) {
    std::vector<record> all;
    for (int number = 0; number < in_memory_api::pages; ++number) {
        std::vector<record> page = co_await api.fetch_page(number);
        for (auto& item : page) all.push_back(std::move(item));
    }
    co_return all;
}

void report(const char* scenario, long records, const in_memory_api& api, std::chrono::steady_clock::duration took) {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(took).count();
    std::printf("%-28s %8ld %9d %12ld %9lld ms\n", scenario, records, api.requests, meter.peak,
                static_cast<long long>(ms));
}


}  // namespace

int main(int argc, char** argv) {
    const std::chrono::milliseconds latency(argc > 1 ? std::atoi(argv[1]) : 1);
    std::printf("paged %s demo: %d records, %d a page, %lld ms a request\n\n", paged::version, in_memory_api::total,
                in_memory_api::page_size, static_cast<long long>(latency.count()));
    std::printf("%-28s %8s %9s %12s %12s\n", "scenario", "records", "requests", "peak records", "time");

    const auto even = [](const record& r) { return r.id() % 2 == 0; };
    const auto run = [&](const char* scenario, auto pipeline_of) {
        in_memory_api api(latency);
        meter.reset();
        const auto start = std::chrono::steady_clock::now();
        long seen = 0;
        for (const record& r : paged::blocking(pipeline_of(all_records(api)))) seen += r.id() >= 0;
        report(scenario, seen, api, std::chrono::steady_clock::now() - start);
    };
    run("all records (stream)", [](auto records) { return records; });
    run("first 10", [](auto records) { return std::move(records) | paged::take(10); });
    run("first 5 even (filter|take)", [&](auto records) { return std::move(records) | paged::filter(even) | paged::take(5); });

    in_memory_api api(latency);
    meter.reset();
    const auto start = std::chrono::steady_clock::now();
    const auto everything = paged::sync_wait(collect_everything(api));
    report("all records (collect first)", static_cast<long>(everything.size()), api,
           std::chrono::steady_clock::now() - start);
    return 0;
}
