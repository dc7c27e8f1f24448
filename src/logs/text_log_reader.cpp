#include "logs/text_log_reader.h"

#include <oneapi/tbb/parallel_pipeline.h>
#include <oneapi/tbb/task_arena.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <mutex>
#include <stdexcept>

#include "core/byte_source.h"
#include "core/count_lines.h"
#include "logs/canonical_fields.h"
#include "logs/line_buffer.h"

namespace ashiato::logs {
namespace {

constexpr std::size_t kReportedBadLines = 5;    // per file, with line number and reason
constexpr std::size_t kLongestLine = 64 << 20;  // a "line" longer than this is cut (and reported)

struct BadLine {
  std::uint64_t line_no;
  std::uint64_t offset;
  std::string reason;
};

using LineSelector = std::function<void(std::string_view, std::vector<std::size_t>&)>;

struct Block {
  std::uint64_t index = 0;
  LineBuffer data;  // whole lines
  std::uint64_t first_line = 1;
  std::uint64_t first_offset = 0;  // decompressed byte offset of data[0]
  std::uint64_t raw_bytes = 0;     // bytes read from the file for this block (progress)
  std::unique_ptr<LineParser> parser;
  EventBatch batch;
  std::uint64_t lines = 0, events = 0, skipped = 0, bad = 0, filtered = 0;
  std::vector<BadLine> bad_examples;
  std::optional<Timestamp> first_time, last_time;
  std::vector<std::size_t> selected;  // start offsets of the lines a line selector picked

  // Ready for the next block; the buffers keep their capacity.
  void reset() {
    lines = events = skipped = bad = filtered = 0;
    bad_examples.clear();
    first_time.reset();
    last_time.reset();
    parser.reset();
  }
};

// Blocks are recycled: fresh multi-megabyte buffers for every block would cost page faults and
// copies as they grow, which showed as the largest cost of reading.
class BlockPool {
 public:
  std::shared_ptr<Block> take() {
    std::lock_guard lock(mutex_);
    if (free_.empty()) return std::make_shared<Block>();
    auto b = std::move(free_.back());
    free_.pop_back();
    return b;
  }
  void give(std::shared_ptr<Block> b) {
    b->reset();
    std::lock_guard lock(mutex_);
    free_.push_back(std::move(b));
  }

 private:
  std::mutex mutex_;
  std::vector<std::shared_ptr<Block>> free_;
};

std::optional<Timestamp> modification_time(const std::string& path) {
  struct stat st {};
  if (path == "-" || ::stat(path.c_str(), &st) != 0) return std::nullopt;
  return Timestamp::from_unix_seconds(st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
}

// Feeds lines to `fn(line, line_start_offset)` with '\r' stripped.
template <typename Fn>
void for_each_line(std::string_view data, Fn&& fn) {
  std::size_t pos = 0;
  while (pos < data.size()) {
    const void* nl = std::memchr(data.data() + pos, '\n', data.size() - pos);
    std::size_t end = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - data.data()) : data.size();
    std::string_view line = data.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    fn(line, pos);
    pos = end + 1;
  }
}

std::vector<std::string_view> head_lines(std::string_view data) {
  std::vector<std::string_view> head;
  for_each_line(data.substr(0, std::min<std::size_t>(data.size(), 1 << 16)), [&](std::string_view line, std::size_t) {
    if (head.size() < 32 && !line.empty()) head.push_back(line);
  });
  // The last line of the sample may be cut short; keep it out unless it is all there is.
  if (head.size() > 1 && data.size() > (1 << 16)) head.pop_back();
  return head;
}

class BlockReader {
 public:
  BlockReader(ByteSource& source, std::size_t block_size) : source_(source), block_size_(block_size) {}

