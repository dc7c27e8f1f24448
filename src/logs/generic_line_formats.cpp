// The fallbacks for logs no specific format claims: syslog lines (the envelope gives time, host,
// program; the message stays whole for keyword rules and indicators) and plain lines that start
// with a date and time ("2016-09-28 04:30:30, Info ..."), as application logs often do.
#include "logs/canonical_fields.h"
#include "logs/formats.h"
#include "logs/line_tokens.h"
#include "logs/syslog_header.h"

namespace ashiato::logs {
namespace {

class SyslogParser final : public LineParser {
 public:
  explicit SyslogParser(FileContext file) : file_(std::move(file)) { file_.head.clear(); }
  std::unique_ptr<LineParser> clone() const override { return std::make_unique<SyslogParser>(file_); }
  LineStatus parse(std::string_view line, LineEvent& event, std::string& error) override {
    auto h = parse_syslog_header(line, file_);
    if (!h) {
      error = "no syslog time stamp";
      return LineStatus::kError;
    }
    const auto& f = canonical();
    event.set_time(h->time);
    event.optional_field(f.device, h->host);
    event.optional_field(f.program, h->program);
    if (!h->pid.empty()) event.field(pid_, h->pid);
    event.field(f.message, h->message);
    return LineStatus::kEvent;
  }

 private:
  FileContext file_;
  FieldId pid_ = intern_field("pid");
};

int share(const std::vector<std::string_view>& head, auto&& fits, int score) {
  int hits = 0;
  for (auto line : head) {
    if (fits(line)) ++hits;
  }
  return hits * 2 > static_cast<int>(head.size()) ? score : 0;
}

class SyslogFormat final : public LogFormat {
 public:
  std::string_view name() const override { return "syslog"; }
  std::string_view category() const override { return "syslog"; }
  std::string_view description() const override {
    return "syslog lines (RFC 3164 with the year inferred, RFC 5424, ISO-stamped)";
  }
  int detect(const std::vector<std::string_view>& head) const override {
    FileContext probe;
    return share(
        head, [&](std::string_view line) { return parse_syslog_header(line, probe).has_value(); }, 10);
  }
  std::unique_ptr<LineParser> make_parser(const FileContext& file) const override {
    return std::make_unique<SyslogParser>(file);
  }
};

// "YYYY-MM-DD HH:MM:SS" (or with 'T', ',' or '.' fraction) at the start of the line.
std::optional<Timestamp> leading_time(std::string_view line, std::size_t& used) {
  if (line.size() < 19 || line[4] != '-' || line[7] != '-' || (line[10] != ' ' && line[10] != 'T') || line[13] != ':' ||
      line[16] != ':') {
    return std::nullopt;
  }
  used = 19;
  if (used < line.size() && (line[used] == '.' || line[used] == ',') && used + 1 < line.size() &&
      std::isdigit(static_cast<unsigned char>(line[used + 1]))) {
    ++used;
    while (used < line.size() && std::isdigit(static_cast<unsigned char>(line[used]))) ++used;
  }
  std::string text(line.substr(0, used));
  if (text.size() > 19 && text[19] == ',') text[19] = '.';
  text[10] = 'T';
  return parse_iso8601(text);
}

class TimestampedParser final : public LineParser {
 public:
  explicit TimestampedParser(const LogClock* clock) : clock_(clock) {}
  std::unique_ptr<LineParser> clone() const override { return std::make_unique<TimestampedParser>(clock_); }
  LineStatus parse(std::string_view line, LineEvent& event, std::string& error) override {
    std::size_t used = 0;
    auto t = leading_time(line, used);
    if (!t) {
      error = "no leading date and time";
      return LineStatus::kError;
    }
    if (clock_) t = clock_->to_utc(to_civil(*t));
    if (t) event.set_time(*t);
    std::string_view rest = line.substr(used);
    while (!rest.empty() && (rest[0] == ' ' || rest[0] == ',' || rest[0] == '\t')) rest.remove_prefix(1);
    event.field(canonical().message, rest);
    return LineStatus::kEvent;
  }

 private:
  const LogClock* clock_;
};

class TimestampedTextFormat final : public LogFormat {
 public:
  std::string_view name() const override { return "text"; }
  std::string_view category() const override { return "generic"; }
  std::string_view description() const override {
    return "lines starting with a local date and time (YYYY-MM-DD hh:mm:ss), message kept whole";
  }
  int detect(const std::vector<std::string_view>& head) const override {
    return share(
        head,
        [](std::string_view line) {
          std::size_t used = 0;
          return leading_time(line, used).has_value();
        },
        20);
  }
  std::unique_ptr<LineParser> make_parser(const FileContext& file) const override {
    return std::make_unique<TimestampedParser>(file.clock);
  }
};

}  // namespace

const LogFormat& syslog_format() {
  static const SyslogFormat format;
  return format;
}
const LogFormat& timestamped_text_format() {
  static const TimestampedTextFormat format;
  return format;
}

}  // namespace ashiato::logs
