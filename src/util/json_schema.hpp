#pragma once
// Temporary: forwards to the validator until it moves into util/.
#include "validate/json_schema.hpp"
namespace forgeline::util {
using validate::Schema;
using validate::SchemaError;
}  // namespace forgeline::util
