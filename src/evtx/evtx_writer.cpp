#include "evtx/evtx_writer.h"

#include <zlib.h>

#include <cstring>
#include <stdexcept>

#include "core/utf16.h"
#include "evtx/format.h"

namespace ashiato::evtx {
namespace {

// Thrown internally when a record does not fit in the rest of the chunk.
struct ChunkFull {};

constexpr std::uint32_t kRecordsStart = kChunkHeaderSize;
constexpr char kEventNamespace[] = "http://schemas.microsoft.com/win/2004/08/events/event";

std::uint16_t name_hash(std::string_view utf16) {
  std::uint32_t hash = 0;
  for (std::size_t i = 0; i + 1 < utf16.size(); i += 2) {
    hash = hash * 65599 + (static_cast<std::uint8_t>(utf16[i]) | (static_cast<std::uint8_t>(utf16[i + 1]) << 8));
  }
  return static_cast<std::uint16_t>(hash);
}

std::string guid_bytes(const std::string& text) {
  std::string hex;
  for (char c : text) {
    if (std::isxdigit(static_cast<unsigned char>(c))) hex.push_back(c);
  }
  if (hex.size() != 32) throw std::invalid_argument("invalid GUID: " + text);
  auto byte = [&](std::size_t i) { return static_cast<char>(std::stoi(hex.substr(2 * i, 2), nullptr, 16)); };
  std::string out(16, '\0');
  const int order[16] = {3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15};  // mixed-endian layout
  for (int i = 0; i < 16; ++i) out[static_cast<std::size_t>(i)] = byte(static_cast<std::size_t>(order[i]));
  return out;
}

std::string sid_bytes(const std::string& text) {
  if (text.rfind("S-", 0) != 0) throw std::invalid_argument("invalid SID: " + text);
  std::vector<std::uint64_t> parts;
  std::size_t start = 2;
  while (start <= text.size()) {
    const std::size_t dash = text.find('-', start);
    const std::string part = text.substr(start, dash == std::string::npos ? std::string::npos : dash - start);
    if (part.empty() || part.find_first_not_of("0123456789") != std::string::npos) {
      throw std::invalid_argument("invalid SID: " + text);
    }
    parts.push_back(std::stoull(part));
    if (dash == std::string::npos) break;
    start = dash + 1;
  }
  if (parts.size() < 2 || parts.size() > 17) throw std::invalid_argument("invalid SID: " + text);
  std::string out;
  out.push_back(static_cast<char>(parts[0]));
  out.push_back(static_cast<char>(parts.size() - 2));
  for (int shift = 40; shift >= 0; shift -= 8) out.push_back(static_cast<char>((parts[1] >> shift) & 0xFF));
  for (std::size_t i = 2; i < parts.size(); ++i) {
    const auto v = static_cast<std::uint32_t>(parts[i]);
    for (int b = 0; b < 4; ++b) out.push_back(static_cast<char>((v >> (8 * b)) & 0xFF));
  }
  return out;
}

// Emits BinXML into the chunk buffer; names and offsets are chunk-relative.
class Emitter {
 public:
  Emitter(std::vector<std::uint8_t>& chunk, std::uint32_t& pos, std::unordered_map<std::string, std::uint32_t>& names)
      : chunk_(chunk), pos_(pos), names_(names) {}

  void u8(std::uint8_t v) {
    room(1);
    chunk_[pos_++] = v;
  }
  void u16(std::uint16_t v) {
    room(2);
    std::memcpy(&chunk_[pos_], &v, 2);
    pos_ += 2;
  }
  void u32(std::uint32_t v) {
    room(4);
    std::memcpy(&chunk_[pos_], &v, 4);
    pos_ += 4;
  }
  void u64(std::uint64_t v) {
    room(8);
    std::memcpy(&chunk_[pos_], &v, 8);
    pos_ += 8;
  }
  void bytes(std::string_view b) {
    room(b.size());
    std::memcpy(&chunk_[pos_], b.data(), b.size());
    pos_ += static_cast<std::uint32_t>(b.size());
  }
  void patch32(std::uint32_t at, std::uint32_t v) { std::memcpy(&chunk_[at], &v, 4); }
  std::uint32_t pos() const { return pos_; }

  void name(const std::string& text) {
    auto it = names_.find(text);
    if (it != names_.end()) {
      u32(it->second);
      return;
    }
    const std::string utf16 = to_utf16le(text);
    const std::uint32_t at = pos_ + 4;
    u32(at);
    u32(0);  // next string in the hash bucket: we keep no string hash table
    u16(name_hash(utf16));
    u16(static_cast<std::uint16_t>(utf16.size() / 2));
    bytes(utf16);
    u16(0);
    names_.emplace(text, at);
  }

