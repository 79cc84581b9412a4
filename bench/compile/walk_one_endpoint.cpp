// The paged side of the compile-cost comparison (bench/compile/run): walk one Link-header endpoint and print each
// record's name, written as README.md shows. hand_written_loop.cpp does the same job with libcurl and nlohmann alone.
//
//     walk_one_endpoint <url>      e.g. http://127.0.0.1:PORT/pages?per_page=50 of tests/support/paged_server.py

#include <paged/blocking.hpp>
#include <paged/http/client.hpp>
#include <paged/http/link_fetcher.hpp>
#include <paged/paginate.hpp>

#include <cstdio>
#include <exception>
#include <string>

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s <url>\n", argv[0]);
        return 2;
    }
    try {
        paged::http::client client;
        auto records = paged::http::next_link(client, argv[1]);
        for (const nlohmann::json& record : paged::blocking(paged::paginate(records))) {
            std::printf("%s\n", record.at("name").get_ref<const std::string&>().c_str());
        }
    } catch (const std::exception& failure) {
        std::fprintf(stderr, "%s\n", failure.what());
        return 1;
    }
}
