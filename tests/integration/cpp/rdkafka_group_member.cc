// One librdkafka consumer-group member as a process of its own, so that a test
// can SIGKILL it (group_crash_test.cc): it commits after every batch, and again
// for the partitions a rebalance takes away, so a member that keeps committing
// never hands on a record it consumed. Single-threaded (librdkafka has its own).
//
//   rdkafka_group_member bootstrap group topic assignor session_timeout_ms
//
// Reports on stdout, a line per event, flushed before every commit (a record
// committed is a record reported): "A 0,3,5" assignment, "R partition offset
// number" consumed, "K" holding (nothing is committed from here on), "H" held (consumed a batch after HOLD and committed none of
// it), "U partition from to" a refused commit (offsets from..to-1 stay uncommitted),
// "E text" error. Reads HOLD (stop committing) and LEAVE (close) from stdin.
// A broker that goes away (cluster tests kill them) is something a consumer
// rides out: its connection errors are not reported, and a commit its
// coordinator could not take stays pending like one refused by a rebalance.

#include <librdkafka/rdkafka.h>
#include <poll.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>
#include <string>

namespace {

// Errors a member carries on from: the coordinator or a broker went away
// (librdkafka finds the new one and retries itself).
bool broker_went_away(rd_kafka_resp_err_t err) {
    switch (err) {
    case RD_KAFKA_RESP_ERR__TRANSPORT:
    case RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN:
    case RD_KAFKA_RESP_ERR__TIMED_OUT:
    case RD_KAFKA_RESP_ERR__WAIT_COORD:
    case RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT:
    case RD_KAFKA_RESP_ERR_NOT_COORDINATOR:
    case RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE:
    case RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS:
        return true;
    default:
        return false;
    }
}

bool hold = false;
bool leave = false;
std::string topic;
std::map<int32_t, int64_t> pending;  // partition -> next offset, consumed but not committed
std::map<int32_t, int64_t> pending_from;  // partition -> first offset consumed since its last commit
std::set<int32_t> owned;

[[noreturn]] void die(const std::string& what) {
    std::printf("E %s\n", what.c_str());
    std::fflush(stdout);
    std::exit(2);
}

void report_assignment() {
    std::string line = "A ";
    for (int32_t p : owned) line += std::to_string(p) + ",";
    if (line.back() == ',') line.pop_back();
    std::printf("%s\n", line.c_str());
    std::fflush(stdout);
}

// Commits what is pending for `only` (every partition when null).
void commit(rd_kafka_t* rk, const rd_kafka_topic_partition_list_t* only) {
    std::fflush(stdout);  // also from the rebalance callback, in the middle of a batch
    auto* offsets = rd_kafka_topic_partition_list_new(static_cast<int>(pending.size()));
    for (auto [p, next] : pending) {
        bool wanted = only == nullptr;
        for (int i = 0; only && i < only->cnt; ++i) wanted |= only->elems[i].partition == p;
        if (wanted) rd_kafka_topic_partition_list_add(offsets, topic.c_str(), p)->offset = next;
    }
    if (offsets->cnt > 0) {
        rd_kafka_resp_err_t err = rd_kafka_commit(rk, offsets, 0);
        if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {
            for (int i = 0; i < offsets->cnt; ++i) {
                auto it = pending.find(offsets->elems[i].partition);
                if (it != pending.end() && it->second == offsets->elems[i].offset) {
                    pending_from.erase(it->first);
                    pending.erase(it);
                }
            }
        } else if (err == RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS || err == RD_KAFKA_RESP_ERR_ILLEGAL_GENERATION ||
                   broker_went_away(err)) {
            // A rebalance under way is the one thing worth waiting out: REBALANCE_IN_PROGRESS,
            // or ILLEGAL_GENERATION for a commit that crossed the JoinGroup moving the
            // generation (librdkafka commits with the generation it knows until the join
            // answers; Kafka refuses it the same way). What is pending stays pending and is
            // committed afterwards or on revocation; reported, because whoever owns the
            // partition next may consume the range again.
            for (int i = 0; i < offsets->cnt; ++i) {
                int32_t p = offsets->elems[i].partition;
                std::printf("U %d %lld %lld\n", p, static_cast<long long>(pending_from[p]),
                            static_cast<long long>(offsets->elems[i].offset));
            }
            std::fflush(stdout);
        } else {
            die(std::string("commit: ") + rd_kafka_err2str(err));
        }
    }
    rd_kafka_topic_partition_list_destroy(offsets);
}

void on_rebalance(rd_kafka_t* rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* parts, void*) {
    const bool cooperative = std::string(rd_kafka_rebalance_protocol(rk)) == "COOPERATIVE";
    if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
        if (cooperative) {
            if (auto* e = rd_kafka_incremental_assign(rk, parts)) die(rd_kafka_error_string(e));
        } else if (rd_kafka_assign(rk, parts) != RD_KAFKA_RESP_ERR_NO_ERROR) {
            die("assign failed");
        }
        for (int i = 0; i < parts->cnt; ++i) owned.insert(parts->elems[i].partition);
    } else {
        // A lost assignment is gone without a chance to commit.
        if (!rd_kafka_assignment_lost(rk) && !hold) commit(rk, parts);
        // Committed, refused or lost, the revoked partitions are someone else's from here
        // on: a later commit must not write this member's stale offsets over the new owner's.
        for (int i = 0; i < parts->cnt; ++i) {
            pending.erase(parts->elems[i].partition);
            pending_from.erase(parts->elems[i].partition);
        }
        if (cooperative) {
            if (auto* e = rd_kafka_incremental_unassign(rk, parts)) die(rd_kafka_error_string(e));
        } else {
            rd_kafka_assign(rk, nullptr);
        }
        for (int i = 0; i < parts->cnt; ++i) owned.erase(parts->elems[i].partition);
    }
    report_assignment();
}

