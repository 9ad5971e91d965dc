#pragma once

namespace forgeline::cli {

/// Parses the command line and runs one command; returns the process exit code
/// (0 success, 1 problems found, 2 usage or input error).
int main(int argc, char** argv);

}  // namespace forgeline::cli
