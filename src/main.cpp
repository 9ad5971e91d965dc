#include "cli/app.hpp"

int main(int argc, char** argv) { return forgeline::cli::main(argc, argv); }
