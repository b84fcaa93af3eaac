#include "strata/schema/schema_registry.h"

#include <gtest/gtest.h>

#include <filesystem>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include "fake_format.h"
#include "strata/cluster/metadata_store.h"
#include "strata/storage/log_manager.h"

namespace strata::schema {
namespace {

const test::fake_format fake;

schema_definition def(std::string text, std::vector<schema_reference> refs = {}) {
    return {schema_type::avro, std::move(text), std::move(refs)};
}

// The registry over a real topic table and logs in a temporary directory,
// with the toy format; reopen() replays _schemas as a restart would.
class schema_registry_test : public ::testing::Test {
protected:
    void SetUp() override {
        char tmpl[] = "/tmp/strata-registry-XXXXXX";
        dir_ = ::mkdtemp(tmpl);
        open();
    }
    void TearDown() override {
        close();
        std::filesystem::remove_all(dir_);
    }
    void open() {
        store_ = std::move(cluster::metadata_store::open((dir_ / "__cluster_metadata").string())).value();
        logs_ = std::make_unique<storage::log_manager>(dir_, storage::log_config{});
        ASSERT_TRUE(logs_->open_all(0));
        topics_ = std::make_unique<cluster::topic_table>(*store_, *logs_, cluster::config_map{}, 1);
        ASSERT_TRUE(topics_->load(0));
        commits_ = std::make_unique<cluster::group_commit>(io_.get_executor());
        metrics_ = std::make_unique<metrics::registry>();
        reg_ = std::make_unique<schema_registry>(*topics_, *commits_, *metrics_,
                                                 [](schema_type) -> const format& { return fake; });
        ASSERT_TRUE(reg_->load());
    }
    void close() {
        reg_.reset();
        commits_.reset();
        topics_.reset();
        if (logs_) (void)logs_->close_all();
        logs_.reset();
        store_.reset();
    }
    void reopen() {
        close();
        open();
    }

    template<class T>
    T run(boost::asio::awaitable<T> op) {
        std::optional<T> out;
        boost::asio::co_spawn(io_, [&]() -> boost::asio::awaitable<void> { out.emplace(co_await std::move(op)); },
                              boost::asio::detached);
        io_.restart();
        while (!out) io_.run_one();
        return std::move(*out);
    }

    result<registered_version, registry_error> add(const std::string& subject, const std::string& text,
                                                   std::vector<schema_reference> refs = {}) {
        return run(reg_->register_schema(subject, def(text, std::move(refs))));
    }
    void level(std::optional<std::string> subject, compatibility_level l) {
        ASSERT_TRUE(run(reg_->set_compatibility(std::move(subject), l)));
    }

