// Squid's native access.log ("time elapsed client code/status bytes method URL user
// hierarchy/peer type", logformat squid) and the many sites' extensions of it that add columns
// (client port, request/response sizes, HTTP version, quoted Referer and User-Agent). Columns are
// found by their shape rather than by position, so both read with one parser.
#include <vector>

#include "logs/canonical_fields.h"
#include "logs/formats.h"
#include "logs/line_tokens.h"

namespace ashiato::logs {
namespace {

bool is_result_code(std::string_view t) {  // TCP_MISS/200, NONE_NONE/000, TCP_TUNNEL/200
  std::size_t slash = t.find('/');
  if (slash == std::string_view::npos || slash < 3 || t.size() - slash != 4) return false;
  for (std::size_t i = 0; i < slash; ++i) {
    char c = t[i];
    if (!((c >= 'A' && c <= 'Z') || c == '_')) return false;
  }
  return all_digits(t.substr(slash + 1));
}

bool is_method(std::string_view t) {
  if (t.empty() || t.size() > 16 || t == "-") return false;
  for (char c : t) {
    if (!((c >= 'A' && c <= 'Z') || c == '_' || c == '-')) return false;
  }
  return true;
}

// Returns the index of the result-code column, or 0 when the line is not Squid's; `time` gets
// the line's time.
std::size_t result_column(const std::vector<std::string_view>& t, Timestamp& time) {
  if (t.size() < 7 || !all_digits(t[1])) return 0;
  auto parsed = parse_epoch(t[0]);
  if (!parsed) return 0;
  time = *parsed;
  for (std::size_t k = 3; k <= 4 && k < t.size(); ++k) {
    if (is_result_code(t[k])) return k;
  }
  return 0;
}

class SquidParser final : public LineParser {
 public:
  std::unique_ptr<LineParser> clone() const override { return std::make_unique<SquidParser>(); }

  LineStatus parse(std::string_view line, LineEvent& event, std::string& error) override {
    if (!split_spaced(line, tokens_)) {
      error = "unterminated quote";
      return LineStatus::kError;
    }
    Timestamp time;
    std::size_t k = result_column(tokens_, time);
    if (k == 0) {
      error = "not a Squid access line (expected time, elapsed, client, code/status)";
      return LineStatus::kError;
    }
    const auto& f = canonical();
    event.set_time(time);
    event.field(f.duration, tokens_[1]);
    event.field(f.src_ip, tokens_[2]);
    if (k == 4) event.field(f.src_port, tokens_[3]);
    std::string_view code = tokens_[k];
    std::size_t slash = code.find('/');
    event.field(f.cache_result, code.substr(0, slash));
    event.field(f.sc_status, code.substr(slash + 1));
    event.field(f.sc_bytes, tokens_[k + 1]);
    // The method is the first method-shaped column after the sizes; the URL follows it.
    std::size_t m = k + 2;
    while (m + 1 < tokens_.size() && !is_method(tokens_[m])) ++m;
    if (m + 1 >= tokens_.size()) {
      error = "no request method and URL";
      return LineStatus::kError;
    }
    event.field(f.cs_method, tokens_[m]);
    add_url_fields(event, tokens_[m + 1]);
    std::size_t i = m + 2;
    if (i < tokens_.size() &&
        (tokens_[i] == "1.0" || tokens_[i] == "1.1" || tokens_[i] == "2.0" || tokens_[i].starts_with("HTTP/"))) {
      event.field(f.cs_version, tokens_[i]);
      ++i;
    }
    if (i < tokens_.size()) event.optional_field(f.user, tokens_[i++]);
    if (i < tokens_.size()) {
      std::string_view hierarchy = tokens_[i++];
      std::size_t s = hierarchy.find('/');
      if (s != std::string_view::npos) event.optional_field(f.dst_ip, hierarchy.substr(s + 1));
    }
    if (i < tokens_.size() && all_digits(tokens_[i]) && tokens_[i].size() <= 5) ++i;  // peer port
    if (i < tokens_.size()) event.optional_field(f.content_type, tokens_[i++]);
    // Extended formats quote Referer and User-Agent; they are the first two quoted columns left.
    int quoted = 0;
    for (; i < tokens_.size() && quoted < 2; ++i) {
      const char* p = tokens_[i].data();
      if (p > line.data() && p[-1] == '"') {
        event.optional_field(quoted == 0 ? f.cs_referrer : f.c_useragent, tokens_[i]);
        ++quoted;
      }
    }
    return LineStatus::kEvent;
  }

 private:
  std::vector<std::string_view> tokens_;
};

class SquidNativeFormat final : public LogFormat {
 public:
  std::string_view name() const override { return "squid"; }
  std::string_view category() const override { return "proxy"; }
  std::string_view description() const override {
    return "Squid access.log, native format and extensions of it (client port, sizes, quoted headers)";
  }
  int detect(const std::vector<std::string_view>& head) const override {
    std::vector<std::string_view> t;
    int hits = 0;
    for (auto line : head) {
      Timestamp time;
      if (split_spaced(line, t) && result_column(t, time) != 0) ++hits;
    }
    return hits * 2 > static_cast<int>(head.size()) ? 90 : 0;
  }
  std::unique_ptr<LineParser> make_parser(const FileContext&) const override { return std::make_unique<SquidParser>(); }
};

}  // namespace

const LogFormat& squid_native_format() {
  static const SquidNativeFormat format;
  return format;
}

}  // namespace ashiato::logs
