// Uses paged::http the way a service does: a client on a loop and a strategy; walks fake_api (no network here).
#include <paged/blocking.hpp>
#include <paged/http/client.hpp>
#include <paged/http/link_fetcher.hpp>
#include <paged/paginate.hpp>
#include <paged/testing/fake_endpoints.hpp>

#include <cstdio>

int main() {
    paged::event_loop loop;
    paged::http::client client(loop, paged::http::client_options().user_agent("paged-consumer"));
    (void)paged::http::next_link(client, paged::http::link_options("https://api.example.com/items?per_page=100")
                                             .header("Accept", "application/json"));

    paged::testing::fake_api api(paged::testing::link_endpoint(paged::testing::numbered_records(250)));
    int count = 0;
    for (const auto& record : paged::blocking(paged::paginate(paged::http::next_link(api, "https://x.test/i")), loop)) {
        count += record.is_object() ? 1 : 0;
    }
    std::printf("%d records\n", count);
    return count == 250 ? 0 : 1;
}