  // Element start; returns the offset of its data-size field for end_element.
  std::uint32_t start_element(const std::string& element, bool has_attributes) {
    u8(has_attributes ? kOpenStartElement | kTokenMoreFlag : kOpenStartElement);
    u16(0xFFFF);  // dependency id: none
    const std::uint32_t size_at = pos_;
    u32(0);
    name(element);
    return size_at;
  }
  void end_element(std::uint32_t size_at) { patch32(size_at, pos_ - (size_at + 4)); }

  void text(const std::string& value) {
    const std::string utf16 = to_utf16le(value);
    u8(kValue);
    u8(kString);
    u16(static_cast<std::uint16_t>(utf16.size() / 2));
    bytes(utf16);
  }
  void substitution(std::uint16_t id, std::uint8_t type) {
    u8(kOptionalSubstitution);
    u16(id);
    u8(type);
  }

 private:
  void room(std::size_t n) {
    if (pos_ + n > chunk_.size()) throw ChunkFull{};
  }
  std::vector<std::uint8_t>& chunk_;
  std::uint32_t& pos_;
  std::unordered_map<std::string, std::uint32_t>& names_;
};

struct Attr {
  const char* name;
  std::uint16_t sub;
  std::uint8_t type;
};

// <name attr=%sub ...>%content</name>, or an empty element when content is kNone-like (0xFFFF).
void simple_element(Emitter& e, const std::string& name, std::initializer_list<Attr> attrs, int content_sub,
                    std::uint8_t content_type) {
  const std::uint32_t size_at = e.start_element(name, attrs.size() > 0);
  if (attrs.size() > 0) {
    const std::uint32_t list_at = e.pos();
    e.u32(0);
    std::size_t i = 0;
    for (const Attr& a : attrs) {
      e.u8(++i < attrs.size() ? kAttribute | kTokenMoreFlag : kAttribute);
      e.name(a.name);
      e.substitution(a.sub, a.type);
    }
    e.patch32(list_at, e.pos() - (list_at + 4));
  }
  if (content_sub < 0) {
    e.u8(kCloseEmptyElement);
  } else {
    e.u8(kCloseStartElement);
    e.substitution(static_cast<std::uint16_t>(content_sub), content_type);
    e.u8(kEndElement);
  }
  e.end_element(size_at);
}

constexpr std::uint16_t kFirstDataSub = 15;

void emit_template_body(Emitter& e, const WriterEvent& ev) {
  e.u8(kFragmentHeader);
  e.u8(1);
  e.u8(1);
  e.u8(0);
  const std::uint32_t event_at = e.start_element("Event", true);
  const std::uint32_t list_at = e.pos();
  e.u32(0);
  e.u8(kAttribute);
  e.name("xmlns");
  e.text(kEventNamespace);
  e.patch32(list_at, e.pos() - (list_at + 4));
  e.u8(kCloseStartElement);

  const std::uint32_t system_at = e.start_element("System", false);
  e.u8(kCloseStartElement);
  simple_element(e, "Provider", {{"Name", 0, kString}, {"Guid", 1, kGuid}}, -1, 0);
  simple_element(e, "EventID", {}, 2, kUInt16);
  simple_element(e, "Version", {}, 3, kUInt8);
  simple_element(e, "Level", {}, 4, kUInt8);
  simple_element(e, "Task", {}, 5, kUInt16);
  simple_element(e, "Opcode", {}, 6, kUInt8);
  simple_element(e, "Keywords", {}, 7, kHexInt64);
  simple_element(e, "TimeCreated", {{"SystemTime", 8, kFileTime}}, -1, 0);
  simple_element(e, "EventRecordID", {}, 9, kUInt64);
  simple_element(e, "Correlation", {}, -1, 0);
  simple_element(e, "Execution", {{"ProcessID", 10, kUInt32}, {"ThreadID", 11, kUInt32}}, -1, 0);
  simple_element(e, "Channel", {}, 12, kString);
  simple_element(e, "Computer", {}, 13, kString);
  simple_element(e, "Security", {{"UserID", 14, kSid}}, -1, 0);
  e.u8(kEndElement);
  e.end_element(system_at);

  const std::uint32_t data_at = e.start_element("EventData", false);
  if (ev.data.empty()) {
    e.u8(kCloseEmptyElement);
  } else {
    e.u8(kCloseStartElement);
    for (std::size_t i = 0; i < ev.data.size(); ++i) {
      const std::uint32_t at = e.start_element("Data", true);
      const std::uint32_t attrs_at = e.pos();
      e.u32(0);
      e.u8(kAttribute);
      e.name("Name");
      e.text(ev.data[i].first);
      e.patch32(attrs_at, e.pos() - (attrs_at + 4));
      e.u8(kCloseStartElement);
      e.substitution(static_cast<std::uint16_t>(kFirstDataSub + i), kString);
      e.u8(kEndElement);
      e.end_element(at);
    }
    e.u8(kEndElement);
  }
  e.end_element(data_at);
  e.u8(kEndElement);
  e.end_element(event_at);
  e.u8(kEndOfFragment);
}

std::string template_key(const WriterEvent& ev) {
  std::string key;
  for (const auto& [name, value] : ev.data) {
    key += name;
    key.push_back('\0');
  }
  return key;
}

}  // namespace

EvtxWriter::EvtxWriter(const std::string& path) : path_(path), chunk_(kChunkSize) {
  file_ = std::fopen(path.c_str(), "wb");
  if (file_ == nullptr) throw std::runtime_error("cannot create " + path);
  const std::vector<std::uint8_t> header(kFileHeaderSize, 0);
  if (std::fwrite(header.data(), 1, header.size(), file_) != header.size())
    throw std::runtime_error("cannot write " + path);
}

EvtxWriter::~EvtxWriter() {
  try {
    close();
  } catch (...) {  // destructors must not throw; close() explicitly to see errors
  }
}

void EvtxWriter::start_chunk() {
  std::fill(chunk_.begin(), chunk_.end(), 0);
  pos_ = kRecordsStart;
  names_.clear();
  templates_.clear();
  chunk_first_id_ = next_record_id_;
  last_record_offset_ = 0;
  chunk_open_ = true;
}

void EvtxWriter::finish_chunk() {
  if (!chunk_open_) return;
  std::uint8_t* h = chunk_.data();
  std::memcpy(h, kChunkMagic, 8);
  const std::uint64_t first = chunk_first_id_, last = next_record_id_ - 1;
  std::memcpy(h + 8, &first, 8);
  std::memcpy(h + 16, &last, 8);
  std::memcpy(h + 24, &first, 8);
  std::memcpy(h + 32, &last, 8);
  const std::uint32_t header_size = 128;
  std::memcpy(h + 40, &header_size, 4);
  std::memcpy(h + 44, &last_record_offset_, 4);
  std::memcpy(h + 48, &pos_, 4);
  const auto records_crc =
      static_cast<std::uint32_t>(crc32(crc32(0L, Z_NULL, 0), h + kRecordsStart, pos_ - kRecordsStart));
  std::memcpy(h + 52, &records_crc, 4);
  uLong crc = crc32(0L, Z_NULL, 0);
  crc = crc32(crc, h, 120);
  crc = crc32(crc, h + 128, kChunkHeaderSize - 128);
  const auto header_crc = static_cast<std::uint32_t>(crc);
  std::memcpy(h + 124, &header_crc, 4);
  if (std::fwrite(h, 1, kChunkSize, file_) != kChunkSize) throw std::runtime_error("cannot write " + path_);
  ++chunks_;
  chunk_open_ = false;
}

bool EvtxWriter::try_write_record(const WriterEvent& ev) {
  const std::uint32_t record_at = pos_;
  Emitter e(chunk_, pos_, names_);
  try {
    e.u32(kRecordMagic);
    e.u32(0);  // size, patched below
    e.u64(next_record_id_);
    e.u64(static_cast<std::uint64_t>(ev.time.ticks));
    e.u8(kFragmentHeader);
    e.u8(1);
    e.u8(1);
    e.u8(0);
    e.u8(kTemplateInstance);
    e.u8(1);
    const std::string key = template_key(ev);
    e.u32(static_cast<std::uint32_t>(std::hash<std::string>{}(key)));  // template id
    auto it = templates_.find(key);
    const bool defined_here = it == templates_.end();
    std::uint32_t def_at = 0;
    if (defined_here) {
      def_at = e.pos() + 4;
      e.u32(def_at);
      e.u32(0);  // next template definition
      std::string guid(16, '\0');
      const auto h = std::hash<std::string>{}(key + "ashiato");
      std::memcpy(guid.data(), &h, sizeof h);
      e.bytes(guid);
      const std::uint32_t size_at = e.pos();
      e.u32(0);
      emit_template_body(e, ev);
      e.patch32(size_at, e.pos() - (size_at + 4));
    } else {
      e.u32(it->second);
    }

    // Substitution values, in template order.
    std::vector<std::pair<std::uint8_t, std::string>> values;
    auto str = [](const std::string& s) { return std::make_pair(kString, to_utf16le(s)); };
    auto num = [](std::uint8_t type, std::uint64_t v, std::size_t size) {
      std::string b(size, '\0');
      std::memcpy(b.data(), &v, size);
      return std::make_pair(type, b);
    };
    values.emplace_back(str(ev.provider_name));
    values.emplace_back(ev.provider_guid.empty() ? std::make_pair(kNull, std::string())
                                                 : std::make_pair(kGuid, guid_bytes(ev.provider_guid)));
    values.emplace_back(num(kUInt16, ev.event_id, 2));
    values.emplace_back(num(kUInt8, ev.version, 1));
    values.emplace_back(num(kUInt8, ev.level, 1));
    values.emplace_back(num(kUInt16, ev.task, 2));
    values.emplace_back(num(kUInt8, ev.opcode, 1));
    values.emplace_back(num(kHexInt64, ev.keywords, 8));
    values.emplace_back(num(kFileTime, static_cast<std::uint64_t>(ev.time.ticks), 8));
    values.emplace_back(num(kUInt64, next_record_id_, 8));
    values.emplace_back(num(kUInt32, ev.process_id, 4));
    values.emplace_back(num(kUInt32, ev.thread_id, 4));
    values.emplace_back(str(ev.channel));
    values.emplace_back(str(ev.computer));
    values.emplace_back(ev.user_sid.empty() ? std::make_pair(kNull, std::string())
                                            : std::make_pair(kSid, sid_bytes(ev.user_sid)));
    for (const auto& [name, value] : ev.data) values.emplace_back(str(value));
    e.u32(static_cast<std::uint32_t>(values.size()));
    for (const auto& [type, bytes] : values) {
      if (bytes.size() > 0xFFFF) throw std::invalid_argument("value longer than 65535 bytes");
      e.u16(static_cast<std::uint16_t>(bytes.size()));
      e.u8(type);
      e.u8(0);
    }
    for (const auto& [type, bytes] : values) e.bytes(bytes);
    e.u8(kEndOfFragment);
    while ((e.pos() + 4 - record_at) % 8 != 0) e.u8(0);
    const std::uint32_t size = e.pos() + 4 - record_at;
    e.u32(size);
    e.patch32(record_at + 4, size);
    if (defined_here) templates_.emplace(key, def_at);
  } catch (const ChunkFull&) {
    // Undo the partial record; names it defined inline would point into the undone bytes.
    std::fill(chunk_.begin() + record_at, chunk_.begin() + pos_, 0);
    pos_ = record_at;
    for (auto it = names_.begin(); it != names_.end();) {
      it = it->second >= record_at ? names_.erase(it) : std::next(it);
    }
    return false;
  }
  last_record_offset_ = record_at;
  ++next_record_id_;
  return true;
}

void EvtxWriter::write(const WriterEvent& event) {
  if (file_ == nullptr) throw std::runtime_error(path_ + " is closed");
  if (!chunk_open_) start_chunk();
  if (try_write_record(event)) return;
  if (pos_ == kRecordsStart) throw std::invalid_argument("event too large for one EVTX chunk");
  finish_chunk();
  start_chunk();
  if (!try_write_record(event)) throw std::invalid_argument("event too large for one EVTX chunk");
}

void EvtxWriter::close() {
  if (file_ == nullptr) return;
  finish_chunk();
  std::uint8_t h[kFileHeaderSize] = {};
  std::memcpy(h, kFileMagic, 8);
  const std::uint64_t first_chunk = 0, last_chunk = chunks_ == 0 ? 0 : chunks_ - 1;
  std::memcpy(h + 8, &first_chunk, 8);
  std::memcpy(h + 16, &last_chunk, 8);
  std::memcpy(h + 24, &next_record_id_, 8);
  const std::uint32_t header_size = 128;
  std::memcpy(h + 32, &header_size, 4);
  const std::uint16_t minor = 1, major = 3, block = kFileHeaderSize;
  const auto count = static_cast<std::uint16_t>(chunks_ > 0xFFFF ? 0xFFFF : chunks_);
  std::memcpy(h + 36, &minor, 2);
  std::memcpy(h + 38, &major, 2);
  std::memcpy(h + 40, &block, 2);
  std::memcpy(h + 42, &count, 2);
  const auto crc = static_cast<std::uint32_t>(crc32(crc32(0L, Z_NULL, 0), h, 120));
  std::memcpy(h + 124, &crc, 4);
  const bool ok = std::fseek(file_, 0, SEEK_SET) == 0 && std::fwrite(h, 1, sizeof h, file_) == sizeof h;
  const bool closed = std::fclose(file_) == 0;
  file_ = nullptr;
  if (!ok || !closed) throw std::runtime_error("cannot write " + path_);
}

}  // namespace ashiato::evtx
