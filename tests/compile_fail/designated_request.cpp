#include <paged/http/message.hpp>
#include <paged/testing/fake_api.hpp>

paged::task<int> status(paged::testing::fake_api& api, std::string url) {
    auto reply = co_await api.send({.url = url});  // paged::http::request(url)
    co_return reply.status;
}
