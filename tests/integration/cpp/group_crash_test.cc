// librdkafka group members (the system librdkafka, eager range and
// cooperative-sticky) leave and crash mid-stream: three member processes share a
// 12-partition topic while numbered records are produced; one closes, one is
// SIGKILLed holding records it consumed but did not commit. Every record is
// consumed, and the only records consumed twice are the killed member's
// uncommitted ones (as the broker had its committed offsets at the kill).

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <map>
#include <thread>

#include "broker_process.h"
#include "member_process.h"
#include "rdkafka_client.h"

namespace strata::test {
namespace {

constexpr int partitions = 12;
constexpr int total = 30'000;

void produce_range(producer& p, const std::string& topic, int from, int to) {
    for (int i = from; i < to; ++i) {
        record r;
        r.partition = i % partitions;
        r.key = "k" + std::to_string(i);
        r.value = std::to_string(i);
        p.send(topic, r);
    }
    p.flush();
    ASSERT_TRUE(p.failures.empty()) << p.failures.size() << " records were not acknowledged";
}

// The group's committed offsets, partition -> next offset (absent: none committed).
std::map<int32_t, int64_t> committed(const std::string& bootstrap, const std::string& group, const std::string& topic) {
    char err[512];
    auto* conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap.c_str(), err, sizeof(err));
    rd_kafka_conf_set(conf, "group.id", group.c_str(), err, sizeof(err));
    rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof(err));
    auto* parts = rd_kafka_topic_partition_list_new(partitions);
    for (int p = 0; p < partitions; ++p) rd_kafka_topic_partition_list_add(parts, topic.c_str(), p);
    std::map<int32_t, int64_t> out;
    rd_kafka_resp_err_t e = rd_kafka_committed(rk, parts, 30000);
    EXPECT_EQ(e, RD_KAFKA_RESP_ERR_NO_ERROR) << rd_kafka_err2str(e);
    for (int i = 0; i < parts->cnt; ++i) {
        if (parts->elems[i].offset >= 0) out[parts->elems[i].partition] = parts->elems[i].offset;
    }
    rd_kafka_topic_partition_list_destroy(parts);
    rd_kafka_destroy(rk);
    return out;
}

// Every partition owned by exactly one member, each owning its even share: the
// settled assignment, which nothing moves until the next member leaves or dies.
bool share_partitions(std::initializer_list<const member_process*> members) {
    std::set<int32_t> all;
    size_t sum = 0;
    for (const auto* m : members) {
        auto a = m->assignment();
        if (a.size() != partitions / members.size()) return false;
        all.insert(a.begin(), a.end());
        sum += a.size();
    }
    return all.size() == partitions && sum == partitions;
}

bool uncommitted(const std::map<int32_t, int64_t>& at_kill, const consumed_record& r) {
    auto it = at_kill.find(r.partition);
    return r.offset >= (it == at_kill.end() ? 0 : it->second);
}

// Record numbers consumed neither by a live member nor by the victim below its committed offsets.
std::vector<int64_t> uncovered(const std::map<int32_t, int64_t>& at_kill, const member_process& leaver,
                               const member_process& victim, const member_process& survivor) {
    std::vector<bool> covered(total);
    for (const auto* live : {&leaver, &survivor}) {
        for (const auto& r : live->records()) covered[r.number] = true;
    }
    for (const auto& r : victim.records()) {
        if (!uncommitted(at_kill, r)) covered[r.number] = true;
    }
    std::vector<int64_t> missing;
    for (int n = 0; n < total && missing.size() < 20; ++n) {
        if (!covered[n]) missing.push_back(n);
    }
    return missing;
}

class group_crash : public ::testing::TestWithParam<const char*> {};

