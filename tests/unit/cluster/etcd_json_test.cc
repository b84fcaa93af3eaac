// etcd's JSON gateway format, with answers as etcd 3.4 writes them: numbers
// as strings, keys and values in base64, fields at their default left out.

#include <gtest/gtest.h>

#include "strata/cluster/cluster_records.h"
#include "strata/cluster/etcd/etcd_json.h"

namespace strata::cluster::etcd::test {
namespace {

TEST(etcd_json, reads_a_range_answer) {
    auto r = json::parse_range(
        R"({"header":{"cluster_id":"324952591200643719","member_id":"3319814642761637952","revision":"2","raft_term":"2"},)"
        R"("kvs":[{"key":"L3MvYQ==","create_revision":"2","mod_revision":"3","version":"2","value":"djE=","lease":"7"}],"count":"1"})");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->revision, 2);
    ASSERT_EQ(r->kvs.size(), 1u);
    EXPECT_EQ(r->kvs[0].key, "/s/a");
    EXPECT_EQ(r->kvs[0].value, "v1");
    EXPECT_EQ(r->kvs[0].create_revision, 2);
    EXPECT_EQ(r->kvs[0].mod_revision, 3);
    EXPECT_EQ(r->kvs[0].version, 2);
    EXPECT_EQ(r->kvs[0].lease, 7);
    // No kvs at all: nothing matched.
    auto empty = json::parse_range(R"({"header":{"revision":"9"}})");
    ASSERT_TRUE(empty);
    EXPECT_TRUE(empty->kvs.empty());
    EXPECT_EQ(empty->revision, 9);
}

TEST(etcd_json, a_failed_transaction_leaves_succeeded_out) {
    auto r = json::parse_txn(
        R"({"header":{"revision":"2"},"responses":[{"response_range":{"header":{"revision":"2"},)"
        R"("kvs":[{"key":"L3MvYQ==","create_revision":"2","mod_revision":"2","version":"1","value":"djE="}],"count":"1"}}]})");
    ASSERT_TRUE(r);
    EXPECT_FALSE(r->succeeded);
    ASSERT_EQ(r->ranges.size(), 1u);
    EXPECT_EQ(r->ranges[0].kvs.at(0).value, "v1");
    auto ok = json::parse_txn(R"({"header":{"revision":"5"},"succeeded":true,"responses":[{"response_put":{"header":{}}}]})");
    ASSERT_TRUE(ok);
    EXPECT_TRUE(ok->succeeded);
    EXPECT_EQ(ok->revision, 5);
    EXPECT_TRUE(ok->ranges.empty());
}

TEST(etcd_json, writes_a_transaction_etcd_understands) {
    auto body = json::txn_request({compare::absent("/k")}, {request_op::put("/k", "v", 42)}, {request_op::get("/k")});
    EXPECT_EQ(body,
              R"({"compare":[{"key":"L2s=","result":"EQUAL","target":"CREATE","create_revision":"0"}],)"
              R"("success":[{"request_put":{"key":"L2s=","value":"dg==","lease":"42"}}],)"
              R"("failure":[{"request_range":{"key":"L2s="}}]})");
}

TEST(etcd_json, a_keep_alive_without_ttl_means_the_lease_is_gone) {
    auto alive = json::parse_keep_alive(R"({"result":{"header":{"revision":"2"},"ID":"12345","TTL":"9"}})" "\n");
    ASSERT_TRUE(alive);
    EXPECT_EQ(*alive, 9);
    auto gone = json::parse_keep_alive(R"({"result":{"header":{"revision":"2"},"ID":"12345"}})");
    ASSERT_FALSE(gone);
    EXPECT_EQ(gone.error(), errc::lease_not_found);
}

TEST(etcd_json, reads_watch_events_and_a_compaction) {
    auto events = json::parse_watch_message(
        R"({"result":{"header":{"revision":"5"},"events":[{"kv":{"key":"L3MveA==","create_revision":"4","mod_revision":"4","version":"1","value":"djE="}},)"
        R"({"type":"DELETE","kv":{"key":"L3MveA==","mod_revision":"5"}}]}})");
    ASSERT_TRUE(events);
    ASSERT_EQ(events->events.size(), 2u);
    EXPECT_EQ(events->events[0].type, event_type::put);
    EXPECT_EQ(events->events[0].kv.value, "v1");
    EXPECT_EQ(events->events[1].type, event_type::erase);
    EXPECT_EQ(events->events[1].kv.key, "/s/x");
    EXPECT_EQ(events->events[1].kv.mod_revision, 5);
    auto compacted = json::parse_watch_message(R"({"result":{"header":{},"canceled":true,"compact_revision":"4"}})");
    ASSERT_TRUE(compacted);
    EXPECT_TRUE(compacted->canceled);
    EXPECT_EQ(compacted->compact_revision, 4);
}

TEST(etcd_json, error_bodies_map_to_errors) {
    std::string message;
    EXPECT_EQ(json::error_from_body(R"({"error":"etcdserver: requested lease not found","code":5})", message),
              errc::lease_not_found);
    EXPECT_EQ(message, "etcdserver: requested lease not found");
    EXPECT_EQ(json::error_from_body(R"({"error":"mvcc: required revision has been compacted","code":11})", message),
              errc::compacted);
    EXPECT_EQ(json::error_from_body(R"({"error":{"grpc_code":14,"http_code":503,"message":"etcdserver: no leader"}})",
                                    message),
              errc::unavailable);
    EXPECT_EQ(message, "etcdserver: no leader");
    EXPECT_EQ(json::error_from_body("<html>", message), errc::bad_response);
    EXPECT_FALSE(json::parse_range("not json"));
    EXPECT_FALSE(json::parse_range(R"({"kvs":[{"key":"not base64!"}]})"));
}

TEST(etcd_json, a_prefix_ends_after_its_last_byte) {
    EXPECT_EQ(prefix_end("/strata/"), "/strata0");
    EXPECT_EQ(prefix_end(std::string("a\xff", 2)), "b");
    EXPECT_EQ(prefix_end(std::string("\xff", 1)), std::string(1, '\0'));
}

TEST(cluster_records, broker_and_controller_values_round_trip) {
    broker_endpoint b{3, "127.0.0.3", 9093, "rack-a"};
    EXPECT_EQ(records::decode_broker(records::encode_broker(b)), b);
    broker_endpoint no_rack{4, "host", 1, std::nullopt};
    EXPECT_EQ(records::decode_broker(records::encode_broker(no_rack)), no_rack);
    EXPECT_FALSE(records::decode_broker(R"({"node_id":1})"));
    EXPECT_EQ(records::decode_controller(records::encode_controller(2)), 2);
    EXPECT_EQ(records::broker_id_of("/p", records::broker_key("/p", 12)), 12);
    EXPECT_FALSE(records::broker_id_of("/p", "/p/brokers/x"));
    EXPECT_FALSE(records::broker_id_of("/p", records::controller_key("/p")));
}

TEST(broker_directory, a_single_broker_is_its_own_controller) {
    broker_directory single({1, "h", 9092, std::nullopt}, false);
    EXPECT_TRUE(single.is_controller());
    EXPECT_EQ(single.live().size(), 1u);
    single.set_self_port(9999);
    EXPECT_EQ(single.live().at(1).port, 9999);

    broker_directory member({2, "h", 9092, std::nullopt}, true);
    EXPECT_TRUE(member.live().empty());
    EXPECT_EQ(member.controller_id(), -1);
    int changes = 0;
    member.on_change([&] { ++changes; });
    member.upsert({1, "a", 1, std::nullopt});
    member.upsert({1, "a", 1, std::nullopt});  // no change
    member.set_controller(1, 10);
    member.remove(1);
    EXPECT_EQ(changes, 3);
    EXPECT_EQ(member.controller_epoch(), 10);
}

} // namespace
} // namespace strata::cluster::etcd::test
