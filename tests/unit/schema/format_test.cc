#include "strata/schema/format.h"

#include <gtest/gtest.h>

namespace strata::schema {

TEST(schema_format, type_names_round_trip_as_the_rest_api_spells_them) {
    for (auto t : {schema_type::avro, schema_type::json, schema_type::protobuf}) {
        EXPECT_EQ(parse_schema_type(to_string(t)), t);
        EXPECT_EQ(format_for(t).type(), t);
    }
    EXPECT_FALSE(parse_schema_type("avro").has_value());  // Confluent's names are upper case
    EXPECT_FALSE(parse_schema_type("XML").has_value());
}

} // namespace strata::schema
