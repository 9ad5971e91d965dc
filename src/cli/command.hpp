#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace forgeline::cli {

/// One flag or positional argument of a command and the options-struct field it fills.
struct Flag {
  std::string name;  // "--matrix", or a positional's name ("ARCH")
  std::string help;
  std::variant<std::string*, std::vector<std::string>*, std::optional<std::string>*, bool*> into;
  bool needed = false;
  std::vector<std::string> choices;  // the only values allowed; empty: any
  char separator = '\0';             // also splits one value into several ("a,b"); '\0': no
  std::string excluded;              // a flag of the same command this one cannot go with

  Flag& required() {
    needed = true;
    return *this;
  }
  Flag& one_of(std::vector<std::string> values) {
    choices = std::move(values);
    return *this;
  }
  Flag& delimiter(char c) {
    separator = c;
    return *this;
  }
  Flag& excludes(std::string other) {
    excluded = std::move(other);
    return *this;
  }
};

/// A subcommand as its setup_* describes it: cli/app.cpp alone turns it into CLI11 calls, so
/// CLI11 (header-only, its whole parser inline) is compiled in one file instead of in every
/// command's.
struct Command {
  std::string name;
  std::string description;
  std::vector<Flag> flags;
  bool hidden = false;  // left out of `forgeline --help`
  /// Everything after the command's own arguments goes here unparsed (a prefix command).
  std::vector<std::string>* rest = nullptr;

  Command(std::string name_, std::string description_)
      : name(std::move(name_)), description(std::move(description_)) {}
  Flag& option(std::string names, std::string& into, std::string help) { return add(std::move(names), &into, std::move(help)); }
  Flag& option(std::string names, std::vector<std::string>& into, std::string help) {
    return add(std::move(names), &into, std::move(help));
  }
  Flag& option(std::string names, std::optional<std::string>& into, std::string help) {
    return add(std::move(names), &into, std::move(help));
  }
  /// A switch without a value.
  Flag& flag(std::string names, bool& into, std::string help) { return add(std::move(names), &into, std::move(help)); }

 private:
  Flag& add(std::string names, decltype(Flag::into) into, std::string help) {
    flags.push_back({std::move(names), std::move(help), into});
    return flags.back();
  }
};

}  // namespace forgeline::cli
