// The vendored single header of the HTTP layer, with nothing but -I single_include (and libcurl, nlohmann_json from
// the system): a client on a loop and a lazy walk are built; nothing is fetched (no network in the test).
#include <paged/http.hpp>

#include <cstdio>

int main() {
    paged::event_loop loop;
    paged::http::client client(loop, paged::http::client_options().user_agent("paged-single-header"));
    auto issues = paged::paginate(paged::http::next_link(client, "https://api.example.com/items?per_page=100")) |
                  paged::take(10);
    std::printf("paged %s single header: walk built, nothing fetched\n", paged::version);
    return 0;
}
