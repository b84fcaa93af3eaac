#include "strata/kafka/protocol/errors.h"

namespace strata::kafka {

const char* error_name(error_code e) {
    switch (e) {
#define STRATA_X(name, code, msg) \
    case error_code::name: return #name;
        STRATA_KAFKA_ERRORS(STRATA_X)
#undef STRATA_X
    }
    return "unknown";
}

const char* error_message(error_code e) {
    switch (e) {
#define STRATA_X(name, code, msg) \
    case error_code::name: return msg;
        STRATA_KAFKA_ERRORS(STRATA_X)
#undef STRATA_X
    }
    return "Unknown error code.";
}

} // namespace strata::kafka