  // Appends the next block of whole lines to `out`; false at the end.
  bool next(LineBuffer& out, std::uint64_t& raw_bytes) {
    out.assign(carry_);
    carry_.clear();
    std::uint64_t raw_before = source_.raw_bytes_read();
    while (!eof_) {
      std::size_t old = out.size();
      std::size_t want = out.size() < block_size_ ? block_size_ - out.size() : block_size_;
      out.resize(old + want);
      std::size_t n = 0;
      try {
        n = source_.read(out.data() + old, want);
      } catch (const std::exception& e) {
        // Corrupt or truncated compressed data: keep what came before it, report after.
        error_ = e.what();
        n = 0;
      }
      out.resize(old + n);
      if (n == 0) {
        eof_ = true;
        break;
      }
      if (out.size() < block_size_) continue;
      std::size_t last_nl = out.view().rfind('\n');
      if (last_nl != std::string::npos) {
        carry_.assign(out.view().substr(last_nl + 1));
        out.resize(last_nl + 1);
        break;
      }
      if (out.size() >= kLongestLine) break;  // cut; the parser will likely reject the pieces
    }
    raw_bytes = source_.raw_bytes_read() - raw_before;
    // A cut last line of damaged data would only be a bad line; it goes with the error instead.
    if (!error_.empty() && !out.empty() && out.back() != '\n') out.resize(out.view().rfind('\n') + 1);
    return !out.empty();
  }
  const std::string& error() const { return error_; }

 private:
  ByteSource& source_;
  std::size_t block_size_;
  std::string carry_;
  bool eof_ = false;
  std::string error_;
};

// Parses the lines of one block into its batch: all of them, or those `select` picks.
void parse_block(Block& b, std::uint32_t file_id, std::string_view channel, std::string_view format_name,
                 const LineSelector& select) {
  const auto& f = canonical();
  b.batch.clear();
  // The category and format name are written once per batch and referenced by every event.
  auto& text = b.batch.text_buffer();
  text.append(channel);
  text.append(format_name);
  const auto channel_len = static_cast<std::uint32_t>(channel.size());
  const auto format_len = static_cast<std::uint32_t>(format_name.size());
  std::string error;
  auto parse_line = [&](std::string_view line, std::size_t at, std::uint64_t this_line) {
    if (line.empty()) {
      ++b.skipped;
      return;
    }
    b.batch.begin_event(Timestamp{}, SourceRef{file_id, this_line, b.first_offset + at});
    std::size_t raw_at = b.batch.text_buffer().size();
    b.batch.text_buffer().append(line);
    b.batch.commit_field(f.raw, raw_at);
    b.batch.add_field_at(f.channel, 0, channel_len);
    b.batch.add_field_at(f.log_format, channel_len, format_len);
    LineEvent event(b.batch, line, static_cast<std::uint32_t>(raw_at));
    error.clear();
    switch (b.parser->parse(line, event, error)) {
      case LineStatus::kEvent: {
        ++b.events;
        Timestamp t = b.batch.record(b.batch.size() - 1).time;
        if (event.has_time()) {
          if (!b.first_time || t < *b.first_time) b.first_time = t;
          if (!b.last_time || t > *b.last_time) b.last_time = t;
        }
        break;
      }
      case LineStatus::kSkipped:
        ++b.skipped;
        b.batch.drop_last_event();
        break;
      case LineStatus::kError:
        ++b.bad;
        if (b.bad_examples.size() < kReportedBadLines) {
          b.bad_examples.push_back(BadLine{this_line, b.first_offset + at, error.empty() ? "does not parse" : error});
        }
        b.batch.drop_last_event();
        break;
    }
  };
  const std::string_view data = b.data;
  if (!select) {
    std::uint64_t line_no = b.first_line;
    for_each_line(data, [&](std::string_view line, std::size_t at) {
      ++b.lines;
      parse_line(line, at, line_no++);
    });
    return;
  }
  b.selected.clear();
  select(data, b.selected);
  // Line numbers of the picked lines from the line ends before them.
  std::uint64_t line_no = b.first_line;
  std::size_t counted_to = 0;
  for (const std::size_t at : b.selected) {
    line_no += count_newlines(data.substr(counted_to, at - counted_to));
    counted_to = at;
    std::string_view line = data.substr(at, std::min(data.find('\n', at), data.size()) - at);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    parse_line(line, at, line_no);
  }
  // The line ends after the last picked line complete the count.
  b.lines = (line_no - b.first_line) + count_newlines(data.substr(counted_to)) +
            (data.empty() || data.back() == '\n' ? 0 : 1);
  b.filtered = b.lines - b.selected.size();
}

// Feeds the block's directive lines to the master parser, so the next block starts with the
// header state in force at its first line.
void follow_directives(LineParser& master, std::string_view data) {
  EventBatch scratch;
  std::string error;
  auto feed = [&](std::string_view line) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    scratch.clear();
    scratch.begin_event(Timestamp{}, SourceRef{});
    LineEvent event(scratch, line, 0);
    master.parse(line, event, error);
  };
  if (!data.empty() && data[0] == '#') feed(data.substr(0, data.find('\n')));
  std::size_t pos = 0;
  while ((pos = data.find("\n#", pos)) != std::string_view::npos) {
    ++pos;
    feed(data.substr(pos, data.find('\n', pos) - pos));
  }
}

void report_bad_lines(const std::string& path, const std::string& format, std::uint64_t bad,
                      const std::vector<BadLine>& examples, Diagnostics& diagnostics) {
  for (const auto& e : examples) {
    diagnostics.report(Problem{path, e.offset, "line " + std::to_string(e.line_no), format + ": " + e.reason});
  }
  if (bad > examples.size()) {
    diagnostics.report(Problem{path, 0, "",
                               std::to_string(bad - examples.size()) + " more lines do not parse as " + format + " (" +
                                   std::to_string(bad) + " in all)"});
  }
}

}  // namespace

