#pragma once
// Every lazy adaptor. Each composes with `|` and is callable as a function: paged::take(gen, 5).

#include <paged/adaptors/chunk.hpp>
#include <paged/adaptors/drop.hpp>
#include <paged/adaptors/filter.hpp>
#include <paged/adaptors/map.hpp>
#include <paged/adaptors/take.hpp>
#include <paged/adaptors/take_while.hpp>
