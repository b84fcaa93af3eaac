#pragma once
// An HTTP request as the registry's routes see it: the path split into
// percent-decoded segments (a subject may hold any character), the query as
// key/value pairs. A value made by the REST front door; broker thread.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "strata/net/http_server.h"

namespace strata::schema {

struct rest_request {
    std::string method;
    std::vector<std::string> path;
    std::map<std::string, std::string, std::less<>> query;
    std::string body;

    // ?name=true (Confluent's boolean parameters: deleted, permanent, verbose...).
    bool flag(std::string_view name) const;
    // path[i], or empty past the end.
    std::string_view segment(size_t i) const { return i < path.size() ? std::string_view(path[i]) : ""; }
};

rest_request parse_rest_request(const net::http_request& req);

} // namespace strata::schema
