// How a Fetch response goes on the wire. It is written in pieces (partition
// headers between sendfile runs of segment data); the broker corks the
// socket for the whole response so that the pieces leave as full segments.
// Uncorked, with TCP_NODELAY, every header left as a tiny segment of its
// own, and a consumer with the Java client's fixed 64 KiB receive buffer ran
// out of buffer memory on them before its window was used: the kernel
// dropped data and the consumer waited out a retransmission timeout (200 ms
// and more) — the tail of the benchmark's fixed-rate latency run.

#include <gtest/gtest.h>

#include <linux/tcp.h>  // tcp_info with tcpi_segs_in (glibc's lacks it)
#include <netinet/in.h>
#include <sys/socket.h>

#include "broker_process.h"
#include "raw_client.h"
#include "rdkafka_client.h"
#include "strata/kafka/protocol/messages/fetch.h"

namespace strata::test {
namespace {

using namespace strata::kafka;

uint32_t segments_received(int fd) {
    tcp_info info{};
    socklen_t len = sizeof info;
    EXPECT_EQ(::getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &len), 0);
    return info.tcpi_segs_in;
}

TEST(fetch_wire, a_response_over_many_partitions_leaves_in_a_few_full_segments) {
    broker_process broker;
    constexpr int partitions = 16;
    ASSERT_EQ(create_topic(broker.bootstrap(), "wire", partitions), "");
    {
        producer p(broker.bootstrap(), {{"acks", "all"}});
        for (int part = 0; part < partitions; ++part) {
            record r;
            r.partition = part;
            r.value = std::string(200, char('a' + part));
            p.send("wire", r);
        }
        p.flush();
        ASSERT_EQ(p.acknowledged.size(), size_t(partitions));
    }

    raw_client c(broker.port());
    msg::fetch_request f;
    f.max_wait_ms = 0;
    f.min_bytes = 1;
    f.max_bytes = 1 << 20;
    auto& t = f.topics.emplace_back();
    t.topic = "wire";
    for (int part = 0; part < partitions; ++part) {
        auto& fp = t.partitions.emplace_back();
        fp.partition = part;
        fp.fetch_offset = 0;
        fp.partition_max_bytes = 1 << 20;
    }
    // One round trip first, so that the count below holds the response alone
    // (and no handshake or ACK-only segment).
    c.send(f, 12);
    ASSERT_TRUE(c.receive_frame());

    const uint32_t before = segments_received(c.fd());
    c.send(f, 12);
    auto frame = c.receive_frame();
    ASSERT_TRUE(frame);
    const uint32_t segments = segments_received(c.fd()) - before;

    reader r(*frame);
    msg::response_header h;
    h.decode(r, 1);
    msg::fetch_response resp;
    resp.decode(r, 12);
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(resp.responses.at(0).partitions.size(), size_t(partitions));
    for (const auto& p : resp.responses.at(0).partitions) {
        EXPECT_EQ(p.error_code, 0);
        EXPECT_GT(p.records.bytes().size(), 200u) << "partition " << p.partition_index;
    }
    // About 5 KiB in all: one loopback segment holds it. Written uncorked it
    // took one segment per header and one per partition's data (31 here).
    EXPECT_LE(segments, 4u) << "a " << frame->size() << "-byte response came in " << segments << " segments";
}

} // namespace
} // namespace strata::test
