#pragma once
// Under PAGED_HTTP_SEPARATE_COMPILATION (detail/linkage.hpp), the walk of each built-in fetcher with JSON records over
// paged::http::client (paginate() and pages(), with the coroutines they make: page walker, read-ahead, item stream) is
// compiled once, in impl/compiled_walks.ipp, instead of in every file that walks such an endpoint. Each fetcher's
// header declares its walk with PAGED_HTTP_COMPILED_WALK(extern, fetcher); the .ipp defines it with
// PAGED_HTTP_COMPILED_WALK(, fetcher). Other item types and transports are compiled where they are used, as before.
//
// A macro, so that the declaration and the definition cannot disagree about the signature: a declaration without its
// definition would fail to link.

#include <paged/http/detail/linkage.hpp>

// Only under the macro: header-only, a fetcher used over another transport must not make its file compile the client
// (g++ 12 emits every inline coroutine it reads). scripts/amalgamate.py checks that these are inlined earlier in the
// single header, never here inside the #ifdef.
#ifdef PAGED_HTTP_SEPARATE_COMPILATION
#include <paged/async_generator.hpp>
#include <paged/http/client.hpp>
#include <paged/page.hpp>
#include <paged/paginate.hpp>

#include <nlohmann/json.hpp>

#define PAGED_HTTP_COMPILED_WALK(extern_or_nothing, fetcher)                                                         \
    extern_or_nothing template ::paged::async_generator<::nlohmann::json> paged::paginate(                          \
        ::paged::http::fetcher<::nlohmann::json, ::paged::http::client>,                                               \
        ::paged::detail::options_for_t<::paged::http::fetcher<::nlohmann::json, ::paged::http::client>>);              \
    extern_or_nothing template ::paged::async_generator<::paged::page<                                                \
        ::nlohmann::json, ::paged::http::fetcher<::nlohmann::json, ::paged::http::client>::cursor_type>>               \
    paged::pages(::paged::http::fetcher<::nlohmann::json, ::paged::http::client>,                                    \
                 ::paged::detail::options_for_t<::paged::http::fetcher<::nlohmann::json, ::paged::http::client>>)
#endif
