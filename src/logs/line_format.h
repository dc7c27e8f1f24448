// The interface every text log format implements: recognise a file from its first lines, and
// turn one line into one event with canonical field names (Sigma taxonomy: proxy c-uri, cs-host,
// ...; firewall src_ip, dst_ip, dst_port, action; dns query, answer, record_type).
// The reader (text_log_reader.h) owns files, decompression, blocks, threads and error reporting;
// a format only sees lines.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/event.h"
#include "core/field_id.h"
#include "core/timestamp.h"
#include "logs/log_clock.h"

namespace ashiato::logs {

// What a parser may know about the file it reads.
struct FileContext {
  std::string path;
  std::optional<Timestamp> modified;  // file modification time: the year of syslog stamps without one
  const LogClock* clock = nullptr;    // zone of local times in the log (--log-tz)
  std::vector<std::pair<std::string, std::string>> field_map;  // --map native=canonical (header formats)
  std::vector<std::string_view> head;  // the first lines (as detection saw them); valid in make_parser only
};

// One line becoming one event. The reader has already begun the event and stored the raw line
// (field `_raw`); fields that are parts of the line are stored as references to it, not copied.
class LineEvent {
 public:
  LineEvent(EventBatch& batch, std::string_view line, std::uint32_t line_offset)
      : batch_(batch), line_(line), line_offset_(line_offset) {}

  std::string_view line() const { return line_; }
  void set_time(Timestamp t) {
    batch_.set_time(t);
    has_time_ = true;
  }
  bool has_time() const { return has_time_; }
  // `part` must lie inside line().
  void field(FieldId id, std::string_view part) {
    // An empty view may point anywhere (even be null): it is stored as the empty value at the line.
    const auto at = part.empty() ? 0U : static_cast<std::uint32_t>(part.data() - line_.data());
    batch_.add_field_at(id, line_offset_ + at, static_cast<std::uint32_t>(part.size()));
  }
  // Like field(), but leaves out empty values and the "-" that logs write for "no value".
  void optional_field(FieldId id, std::string_view part) {
    if (!part.empty() && part != "-") field(id, part);
  }
  // A value the parser computed (copied into the batch).
  void value(FieldId id, std::string_view text) { batch_.add_field(id, text); }

 private:
  EventBatch& batch_;
  std::string_view line_;
  std::uint32_t line_offset_;
  bool has_time_ = false;
};

enum class LineStatus {
  kEvent,    // the line became an event
  kSkipped,  // comment, header or directive: no event, no error
  kError,    // the line does not parse; `error` says why
};

// Parses the lines of one file. A reader clones the parser for each block it parses in parallel;
// formats whose directives change later lines (W3C #Fields, Zeek #fields) say so, and the reader
// then feeds directive lines to its master copy in file order before cloning.
class LineParser {
 public:
  virtual ~LineParser() = default;
  virtual std::unique_ptr<LineParser> clone() const = 0;
  // Lines starting with '#' are directives that change how later lines parse.
  virtual bool has_directives() const { return false; }
  virtual LineStatus parse(std::string_view line, LineEvent& event, std::string& error) = 0;
};

class LogFormat {
 public:
  virtual ~LogFormat() = default;
  virtual std::string_view name() const = 0;  // e.g. "squid", "w3c", "zeek-tsv"
  // Sigma category of its events (proxy, firewall, dns, dhcp, webserver), "zeek" or "generic".
  virtual std::string_view category() const = 0;
  // One line describing the format, for --help and error messages.
  virtual std::string_view description() const = 0;
  // Confidence (0 = not this format, 100 = certain) from the file's first lines.
  virtual int detect(const std::vector<std::string_view>& head) const = 0;
  // Whether every field value is a verbatim part of the line (not decoded or rebuilt), so that a
  // value can only be in an event if its text is in the line.
  virtual bool fields_are_verbatim() const { return true; }
  virtual std::unique_ptr<LineParser> make_parser(const FileContext& file) const = 0;
};

// Every format, in the order detection tries them (ties go to the earlier one).
const std::vector<const LogFormat*>& all_formats();
const LogFormat* find_format(std::string_view name);

}  // namespace ashiato::logs
