#include "strata/kafka/server/fetch_session_cache.h"

#include <gtest/gtest.h>

#include <set>

namespace strata::kafka::server {
namespace {

TEST(fetch_session_cache, sessions_have_unique_nonzero_ids_and_start_at_epoch_1) {
    fetch_session_cache cache;
    std::set<int32_t> ids;
    for (int i = 0; i < 100; ++i) {
        auto& s = cache.create();
        EXPECT_NE(s.id, 0);
        EXPECT_EQ(s.next_epoch, 1);
        ids.insert(s.id);
    }
    EXPECT_EQ(ids.size(), 100u);
    EXPECT_EQ(cache.size(), 100u);
}

TEST(fetch_session_cache, evicts_the_least_recently_used) {
    fetch_session_cache cache(2);
    int32_t a = cache.create().id;
    int32_t b = cache.create().id;
    ASSERT_NE(cache.find(a), nullptr);  // a is now more recent than b
    int32_t c = cache.create().id;
    EXPECT_NE(cache.find(a), nullptr);
    EXPECT_EQ(cache.find(b), nullptr);
    EXPECT_NE(cache.find(c), nullptr);
}

TEST(fetch_session_cache, remove_and_find_partitions) {
    fetch_session_cache cache;
    auto& s = cache.create();
    s.partitions.push_back({"t", {}, 3, 10, 100});
    EXPECT_NE(s.find("t", 3), nullptr);
    EXPECT_EQ(s.find("t", 4), nullptr);
    int32_t id = s.id;
    cache.remove(id);
    EXPECT_EQ(cache.find(id), nullptr);
}

} // namespace
} // namespace strata::kafka::server
