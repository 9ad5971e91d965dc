#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "validate/linter.hpp"

namespace forgeline::validate {

/// Rules `cron`, `cron-interval`, `glob`, `filters`, `dispatch-inputs`, `choice-default` and
/// `required-default`: the triggers under `on:`.
void lint_events(Linter& linter);

/// What is wrong with a cron schedule as GitHub reads it (five fields separated by spaces:
/// minute, hour, day of month, month, day of week; `*`, lists, ranges, steps, JAN-DEC and
/// SUN-SAT); nullopt when it is valid.
std::optional<std::string> cron_problem(std::string_view cron);

/// The shortest gap in minutes between two runs of a valid schedule (60 when it runs at most
/// once an hour, whatever its other fields).
int cron_interval(std::string_view cron);

/// What is wrong with a filter pattern (docs.github.com, "Filter pattern cheat sheet"), for a
/// ref name when `ref` (branches, tags) or a path otherwise; nullopt when it is valid.
std::optional<std::string> glob_problem(std::string_view pattern, bool ref);

}  // namespace forgeline::validate