TEST_P(group_crash, members_leave_and_crash_while_records_are_produced) {
    broker_process broker({"group.initial.rebalance.delay.ms=0"});
    const std::string topic = std::string("crash-") + GetParam();
    const std::string group = topic + "-group";
    ASSERT_EQ(create_topic(broker.bootstrap(), topic, partitions), "");
    member_process leaver("leaver", broker.bootstrap(), group, topic, GetParam(), 30000);
    member_process survivor("survivor", broker.bootstrap(), group, topic, GetParam(), 30000);
    member_process victim("victim", broker.bootstrap(), group, topic, GetParam(), 6000);
    auto await = [&](const std::string& what, const std::function<bool()>& done) -> ::testing::AssertionResult {
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
        while (!done()) {
            std::string state = leaver.describe() + " " + victim.describe() + " " + survivor.describe();
            for (const auto* m : {&leaver, &victim, &survivor}) {
                if (!m->errors().empty()) return ::testing::AssertionFailure() << what << ": " << state;
            }
            if (std::chrono::steady_clock::now() > deadline) {
                return ::testing::AssertionFailure() << "timed out waiting until " << what << ": " << state;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
        }
        return ::testing::AssertionSuccess();
    };
    producer p(broker.bootstrap(), {{"linger.ms", "5"}});

    ASSERT_TRUE(await("three members share the partitions", [&] { return share_partitions({&leaver, &victim, &survivor}); }));
    ASSERT_NO_FATAL_FAILURE(produce_range(p, topic, 0, total * 3 / 10));
    ASSERT_TRUE(await("the leaver consumes", [&] { return leaver.consumed() > 0; }));
    leaver.send("LEAVE");
    ASSERT_EQ(leaver.wait(60000), 0) << "the leaver closed";

    ASSERT_NO_FATAL_FAILURE(produce_range(p, topic, total * 3 / 10, total * 6 / 10));
    ASSERT_TRUE(await("the other two share the partitions", [&] { return share_partitions({&victim, &survivor}); }));
    victim.send("HOLD");
    ASSERT_TRUE(await("the victim stops committing", [&] { return victim.holding(); }));
    ASSERT_NO_FATAL_FAILURE(produce_range(p, topic, total * 6 / 10, total * 8 / 10));
    ASSERT_TRUE(await("the victim consumes without committing", [&] { return victim.held() > 0; }));
    victim.kill9();
    // Nobody else owns the victim's partitions until its session expires: these are
    // its committed offsets, and what it consumed from them on was never committed.
    const auto at_kill = committed(broker.bootstrap(), group, topic);

    ASSERT_NO_FATAL_FAILURE(produce_range(p, topic, total * 8 / 10, total));
    ASSERT_TRUE(await("every record is consumed by a live member or committed by the victim",
          [&] { return uncovered(at_kill, leaver, victim, survivor).empty(); }));
    survivor.send("LEAVE");
    ASSERT_EQ(survivor.wait(60000), 0) << "the survivor closed";

    size_t lost = 0;
    for (const auto& r : victim.records()) lost += uncommitted(at_kill, r) ? 1 : 0;
    EXPECT_GT(lost, 0u) << "the victim died holding uncommitted records";
    std::map<int64_t, std::vector<std::string>> by;
    for (const auto* m : {&leaver, &victim, &survivor}) {
        for (const auto& r : m->records()) {
            // Not committed, so consumed again by the next owner: the victim's records
            // past its committed offsets, and any whose commit the broker refused.
            std::string label = m == &victim && uncommitted(at_kill, r) ? "victim-uncommitted"
                                : m->commit_refused(r)                ? "refused-" + m->name()
                                                                      : m->name();
            by[r.number].push_back(label + "@" +
                                   std::to_string(r.partition) + ":" + std::to_string(r.offset));
        }
    }
    std::vector<std::string> wrong;
    for (const auto& [n, who] : by) {
        if (who.size() == 1) continue;
        size_t excused = 0;
        for (const auto& w : who) excused += w.starts_with("victim-uncommitted") || w.starts_with("refused-") ? 1 : 0;
        // Consumed once with its commit standing; every other time excused.
        if (who.size() - excused > 1 && wrong.size() < 20) {
            std::string line = "record " + std::to_string(n) + " by";
            for (const auto& w : who) line += " " + w;
            wrong.push_back(line);
        }
    }
    EXPECT_EQ(wrong, std::vector<std::string>{}) << "records consumed twice other than the victim's " << lost
                                                  << " uncommitted ones";

    auto end = committed(broker.bootstrap(), group, topic);
    int64_t sum = 0;
    for (auto [part, offset] : end) sum += offset;
    EXPECT_EQ(end.size(), static_cast<size_t>(partitions));
    EXPECT_EQ(sum, total);
}

INSTANTIATE_TEST_SUITE_P(assignors, group_crash, ::testing::Values("range", "cooperative-sticky"),
                         [](const auto& info) { return std::string(info.param[0] == 'r' ? "range" : "cooperative_sticky"); });

} // namespace
} // namespace strata::test
