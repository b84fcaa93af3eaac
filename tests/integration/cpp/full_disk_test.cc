// A full disk: the broker's log.dirs on a small tmpfs mounted by the test in
// a mount namespace of its own (as root, or as root of a new user namespace
// otherwise; the test fails when neither is allowed). Producing until the
// disk is full gets KAFKA_STORAGE_ERROR, never a crash; once space is freed
// the same broker takes writes again at the offset right after the last
// acknowledged one, and every acknowledged record is there, with valid CRCs,
// before and after a restart, a kill -9 while the disk was full included.

#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <string>

#include "broker_process.h"
#include "partition_io.h"
#include "raw_client.h"
#include "strata/kafka/protocol/errors.h"
#include "strata/kafka/protocol/messages/api_versions.h"
#include "strata/storage/batch_builder.h"

namespace strata::test {
namespace {

using namespace strata::kafka;
namespace fs = std::filesystem;

// RocksDB (the metadata store) preallocates 4 MiB of it; the rest is enough
// for several segment rolls before the disk is full.
constexpr size_t disk_bytes = 16 << 20;
constexpr size_t ballast_bytes = 2 << 20;
constexpr size_t value_bytes = 60 * 1024;

bool write_file(const std::string& path, const std::string& text) {
    std::ofstream out(path);
    out << text;
    return bool(out.flush());
}

// Enters a private mount namespace and mounts a tmpfs of `bytes` on `dir`.
// Returns an empty string or what went wrong.
std::string mount_private_tmpfs(const fs::path& dir, size_t bytes) {
    const uid_t uid = ::geteuid();
    const gid_t gid = ::getegid();
    if (uid == 0) {
        if (::unshare(CLONE_NEWNS) != 0) return std::string("unshare(CLONE_NEWNS): ") + std::strerror(errno);
    } else {
        if (::unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0)
            return std::string("unshare(CLONE_NEWUSER|CLONE_NEWNS): ") + std::strerror(errno);
        if (!write_file("/proc/self/setgroups", "deny") ||
            !write_file("/proc/self/uid_map", "0 " + std::to_string(uid) + " 1") ||
            !write_file("/proc/self/gid_map", "0 " + std::to_string(gid) + " 1"))
            return "cannot write the user namespace's id maps";
    }
    // Nothing mounted here leaks out to the rest of the machine.
    if (::mount("none", "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
        return std::string("making / private: ") + std::strerror(errno);
    fs::create_directories(dir);
    const std::string options = "size=" + std::to_string(bytes);
    if (::mount("tmpfs", dir.c_str(), "tmpfs", 0, options.c_str()) != 0)
        return std::string("mount tmpfs: ") + std::strerror(errno);
    return {};
}

std::vector<uint8_t> batch_with_value(uint32_t tag) {
    // Incompressible, and tagged so each acknowledged record can be recognised.
    std::mt19937 rng(tag);
    std::string value(value_bytes, '\0');
    for (auto& c : value) c = char(rng());
    std::memcpy(value.data(), &tag, sizeof tag);
    storage::batch_builder b;
    b.add({std::nullopt, storage::bytes_of(value), 1700000000000 + tag, {}});
    return *b.build();
}

class full_disk : public ::testing::Test {
protected:
    void SetUp() override {
        char tmpl[] = "/tmp/strata-disk-XXXXXX";
        ASSERT_TRUE(::mkdtemp(tmpl));
        mount_point_ = tmpl;
        auto why = mount_private_tmpfs(mount_point_, disk_bytes);
        ASSERT_EQ(why, "") << "the full-disk test needs a private tmpfs";
        // Ballast: deleting it later frees space without touching the broker's files.
        {
            std::ofstream out(mount_point_ / "ballast", std::ios::binary);
            std::string chunk(64 * 1024, 'b');
            for (size_t n = 0; n < ballast_bytes; n += chunk.size()) out << chunk;
            ASSERT_TRUE(out.flush());
        }
        broker = std::make_unique<broker_process>(std::vector<std::string>{
            "log.dirs=" + (mount_point_ / "data").string(), "log.segment.bytes=1048576"});
        client = std::make_unique<raw_client>(broker->port());
        ASSERT_EQ(create_topic(*client, "fill"), 0);
    }

    void TearDown() override {
        client.reset();
        broker.reset();
        ::umount2(mount_point_.c_str(), MNT_DETACH);
        std::error_code ec;
        fs::remove_all(mount_point_, ec);
    }

    produce_outcome produce(uint32_t tag) { return produce_batch(*client, "fill", batch_with_value(tag)); }

    // Produces until a write fails (the disk holds ~160 batches); returns that error.
    int16_t fill_disk() {
        for (int i = 0; i < 400; ++i) {
            auto p = produce(tag_++);
            if (p.error != 0) return p.error;
            EXPECT_TRUE(acked_.emplace(p.base_offset, tag_ - 1).second)
                << "offset " << p.base_offset << " handed out twice";
        }
        return 0;
    }

    // `n` more writes, all acknowledged, each at the offset right after the
    // last acknowledged one: failed writes used no offsets and left nothing behind.
    void expect_writes_continue_contiguously(int n) {
        for (int i = 0; i < n; ++i) {
            const int64_t expected = acked_.empty() ? 0 : acked_.rbegin()->first + 1;
            auto p = produce(tag_++);
            ASSERT_EQ(p.error, 0) << "write " << i << " after space was freed";
            EXPECT_EQ(p.base_offset, expected) << "write " << i << " after space was freed";
            acked_.emplace(p.base_offset, tag_ - 1);
        }
    }

    // Every acknowledged offset holds the record acknowledged there, and the
    // partition reads back whole with valid batches.
    void expect_all_present() {
        auto log = read_partition(*client, "fill");
        ASSERT_TRUE(log.valid);
        std::map<int64_t, uint32_t> stored;
        for (const auto& r : log.records) {
            uint32_t tag = 0;
            std::memcpy(&tag, r.value.data(), std::min(r.value.size(), sizeof tag));
            stored[r.offset] = tag;
        }
        for (auto [offset, tag] : acked_) {
            auto it = stored.find(offset);
            ASSERT_NE(it, stored.end()) << "acknowledged offset " << offset << " is missing";
            EXPECT_EQ(it->second, tag) << "offset " << offset;
        }
    }

    void free_space() { ASSERT_TRUE(fs::remove(mount_point_ / "ballast")); }

    void reconnect() { client = std::make_unique<raw_client>(broker->port()); }

    fs::path mount_point_;
    std::unique_ptr<broker_process> broker;
    std::unique_ptr<raw_client> client;
    std::map<int64_t, uint32_t> acked_;  // offset -> tag of the record acknowledged there
    uint32_t tag_ = 0;
};

TEST_F(full_disk, storage_error_when_full_and_writes_resume_once_space_is_freed) {
    ASSERT_EQ(fill_disk(), code(error_code::kafka_storage_error));
    ASSERT_GT(acked_.size(), 100u);
    // Still full: more writes fail the same way; the broker stays up and answers.
    for (int i = 0; i < 5; ++i) EXPECT_EQ(produce(tag_++).error, code(error_code::kafka_storage_error));
    ASSERT_TRUE(broker->running());
    client->send(msg::api_versions_request{}, 0);
    EXPECT_TRUE(client->receive<msg::api_versions_response>(0));
    expect_all_present();

    // Free space: the same broker, no restart, takes writes again.
    free_space();
    expect_writes_continue_contiguously(10);
    expect_all_present();

    // Nothing acknowledged is lost across a restart either.
    ASSERT_EQ(broker->stop(), 0);
    broker->start();
    reconnect();
    expect_all_present();
    expect_writes_continue_contiguously(3);
}

TEST_F(full_disk, kill9_while_full_loses_nothing_acknowledged) {
    ASSERT_EQ(fill_disk(), code(error_code::kafka_storage_error));
    ASSERT_GT(acked_.size(), 100u);
    EXPECT_EQ(produce(tag_++).error, code(error_code::kafka_storage_error));
    // A crash with the disk still full, then space freed and a restart:
    // recovery runs over the tail the failed writes were cut from.
    broker->kill9();
    free_space();
    broker->start();
    reconnect();
    expect_all_present();
    expect_writes_continue_contiguously(10);
    expect_all_present();
}

} // namespace
} // namespace strata::test
