#include "analyze/finding_records.h"

#include <cstring>
#include <stdexcept>

namespace ashiato::analyze {
namespace {

// A record: u32 length of the whole record, i64 time, u64 sequence, u64 record id, u64 offset,
// i64 end of the time range (kNoEnd: none), u8 kind, u8 level, then the ten strings, the tags and
// the evidence past the first (file, record, offset each), each string a u32 length and its bytes
// (native byte order: records never leave the process, runs on disk included).
constexpr std::size_t kTimeAt = 4;
constexpr std::size_t kSequenceAt = 12;
constexpr std::size_t kHead = 46;
constexpr std::int64_t kNoEnd = INT64_MIN;

template <class T>
char* put(char* p, T v) {
  std::memcpy(p, &v, sizeof v);
  return p + sizeof v;
}

char* put_string(char* p, std::string_view s) {
  p = put(p, static_cast<std::uint32_t>(s.size()));
  if (!s.empty()) std::memcpy(p, s.data(), s.size());
  return p + s.size();
}

template <class T>
T get(const char* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// Reads the records' fields in order, never past the record's end.
class Unpacker {
 public:
  explicit Unpacker(std::string_view record) : p_(record.data()), end_(record.data() + record.size()) {}
  template <class T>
  T number() {
    need(sizeof(T));
    const T v = get<T>(p_);
    p_ += sizeof(T);
    return v;
  }
  // A count of strings that follow (each at least its 4-byte length).
  std::uint32_t count() {
    const auto n = number<std::uint32_t>();
    need(std::size_t{n} * 4);
    return n;
  }
  void string(std::string& into) {
    const auto n = number<std::uint32_t>();
    need(n);
    into.assign(p_, n);
    p_ += n;
  }

 private:
  void need(std::size_t n) const {
    if (static_cast<std::size_t>(end_ - p_) < n) throw std::runtime_error("timeline record cut short");
  }
  const char* p_;
  const char* end_;
};

}  // namespace

FindingView view_of(const Finding& f) {
  FindingView v;
  v.kind = f.kind;
  v.level = f.level;
  v.title = f.title;
  v.rule_id = f.rule_id;
  v.host = f.host;
  v.user = f.user;
  v.src_ip = f.src_ip;
  v.dst = f.dst;
  v.channel = f.channel;
  v.event_id = f.event_id;
  v.details = f.details;
  v.tags = &f.tags;
  v.evidence = &f.evidence;
  v.file = f.primary().file;
  v.record_id = f.primary().record;
  v.offset = f.primary().offset;
  v.time = f.time;
  v.until = f.until;
  v.sequence = f.sequence;
  return v;
}

Finding to_finding(const FindingView& v) {
  Finding f;
  f.kind = v.kind;
  f.level = v.level;
  f.title = v.title;
  f.rule_id = v.rule_id;
  if (v.tags != nullptr) f.tags = *v.tags;
  f.time = v.time;
  f.until = v.until;
  f.host = v.host;
  f.user = v.user;
  f.src_ip = v.src_ip;
  f.dst = v.dst;
  f.channel = v.channel;
  f.event_id = v.event_id;
  f.details = v.details;
  if (v.evidence != nullptr && !v.evidence->empty()) {
    f.evidence = *v.evidence;
  } else {
    f.evidence.push_back(EvidenceRef{std::string(v.file), v.record_id, v.offset});
  }
  f.sequence = v.sequence;
  return f;
}

void FindingRecords::append(const FindingView& f) {
  const std::string_view strings[] = {f.title, f.rule_id, f.host,     f.user,    f.src_ip,
                                      f.dst,   f.channel, f.event_id, f.details, f.file};
  const bool more_evidence = f.evidence != nullptr && f.evidence->size() > 1;
  std::size_t length = kHead + 4 + 4;
  for (const std::string_view s : strings) length += 4 + s.size();
  if (f.tags != nullptr) {
    for (const std::string& t : *f.tags) length += 4 + t.size();
  }
  if (more_evidence) {
    for (std::size_t i = 1; i < f.evidence->size(); ++i) length += 4 + (*f.evidence)[i].file.size() + 16;
  }
  const std::size_t at = bytes_.size();
  bytes_.resize(at + length);
  char* p = bytes_.data() + at;
  p = put(p, static_cast<std::uint32_t>(length));
  p = put(p, f.time.ticks);
  p = put(p, f.sequence);
  p = put(p, f.record_id);
  p = put(p, f.offset);
  p = put(p, f.until ? f.until->ticks : kNoEnd);
  p = put(p, static_cast<std::uint8_t>(f.kind));
  p = put(p, static_cast<std::uint8_t>(f.level));
  for (const std::string_view s : strings) p = put_string(p, s);
  p = put(p, static_cast<std::uint32_t>(f.tags != nullptr ? f.tags->size() : 0));
  if (f.tags != nullptr) {
    for (const std::string& t : *f.tags) p = put_string(p, t);
  }
  p = put(p, static_cast<std::uint32_t>(more_evidence ? f.evidence->size() - 1 : 0));
  if (more_evidence) {
    for (std::size_t i = 1; i < f.evidence->size(); ++i) {
      const EvidenceRef& e = (*f.evidence)[i];
      p = put_string(p, e.file);
      p = put(p, e.record);
      p = put(p, e.offset);
    }
  }
  keys_.push_back(Key{f.time, f.sequence, at});
}

void FindingRecords::number(std::uint64_t& next) {
  for (Key& k : keys_) {
    k.sequence = next++;
    put(bytes_.data() + k.at + kSequenceAt, k.sequence);
  }
}

void FindingRecords::take(FindingRecords& other) {
  if (bytes_.empty() && bytes_.capacity() < other.bytes_.capacity()) {
    bytes_.swap(other.bytes_);
    keys_.swap(other.keys_);
  } else {
    const std::size_t base = bytes_.size();
    bytes_ += other.bytes_;
    for (Key k : other.keys_) {
      k.at += base;
      keys_.push_back(k);
    }
  }
  other.clear();
}

void FindingRecords::clear() {
  bytes_.clear();
  keys_.clear();
}

FindingRecords::Key FindingRecords::key_of(const char* record, std::size_t at) {
  return Key{Timestamp{get<std::int64_t>(record + kTimeAt)}, get<std::uint64_t>(record + kSequenceAt), at};
}

std::size_t FindingRecords::record_length(const char* first_bytes) {
  return get<std::uint32_t>(first_bytes);
}

std::string_view FindingRecords::record_at(const std::string& bytes, std::size_t at) {
  return {bytes.data() + at, record_length(bytes.data() + at)};
}

void FindingRecords::unpack(std::string_view record, Finding& into) {
  Unpacker in(record);
  in.number<std::uint32_t>();
  into.time.ticks = in.number<std::int64_t>();
  into.sequence = in.number<std::uint64_t>();
  into.evidence.resize(1);
  EvidenceRef& first = into.evidence.front();
  first.record = in.number<std::uint64_t>();
  first.offset = in.number<std::uint64_t>();
  const auto until = in.number<std::int64_t>();
  into.until = until == kNoEnd ? std::nullopt : std::optional<Timestamp>(Timestamp{until});
  const auto kind = in.number<std::uint8_t>();
  const auto level = in.number<std::uint8_t>();
  if (kind > static_cast<std::uint8_t>(FindingKind::kAnalysis) || level > static_cast<std::uint8_t>(Level::kCritical))
    throw std::runtime_error("timeline record with an unknown kind or level");
  into.kind = static_cast<FindingKind>(kind);
  into.level = static_cast<Level>(level);
  for (std::string* s : {&into.title, &into.rule_id, &into.host, &into.user, &into.src_ip, &into.dst, &into.channel,
                         &into.event_id, &into.details, &first.file})
    in.string(*s);
  into.tags.resize(in.count());
  for (std::string& t : into.tags) in.string(t);
  const std::uint32_t more = in.count();
  if (more == 0 && first == EvidenceRef{}) into.evidence.clear();  // an empty reference is none
  for (std::uint32_t i = 0; i < more; ++i) {
    EvidenceRef e;
    in.string(e.file);
    e.record = in.number<std::uint64_t>();
    e.offset = in.number<std::uint64_t>();
    into.evidence.push_back(std::move(e));
  }
}

void FindingRecords::unpack_all(std::vector<Finding>& into) const {
  for (const Key& k : keys_) unpack(record_at(bytes_, k.at), into.emplace_back());
}

}  // namespace ashiato::analyze
