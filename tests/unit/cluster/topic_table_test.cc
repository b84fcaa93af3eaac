#include "strata/cluster/topic_table.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace strata::cluster {
namespace {

class topic_table_test : public ::testing::Test {
protected:
    void SetUp() override {
        char tmpl[] = "/tmp/strata-topics-XXXXXX";
        dir_ = ::mkdtemp(tmpl);
        open();
    }
    void TearDown() override {
        table_.reset();
        if (logs_) (void)logs_->close_all();
        logs_.reset();
        store_.reset();
        std::filesystem::remove_all(dir_);
    }
    void open() {
        table_.reset();
        if (logs_) (void)logs_->close_all();
        logs_.reset();
        store_.reset();
        store_ = std::move(metadata_store::open((dir_ / "__cluster_metadata").string())).value();
        logs_ = std::make_unique<storage::log_manager>(dir_, storage::log_config{});
        ASSERT_TRUE(logs_->open_all(0));
        table_ = std::make_unique<topic_table>(*store_, *logs_, config_map{{"num.partitions", "1"}}, 1);
        ASSERT_TRUE(table_->load(0));
    }

    std::filesystem::path dir_;
    std::unique_ptr<metadata_store> store_;
    std::unique_ptr<storage::log_manager> logs_;
    std::unique_ptr<topic_table> table_;
};

TEST_F(topic_table_test, topics_survive_a_restart_with_ids_and_configs) {
    auto t = table_->create_topic("orders", 3, {{"retention.ms", "1000"}}, 0);
    ASSERT_TRUE(t);
    auto id = (*t)->id;
    EXPECT_FALSE(id.is_zero());
    EXPECT_TRUE(std::filesystem::exists(dir_ / "orders-2"));
    open();
    auto* again = table_->find("orders");
    ASSERT_NE(again, nullptr);
    EXPECT_EQ(again->id, id);
    EXPECT_EQ(again->partitions.size(), 3u);
    EXPECT_EQ(again->configs.at("retention.ms"), "1000");
    EXPECT_EQ(again->partitions[0]->log().config().retention_ms, 1000);
    EXPECT_EQ(table_->find(id), again);
}

TEST_F(topic_table_test, creation_errors) {
    ASSERT_TRUE(table_->create_topic("a", 1, {}, 0));
    EXPECT_EQ(table_->create_topic("a", 1, {}, 0).error(), errc::topic_already_exists);
    EXPECT_EQ(table_->create_topic("bad name", 1, {}, 0).error(), errc::invalid_topic_name);
    EXPECT_EQ(table_->create_topic("..", 1, {}, 0).error(), errc::invalid_topic_name);
    EXPECT_EQ(table_->create_topic(std::string(250, 'x'), 1, {}, 0).error(), errc::invalid_topic_name);
    EXPECT_EQ(table_->create_topic("b", 0, {}, 0).error(), errc::invalid_partitions);
    EXPECT_EQ(table_->create_topic("c", 1, {{"retention.ms", "x"}}, 0).error(), errc::invalid_config);
    EXPECT_EQ(table_->find("b"), nullptr);
}

TEST_F(topic_table_test, partitions_only_grow_and_configs_apply_to_logs) {
    ASSERT_TRUE(table_->create_topic("grow", 2, {}, 0));
    EXPECT_EQ(table_->create_partitions("grow", 2, 0).error(), errc::invalid_partitions);
    ASSERT_TRUE(table_->create_partitions("grow", 5, 0));
    EXPECT_NE(table_->find(topic_partition{"grow", partition_id(4)}), nullptr);
    ASSERT_TRUE(table_->set_configs("grow", {{"segment.bytes", "1048576"}}));
    EXPECT_EQ(table_->find("grow")->partitions[4]->log().config().segment_bytes, 1048576u);
    open();
    EXPECT_EQ(table_->find("grow")->partitions.size(), 5u);
    EXPECT_EQ(table_->find("grow")->partitions[0]->log().config().segment_bytes, 1048576u);
}

TEST_F(topic_table_test, deletion_removes_record_and_logs) {
    ASSERT_TRUE(table_->create_topic("gone", 2, {}, 0));
    ASSERT_TRUE(table_->delete_topic("gone"));
    EXPECT_EQ(table_->find("gone"), nullptr);
    EXPECT_FALSE(std::filesystem::exists(dir_ / "gone-0"));
    EXPECT_EQ(table_->delete_topic("gone").error(), errc::unknown_topic);
    open();
    EXPECT_EQ(table_->find("gone"), nullptr);
    // The name can be used again, with a new id.
    ASSERT_TRUE(table_->create_topic("gone", 1, {}, 0));
}

} // namespace
} // namespace strata::cluster
