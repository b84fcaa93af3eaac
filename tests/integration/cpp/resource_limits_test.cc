// Running out of file descriptors: the broker takes the whole open-file
// limit it is allowed, and a start-up with more partitions than descriptors
// says which limit to raise and exits cleanly (it used to crash closing the
// log that never opened), with the data intact for a start with a higher limit.

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "broker_process.h"
#include "partition_io.h"
#include "raw_client.h"
#include "strata/kafka/protocol/messages/metadata.h"

namespace strata::test {
namespace {

// The soft and hard "Max open files" of a running process.
std::pair<long, long> open_file_limits(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/limits");
    for (std::string line; std::getline(in, line);) {
        if (!line.starts_with("Max open files")) continue;
        std::istringstream fields(line.substr(std::string("Max open files").size()));
        long soft = -1, hard = -1;
        fields >> soft >> hard;
        return {soft, hard};
    }
    return {-1, -1};
}

size_t partitions_of(uint16_t port, const std::string& topic) {
    raw_client c(port);
    kafka::msg::metadata_request req;
    auto& t = req.topics.emplace().emplace_back();
    t.name = topic;
    c.send(req, 12);
    auto resp = c.receive<kafka::msg::metadata_response>(12);
    return resp && resp->topics.size() == 1 ? resp->topics[0].partitions.size() : 0;
}

TEST(resource_limits, the_broker_raises_its_open_file_limit_to_the_hard_limit) {
    broker_process broker;
    broker.set_open_file_limit(1024, 4096);
    broker.stop();
    broker.start();
    EXPECT_EQ(open_file_limits(broker.pid()), std::make_pair(4096L, 4096L));
    EXPECT_EQ(broker.log_lines_containing("open-file limit 4096 (raised from 1024)"), 1u);
}

TEST(resource_limits, more_partitions_than_descriptors_stops_start_up_cleanly) {
    broker_process broker;
    {
        raw_client c(broker.port());
        ASSERT_EQ(create_topic(c, "many", 400), 0);
    }
    broker.stop();
    broker.set_open_file_limit(256, 256);
    try {
        broker.start();
        FAIL() << "the broker started with 400 partitions and 256 descriptors";
    } catch (const std::runtime_error& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("Too many open files (the open-file limit is 256"), std::string::npos) << what;
        // Logged on the way out, after the logs that did open were closed: no crash.
        EXPECT_NE(what.find("cannot open logs in"), std::string::npos) << what;
    }
    broker.set_open_file_limit(8192, 8192);
    broker.start();
    EXPECT_EQ(partitions_of(broker.port(), "many"), 400u);
}

} // namespace
} // namespace strata::test
