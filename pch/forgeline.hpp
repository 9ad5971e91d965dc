// Precompiled once per target (meson's cpp_pch) and included before every source file of the
// core library and the unit tests: the standard and library headers most files use, so each
// file's compile starts from their parsed state (build time, issue 12). Every source file still
// includes what it uses itself; removing a line here changes build time only. No #pragma once:
// the compiler reads this file as a main file, where g++ warns about it.

#include <algorithm>
#include <array>
#include <expected>
#include <filesystem>
#include <functional>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
