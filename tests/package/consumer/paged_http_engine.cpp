// The HTTP engine compiled once, for http_consumer_separately (PAGED_HTTP_SEPARATE_COMPILATION).
#include <paged/http/impl/src.hpp>