std::string format_names() {
  std::string names;
  for (const LogFormat* f : all_formats()) {
    if (!names.empty()) names += ", ";
    names += f->name();
  }
  return names;
}

const LogFormat* detect_format(const std::vector<std::string_view>& head) {
  const LogFormat* best = nullptr;
  int best_score = 0;
  for (const LogFormat* f : all_formats()) {
    int score = f->detect(head);
    if (score > best_score) {
      best = f;
      best_score = score;
    }
  }
  return best;
}

TextReadStats read_text_log(const std::string& path, std::uint32_t file_id, const TextReadOptions& options,
                            const TextBatchConsumer& consume, Diagnostics& diagnostics) {
  TextReadStats stats;
  std::unique_ptr<ByteSource> source;
  try {
    source = ByteSource::open(path);
  } catch (const std::exception& e) {
    diagnostics.report(Problem{path, 0, "", e.what()});
    return stats;
  }
  BlockReader reader(*source, options.block_size);
  LineBuffer first;
  std::uint64_t first_raw = 0;
  try {
    if (!reader.next(first, first_raw)) {
      // Compressed data that fails before its first line is an input error, not an empty file.
      if (!reader.error().empty()) {
        diagnostics.report(Problem{path, 0, "", reader.error()});
      } else {
        diagnostics.report(Problem{path, 0, "", "empty file", true});
      }
      return stats;
    }
  } catch (const std::exception& e) {
    diagnostics.report(Problem{path, 0, "", e.what()});
    return stats;
  }
  std::size_t bom = first.view().substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  std::string_view sample = first.view().substr(bom, 1 << 16);
  // Binary files have NULs everywhere; text logs may hold a few in requests that were binary
  // (a TLS handshake sent to an HTTP port is logged as the "request").
  if (std::count(sample.begin(), sample.end(), '\0') > static_cast<std::ptrdiff_t>(sample.size() / 100) ||
      sample.substr(0, 512).find('\0') != std::string_view::npos) {
    diagnostics.report(Problem{path, 0, "", "binary data, not a text log (formats tried: " + format_names() + ")"});
    return stats;
  }
  const LogFormat* format = nullptr;
  const std::vector<std::string_view> head = head_lines(sample);
  if (!options.format.empty()) {
    format = find_format(options.format);
    if (!format) throw std::invalid_argument("unknown format '" + options.format + "' (known: " + format_names() + ")");
  } else {
    format = detect_format(head);
    if (!format) {
      diagnostics.report(Problem{path, 0, "", "unknown log format (formats tried: " + format_names() + ")"});
      return stats;
    }
  }
  stats.format = std::string(format->name());
  FileContext context{path, modification_time(path), options.clock};
  context.field_map = options.field_map;
  context.head = head;
  std::unique_ptr<LineParser> master = format->make_parser(context);
  const bool directives = master->has_directives();
  const std::string channel(format->category());
  const LineSelector select = format->fields_are_verbatim() ? options.line_selector : LineSelector();
  const std::string format_name(format->name());

  std::uint64_t next_index = 0, next_line = 1, next_offset = 0;
  bool have_first = true;
  std::vector<BadLine> bad_examples;
  std::string read_error;
  BlockPool pool;
  const auto tokens = 2 * static_cast<std::size_t>(tbb::this_task_arena::max_concurrency());
  tbb::parallel_pipeline(
      tokens, tbb::make_filter<void, std::shared_ptr<Block>>(tbb::filter_mode::serial_in_order,
                                                             [&](tbb::flow_control& fc) -> std::shared_ptr<Block> {
                                                               auto b = pool.take();
                                                               try {
                                                                 if (have_first) {
                                                                   b->data = std::move(first);
                                                                   b->data.erase_front(bom);
                                                                   b->raw_bytes = first_raw;
                                                                   next_offset = bom;
                                                                   have_first = false;
                                                                 } else if (!reader.next(b->data, b->raw_bytes)) {
                                                                   fc.stop();
                                                                   return nullptr;
                                                                 }
                                                               } catch (const std::exception& e) {
                                                                 read_error = e.what();
                                                                 fc.stop();
                                                                 return nullptr;
                                                               }
                                                               b->index = next_index++;
                                                               b->first_line = next_line;
                                                               b->first_offset = next_offset;
                                                               next_line += count_newlines(b->data);
                                                               next_offset += b->data.size();
                                                               b->parser = master->clone();
                                                               if (directives) follow_directives(*master, b->data);
                                                               return b;
                                                             }) &
                  tbb::make_filter<std::shared_ptr<Block>, std::shared_ptr<Block>>(tbb::filter_mode::parallel,
                                                                                   [&](std::shared_ptr<Block> b) {
                                                                                     parse_block(*b, file_id, channel,
                                                                                                 format_name, select);
                                                                                     consume(b->batch, b->index);
                                                                                     return b;
                                                                                   }) &
                  tbb::make_filter<std::shared_ptr<Block>, void>(
                      tbb::filter_mode::serial_in_order, [&](std::shared_ptr<Block> b) {
                        stats.lines += b->lines;
                        stats.events += b->events;
                        stats.skipped += b->skipped;
                        stats.bad_lines += b->bad;
                        stats.filtered += b->filtered;
                        stats.bytes += b->data.size();
                        for (auto& e : b->bad_examples) {
                          if (bad_examples.size() < kReportedBadLines) {
                            bad_examples.push_back(std::move(e));
                          }
                        }
                        if (b->first_time && (!stats.first_time || *b->first_time < *stats.first_time)) {
                          stats.first_time = b->first_time;
                        }
                        if (b->last_time && (!stats.last_time || *b->last_time > *stats.last_time)) {
                          stats.last_time = b->last_time;
                        }
                        if (options.progress) {
                          options.progress->add(b->raw_bytes, b->events);
                        }
                        pool.give(std::move(b));
                      }));
  report_bad_lines(path, format_name, stats.bad_lines, bad_examples, diagnostics);
  if (read_error.empty()) read_error = reader.error();
  if (!read_error.empty()) {
    diagnostics.report(Problem{path, next_offset, "after line " + std::to_string(next_line - 1), read_error});
  }
  return stats;
}

}  // namespace ashiato::logs
