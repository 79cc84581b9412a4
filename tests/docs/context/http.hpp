#pragma once
// For fragments about paged::http: a client, URLs, record types and the caller's own functions they hand items to.
// Declared only: fragments are compiled, never linked.

#include <paged/http.hpp>
#include <paged/paged.hpp>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <stop_token>
#include <string>

namespace paged_docs::http {

using namespace std::chrono_literals;

extern paged::http::client client;
extern const std::string u, url, orders_url, refunds_url, token, issues_query, text;
extern const nlohmann::json filter, repo;
extern paged::http::offset_fetcher<nlohmann::json, paged::http::client> api;

struct user {
    std::uint64_t id = 0;
    bool active = false;
};
void from_json(const nlohmann::json& j, user& u);
struct charge {
    std::string id;
};
void from_json(const nlohmann::json& j, charge& c);
struct issue {
    int number = 0;
};
void from_json(const nlohmann::json& j, issue& i);

void show(const issue& i);
void store(const nlohmann::json& row);
void save(const std::string& checkpoint_line);
std::string load();

}  // namespace paged_docs::http
