#include "strata/schema/protobuf/schema_diff.h"

namespace strata::schema::proto {

std::vector<std::string> schema_diff::incompatibilities() const {
    return {"Protobuf compatibility checks are not implemented yet"};
}

} // namespace strata::schema::proto
