// W3C extended log format: "#Fields:" names the columns (and may change mid-file, e.g. when IIS
// restarts). Proxies (Blue Coat ProxySG ELFF, Zscaler/NSS-style exports) and IIS write it; values
// are space-separated, "-" means none, ProxySG quotes values with spaces. Native column names are
// kept as fields, and the Sigma proxy/webserver names are added as aliases.
#include <string>
#include <unordered_map>
#include <vector>

#include "logs/canonical_fields.h"
#include "logs/formats.h"
#include "logs/line_tokens.h"

namespace ashiato::logs {
namespace {

struct Column {
  FieldId native = kNoField;
  std::vector<FieldId> aliases;
};

// Native W3C names → canonical names. `proxy` picks the meaning of s-ip (the proxy itself for a
// proxy, the server for IIS, which is the destination of the request).
std::vector<FieldId> aliases_of(std::string_view name, bool proxy) {
  const auto& f = canonical();
  static const std::unordered_map<std::string_view, std::vector<std::string_view>> common = {
      {"c-ip", {"src_ip"}},
      {"cs-username", {"user"}},
      {"cs-user", {"user"}},
      {"cs-uri", {"c-uri"}},
      {"cs-uri-stem", {"c-uri-stem"}},
      {"cs-uri-query", {"c-uri-query"}},
      {"cs-uri-path", {"c-uri-stem"}},
      {"cs-uri-extension", {"c-uri-extension"}},
      {"cs(User-Agent)", {"c-useragent", "cs-user-agent"}},
      {"cs(user-agent)", {"c-useragent", "cs-user-agent"}},
      {"cs-user-agent", {"c-useragent"}},
      {"cs(Referer)", {"cs-referrer", "cs-referer"}},
      {"cs(referer)", {"cs-referrer", "cs-referer"}},
      {"cs-referer", {"cs-referrer"}},
      {"time-taken", {"duration"}},
      {"r-ip", {"dst_ip"}},
      {"s-supplier-ip", {"dst_ip"}},
      {"r-port", {"dst_port"}},
      {"cs-uri-port", {"dst_port"}},
      {"sc-filter-result", {"action"}},
      {"x-rs-certificate-observed-errors", {}},
      {"cs(Host)", {"cs-host"}},
      {"r-host", {"cs-host"}},
  };
  std::vector<FieldId> ids;
  if (auto it = common.find(name); it != common.end()) {
    for (auto alias : it->second) ids.push_back(intern_field(alias));
  }
  if (!proxy && name == "s-ip") ids.push_back(f.dst_ip);
  if (!proxy && name == "s-port") ids.push_back(f.dst_port);
  return ids;
}

class W3cParser final : public LineParser {
 public:
  explicit W3cParser(bool proxy, const LogClock* clock) : proxy_(proxy), clock_(clock) {}
  std::unique_ptr<LineParser> clone() const override { return std::make_unique<W3cParser>(*this); }
  bool has_directives() const override { return true; }

  LineStatus parse(std::string_view line, LineEvent& event, std::string& error) override {
    if (line[0] == '#') {
      if (line.starts_with("#Fields:")) set_fields(line.substr(8));
      return LineStatus::kSkipped;
    }
    if (columns_.empty()) {
      error = "data line before any #Fields: directive";
      return LineStatus::kError;
    }
    if (!split_spaced(line, tokens_)) {
      error = "unterminated quote";
      return LineStatus::kError;
    }
    if (tokens_.size() != columns_.size()) {
      error = std::to_string(tokens_.size()) + " values for " + std::to_string(columns_.size()) + " #Fields";
      return LineStatus::kError;
    }
    for (std::size_t i = 0; i < tokens_.size(); ++i) {
      std::string_view v = tokens_[i];
      if (v.empty() || v == "-") continue;
      event.field(columns_[i].native, v);
      for (FieldId alias : columns_[i].aliases) {
        // "?a=b" in ProxySG, "a=b" in IIS: the Sigma field has no question mark.
        if (alias == canonical().c_uri_query && v[0] == '?') {
          event.field(alias, v.substr(1));
        } else {
          event.field(alias, v);
        }
      }
    }
    if (date_ >= 0 && time_ >= 0) {
      auto t = parse_iso8601(std::string(tokens_[static_cast<std::size_t>(date_)]) + "T" +
                             std::string(tokens_[static_cast<std::size_t>(time_)]));
      if (!t) {
        error = "bad date/time";
        return LineStatus::kError;
      }
      // W3C times are UTC unless the log says "localtime".
      if (local_time_ && clock_) t = clock_->to_utc(to_civil(*t));
      if (t) event.set_time(*t);
    }
    add_derived(event);
    return LineStatus::kEvent;
  }

