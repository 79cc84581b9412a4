#pragma once
// What paged-export never prints: credentials. A server may quote the request's headers in an error body, whole,
// JSON-escaped, or cut short by the library's 200-byte excerpt ("Bearer ghp_abc..."); a URL may carry a password
// (https://user:password@host/). Every line the tool prints goes through redacted().

#include <string>

namespace paged_export {

// Remembers a credential (a token, an Authorization header's value) that redacted() must hide from then on.
void hide_secret(const std::string& secret);

// `text` without credentials: every URL's userinfo dropped, every remembered secret (also JSON-escaped, and the start
// of one cut short by a trailing "...") and whatever follows "Bearer " replaced by "<hidden>".
std::string redacted(std::string text);

}  // namespace paged_export
