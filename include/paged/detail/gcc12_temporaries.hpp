#pragma once
// The rule every options type, request and callable-taking entry point of paged follows, and why.
//
// g++ 12 mishandles temporaries that are built by aggregate initialisation inside a co_await full-expression (GCC PR
// 100611, PR 107288; ../shared/coroutine-hazards.md row 2). Measured here with g++ 12.2 under ASan, at -O0 and -O2:
//   co_await client.send({.url = u})              the aggregate is built in one place and moved from another,
//                                                 uninitialised one: bad free
//   co_await collect(paginate(f, {.start = u}))   the same: double free
//   co_await run(f, [owned] { ... })              a lambda that owns state (a closure is built like an aggregate):
//                                                 double free, whatever the parameter type (by value, F&&, function)
//   co_await send(r, {{"a", "b"}})                any std::initializer_list: "array used as initializer", a compile
//                                                 error (Naios/continuable#67)
// A temporary made by a constructor is handled correctly, and so is a lambda that owns nothing (no captures, or
// captures by reference). clang is not affected. Hence, for everything users pass to paged:
//
// 1. Options and requests are classes with a user-declared constructor and fluent setters, never aggregates:
//        co_await client.send(paged::http::request(u).query("_limit", "50"));
//        paged::paginate(f, paged::walk_options().max_items(100).start(saved));
//    Designated initialisers do not compile for them ("non-aggregate type"), so the broken form cannot be written.
// 2. No std::initializer_list parameters: repeated things are added one call at a time (.query(n, v).query(n, v)).
// 3. A callable is taken through `callable_argument`: an rvalue whose destructor does something (a lambda owning a
//    string, a std::function) is refused on g++ 12 with a message; an lvalue (a named lambda) is copied, and a
//    callable that owns nothing is taken as it is, by value or not.

#include <type_traits>

// g++ before 13. Later versions are not available on this toolchain to check; widen the test if one is found broken.
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ < 13
#define PAGED_GCC_MISHANDLES_AGGREGATE_TEMPORARIES 1
#else
#define PAGED_GCC_MISHANDLES_AGGREGATE_TEMPORARIES 0
#endif

namespace paged::detail {

// True when F (as deduced by a forwarding reference) may be taken without risk: an lvalue, a callable whose destruction
// is trivial, or any callable on a compiler without the bug.
template <class F>
inline constexpr bool callable_argument_is_safe = !PAGED_GCC_MISHANDLES_AGGREGATE_TEMPORARIES ||
                                                  std::is_lvalue_reference_v<F> ||
                                                  std::is_trivially_destructible_v<std::remove_cvref_t<F>>;

// Use as: static_assert(callable_argument_is_safe<F>, PAGED_OWNING_CALLABLE_MESSAGE);
#define PAGED_OWNING_CALLABLE_MESSAGE                                                                                  \
    "paged: on g++ 12 a temporary callable that owns state (a lambda capturing a string by value, a std::function) "  \
    "is destroyed twice when it is built inside a co_await (GCC PR 100611). Name it first and pass the name: "         \
    "`auto progress = [name](const paged::page_event& e) { ... }; options.on_page(progress);` (or capture by reference)"

}  // namespace paged::detail