// Takes the commands waiting on stdin, without blocking; EOF means the test is gone.
void read_commands() {
    static std::string input;
    pollfd in{0, POLLIN, 0};
    while (::poll(&in, 1, 0) > 0) {
        char buf[256];
        ssize_t n = ::read(0, buf, sizeof(buf));
        if (n <= 0) {
            leave = true;
            return;
        }
        input.append(buf, static_cast<size_t>(n));
        for (size_t nl; (nl = input.find('\n')) != std::string::npos; input.erase(0, nl + 1)) {
            std::string line = input.substr(0, nl);
            if (line == "HOLD" && !hold) {
                hold = true;  // read before every commit decision from here on
                std::printf("K\n");
                std::fflush(stdout);
            }
            if (line == "LEAVE") leave = true;
        }
    }
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 6) {
        std::fprintf(stderr, "usage: %s bootstrap group topic assignor session_timeout_ms\n", argv[0]);
        return 64;
    }
    topic = argv[3];
    char err[512];
    auto* conf = rd_kafka_conf_new();
    const std::map<std::string, std::string> settings{
        {"bootstrap.servers", argv[1]}, {"group.id", argv[2]}, {"partition.assignment.strategy", argv[4]},
        {"session.timeout.ms", argv[5]}, {"heartbeat.interval.ms", "500"}, {"auto.offset.reset", "earliest"},
        {"enable.auto.commit", "false"}, {"fetch.wait.max.ms", "100"}};
    for (const auto& [k, v] : settings) {
        if (rd_kafka_conf_set(conf, k.c_str(), v.c_str(), err, sizeof(err)) != RD_KAFKA_CONF_OK) die(err);
    }
    rd_kafka_conf_set_rebalance_cb(conf, on_rebalance);
    rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof(err));
    if (!rk) die(err);
    rd_kafka_poll_set_consumer(rk);
    auto* subscription = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(subscription, topic.c_str(), RD_KAFKA_PARTITION_UA);
    if (rd_kafka_subscribe(rk, subscription) != RD_KAFKA_RESP_ERR_NO_ERROR) die("subscribe failed");
    rd_kafka_topic_partition_list_destroy(subscription);

    while (!leave) {
        read_commands();
        int batch = 0;
        for (rd_kafka_message_t* m; batch < 500 && (m = rd_kafka_consumer_poll(rk, batch == 0 ? 200 : 0));) {
            if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
                std::string value(static_cast<const char*>(m->payload), m->len);
                std::printf("R %d %lld %s\n", m->partition, static_cast<long long>(m->offset), value.c_str());
                pending_from.try_emplace(m->partition, m->offset);
                pending[m->partition] = m->offset + 1;
                ++batch;
            } else if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF && !broker_went_away(m->err)) {
                die(std::string("consume: ") + rd_kafka_message_errstr(m));
            }
            rd_kafka_message_destroy(m);
        }
        std::fflush(stdout);
        if (!hold) {
            commit(rk, nullptr);
        } else if (batch > 0) {
            std::printf("H\n");
            std::fflush(stdout);
        }
    }
    rd_kafka_consumer_close(rk);
    rd_kafka_destroy(rk);
    return 0;
}
