// Runs the JSON-Schema-Test-Suite (Debian's json-schema-test-suite) through
// the JSON Schema format: every required case of drafts 4, 6 and 7, with the
// pass rate printed. Cases listed in known_failures.txt may fail; any other
// failure is a regression and fails the test, and listed cases that pass now
// are reported so the list can shrink. Optional cases are counted, not judged.
// The suite's remote references (http://localhost:1234/...) are served from its
// remotes/ directory as schema references, through the same fetch path.
// ctest shows no output of a passing test, so each draft's summary is also
// written to STRATA_SCHEMA_SUITE_REPORT_DIR/<draft>.txt, which `make test`
// prints after ctest.

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "strata/schema/format.h"

namespace strata::schema {
namespace {

namespace fs = std::filesystem;

const fs::path suite_root = "/usr/share/json-schema-test-suite";

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

std::vector<fs::path> json_files(const fs::path& dir, bool recursive) {
    std::vector<fs::path> files;
    auto add = [&](const fs::directory_entry& entry) {
        if (entry.is_regular_file() && entry.path().extension() == ".json") files.push_back(entry.path());
    };
    if (recursive) {
        for (const auto& entry : fs::recursive_directory_iterator(dir)) add(entry);
    } else {
        for (const auto& entry : fs::directory_iterator(dir)) add(entry);
    }
    std::sort(files.begin(), files.end());
    return files;
}

std::map<std::string, std::string> remotes() {
    std::map<std::string, std::string> out;
    const fs::path dir = suite_root / "remotes";
    for (const auto& file : json_files(dir, true)) {
        out["http://localhost:1234/" + fs::relative(file, dir).generic_string()] = read_file(file);
    }
    return out;
}

// "draft7/ref.json | group description | test description", one a line; '#'
// starts a comment (the reason shared by the group of lines below it).
std::set<std::string> known_failures() {
    std::set<std::string> out;
    std::ifstream in(fs::path(STRATA_SCHEMA_TEST_DIR) / "json" / "known_failures.txt");
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty() && line.front() != '#') out.insert(line);
    }
    return out;
}

struct tally {
    int passed = 0;
    int total = 0;
    std::map<std::string, std::string> failed;  // case -> why
};

// The suite's schemas carry no "$schema"; the draft under test is declared so
// the format picks the same draft a registered schema would ask for.
std::string schema_text(boost::json::value schema, std::string_view draft) {
    if (auto* object = schema.if_object(); object && !object->contains("$schema")) {
        if (draft == "draft4") (*object)["$schema"] = "http://json-schema.org/draft-04/schema#";
        if (draft == "draft6") (*object)["$schema"] = "http://json-schema.org/draft-06/schema#";
        if (draft == "draft7") (*object)["$schema"] = "http://json-schema.org/draft-07/schema#";
    }
    return boost::json::serialize(schema);
}

void run_file(const fs::path& file, const std::string& label, std::string_view draft,
              const std::map<std::string, std::string>& dependencies, tally& out) {
    auto groups = boost::json::parse(read_file(file));
    for (const auto& group : groups.as_array()) {
        const auto& g = group.as_object();
        auto parsed = json_format().parse({schema_type::json, schema_text(g.at("schema"), draft), dependencies});
        for (const auto& test : g.at("tests").as_array()) {
            const auto& t = test.as_object();
            std::string id = label + " | " + std::string(g.at("description").as_string()) + " | " +
                             std::string(t.at("description").as_string());
            std::string why;
            if (parsed) {
                std::string data = boost::json::serialize(t.at("data"));
                auto error = (*parsed)->validate({reinterpret_cast<const uint8_t*>(data.data()), data.size()});
                if (error.has_value() == t.at("valid").as_bool()) why = error.value_or("valid, expected invalid");
            } else {
                why = "schema rejected: " + parsed.error();
            }
            ++out.total;
            if (why.empty()) ++out.passed;
            else out.failed.emplace(id, why);
        }
    }
}

std::string rate(std::string_view name, const tally& t) {
    std::ostringstream out;
    out << name << ": " << t.passed << "/" << t.total << " passed (" << std::fixed << std::setprecision(1)
        << (t.total ? 100.0 * t.passed / t.total : 0.0) << "%)";
    return out.str();
}

void run_draft(const std::string& draft) {
    ASSERT_TRUE(fs::is_directory(suite_root / "tests" / draft))
        << suite_root << " is missing: scripts/setup.sh installs json-schema-test-suite";
    const auto dependencies = remotes();
    ASSERT_FALSE(dependencies.empty());
    const fs::path dir = suite_root / "tests" / draft;

    tally required, optional;
    for (const auto& file : json_files(dir, false)) {
        run_file(file, draft + "/" + file.filename().string(), draft, dependencies, required);
    }
    for (const auto& file : json_files(dir / "optional", true)) {
        run_file(file, draft + "/" + fs::relative(file, dir).generic_string(), draft, dependencies, optional);
    }
    std::ostringstream summary;
    summary << "JSON-Schema-Test-Suite " << rate(draft, required) << "; optional " << rate(draft, optional) << "\n";
    ASSERT_GT(required.total, 100);

    const auto known = known_failures();
    const auto& failed = required.failed;
    int regressions = 0;
    for (const auto& [id, why] : failed) {
        if (known.contains(id)) continue;
        ++regressions;
        ADD_FAILURE() << "regression (not in known_failures.txt): " << id << "\n  " << why;
    }
    if (regressions) summary << "  " << draft << ": " << regressions << " regressions, see the test's output\n";
    for (const auto& id : known) {
        if (id.starts_with(draft + "/") && !failed.contains(id))
            summary << "  passes now, remove from known_failures.txt: " << id << "\n";
    }
    std::cout << summary.str();
    fs::create_directories(STRATA_SCHEMA_SUITE_REPORT_DIR);
    std::ofstream(fs::path(STRATA_SCHEMA_SUITE_REPORT_DIR) / (draft + ".txt")) << summary.str();
}

TEST(json_schema_test_suite, draft4_required_cases_pass_except_known_failures) { run_draft("draft4"); }
TEST(json_schema_test_suite, draft6_required_cases_pass_except_known_failures) { run_draft("draft6"); }
TEST(json_schema_test_suite, draft7_required_cases_pass_except_known_failures) { run_draft("draft7"); }

} // namespace
} // namespace strata::schema
