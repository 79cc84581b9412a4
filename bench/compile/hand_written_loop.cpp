// The baseline of the compile-cost comparison (bench/compile/run): the loop people write without paged. GET a page
// with libcurl, parse it whole with nlohmann, print each record's name, follow the Link header's rel="next".
//
//     hand_written_loop <url>      the same endpoints as walk_one_endpoint

#include <curl/curl.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <exception>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace {

std::size_t append_body(char* data, std::size_t, std::size_t size, void* body) {
    static_cast<std::string*>(body)->append(data, size);
    return size;
}

// The target of the link marked rel="next" in `<a>; rel="prev", <b>; rel="next"`, if any.
std::optional<std::string> next_link(std::string_view field) {
    while (!field.empty()) {
        const auto open = field.find('<');
        const auto close = field.find('>', open);
        if (open == std::string_view::npos || close == std::string_view::npos) return std::nullopt;
        const auto end = field.find(',', close);
        const std::string_view parameters = field.substr(close + 1, end == std::string_view::npos ? end : end - close);
        if (parameters.find("rel=\"next\"") != std::string_view::npos) {
            return std::string(field.substr(open + 1, close - open - 1));
        }
        if (end == std::string_view::npos) break;
        field.remove_prefix(end + 1);
    }
    return std::nullopt;
}

void walk(CURL* easy, std::string url) {
    std::string body;
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &append_body);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, &body);
    for (;;) {
        body.clear();
        curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
        const CURLcode result = curl_easy_perform(easy);
        long status = 0;
        curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
        if (result != CURLE_OK || status != 200) {
            throw std::runtime_error("GET " + url + ": " + curl_easy_strerror(result) + ", status " +
                                     std::to_string(status));
        }
        for (const nlohmann::json& record : nlohmann::json::parse(body)) {
            std::printf("%s\n", record.at("name").get_ref<const std::string&>().c_str());
        }
        curl_header* link = nullptr;
        if (curl_easy_header(easy, "Link", 0, CURLH_HEADER, -1, &link) != CURLHE_OK) return;
        const auto next = next_link(link->value);
        if (!next) return;
        url = *next;
    }
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s <url>\n", argv[0]);
        return 2;
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
    CURL* easy = curl_easy_init();
    int exit_code = 0;
    try {
        walk(easy, argv[1]);
    } catch (const std::exception& failure) {
        std::fprintf(stderr, "%s\n", failure.what());
        exit_code = 1;
    }
    curl_easy_cleanup(easy);
    curl_global_cleanup();
    return exit_code;
}
