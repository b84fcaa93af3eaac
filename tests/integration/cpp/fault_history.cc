#include "fault_history.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "child_process.h"

namespace strata::test {

// librdkafka producer ---------------------------------------------------------

history_producer::history_producer(std::string bootstrap, std::string topic, int32_t partitions)
    : bootstrap_(std::move(bootstrap)), topic_(std::move(topic)), partitions_(partitions) {
    thread_ = std::thread([this] { run(); });
}

void history_producer::stop() {
    stopping_ = true;
    if (thread_.joinable()) thread_.join();
}

void history_producer::run() {
    // Retries for as long as the faults may last: nothing is given up on.
    producer p(bootstrap_, {{"acks", "all"},
                            {"enable.idempotence", "true"},
                            {"message.timeout.ms", "180000"},
                            {"linger.ms", "5"}});
    for (int64_t n = 0; !stopping_; ++n) {
        p.send(topic_, {int32_t(n % partitions_), -1, std::nullopt, "r" + std::to_string(n), {}, 0});
        sent_ = n + 1;
        p.poll(10);  // serves delivery reports; paces the history at about 100 records a second
    }
    p.flush(180000);
    acknowledged = std::move(p.acknowledged);
    for (auto e : p.failures) failures.emplace_back(rd_kafka_err2str(e));
}

// Java clients ----------------------------------------------------------------

java_history_process::java_history_process(const std::string& program, std::vector<std::string> args) {
    const std::filesystem::path root(STRATA_SOURCE_DIR);
    const auto libs = root / ".tools/kafka/libs";
    if (!std::filesystem::exists(libs))
        throw std::runtime_error(libs.string() + " is missing: run scripts/fetch_kafka_tools.sh (make setup-test does)");
    char tmpl[] = "/tmp/strata-java-history-XXXXXX";
    if (!::mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
    dir_ = tmpl;
    output_ = dir_ + "/history.txt";
    log_ = dir_ + "/java.log";
    // Java runs a single source file directly; the client's own logging goes to the log.
    std::vector<std::string> command{
        "java", "-Xmx256m", "-XX:+UseSerialGC",
        "-Dlog4j2.configurationFile=" + (root / ".tools/kafka/config/tools-log4j2.properties").string(),
        "-cp", (libs / "*").string(), (root / "tests/integration/cpp/java" / (program + ".java")).string()};
    for (auto& a : args) command.push_back(std::move(a));
    command.push_back(output_);
    pid_ = spawn_logged(std::move(command), log_);
}

java_history_process::~java_history_process() {
    kill_and_reap(pid_);
    std::error_code ec;
    if (!keep_) std::filesystem::remove_all(dir_, ec);
}

int64_t java_history_process::count(const std::string& kind) const {
    std::ifstream in(output_);
    int64_t n = 0;
    const std::string prefix = kind + " ";
    for (std::string line; std::getline(in, line);) n += line.starts_with(prefix);
    return n;
}

std::optional<std::vector<std::string>> java_history_process::stop() {
    if (pid_ <= 0) return std::nullopt;
    ::kill(pid_, SIGTERM);
    // Outstanding sends may wait for a leader as long as the delivery timeout.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(200);
    int status = 0;
    while (::waitpid(pid_, &status, WNOHANG) != pid_) {
        if (std::chrono::steady_clock::now() > deadline) {
            kill_and_reap(pid_);
            return std::nullopt;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    pid_ = -1;
    std::vector<std::string> lines;
    std::ifstream in(output_);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    // A JVM ended by SIGTERM exits with 143 even after its hooks ran: "done" tells the clean end.
    if (!WIFEXITED(status) || lines.empty() || lines.back() != "done") return std::nullopt;
    return lines;
}

java_history_producer::java_history_producer(const std::string& bootstrap, const std::string& topic,
                                             int32_t partitions)
    : process_("HistoryProducer", {bootstrap, topic, std::to_string(partitions), "j"}) {}

namespace {

// The record of a "<kind> <partition> <offset> <value>" line, past its kind.
record record_from(std::istringstream& words) {
    record r;
    std::string value;
    words >> r.partition >> r.offset >> value;
    r.value = value;
    return r;
}

} // namespace

bool java_history_producer::stop() {
    auto lines = process_.stop();
    if (!lines) return false;
    for (const auto& line : *lines) {
        std::istringstream words(line);
        std::string kind;
        words >> kind;
        if (kind == "acked")
            acknowledged.push_back(record_from(words));
        else if (kind == "failed")
            failures.push_back(line);
    }
    return true;
}

java_history_consumer::java_history_consumer(const std::string& bootstrap, const std::string& topic,
                                             const std::string& group)
    : process_("HistoryConsumer", {bootstrap, topic, group}) {}

bool java_history_consumer::stop() {
    auto lines = process_.stop();
    if (!lines) return false;
    for (const auto& line : *lines) {
        std::istringstream words(line);
        std::string kind;
        words >> kind;
        if (kind == "read") {
            reads.push_back(record_from(words));
        } else if (kind == "committed") {
            int32_t partition = -1;
            int64_t offset = -1;
            words >> partition >> offset;
            auto& c = committed[partition];
            c = std::max(c, offset);
        }
    }
    return true;
}

// librdkafka consumer ---------------------------------------------------------

history_consumer::history_consumer(std::string bootstrap, std::string group, std::string topic)
    : bootstrap_(std::move(bootstrap)), group_(std::move(group)), topic_(std::move(topic)) {
    thread_ = std::thread([this] { run(); });
}

void history_consumer::stop() {
    stopping_ = true;
    if (thread_.joinable()) thread_.join();
}

namespace {

// Commits are asynchronous (a coordinator that cannot be reached must not
// stall reading); their outcomes come back through consumer_poll.
void on_commit(rd_kafka_t*, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* offsets, void* opaque) {
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR || !offsets) return;
    auto& committed = *static_cast<std::map<int32_t, int64_t>*>(opaque);
    for (int i = 0; i < offsets->cnt; ++i)
        if (offsets->elems[i].err == RD_KAFKA_RESP_ERR_NO_ERROR && offsets->elems[i].offset >= 0) {
            auto& c = committed[offsets->elems[i].partition];
            c = std::max(c, offsets->elems[i].offset);
        }
}

} // namespace

void history_consumer::run() {
    rd_kafka_conf_t* conf = make_conf(bootstrap_, {{"group.id", group_},
                                                   {"auto.offset.reset", "earliest"},
                                                   {"enable.auto.commit", "false"}});
    rd_kafka_conf_set_offset_commit_cb(conf, on_commit);
    rd_kafka_conf_set_opaque(conf, &committed);
    char err[512];
    rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof err);
    if (!rk) throw std::runtime_error(std::string("consumer: ") + err);
    rd_kafka_poll_set_consumer(rk);
    rd_kafka_topic_partition_list_t* topics = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(topics, topic_.c_str(), RD_KAFKA_PARTITION_UA);
    rd_kafka_subscribe(rk, topics);
    rd_kafka_topic_partition_list_destroy(topics);

    auto last_commit = std::chrono::steady_clock::now();
    while (!stopping_) {
        if (rd_kafka_message_t* m = rd_kafka_consumer_poll(rk, 100)) {
            if (!m->err) {
                reads.push_back(to_record(m));
                ++consumed_;
            }
            rd_kafka_message_destroy(m);
        }
        if (std::chrono::steady_clock::now() - last_commit < std::chrono::milliseconds(500)) continue;
        last_commit = std::chrono::steady_clock::now();
        // Commits the position of every assigned partition that has one.
        rd_kafka_topic_partition_list_t* assigned = nullptr;
        if (rd_kafka_assignment(rk, &assigned) != RD_KAFKA_RESP_ERR_NO_ERROR) continue;
        rd_kafka_position(rk, assigned);
        rd_kafka_topic_partition_list_t* positions = rd_kafka_topic_partition_list_new(assigned->cnt);
        for (int i = 0; i < assigned->cnt; ++i)
            if (assigned->elems[i].offset >= 0)
                rd_kafka_topic_partition_list_add(positions, topic_.c_str(), assigned->elems[i].partition)->offset =
                    assigned->elems[i].offset;
        rd_kafka_topic_partition_list_destroy(assigned);
        if (positions->cnt > 0) rd_kafka_commit(rk, positions, 1);
        rd_kafka_topic_partition_list_destroy(positions);
    }
    // Outcomes of the last commits arrive while the consumer closes.
    rd_kafka_consumer_close(rk);
    rd_kafka_destroy(rk);
}

} // namespace strata::test
