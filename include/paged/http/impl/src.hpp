#pragma once
// The HTTP engine's compiled part, for programs built with PAGED_HTTP_SEPARATE_COMPILATION (detail/linkage.hpp):
// include this in exactly one source file of the program.

#ifndef PAGED_HTTP_SEPARATE_COMPILATION
#error "paged/http/impl/src.hpp compiles the HTTP engine once: define PAGED_HTTP_SEPARATE_COMPILATION for every file of the program (without it, paged::http is header-only and needs no such file)"
#endif

#include <paged/http/impl/client.ipp>
#include <paged/http/impl/page_decoder.ipp>
