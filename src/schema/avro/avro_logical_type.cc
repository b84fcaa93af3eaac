#include "avro_logical_type.h"

#include <cmath>

namespace strata::schema::avro {

namespace {

// The digits a two's-complement number of `size` bytes always holds:
// floor(log10(2^(8*size-1) - 1)), as Java Avro computes it.
int64_t max_decimal_precision(uint32_t size) {
    if (size == 0) return 0;
    return int64_t(std::floor((8.0L * size - 1) * std::log10(2.0L)));
}

// precision and scale must be JSON integers; scale defaults to 0.
bool valid_decimal(const avro_node& n) {
    auto p = n.props.find("precision");
    if (p == n.props.end() || !p->value().is_int64()) return false;
    int64_t precision = p->value().get_int64();
    int64_t scale = 0;
    if (auto s = n.props.find("scale"); s != n.props.end()) {
        if (!s->value().is_int64()) return false;
        scale = s->value().get_int64();
    }
    if (precision <= 0 || scale < 0 || scale > precision) return false;
    if (n.kind == avro_kind::fixed) return precision <= max_decimal_precision(n.size);
    return n.kind == avro_kind::bytes;
}

} // namespace

logical_type detect_logical_type(const avro_node& n) {
    auto it = n.props.find("logicalType");
    if (it == n.props.end() || !it->value().is_string()) return logical_type::none;
    std::string_view name = it->value().get_string();
    auto on = [&](avro_kind k, logical_type t) { return n.kind == k ? t : logical_type::none; };
    if (name == "decimal") return valid_decimal(n) ? logical_type::decimal : logical_type::none;
    if (name == "uuid") return on(avro_kind::string, logical_type::uuid);
    if (name == "date") return on(avro_kind::int_type, logical_type::date);
    if (name == "time-millis") return on(avro_kind::int_type, logical_type::time_millis);
    if (name == "time-micros") return on(avro_kind::long_type, logical_type::time_micros);
    if (name == "timestamp-millis") return on(avro_kind::long_type, logical_type::timestamp_millis);
    if (name == "timestamp-micros") return on(avro_kind::long_type, logical_type::timestamp_micros);
    if (name == "local-timestamp-millis") return on(avro_kind::long_type, logical_type::local_timestamp_millis);
    if (name == "local-timestamp-micros") return on(avro_kind::long_type, logical_type::local_timestamp_micros);
    if (name == "duration")
        return n.kind == avro_kind::fixed && n.size == 12 ? logical_type::duration : logical_type::none;
    return logical_type::none;
}

} // namespace strata::schema::avro
