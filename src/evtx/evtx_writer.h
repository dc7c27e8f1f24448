// Writes valid EVTX files (templates + substitutions, both checksums) from events with known
// content: the demo case, tests and benchmarks use it. Not a general BinXML serializer: every
// record uses the standard System layout plus named EventData <Data> elements.
#pragma once
#include <cstdint>
#include <cstdio>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/timestamp.h"

namespace ashiato::evtx {

struct WriterEvent {
  std::string provider_name;
  std::string provider_guid;  // "{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}" or empty
  std::uint16_t event_id = 0;
  std::uint8_t version = 0;
  std::uint8_t level = 4;
  std::uint16_t task = 0;
  std::uint8_t opcode = 0;
  std::uint64_t keywords = 0x8020000000000000ULL;
  Timestamp time;
  std::uint32_t process_id = 4;
  std::uint32_t thread_id = 8;
  std::string channel;
  std::string computer;
  std::string user_sid;                                   // "S-1-5-18" or empty (no UserID attribute)
  std::vector<std::pair<std::string, std::string>> data;  // EventData: Name -> value
};

class EvtxWriter {
 public:
  // Creates (truncates) `path`. Throws std::runtime_error when it cannot be written.
  explicit EvtxWriter(const std::string& path);
  ~EvtxWriter();
  EvtxWriter(const EvtxWriter&) = delete;
  EvtxWriter& operator=(const EvtxWriter&) = delete;

  // Appends one record; its EventRecordID is the next number from 1. Throws on invalid input
  // (e.g. a malformed GUID or SID) or write errors.
  void write(const WriterEvent& event);
  // Flushes the last chunk and the file header. Called by the destructor if not called before.
  void close();

  std::uint64_t records_written() const { return next_record_id_ - 1; }
  // Size of the file so far: the header and every finished chunk.
  std::uint64_t bytes_written() const { return 4096ULL + 65536ULL * chunks_; }

 private:
  bool try_write_record(const WriterEvent& event);
  void start_chunk();
  void finish_chunk();

  std::string path_;
  std::FILE* file_ = nullptr;
  std::vector<std::uint8_t> chunk_;
  std::uint32_t pos_ = 0;
  std::uint64_t next_record_id_ = 1;
  std::uint64_t chunk_first_id_ = 1;
  std::uint32_t last_record_offset_ = 0;
  std::uint32_t chunks_ = 0;
  bool chunk_open_ = false;
  std::unordered_map<std::string, std::uint32_t> names_;      // per chunk: name -> offset
  std::unordered_map<std::string, std::uint32_t> templates_;  // per chunk: shape -> definition offset
};

}  // namespace ashiato::evtx
