// Fuzzes every text log format at once: detection over the first lines, then each format's
// parser over every line (as the reader would feed them).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "logs/line_format.h"
#include "logs/text_log_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ashiato;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<std::string_view> lines;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t nl = text.find('\n', pos);
    std::string_view line = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    if (!line.empty()) lines.push_back(line);
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
  std::vector<std::string_view> head(lines.begin(), lines.begin() + std::min<std::size_t>(lines.size(), 32));
  logs::detect_format(head);
  static const logs::LogClock clock = logs::LogClock::utc();
  logs::FileContext context;
  context.path = "fuzz.log";
  context.clock = &clock;
  context.head = head;
  EventBatch batch;
  std::string error;
  for (const logs::LogFormat* format : logs::all_formats()) {
    format->detect(head);
    auto parser = format->make_parser(context);
    batch.clear();
    for (std::string_view line : lines) {
      batch.begin_event(Timestamp{}, SourceRef{});
      const std::size_t at = batch.text_buffer().size();
      batch.text_buffer().append(line);
      logs::LineEvent event(batch, line, static_cast<std::uint32_t>(at));
      if (parser->parse(line, event, error) != logs::LineStatus::kEvent) batch.drop_last_event();
    }
  }
  return 0;
}
