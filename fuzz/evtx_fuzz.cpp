// Fuzzes the whole EVTX read path: file header, chunks, records, BinXML, templates, rendering
// to XML and JSON, and event fields. The input is a file's bytes, handed over as a memfd.
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <memory>
#include <string>

#include "core/diagnostics.h"
#include "core/event.h"
#include "evtx/event_fields.h"
#include "evtx/json_renderer.h"
#include "evtx/parallel_reader.h"
#include "evtx/xml_renderer.h"

namespace {

class RenderEverything : public ashiato::evtx::ChunkSink {
 public:
  void begin_chunk() override {
    text_.clear();
    batch_.clear();
    fields_.begin_chunk();
  }
  void record(const ashiato::evtx::RecordInfo& info, const ashiato::evtx::RecordTree& tree) override {
    ashiato::evtx::append_xml(text_, tree);
    ashiato::evtx::append_json(text_, tree, false);
    fields_.add(tree, info, 0, batch_);
  }

 private:
  std::string text_;
  ashiato::EventBatch batch_;
  ashiato::evtx::EventFieldBuilder fields_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const int fd = memfd_create("evtx", 0);
  if (fd < 0) return 0;
  if (write(fd, data, size) != static_cast<ssize_t>(size)) {
    close(fd);
    return 0;
  }
  const std::string path = "/proc/self/fd/" + std::to_string(fd);
  ashiato::Diagnostics diagnostics(10);
  for (bool carve : {false, true}) {
    try {
      ashiato::evtx::read_evtx(
          path, ashiato::evtx::ReadOptions{carve}, [] { return std::make_unique<RenderEverything>(); },
          [](ashiato::evtx::ChunkSink&) {}, diagnostics);
    } catch (const std::runtime_error&) {  // unopenable input is a reported error, not a crash
    }
  }
  close(fd);
  return 0;
}
