// Every evidence reader behind one protocol: a file's events come as runs of consecutive events
// (an EVTX chunk, a block of a text log, a JSON export or archive member), each run handed to a
// RunReceiver on whichever thread reads it, then every receiver handed back in file order, one
// at a time, whatever the thread count. EVTX files are recognised by their signature, Windows
// events exported as JSON by name and content, anything else is read as a text log (format
// detected, see logs/formats.h).
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "core/diagnostics.h"
#include "core/event.h"
#include "core/progress.h"
#include "logs/text_log_reader.h"

namespace ashiato::pipeline {

// Takes the events of one run at a time; reused for later runs once delivered.
class RunReceiver {
 public:
  virtual ~RunReceiver() = default;
  // A new run starts; `origin` names where its events come from: the file, or for an archive
  // of JSON exports the member ("archive.zip:member.json").
  virtual void begin_run(std::string_view origin) = 0;
  virtual void event(const Event& event) = 0;
};

struct EventSourceOptions {
  logs::TextReadOptions text;  // forced format, --log-tz, --map, line selector
  // Whether an EVTX event of this Channel and EventID is needed in full; null: every event. An
  // event turned away is read only as far as its Channel, EventID and time.
  std::function<bool(std::string_view channel, std::string_view event_id)> evtx_gate;
  Progress* progress = nullptr;
};

struct EventSourceStats {
  std::string format;                // evtx, json-events, squid, zeek, ...; empty if unreadable
  std::uint64_t bad_records = 0;     // lines or records that did not parse
  std::uint64_t unparsed_lines = 0;  // left unparsed by the line selector
};

using ReceiverFactory = std::function<std::unique_ptr<RunReceiver>()>;
// Called serially, in file order, with each run's receiver after its last event.
using RunDelivery = std::function<void(RunReceiver&)>;

// Reads one file ("-": standard input, as a text log). Problems go to `diagnostics`; what could
// be read is delivered.
EventSourceStats read_events(const std::string& path, std::uint32_t file_id, const EventSourceOptions& options,
                             const ReceiverFactory& make_receiver, const RunDelivery& deliver,
                             Diagnostics& diagnostics);

}  // namespace ashiato::pipeline
