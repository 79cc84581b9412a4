#include <paged/http/offset_fetcher.hpp>
#include <paged/testing/fake_api.hpp>

#include <string>

void build(paged::testing::fake_api& api, const std::string& u) {
    auto rows = paged::http::offset(api, {.url = u, .page_size = 50});  // offset_options(u).page_size(50)
    (void)rows;
}
