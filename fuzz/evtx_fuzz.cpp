// Fuzzes the whole EVTX read path: file header, chunks, records, BinXML, templates, rendering
// to XML and JSON, and event fields, comparing the events built from compiled templates with
// those built from each record's tree. The input is a file's bytes, handed over as a memfd.
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/diagnostics.h"
#include "core/event.h"
#include "evtx/binxml_parser.h"
#include "evtx/chunk.h"
#include "evtx/event_fields.h"
#include "evtx/json_renderer.h"
#include "evtx/parallel_reader.h"
#include "evtx/xml_renderer.h"

namespace {

namespace evtx = ashiato::evtx;

std::vector<std::pair<ashiato::FieldId, std::string>> fields_of(const ashiato::Event& e) {
  std::vector<std::pair<ashiato::FieldId, std::string>> out;
  e.for_each_field([&](ashiato::FieldId id, std::string_view v) { out.emplace_back(id, std::string(v)); });
  return out;
}

class RenderEverything : public evtx::ChunkSink {
 public:
  void begin_chunk() override {
    text_.clear();
    batch_.clear();
    fields_.begin_chunk();
    tree_fields_.begin_chunk();
  }
  // Differential: an event built from the compiled template must equal the one built from the
  // record's tree, and the template path must not accept a record the tree path rejects.
  bool record_bytes(const evtx::RecordInfo& info, evtx::Chunk& chunk, std::uint32_t begin, std::uint32_t end) override {
    ashiato::EventBatch direct;
    if (!fields_.add_direct(chunk, begin, end, info, 0, direct)) return false;
    evtx::RecordTree tree;
    try {
      evtx::BinXmlParser(chunk).parse(begin, end, tree);
    } catch (const evtx::ParseError& e) {
      std::fprintf(stderr, "template path took a record the tree path rejects: %s\n", e.what());
      std::abort();
    }
    ashiato::EventBatch from_tree;
    tree_fields_.add(tree, info, 0, from_tree);
    if (direct[0].time() != from_tree[0].time() || fields_of(direct[0]) != fields_of(from_tree[0])) {
      std::fprintf(stderr, "template path and tree path built different events\n");
      std::abort();
    }
    return false;  // render it from the tree as well
  }
  void record(const ashiato::evtx::RecordInfo& info, const ashiato::evtx::RecordTree& tree) override {
    ashiato::evtx::append_xml(text_, tree);
    ashiato::evtx::append_json(text_, tree, false);
    fields_.add(tree, info, 0, batch_);
  }

 private:
  std::string text_;
  ashiato::EventBatch batch_;
  evtx::EventFieldBuilder fields_;
  evtx::EventFieldBuilder tree_fields_;
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