    std::filesystem::path dir_;
    boost::asio::io_context io_{1};
    std::unique_ptr<cluster::metadata_store> store_;
    std::unique_ptr<storage::log_manager> logs_;
    std::unique_ptr<cluster::topic_table> topics_;
    std::unique_ptr<cluster::group_commit> commits_;
    std::unique_ptr<metrics::registry> metrics_;
    std::unique_ptr<schema_registry> reg_;
};

TEST_F(schema_registry_test, ids_are_global_and_identical_schemas_share_one) {
    auto a1 = add("a", "x");
    ASSERT_TRUE(a1);
    EXPECT_EQ(a1->id, 1);
    EXPECT_EQ(a1->version, 1);
    auto a2 = add("a", "x,y?");
    ASSERT_TRUE(a2);
    EXPECT_EQ(a2->id, 2);
    EXPECT_EQ(a2->version, 2);
    // The same schema again: the existing version, nothing new.
    auto again = add("a", "x");
    ASSERT_TRUE(again);
    EXPECT_EQ(again->version, 1);
    EXPECT_EQ(again->id, 1);
    // Under another subject: a first version with the same ID.
    auto b = add("b", "x,y?");
    ASSERT_TRUE(b);
    EXPECT_EQ(b->id, 2);
    EXPECT_EQ(b->version, 1);
    EXPECT_EQ(reg_->store().latest_version("a", false), 2);

    EXPECT_TRUE(reg_->registered_under("a", 1));
    EXPECT_FALSE(reg_->registered_under("b", 1));
    ASSERT_TRUE(reg_->by_id(2));
    EXPECT_EQ(reg_->by_id(2)->canonical_text(), "x,y?,");
    EXPECT_FALSE(reg_->by_id(3));

    auto found = reg_->lookup("b", def("y?,x"), false);
    ASSERT_TRUE(found);
    EXPECT_EQ(found->id, 2);
    EXPECT_EQ(reg_->lookup("b", def("x"), false).error().code, registry_errc::schema_not_found);
    EXPECT_EQ(reg_->lookup("c", def("x"), false).error().code, registry_errc::subject_not_found);
    EXPECT_EQ(add("a", "!").error().code, registry_errc::invalid_schema);
}

TEST_F(schema_registry_test, backward_checks_the_new_schema_as_reader_of_the_latest) {
    ASSERT_TRUE(add("s", "a"));
    auto required = add("s", "a,b");  // a new field without default cannot read old data
    ASSERT_FALSE(required);
    EXPECT_EQ(required.error().code, registry_errc::incompatible_schema);
    EXPECT_NE(required.error().message.find("reader field b has no default"), std::string::npos);
    ASSERT_TRUE(add("s", "a,b?"));
    // BACKWARD looks at the latest only: v3 reads v2 (which writes b) but not v1.
    ASSERT_TRUE(add("s", "a,b"));
    EXPECT_EQ(reg_->store().latest_version("s", false), 3);
}

TEST_F(schema_registry_test, transitive_levels_check_every_live_version) {
    level("s", compatibility_level::backward_transitive);
    ASSERT_TRUE(add("s", "a"));
    ASSERT_TRUE(add("s", "a,b?"));
    auto r = add("s", "a,b");
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("against version 1"), std::string::npos);
    // The compatibility endpoint's view: against the latest it is fine.
    auto latest = reg_->check_compatibility("s", 2, def("a,b"));
    ASSERT_TRUE(latest);
    EXPECT_TRUE(latest->empty());
    auto all = reg_->check_compatibility("s", std::nullopt, def("a,b"));
    ASSERT_TRUE(all);
    EXPECT_EQ(all->size(), 1u);
}

TEST_F(schema_registry_test, forward_and_full_check_the_other_direction) {
    level(std::nullopt, compatibility_level::forward);
    ASSERT_TRUE(add("f", "a,b"));
    // Dropping b: the old reader needs it.
    EXPECT_EQ(add("f", "a").error().code, registry_errc::incompatible_schema);
    // Adding a required field is fine forward (old readers ignore it).
    ASSERT_TRUE(add("f", "a,b,c"));

    level("g", compatibility_level::full);
    ASSERT_TRUE(add("g", "a"));
    EXPECT_FALSE(add("g", "a,c"));   // not backward
    EXPECT_TRUE(add("g", "a,c?"));   // both ways
    level("g", compatibility_level::none);
    EXPECT_TRUE(add("g", "z"));
}

TEST_F(schema_registry_test, soft_then_hard_delete_with_confluents_errors) {
    ASSERT_TRUE(add("s", "a"));
    ASSERT_TRUE(add("s", "a,b?"));
    EXPECT_EQ(run(reg_->delete_version("s", 2, true)).error().code, registry_errc::version_not_soft_deleted);
    EXPECT_EQ(*run(reg_->delete_version("s", 2, false)), 2);
    EXPECT_EQ(run(reg_->delete_version("s", 2, false)).error().code, registry_errc::version_soft_deleted);
    EXPECT_FALSE(reg_->registered_under("s", 2));
    EXPECT_TRUE(reg_->by_id(2));  // soft-deleted versions still decode old records
    EXPECT_EQ(*run(reg_->delete_version("s", 2, true)), 2);
    EXPECT_FALSE(reg_->by_id(2));

    EXPECT_EQ(run(reg_->delete_subject("s", true)).error().code, registry_errc::subject_not_soft_deleted);
    EXPECT_EQ(*run(reg_->delete_subject("s", false)), std::vector<int32_t>{1});
    EXPECT_EQ(run(reg_->delete_subject("s", false)).error().code, registry_errc::subject_soft_deleted);
    EXPECT_TRUE(reg_->store().subjects(false).empty());
    EXPECT_EQ(reg_->store().subjects(true), std::vector<std::string>{"s"});
    // Registering again continues the version numbers; the ID is the old one.
    auto back = add("s", "a");
    ASSERT_TRUE(back);
    EXPECT_EQ(back->version, 2);
    EXPECT_EQ(back->id, 1);
    EXPECT_EQ(run(reg_->delete_subject("nope", false)).error().code, registry_errc::subject_not_found);
}

TEST_F(schema_registry_test, references_resolve_and_block_deletes) {
    ASSERT_TRUE(add("base", "k"));
    auto user = add("user", "u", {{"base.avsc", "base", 1}});
    ASSERT_TRUE(user);
    // The referenced text reached the format.
    EXPECT_EQ(reg_->by_id(user->id)->canonical_text(), "base.avsc.k,u,");
    EXPECT_EQ(reg_->store().referenced_by("base", 1), std::vector<int32_t>{user->id});
    EXPECT_EQ(run(reg_->delete_version("base", 1, false)).error().code, registry_errc::reference_exists);
    EXPECT_EQ(run(reg_->delete_subject("base", false)).error().code, registry_errc::reference_exists);
    EXPECT_EQ(add("other", "u", {{"x", "base", 9}}).error().code, registry_errc::invalid_schema);
}

TEST_F(schema_registry_test, modes_guard_writes) {
    ASSERT_TRUE(add("s", "a"));
    ASSERT_TRUE(run(reg_->set_mode("s", registry_mode::readonly, false)));
    EXPECT_EQ(add("s", "a,b?").error().code, registry_errc::operation_not_permitted);
    EXPECT_EQ(run(reg_->delete_subject("s", false)).error().code, registry_errc::operation_not_permitted);
    EXPECT_TRUE(add("t", "a"));
    // IMPORT over existing schemas needs force; then IDs and versions are given.
    EXPECT_EQ(run(reg_->set_mode(std::nullopt, registry_mode::import, false)).error().code,
              registry_errc::operation_not_permitted);
    ASSERT_TRUE(run(reg_->set_mode("imp", registry_mode::import, false)));
    auto imported = run(reg_->register_schema("imp", def("q"), 100, 5));
    ASSERT_TRUE(imported);
    EXPECT_EQ(imported->id, 100);
    EXPECT_EQ(imported->version, 5);
    EXPECT_EQ(run(reg_->register_schema("t", def("q"), 101, std::nullopt)).error().code,
              registry_errc::operation_not_permitted);
    auto next = add("t", "a,zz?");
    ASSERT_TRUE(next);
    EXPECT_EQ(next->id, 101);  // IDs continue after the imported ones
}

TEST_F(schema_registry_test, state_survives_a_restart) {
    ASSERT_TRUE(add("a", "x"));
    ASSERT_TRUE(add("a", "x,y?"));
    ASSERT_TRUE(add("b", "k"));
    ASSERT_TRUE(run(reg_->delete_version("a", 1, false)));
    ASSERT_TRUE(run(reg_->delete_subject("b", false)));
    ASSERT_TRUE(run(reg_->delete_subject("b", true)));
    level("a", compatibility_level::full);
    ASSERT_TRUE(run(reg_->set_mode(std::nullopt, registry_mode::readonly, false)));

    reopen();
    const auto& s = reg_->store();
    EXPECT_EQ(s.subjects(true), std::vector<std::string>{"a"});
    ASSERT_TRUE(s.versions("a"));
    EXPECT_TRUE(s.versions("a")->at(1).deleted);
    EXPECT_EQ(s.versions("a")->at(2).id, 2);
    EXPECT_EQ(s.effective_compatibility("a"), compatibility_level::full);
    EXPECT_EQ(s.effective_mode("a"), registry_mode::readonly);
    ASSERT_TRUE(reg_->by_id(2));
    EXPECT_FALSE(reg_->by_id(3));
    ASSERT_TRUE(run(reg_->set_mode(std::nullopt, registry_mode::readwrite, false)));
    // The identity index is rebuilt: the same schema finds its ID again.
    EXPECT_EQ(add("c", "y?,x")->id, 2);
    EXPECT_EQ(add("c", "x,y?,w?")->id, 4);
}

} // namespace
} // namespace strata::schema
