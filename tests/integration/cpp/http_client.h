#pragma once
// Blocking HTTP/1.0 over a loopback socket, for tests that talk to the
// broker's admin listener (/metrics) and its schema registry, and a reader of
// one sample of the Prometheus text format.

#include <cstdint>
#include <string>

namespace strata::test {

// The whole response, status line and headers included; empty when the
// connection failed.
std::string http_request(uint16_t port, const std::string& method, const std::string& path,
                         const std::string& body = "",
                         const std::string& content_type = "application/vnd.schemaregistry.v1+json");

inline std::string http_get(uint16_t port, const std::string& path) { return http_request(port, "GET", path); }

// The body of a response http_request returned.
std::string http_body(const std::string& response);

// The value of the sample whose line starts with `series` ("name{labels}"), or -1.
double metric_sample(const std::string& text, const std::string& series);

} // namespace strata::test
