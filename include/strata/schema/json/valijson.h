#pragma once
// The one way Strata includes valijson. Without VALIJSON_USE_EXCEPTIONS the
// library aborts the process on a bad schema; with it, it throws, and the JSON
// Schema format catches at its boundary (parse and validate) and returns
// error values. Every file that includes valijson must include this header so
// the library's inline functions agree on the setting.

#ifndef VALIJSON_USE_EXCEPTIONS
#define VALIJSON_USE_EXCEPTIONS 1
#endif

#include <valijson/adapters/boost_json_adapter.hpp>
#include <valijson/constraint_builder.hpp>
#include <valijson/constraints/concrete_constraints.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>