 private:
  void set_fields(std::string_view names) {
    columns_.clear();
    date_ = time_ = -1;
    local_time_ = false;
    std::vector<std::string_view> list;
    split_spaced(names, list);
    for (auto n : list) {
      if (n == "date") date_ = static_cast<int>(columns_.size());
      if (n == "time" || n == "gmttime") time_ = static_cast<int>(columns_.size());
      if (n == "localtime") {
        time_ = static_cast<int>(columns_.size());
        local_time_ = true;
      }
      Column c;
      c.native = intern_field(n);
      c.aliases = aliases_of(n, proxy_);
      columns_.push_back(std::move(c));
    }
  }

  // c-uri and cs-host when the log has only their parts, or only the full URL.
  void add_derived(LineEvent& event) {
    const auto& f = canonical();
    std::optional<std::string_view> uri, stem, query, host;
    for (std::size_t i = 0; i < columns_.size(); ++i) {
      std::string_view v = tokens_[i];
      if (v.empty() || v == "-") continue;
      for (FieldId a : columns_[i].aliases) {
        if (a == f.c_uri) uri = v;
        if (a == f.c_uri_stem) stem = v;
        if (a == f.c_uri_query) query = v;
        if (a == f.cs_host) host = v;
      }
      if (columns_[i].native == f.cs_host) host = v;
    }
    if (!uri && stem) {
      std::string built(*stem);
      if (query) {
        if ((*query)[0] != '?') built += '?';
        built += *query;
      }
      event.value(f.c_uri, built);
    }
    if (!host && uri) {
      UrlParts p = split_url(*uri);
      if (!p.host.empty()) event.field(f.cs_host, p.host);
    }
  }

  bool proxy_;
  const LogClock* clock_;
  std::vector<Column> columns_;
  int date_ = -1, time_ = -1;
  bool local_time_ = false;
  std::vector<std::string_view> tokens_;
};

bool is_iis(const std::vector<std::string_view>& head) {
  for (auto line : head) {
    if (line.starts_with("#Software:") && line.find("Internet Information Services") != std::string_view::npos) {
      return true;
    }
    if (line.starts_with("#Fields:") && (line.find(" s-sitename") != std::string_view::npos ||
                                         line.find(" s-computername") != std::string_view::npos)) {
      return true;
    }
  }
  return false;
}

bool has_fields_directive(const std::vector<std::string_view>& head) {
  for (auto line : head) {
    if (line.starts_with("#Fields:")) return true;
  }
  return false;
}

class W3cFormat final : public LogFormat {
 public:
  explicit W3cFormat(bool proxy) : proxy_(proxy) {}
  std::string_view name() const override { return proxy_ ? "w3c" : "iis"; }
  std::string_view category() const override { return proxy_ ? "proxy" : "webserver"; }
  std::string_view description() const override {
    return proxy_ ? "W3C extended log format of proxies (Blue Coat ProxySG ELFF, Zscaler-style exports)"
                  : "IIS W3C extended log format";
  }
  int detect(const std::vector<std::string_view>& head) const override {
    if (!has_fields_directive(head)) return 0;
    return is_iis(head) == proxy_ ? 0 : 95;
  }
  std::unique_ptr<LineParser> make_parser(const FileContext& file) const override {
    return std::make_unique<W3cParser>(proxy_, file.clock);
  }

 private:
  bool proxy_;
};

}  // namespace

const LogFormat& w3c_proxy_format() {
  static const W3cFormat format(true);
  return format;
}
const LogFormat& iis_w3c_format() {
  static const W3cFormat format(false);
  return format;
}

}  // namespace ashiato::logs
