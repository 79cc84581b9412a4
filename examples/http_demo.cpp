// The experiment behind paged, over real HTTP: a 20,000-record API served 50 a page. Streaming fetches a page only
// when the one before is used up, so "the first 10" costs one request and memory stays at about one page; collecting
// everything first holds the whole dataset.
//
//     http_demo <url>           walks any API that pages with Link: <...>; rel="next" (GitHub style)
//
// scripts/demo.sh starts the local test server (tests/support/paged_server.py, 20,000 records) and passes its
// /pages?per_page=50 URL; `scripts/demo.sh <url>` walks another API instead.
//
// "peak heap" is the most memory that C++ objects (records, response bodies) held at once during the scenario.

#include <paged/adaptors.hpp>
#include <paged/blocking.hpp>
#include <paged/collect.hpp>
#include <paged/http/client.hpp>
#include <paged/http/link_fetcher.hpp>
#include <paged/paginate.hpp>
#include <paged/sync_wait.hpp>

#include <malloc.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <string>

// --- heap meter: every operator new/delete of the program goes through these.
namespace {
std::size_t live_bytes = 0;
std::size_t peak_bytes = 0;

void* allocate(std::size_t size) noexcept {
    void* block = std::malloc(size == 0 ? 1 : size);
    if (block != nullptr && (live_bytes += malloc_usable_size(block)) > peak_bytes) peak_bytes = live_bytes;
    return block;
}
void release(void* block) noexcept {
    if (block == nullptr) return;
    live_bytes -= malloc_usable_size(block);
    std::free(block);
}
void* allocate_or_throw(std::size_t size) {
    if (void* block = allocate(size)) return block;
    throw std::bad_alloc();
}
}  // namespace

void* operator new(std::size_t size) { return allocate_or_throw(size); }
void* operator new[](std::size_t size) { return allocate_or_throw(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept { return allocate(size); }
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept { return allocate(size); }
void operator delete(void* block) noexcept { release(block); }
void operator delete[](void* block) noexcept { release(block); }
void operator delete(void* block, std::size_t) noexcept { release(block); }
void operator delete[](void* block, std::size_t) noexcept { release(block); }
void operator delete(void* block, const std::nothrow_t&) noexcept { release(block); }
void operator delete[](void* block, const std::nothrow_t&) noexcept { release(block); }

namespace {

// A transport that counts the requests it passes to the client.
struct counting_transport {
    paged::http::client* client;
    std::size_t requests = 0;
    paged::task<paged::http::response> send(paged::http::request outgoing) {
        ++requests;
        return client->send(std::move(outgoing));
    }
};

struct outcome {
    std::size_t records = 0;
    std::size_t requests = 0;
    std::size_t peak_bytes = 0;
    double seconds = 0;
};

bool even_id(const nlohmann::json& record) { return record.value("id", std::uint64_t{1}) % 2 == 0; }

template <class Walk>
outcome measure(paged::event_loop& loop, paged::http::client& client, const std::string& url, Walk walk) {
    counting_transport counted{&client};
    const auto started = std::chrono::steady_clock::now();
    peak_bytes = live_bytes;
    const std::size_t before = live_bytes;
    outcome result;
    result.records = walk(loop, paged::http::next_link(counted, url));
    result.requests = counted.requests;
    result.peak_bytes = peak_bytes - before;
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return result;
}

// Reads a stream to its end, one record at a time, keeping none.
template <class T>
std::size_t stream(paged::event_loop& loop, paged::async_generator<T> records) {
    std::size_t count = 0;
    for (const auto& record : paged::blocking(std::move(records), loop)) count += !record.is_null();
    return count;
}

template <class Fetcher>
std::size_t collect_all(paged::event_loop& loop, Fetcher api) {
    return paged::sync_wait(loop, paged::collect(paged::paginate(std::move(api)))).size();
}

void print(const char* scenario, const outcome& result) {
    std::printf("%-28s %8zu %9zu %9.2f MB %8.2f s\n", scenario, result.records, result.requests,
                static_cast<double>(result.peak_bytes) / (1024.0 * 1024.0), result.seconds);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: http_demo <url of the first page of an API that sends Link: <...>; rel=\"next\">\n");
        return 2;
    }
    try {
        const std::string url = argv[1];
        paged::event_loop loop;
        paged::http::client client(loop);
        std::printf("paged %s demo over real HTTP: %s\n\n", paged::version, url.c_str());
        std::printf("%-28s %8s %9s %12s %10s\n", "scenario", "records", "requests", "peak heap", "time");
        print("all records (stream)", measure(loop, client, url, [](auto& l, auto api) {
                  return stream(l, paged::paginate(std::move(api)));
              }));
        print("first 10", measure(loop, client, url, [](auto& l, auto api) {
                  return stream(l, paged::paginate(std::move(api)) | paged::take(10));
              }));
        print("first 5 even (filter|take)", measure(loop, client, url, [](auto& l, auto api) {
                  return stream(l, paged::paginate(std::move(api)) | paged::filter(even_id) | paged::take(5));
              }));
        print("all records (collect first)",
              measure(loop, client, url, [](auto& l, auto api) { return collect_all(l, std::move(api)); }));
        return EXIT_SUCCESS;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "http_demo: %s\n", e.what());
        return EXIT_FAILURE;
    }
}
