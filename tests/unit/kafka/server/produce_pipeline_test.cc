// A connection's produce pipeline: a batch sent behind one that failed
// unappended gets that failure's answer until the producer resends from
// the failed sequence; another producer, partition, epoch or connection is
// not affected.

#include "strata/kafka/server/produce_pipeline.h"

#include <gtest/gtest.h>

#include "strata/storage/batch_builder.h"

namespace strata::kafka::server {
namespace {

const topic_partition orders{"orders", partition_id(0)};
const topic_partition other_partition{"orders", partition_id(1)};

produce_pipeline::batch_id seq(int32_t base, int64_t producer = 7, int16_t epoch = 0) { return {producer, epoch, base}; }

TEST(produce_pipeline, a_batch_behind_a_failure_gets_its_answer_until_the_producer_resends) {
    produce_pipeline p;
    EXPECT_FALSE(p.behind_failure(orders, seq(3))) << "nothing failed";
    p.failed(orders, seq(3), error_code::not_leader_or_follower);
    p.failed(orders, seq(4), error_code::not_enough_replicas);  // a later failure: 3 is still where it resends from
    EXPECT_EQ(p.behind_failure(orders, seq(5)), error_code::not_leader_or_follower);
    EXPECT_EQ(p.behind_failure(orders, seq(4)), error_code::not_leader_or_follower);
    EXPECT_FALSE(p.behind_failure(orders, seq(3))) << "the failed batch itself is the producer's resend";
    EXPECT_FALSE(p.behind_failure(orders, seq(2)));
    EXPECT_FALSE(p.behind_failure(other_partition, seq(5)));
    EXPECT_FALSE(p.behind_failure(orders, seq(5, 8))) << "another producer";
    EXPECT_FALSE(p.behind_failure(orders, seq(5, 7, 1))) << "a new epoch starts a new pipeline";
    p.appended(orders, 7);
    EXPECT_FALSE(p.behind_failure(orders, seq(5))) << "the producer sent again from the failure";
}

TEST(produce_pipeline, an_earlier_failure_moves_the_resend_point_back) {
    produce_pipeline p;
    p.failed(orders, seq(9), error_code::not_leader_or_follower);
    p.failed(orders, seq(6), error_code::not_enough_replicas);
    EXPECT_EQ(p.behind_failure(orders, seq(7)), error_code::not_enough_replicas);
    p.failed(orders, seq(0, 7, 1), error_code::not_leader_or_follower);  // epoch 1 replaces epoch 0
    EXPECT_FALSE(p.behind_failure(orders, seq(7)));
    EXPECT_EQ(p.behind_failure(orders, seq(1, 7, 1)), error_code::not_leader_or_follower);
}

TEST(produce_pipeline, each_connection_has_its_own_and_only_idempotent_batches_are_identified) {
    net::connection_info a, b;
    produce_pipeline::of(a).failed(orders, seq(1), error_code::not_leader_or_follower);
    EXPECT_EQ(&produce_pipeline::of(a), &produce_pipeline::of(a));
    EXPECT_TRUE(produce_pipeline::of(a).behind_failure(orders, seq(2)));
    EXPECT_FALSE(produce_pipeline::of(b).behind_failure(orders, seq(2)));

    storage::batch_options idempotent;
    idempotent.producer_id = 42;
    idempotent.producer_epoch = 3;
    idempotent.base_sequence = 17;
    storage::batch_builder with_id(idempotent);
    with_id.add({std::nullopt, storage::bytes_of("v"), 1700000000000, {}});
    auto id = produce_pipeline::identify(*with_id.build());
    ASSERT_TRUE(id);
    EXPECT_EQ(id->producer_id, 42);
    EXPECT_EQ(id->epoch, 3);
    EXPECT_EQ(id->base_sequence, 17);
    storage::batch_builder plain;
    plain.add({std::nullopt, storage::bytes_of("v"), 1700000000000, {}});
    EXPECT_FALSE(produce_pipeline::identify(*plain.build()));
    EXPECT_FALSE(produce_pipeline::identify({}));
}

} // namespace
} // namespace strata::kafka::server
