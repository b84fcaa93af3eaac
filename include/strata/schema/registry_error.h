#pragma once
// The errors the registry answers with: Confluent Schema Registry's error
// codes, so its clients recognise them. A five-digit code carries its HTTP
// status in the first three digits (40401 is a 404); a three-digit code is
// the status itself (409 for an incompatible schema). Values, not exceptions.

#include <cstdint>
#include <string>

namespace strata::schema {

enum class registry_errc : int32_t {
    bad_request = 400,
    not_found = 404,
    method_not_allowed = 405,
    incompatible_schema = 409,
    subject_not_found = 40401,
    version_not_found = 40402,
    schema_not_found = 40403,
    subject_soft_deleted = 40404,
    subject_not_soft_deleted = 40405,
    version_soft_deleted = 40406,
    version_not_soft_deleted = 40407,
    subject_compatibility_not_configured = 40408,
    subject_mode_not_configured = 40409,
    invalid_schema = 42201,
    invalid_version = 42202,
    invalid_compatibility_level = 42203,
    invalid_mode = 42204,
    operation_not_permitted = 42205,
    reference_exists = 42206,
    store_error = 50001,
    forwarding_error = 50003,  // Confluent's: a write could not reach the primary
};

struct registry_error {
    registry_errc code;
    std::string message;

    unsigned http_status() const {
        auto c = unsigned(code);
        return c >= 10000 ? c / 100 : c;
    }
};

} // namespace strata::schema
