#include "strata/schema/json/keyword_constraints.h"

#include <string>
#include <string_view>

#include "strata/schema/json/keyword_constraint.h"

namespace strata::schema {
namespace {

// Reads `count` digits from the front of `text` into `out`.
bool digits(std::string_view& text, size_t count, int& out) {
    if (text.size() < count) return false;
    out = 0;
    for (size_t i = 0; i < count; ++i) {
        if (text[i] < '0' || text[i] > '9') return false;
        out = out * 10 + (text[i] - '0');
    }
    text.remove_prefix(count);
    return true;
}

bool literal(std::string_view& text, char c) {
    if (text.empty() || text.front() != c) return false;
    text.remove_prefix(1);
    return true;
}

// RFC 3339 full-date, with the real number of days in the month.
bool full_date(std::string_view& text) {
    int year, month, day;
    if (!digits(text, 4, year) || !literal(text, '-') || !digits(text, 2, month) || !literal(text, '-') ||
        !digits(text, 2, day)) {
        return false;
    }
    static constexpr int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12 || day < 1 || day > days[month - 1]) return false;
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return !(month == 2 && day == 29 && !leap);
}

// RFC 3339 full-time: HH:MM:SS[.frac](Z|+HH:MM|-HH:MM); a leap second (60) is allowed.
bool full_time(std::string_view& text) {
    int hour, minute, second;
    if (!digits(text, 2, hour) || !literal(text, ':') || !digits(text, 2, minute) || !literal(text, ':') ||
        !digits(text, 2, second)) {
        return false;
    }
    if (hour > 23 || minute > 59 || second > 60) return false;
    if (literal(text, '.')) {
        size_t n = 0;
        while (n < text.size() && text[n] >= '0' && text[n] <= '9') ++n;
        if (n == 0) return false;
        text.remove_prefix(n);
    }
    if (literal(text, 'Z') || literal(text, 'z')) return true;
    if (!literal(text, '+') && !literal(text, '-')) return false;
    int offset_hour, offset_minute;
    return digits(text, 2, offset_hour) && literal(text, ':') && digits(text, 2, offset_minute) &&
           offset_hour <= 23 && offset_minute <= 59;
}

bool matches(std::string_view format, std::string_view text) {
    if (format == "date") return full_date(text) && text.empty();
    if (format == "time") return full_time(text) && text.empty();
    if (format == "date-time") {
        return full_date(text) && (literal(text, 'T') || literal(text, 't')) && full_time(text) && text.empty();
    }
    return true;
}

// Owned by the compiled valijson schema; immutable after parsing.
class format_constraint final : public keyword_constraint<format_constraint> {
public:
    static format_constraint* make(const valijson::adapters::Adapter& value) {
        return new format_constraint(keyword_string(value, "format"));
    }

    explicit format_constraint(std::string format) : format_(std::move(format)) {}

    bool validate(const valijson::adapters::Adapter& target, const std::vector<std::string>& context,
                  valijson::ValidationResults* results) const override {
        if (!target.isString() || matches(format_, target.getString())) return true;
        if (results) results->pushError(context, "String is not a valid " + format_ + ".");
        return false;
    }

private:
    std::string format_;
};

} // namespace

const valijson::ConstraintBuilder* new_format_constraint_builder() {
    return new keyword_builder<format_constraint>;
}

} // namespace strata::schema
