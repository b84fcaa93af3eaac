#include "strata/storage/errc.h"

#include <gtest/gtest.h>

#include <string>

namespace strata::storage {

TEST(storage_errc, every_error_has_a_message) {
    for (int e = 1; e <= int(errc::invalid_timestamp); ++e)
        EXPECT_NE(std::string(to_string(errc(e))), "unknown storage error") << e;
}

} // namespace strata::storage
