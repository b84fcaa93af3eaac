#include "strata/storage/log_cleaner.h"

#include <fcntl.h>
#include <unistd.h>

#include <vector>

#include <gtest/gtest.h>

#include "keyed_batches.h"
#include "test_batches.h"

namespace strata::storage {
namespace {

using testing::compacted_config;
using testing::keyed_batch;
using testing::records_of;
using testing::stored_record;
using testing::temp_dir;

class log_cleaner_test : public ::testing::Test {
protected:
    log* create(const std::string& topic, log_config cfg) {
        auto l = logs_.create(topic_partition{topic, partition_id(0)}, cfg, 0);
        EXPECT_TRUE(l);
        return l ? *l : nullptr;
    }
    // Three updates of key a, then z=4 in the active segment.
    void fill(log& l) {
        for (const char* v : {"1", "2", "3", "4"}) {
            auto b = keyed_batch({{v[0] == '4' ? "z" : "a", v}}, 1000);
            ASSERT_TRUE(l.append(b, 0, 1000));
        }
    }
    // Steps while the cleaner asks for more, as the broker's timer does; returns the steps taken.
    int drain(log_cleaner& c, int64_t now_ms) {
        int steps = 0;
        while (c.step(now_ms) && steps < 10000) ++steps;
        return steps;
    }

    temp_dir tmp_;
    log_manager logs_{tmp_.path(), {}};
};

TEST_F(log_cleaner_test, cleans_compacted_logs_in_small_steps_and_leaves_the_others) {
    log* compacted = create("compacted", compacted_config());
    auto del = compacted_config();
    del.cleanup_compact = false;
    del.cleanup_delete = true;
    log* deleting = create("deleting", del);
    fill(*compacted);
    fill(*deleting);
    log_cleaner cleaner(logs_, {.enabled = true, .backoff_ms = 1000, .dedupe_buffer_bytes = 1 << 20, .step_bytes = 1});
    ASSERT_TRUE(cleaner.step(10000));
    EXPECT_EQ(cleaner.totals().max_dirty_ratio, 1.0);  // nothing cleaned yet
    int steps = 1 + drain(cleaner, 10000);
    // One batch per step: three to map, three to rewrite, and the pass's start and end.
    EXPECT_GE(steps, 6);
    EXPECT_FALSE(cleaner.cleaning());
    EXPECT_EQ(records_of(*compacted), (std::vector<stored_record>{{2, "a", "3"}, {3, "z", "4"}}));
    EXPECT_EQ(records_of(*deleting).size(), 4u);
    const auto totals = cleaner.totals();
    EXPECT_EQ(totals.passes_cleaned, 1);
    EXPECT_EQ(totals.passes_abandoned + totals.passes_failed, 0);
    EXPECT_EQ(totals.records_removed, 2);  // a=1 and a=2
    EXPECT_EQ(totals.tombstones_removed, 0);
    EXPECT_GT(totals.bytes_removed, 0u);
    EXPECT_GT(totals.bytes_read, totals.bytes_removed);
    EXPECT_EQ(totals.max_dirty_ratio, 0.0);  // looked again after the pass: all clean
    // Nothing is due now; the cleaner looks again only after its backoff.
    EXPECT_FALSE(cleaner.step(10500));
    auto b = keyed_batch({{"a", "5"}}, 11000);
    ASSERT_TRUE(compacted->append(b, 0, 11000));  // rolls z out of the active segment
    EXPECT_FALSE(cleaner.step(10900));
    EXPECT_TRUE(cleaner.step(11000));
    drain(cleaner, 11000);
    EXPECT_EQ(records_of(*compacted), (std::vector<stored_record>{{2, "a", "3"}, {3, "z", "4"}, {4, "a", "5"}}));
}

TEST_F(log_cleaner_test, a_topic_deleted_during_a_pass_ends_the_pass) {
    log* compacted = create("compacted", compacted_config());
    fill(*compacted);
    log_cleaner cleaner(logs_, {.enabled = true, .backoff_ms = 0, .dedupe_buffer_bytes = 1 << 20, .step_bytes = 1});
    ASSERT_TRUE(cleaner.step(10000));
    ASSERT_TRUE(cleaner.cleaning());
    ASSERT_TRUE(logs_.remove("compacted"));
    EXPECT_TRUE(cleaner.step(10000));
    EXPECT_FALSE(cleaner.cleaning());
    EXPECT_FALSE(cleaner.step(10000));
    EXPECT_EQ(cleaner.totals().passes_abandoned, 1);
    EXPECT_EQ(cleaner.totals().passes_cleaned, 0);
}

TEST_F(log_cleaner_test, a_log_it_cannot_read_is_left_uncleanable_and_the_others_are_still_cleaned) {
    log* broken = create("broken", compacted_config());
    fill(*broken);
    // Garbage over the first record of the first segment: its varints no longer decode.
    {
        auto segment = tmp_.path() / "broken-0" / "00000000000000000000.log";
        int fd = ::open(segment.c_str(), O_WRONLY);
        ASSERT_GE(fd, 0);
        const std::vector<uint8_t> garbage(8, 0xff);
        ASSERT_EQ(::pwrite(fd, garbage.data(), garbage.size(), 61), ssize_t(garbage.size()));
        ::close(fd);
    }
    log_cleaner cleaner(logs_, {.enabled = true, .backoff_ms = 0, .dedupe_buffer_bytes = 1 << 20, .step_bytes = 1});
    drain(cleaner, 10000);
    EXPECT_EQ(cleaner.totals().passes_failed, 1);
    EXPECT_EQ(cleaner.totals().uncleanable_partitions, 1u);

    log* healthy = create("healthy", compacted_config());
    fill(*healthy);
    drain(cleaner, 20000);
    EXPECT_EQ(records_of(*healthy), (std::vector<stored_record>{{2, "a", "3"}, {3, "z", "4"}}));
    EXPECT_EQ(cleaner.totals().passes_cleaned, 1);
    EXPECT_EQ(cleaner.totals().passes_failed, 1);  // the broken log is not tried again
}

TEST_F(log_cleaner_test, a_disabled_cleaner_does_nothing) {
    log* compacted = create("compacted", compacted_config());
    fill(*compacted);
    log_cleaner cleaner(logs_, {.enabled = false});
    EXPECT_FALSE(cleaner.step(10000));
    EXPECT_EQ(records_of(*compacted).size(), 4u);
}

} // namespace
} // namespace strata::storage
