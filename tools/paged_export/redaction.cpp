#include "redaction.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <string_view>
#include <vector>

namespace paged_export {

namespace {

constexpr std::string_view mask = "<hidden>";
constexpr std::string_view ellipsis = "...";
// A shorter start of a secret is too little to guess the rest from, and too common to mask everywhere.
constexpr std::size_t shortest_revealing_prefix = 6;

std::vector<std::string>& secrets() {
    static std::vector<std::string> remembered;
    return remembered;
}

// Searching on after each mask, never inside it: a secret that is part of the mask ends too.
void mask_every(std::string& text, std::string_view secret) {
    for (auto at = text.find(secret); at != std::string::npos; at = text.find(secret, at + mask.size())) {
        text.replace(at, secret.size(), mask);
    }
}

// The longest start of `secret` (at least shortest_revealing_prefix long) that ends right before `end`.
std::size_t revealed_prefix(std::string_view text, std::size_t end, std::string_view secret) {
    for (std::size_t length = std::min(end, secret.size() - 1); length >= shortest_revealing_prefix; --length) {
        if (text.substr(end - length, length) == secret.substr(0, length)) return length;
    }
    return 0;
}

void mask_cut_prefixes(std::string& text, std::string_view secret) {
    if (secret.size() <= shortest_revealing_prefix) return;
    for (auto at = text.find(ellipsis); at != std::string::npos; at = text.find(ellipsis, at + ellipsis.size())) {
        const std::size_t length = revealed_prefix(text, at, secret);
        if (length == 0) continue;
        text.replace(at - length, length, mask);
        at = at - length + mask.size();
    }
}

bool ends_credential(char c) {
    return std::isspace(static_cast<unsigned char>(c)) != 0 ||
           std::string_view("\"',;}]\\").find(c) != std::string_view::npos;
}

std::string lower_case(std::string text) {
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

// Any bearer credential, known or not: a server may quote a header the tool did not set itself.
void mask_bearer_credentials(std::string& text) {
    constexpr std::string_view scheme = "bearer ";
    const std::string lowered = lower_case(text);
    std::vector<std::size_t> starts;
    for (auto at = lowered.find(scheme); at != std::string::npos; at = lowered.find(scheme, at + 1)) {
        starts.push_back(at + scheme.size());
    }
    // From the last one: a replacement moves only the text after it.
    for (auto start = starts.rbegin(); start != starts.rend(); ++start) {
        std::size_t end = *start;
        while (end < text.size() && !ends_credential(text[end])) ++end;
        const std::string_view credential = std::string_view(text).substr(*start, end - *start);
        if (!credential.empty() && credential != mask) text.replace(*start, end - *start, mask);
    }
}

bool ends_authority(char c) {
    return std::isspace(static_cast<unsigned char>(c)) != 0 ||
           std::string_view("/?#\"'<>").find(c) != std::string_view::npos;
}

void drop_userinfo(std::string& text) {
    constexpr std::string_view separator = "://";
    for (auto at = text.find(separator); at != std::string::npos; at = text.find(separator, at + separator.size())) {
        const std::size_t start = at + separator.size();
        std::size_t end = start;
        while (end < text.size() && !ends_authority(text[end])) ++end;
        const auto user_end = std::string_view(text).substr(start, end - start).rfind('@');
        if (user_end != std::string_view::npos) text.erase(start, user_end + 1);
    }
}

}  // namespace

void hide_secret(const std::string& secret) {
    if (secret.empty()) return;
    secrets().push_back(secret);
    // Without the quotes: a server's JSON body holds the secret escaped.
    const std::string quoted = nlohmann::json(secret).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    const std::string escaped = quoted.substr(1, quoted.size() - 2);
    if (escaped != secret) secrets().push_back(escaped);
}

std::string redacted(std::string text) {
    drop_userinfo(text);
    for (const std::string& secret : secrets()) mask_every(text, secret);
    for (const std::string& secret : secrets()) mask_cut_prefixes(text, secret);
    mask_bearer_credentials(text);
    return text;
}

}  // namespace paged_export
