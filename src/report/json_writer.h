// Streaming JSON output with commas and nesting handled: the report and case exports are built
// with it, so no document is assembled by string concatenation.
#pragma once
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json_text.h"
#include "core/timestamp.h"

namespace ashiato::report {

class JsonWriter {
 public:
  JsonWriter& begin_object(std::string_view key = {}) { return open(key, '{'); }
  JsonWriter& end_object() { return close('}'); }
  JsonWriter& begin_array(std::string_view key = {}) { return open(key, '['); }
  JsonWriter& end_array() { return close(']'); }

  JsonWriter& value(std::string_view key, std::string_view text) {
    prefix(key);
    append_json_string(out_, text);
    return *this;
  }
  JsonWriter& value(std::string_view key, const char* text) { return value(key, std::string_view(text)); }
  JsonWriter& value(std::string_view key, const std::string& text) { return value(key, std::string_view(text)); }
  JsonWriter& value(std::string_view key, std::int64_t number) {
    prefix(key);
    out_ += std::to_string(number);
    return *this;
  }
  JsonWriter& value(std::string_view key, double number) {
    prefix(key);
    char text[32];
    std::snprintf(text, sizeof text, "%.6g", std::isfinite(number) ? number : 0.0);
    out_ += text;
    return *this;
  }
  JsonWriter& value(std::string_view key, bool flag) {
    prefix(key);
    out_ += flag ? "true" : "false";
    return *this;
  }
  // A time as ISO 8601 UTC, or null.
  JsonWriter& time(std::string_view key, std::optional<Timestamp> t) {
    prefix(key);
    if (t) {
      append_json_string(out_, to_iso8601(*t, 0));
    } else {
      out_ += "null";
    }
    return *this;
  }
  template <typename Range>
  JsonWriter& strings(std::string_view key, const Range& values) {
    begin_array(key);
    for (const auto& v : values) value({}, std::string_view(v));
    return end_array();
  }
  const std::string& text() const { return out_; }

 private:
  JsonWriter& open(std::string_view key, char bracket) {
    prefix(key);
    out_ += bracket;
    first_.push_back(true);
    return *this;
  }
  JsonWriter& close(char bracket) {
    out_ += bracket;
    first_.pop_back();
    return *this;
  }
  void prefix(std::string_view key) {
    if (!first_.empty()) {
      if (!first_.back()) out_ += ',';
      first_.back() = false;
    }
    if (!key.empty()) {
      append_json_string(out_, key);
      out_ += ':';
    }
  }

  std::string out_;
  std::vector<bool> first_;
};

}  // namespace ashiato::report
