#include "pipeline/event_source.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <span>
#include <vector>

#include "evtx/event_sink.h"
#include "evtx/evtx_file.h"
#include "evtx/format.h"
#include "evtx/parallel_reader.h"
#include "logs/json_events.h"

namespace ashiato::pipeline {
namespace {

// An EVTX chunk is a run: the reader's sink passes its events to the caller's receiver.
class ReceiverSink : public evtx::EventSink {
 public:
  ReceiverSink(std::unique_ptr<RunReceiver> to, const std::string& path, const EventSourceOptions& options)
      : receiver(std::move(to)), path_(path) {
    if (options.evtx_gate) set_event_gate(options.evtx_gate);
  }
  std::unique_ptr<RunReceiver> receiver;
  std::uint64_t events = 0;

 private:
  void begin_events() override {
    events = 0;
    receiver->begin_run(path_);
  }
  void event(const Event& e) override {
    ++events;
    receiver->event(e);
  }
  const std::string& path_;
};

EventSourceStats read_evtx(const std::string& path, const EventSourceOptions& options,
                           const ReceiverFactory& make_receiver, const RunDelivery& deliver, Diagnostics& diagnostics) {
  evtx::read_evtx(
      path, evtx::ReadOptions{}, [&] { return std::make_unique<ReceiverSink>(make_receiver(), path, options); },
      [&](evtx::ChunkSink& sink) {
        auto& s = static_cast<ReceiverSink&>(sink);
        if (options.progress != nullptr) options.progress->add(evtx::kChunkSize, s.events);
        deliver(*s.receiver);
      },
      diagnostics);
  return EventSourceStats{"evtx", 0, 0};
}

EventSourceStats read_json(const std::string& path, std::uint32_t file_id, const EventSourceOptions& options,
                           const ReceiverFactory& make_receiver, const RunDelivery& deliver, Diagnostics& diagnostics) {
  const std::unique_ptr<RunReceiver> receiver = make_receiver();
  logs::read_json_events(
      path, file_id,
      [&](const EventBatch& batch, const std::string& origin) {
        receiver->begin_run(origin);
        for (std::size_t i = 0; i < batch.size(); ++i) receiver->event(batch[i]);
        deliver(*receiver);
      },
      diagnostics);
  if (options.progress != nullptr) {
    std::error_code ec;
    const auto bytes = std::filesystem::file_size(path, ec);
    options.progress->add(ec ? 0 : bytes, 0);
  }
  return EventSourceStats{"json-events", 0, 0};
}

// Blocks of a text log are read in parallel and come back in any order; each is put in file
// order as soon as the blocks before it are in, so that only the few blocks in flight wait.
class BlockOrder {
 public:
  BlockOrder(const ReceiverFactory& make, const RunDelivery& deliver) : make_(make), deliver_(deliver) {}

  std::unique_ptr<RunReceiver> take() {
    std::lock_guard lock(mutex_);
    if (idle_.empty()) return make_();
    auto r = std::move(idle_.back());
    idle_.pop_back();
    return r;
  }
  void done(std::uint64_t index, std::unique_ptr<RunReceiver> receiver) {
    std::lock_guard lock(mutex_);
    waiting_.emplace(index, std::move(receiver));
    for (auto it = waiting_.begin(); it != waiting_.end() && it->first == next_; it = waiting_.erase(it)) {
      deliver_(*it->second);
      idle_.push_back(std::move(it->second));
      ++next_;
    }
  }
  // Nothing waits unless the read stopped early (a damaged file): what came goes on, in order.
  void flush() {
    for (auto& [index, receiver] : waiting_) deliver_(*receiver);
    waiting_.clear();
  }

 private:
  const ReceiverFactory& make_;
  const RunDelivery& deliver_;
  std::mutex mutex_;
  std::map<std::uint64_t, std::unique_ptr<RunReceiver>> waiting_;
  std::vector<std::unique_ptr<RunReceiver>> idle_;
  std::uint64_t next_ = 0;
};

EventSourceStats read_text(const std::string& path, std::uint32_t file_id, const EventSourceOptions& options,
                           const ReceiverFactory& make_receiver, const RunDelivery& deliver, Diagnostics& diagnostics) {
  BlockOrder order(make_receiver, deliver);
  logs::TextReadOptions text = options.text;
  text.progress = options.progress;
  const logs::TextReadStats stats = logs::read_text_log(
      path, file_id, text,
      [&](const EventBatch& batch, std::uint64_t index) {
        std::unique_ptr<RunReceiver> receiver = order.take();
        receiver->begin_run(path);
        for (std::size_t i = 0; i < batch.size(); ++i) receiver->event(batch[i]);
        order.done(index, std::move(receiver));
      },
      diagnostics);
  order.flush();
  return EventSourceStats{stats.format, stats.bad_lines, stats.filtered};
}

bool looks_like_windows_events_json(const std::string& path) {
  std::string l = path;
  std::transform(l.begin(), l.end(), l.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (l.ends_with(".zip")) return true;
  std::ifstream in(path, std::ios::binary);
  std::string head(1 << 16, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  return head.find("\"EventID\"") != std::string::npos || head.find("\"winlog\"") != std::string::npos ||
         head.find("\"Event\"") != std::string::npos;
}

}  // namespace

EventSourceStats read_events(const std::string& path, std::uint32_t file_id, const EventSourceOptions& options,
                             const ReceiverFactory& make_receiver, const RunDelivery& deliver,
                             Diagnostics& diagnostics) {
  char head[8] = {};
  std::size_t n = 0;
  if (path != "-") {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      diagnostics.report(Problem{path, 0, "", "cannot open"});
      return {};
    }
    in.read(head, sizeof head);
    n = static_cast<std::size_t>(in.gcount());
  }
  if (evtx::looks_like_evtx(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(head), n))) {
    return read_evtx(path, options, make_receiver, deliver, diagnostics);
  }
  if (path != "-" && logs::is_json_events_path(path) && looks_like_windows_events_json(path)) {
    return read_json(path, file_id, options, make_receiver, deliver, diagnostics);
  }
  return read_text(path, file_id, options, make_receiver, deliver, diagnostics);
}

}  // namespace ashiato::pipeline
