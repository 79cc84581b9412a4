#pragma once
// A false that depends on a template parameter, so that static_assert(dependent_false<T>, "...") fires only in the
// instantiation that reaches it (a plain `false` fails every build that parses the template).

namespace paged::detail {

template <class>
inline constexpr bool dependent_false = false;

}  // namespace paged::detail
