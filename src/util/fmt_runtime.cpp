// fmt's compiled part, built from the installed fmt headers into forgeline itself instead of
// linking libfmt.so: format-inl.h holds the definitions libfmt is built from (without
// FMT_HEADER_ONLY its functions are ordinary, out-of-line ones), and the two templates
// fmt/format.h declares `extern template` for are instantiated here for char, the only
// character type forgeline formats. With no libfmt.so, forgeline can be linked statically
// (meson option `static`, see meson.build).
#include <fmt/format-inl.h>

namespace fmt::detail {

template auto thousands_sep_impl<char>(locale_ref) -> thousands_sep_result<char>;
template auto decimal_point_impl<char>(locale_ref) -> char;

}  // namespace fmt::detail
