#pragma once
// Where the HTTP engine's non-template code is compiled. By default paged::http is header-only: the definitions in
// paged/http/impl/*.ipp are included by their headers and marked inline, so every translation unit that includes the
// client compiles the whole engine again (g++ 12 emits an inline coroutine's body even where it is never called).
//
// PAGED_HTTP_SEPARATE_COMPILATION, defined for every translation unit of the program, makes the headers declare that
// code only; exactly one source file then compiles it:
//
//     // paged_http.cpp
//     #include <paged/http/impl/src.hpp>
//
// The templates (fetchers, paginate) are compiled where they are used, as before.

#ifdef PAGED_HTTP_SEPARATE_COMPILATION
#define PAGED_HTTP_INLINE
#else
#define PAGED_HTTP_INLINE inline
#endif
