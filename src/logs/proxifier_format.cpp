// Proxifier's log ("[10.30 16:49:06] chrome.exe - host:port open through proxy p:5070 HTTPS"):
// which program on the PC opened which destination through the proxy — useful when the proxy's
// own logs are missing. The stamp has no year (inferred like syslog's).
#include <vector>

#include "logs/canonical_fields.h"
#include "logs/formats.h"
#include "logs/line_tokens.h"

namespace ashiato::logs {
namespace {

// "[MM.DD hh:mm:ss]" → month, day and the clock text.
bool stamp_parts(std::string_view line, int& month, int& day, std::string_view& clock) {
  if (line.size() < 17 || line[0] != '[' || line[3] != '.' || line[6] != ' ' || line[15] != ']') return false;
  if (!all_digits(line.substr(1, 2)) || !all_digits(line.substr(4, 2))) return false;
  clock = line.substr(7, 8);
  if (clock[2] != ':' || clock[5] != ':') return false;
  month = (line[1] - '0') * 10 + (line[2] - '0');
  day = (line[4] - '0') * 10 + (line[5] - '0');
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

class ProxifierParser final : public LineParser {
 public:
  explicit ProxifierParser(FileContext file) : file_(std::move(file)) { file_.head.clear(); }
  std::unique_ptr<LineParser> clone() const override { return std::make_unique<ProxifierParser>(file_); }
  LineStatus parse(std::string_view line, LineEvent& event, std::string& error) override {
    int month = 0, day = 0;
    std::string_view clock;
    if (!stamp_parts(line, month, day, clock) || !all_digits(clock.substr(0, 2)) || !all_digits(clock.substr(3, 2)) ||
        !all_digits(clock.substr(6, 2))) {
      error = "expected [MM.DD hh:mm:ss]";
      return LineStatus::kError;
    }
    const LogClock& zone = file_.clock ? *file_.clock : utc_;
    CivilTime c{zone.infer_year(month, day, file_.modified),
                month,
                day,
                (clock[0] - '0') * 10 + (clock[1] - '0'),
                (clock[3] - '0') * 10 + (clock[4] - '0'),
                (clock[6] - '0') * 10 + (clock[7] - '0'),
                0};
    if (auto t = zone.to_utc(c)) event.set_time(*t);
    const auto& f = canonical();
    std::string_view rest = line.substr(17);
    std::size_t dash = rest.find(" - ");
    if (dash == std::string_view::npos) {
      event.field(f.message, rest);
      return LineStatus::kEvent;
    }
    event.field(f.program, rest.substr(0, dash));
    std::string_view message = rest.substr(dash + 3);
    event.field(f.message, message);
    std::string_view target = message.substr(0, message.find(' '));
    std::size_t colon = target.rfind(':');
    if (colon != std::string_view::npos && all_digits(target.substr(colon + 1))) {
      std::string_view host = target.substr(0, colon);
      event.field(looks_like_ip(host) ? f.dst_ip : f.dst_host, host);
      event.field(f.dst_port, target.substr(colon + 1));
    }
    return LineStatus::kEvent;
  }

 private:
  FileContext file_;
  LogClock utc_ = LogClock::utc();
};

class ProxifierFormat final : public LogFormat {
 public:
  std::string_view name() const override { return "proxifier"; }
  std::string_view category() const override { return "proxy"; }
  std::string_view description() const override {
    return "Proxifier client log ([MM.DD hh:mm:ss] program - host:port ...)";
  }
  int detect(const std::vector<std::string_view>& head) const override {
    int hits = 0;
    for (auto line : head) {
      int m = 0, d = 0;
      std::string_view clock;
      if (stamp_parts(line, m, d, clock)) ++hits;
    }
    return hits * 2 > static_cast<int>(head.size()) ? 80 : 0;
  }
  std::unique_ptr<LineParser> make_parser(const FileContext& file) const override {
    return std::make_unique<ProxifierParser>(file);
  }
};

}  // namespace

const LogFormat& proxifier_format() {
  static const ProxifierFormat format;
  return format;
}

}  // namespace ashiato::logs
