#include "strata/schema/protobuf/descriptor_loader.h"

#include <google/protobuf/compiler/parser.h>
#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/stubs/logging.h>

#include "strata/base/base64.h"
#include "strata/schema/protobuf/builtin_protos.h"

namespace strata::schema::proto {
namespace pb = google::protobuf;
namespace {

// Keeps the first few messages: one syntax error tends to cascade.
constexpr size_t max_reported_errors = 5;

void append_error(std::string& out, size_t& count, const std::string& message) {
    if (count++ >= max_reported_errors) return;
    if (!out.empty()) out += "; ";
    out += message;
}

class text_errors final : public pb::io::ErrorCollector {
public:
    void AddError(int line, pb::io::ColumnNumber column, const std::string& message) override {
        append_error(text, count, "line " + std::to_string(line + 1) + ":" + std::to_string(column + 1) + ": " + message);
    }
    std::string text;
    size_t count = 0;
};

class build_errors final : public pb::DescriptorPool::ErrorCollector {
public:
    void AddError(const std::string& filename, const std::string& element, const pb::Message*, ErrorLocation,
                  const std::string& message) override {
        std::string where = filename == descriptor_loader::main_file_name ? "" : filename + ": ";
        if (!element.empty()) where += element + ": ";
        append_error(text, count, where + message);
    }
    std::string text;
    size_t count = 0;
};

// Google's well-known types, as compiled into libprotobuf.
bool is_well_known(const std::string& path) { return path.rfind("google/protobuf/", 0) == 0; }

} // namespace

result<pb::FileDescriptorProto, std::string> parse_proto_file(const std::string& text) {
    pb::FileDescriptorProto proto;
    text_errors errors;
    pb::io::ArrayInputStream input(text.data(), static_cast<int>(text.size()));
    pb::io::Tokenizer tokenizer(&input, &errors);
    pb::compiler::Parser parser;
    parser.RecordErrorsTo(&errors);
    if (parser.Parse(&tokenizer, &proto) && errors.count == 0) return proto;
    // Confluent's registry falls back the same way for its clients' base64 form.
    if (auto bytes = base64_decode(text)) {
        pb::FileDescriptorProto decoded;
        if (decoded.ParseFromString(*bytes)) return decoded;
    }
    return fail(errors.text.empty() ? std::string("not a .proto file") : errors.text);
}

descriptor_loader::descriptor_loader(const schema_source& source)
    : source_(source), pool_(std::make_unique<pb::DescriptorPool>()) {}

result<loaded_file, std::string> descriptor_loader::load() {
    // Scoped: libprotobuf's warnings (unused imports, ...) must not reach stderr.
    pb::LogSilencer silence;
    if (source_.text.find_first_not_of(" \t\r\n") == std::string::npos) return fail(std::string("empty schema"));
    auto proto = parse_proto_file(source_.text);
    if (!proto) return fail(proto.error());
    auto file = build(std::string(main_file_name), std::move(*proto));
    if (!file) return fail(file.error());
    return loaded_file{std::move(pool_), *file};
}

result<const pb::FileDescriptor*, std::string> descriptor_loader::build(const std::string& name,
                                                                        pb::FileDescriptorProto proto) {
    proto.set_name(name);
    in_progress_.insert(name);
    for (const auto& dependency : proto.dependency()) {
        auto imported = import(dependency);
        if (!imported) return fail(imported.error());
    }
    in_progress_.erase(name);
    build_errors errors;
    const pb::FileDescriptor* file = pool_->BuildFileCollectingErrors(proto, &errors);
    if (file == nullptr) return fail(errors.text.empty() ? "cannot build " + name : errors.text);
    return file;
}

result<const pb::FileDescriptor*, std::string> descriptor_loader::import(const std::string& path) {
    if (const auto* built = pool_->FindFileByName(path)) return built;
    if (in_progress_.count(path) != 0) return fail("import cycle through \"" + path + "\"");
    if (auto it = source_.dependencies.find(path); it != source_.dependencies.end()) {
        auto proto = parse_proto_file(it->second);
        if (!proto) return fail("import \"" + path + "\": " + proto.error());
        return build(path, std::move(*proto));
    }
    if (auto text = builtin_proto_text(path)) {
        auto proto = parse_proto_file(std::string(*text));
        if (!proto) return fail("built-in \"" + path + "\": " + proto.error());
        return build(path, std::move(*proto));
    }
    if (is_well_known(path)) {
        if (const auto* generated = pb::DescriptorPool::generated_pool()->FindFileByName(path)) {
            pb::FileDescriptorProto proto;
            generated->CopyTo(&proto);
            return build(path, std::move(proto));
        }
    }
    return fail("import \"" + path + "\" is not among the schema's references");
}

} // namespace strata::schema::proto
