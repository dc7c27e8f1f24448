#include "analyze/beacon/series_codec.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace ashiato::analyze::beacon {
namespace {

constexpr std::string_view kMagic = "ASB3";
constexpr std::uint8_t kHasSession = 0x80;  // in a sample's flags byte: 8 bytes of session follow

void put_varint(std::string& out, std::uint64_t v) {
  while (v >= 0x80) {
    out += static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  out += static_cast<char>(v);
}

void put_fixed(std::string& out, std::uint64_t v) {
  char b[8];
  std::memcpy(b, &v, 8);
  out.append(b, 8);
}

void put_text(std::string& out, std::string_view s) {
  put_varint(out, s.size());
  out.append(s);
}

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  std::uint64_t varint() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      const auto b = static_cast<std::uint8_t>(byte());
      v |= std::uint64_t{b & 0x7fU} << shift;
      if ((b & 0x80) == 0) return v;
    }
    fail("varint too long");
  }
  std::uint32_t u32() {
    const std::uint64_t v = varint();
    if (v > UINT32_MAX) fail("value out of range");
    return static_cast<std::uint32_t>(v);
  }
  std::uint64_t fixed() {
    need(8);
    std::uint64_t v = 0;
    std::memcpy(&v, in_.data() + pos_, 8);
    pos_ += 8;
    return v;
  }
  char byte() {
    need(1);
    return in_[pos_++];
  }
  std::string text() {
    const std::uint64_t n = varint();
    need(n);
    std::string s(in_.substr(pos_, n));
    pos_ += n;
    return s;
  }
  // A count of items of at least `item_bytes` each that the rest can hold.
  std::size_t count(std::size_t item_bytes) {
    const std::uint64_t n = varint();
    if (n > (in_.size() - pos_) / std::max<std::size_t>(item_bytes, 1)) fail("count beyond the data");
    return n;
  }
  bool done() const { return pos_ == in_.size(); }
  [[noreturn]] void fail(const char* what) const {
    throw std::runtime_error(std::string("stored beacon series: ") + what + " at byte " + std::to_string(pos_));
  }

 private:
  void need(std::uint64_t n) const {
    if (n > in_.size() - pos_) fail("cut short");
  }
  std::string_view in_;
  std::size_t pos_ = 0;
};

void put_series(std::string& out, const SeriesKey& key, Series& s) {
  out += static_cast<char>(key.kind);
  put_text(out, key.src);
  put_text(out, key.dst);
  put_varint(out, s.connections);
  put_varint(out, s.bytes);
  put_varint(out, s.first);
  put_varint(out, s.last);
  std::uint64_t duration = 0;
  std::memcpy(&duration, &s.duration, 8);
  put_fixed(out, duration);
  put_varint(out, s.missing_host);
  out += static_cast<char>(s.agents_overflow ? 1 : 0);
  put_varint(out, s.open.size());
  for (const auto& [id, seconds] : s.open) {
    put_fixed(out, id);
    std::uint64_t bits = 0;
    std::memcpy(&bits, &seconds, 8);
    put_fixed(out, bits);
  }
  put_varint(out, s.server_ips.size());
  for (const auto& ip : s.server_ips) put_text(out, ip);
  put_varint(out, s.agents.size());
  for (const auto h : s.agents) put_fixed(out, h);
  put_varint(out, s.shapes.size());
  for (const auto h : s.shapes) put_fixed(out, h);
  put_varint(out, s.refs.size());
  for (const SampleRef& r : s.refs) {
    put_varint(out, r.time);
    put_varint(out, r.record);
    put_varint(out, r.offset);
  }
  std::stable_sort(s.samples.begin(), s.samples.end(),
                   [](const Sample& a, const Sample& b) { return a.time < b.time; });
  put_varint(out, s.samples.size());
  std::uint32_t previous = 0;
  for (const Sample& x : s.samples) {
    put_varint(out, x.time - previous);
    previous = x.time;
    put_varint(out, x.bytes);
    put_varint(out, x.reply);
    out += static_cast<char>(x.agent);
    out += static_cast<char>(x.shape);
    out += static_cast<char>(x.method);
    out += static_cast<char>(x.flags | (x.session != 0 ? kHasSession : 0));
    if (x.session != 0) put_fixed(out, x.session);
  }
}

std::uint8_t checked_slot(Reader& in, std::size_t slots) {
  const auto slot = static_cast<std::uint8_t>(in.byte());
  if (slot != kNoSlot && slot != kOtherSlot && slot >= slots) in.fail("slot out of range");
  return slot;
}

// One series after its key.
Series read_series(Reader& in, std::uint32_t file) {
  Series s;
  s.connections = in.varint();
  s.bytes = in.varint();
  s.first = in.u32();
  s.last = in.u32();
  const std::uint64_t duration = in.fixed();
  std::memcpy(&s.duration, &duration, 8);
  s.missing_host = in.varint();
  s.agents_overflow = in.byte() != 0;
  for (std::size_t k = in.count(16); k > 0; --k) {
    const std::uint64_t id = in.fixed();
    const std::uint64_t bits = in.fixed();
    double seconds = 0;
    std::memcpy(&seconds, &bits, 8);
    s.add_open(id, seconds);
  }
  for (std::size_t k = in.count(1); k > 0; --k) {
    std::string ip = in.text();
    if (s.server_ips.size() < kMaxServerIps) s.server_ips.push_back(std::move(ip));
  }
  const std::size_t agents = in.count(8);
  if (agents > kMaxSlots) in.fail("too many user agents");
  for (std::size_t k = 0; k < agents; ++k) s.agents.push_back(in.fixed());
  const std::size_t shapes = in.count(8);
  if (shapes > kMaxSlots) in.fail("too many shapes");
  for (std::size_t k = 0; k < shapes; ++k) s.shapes.push_back(in.fixed());
  for (std::size_t k = in.count(3); k > 0; --k) {
    SampleRef r;
    r.time = in.u32();
    r.file = file;
    r.record = in.varint();
    r.offset = in.varint();
    s.add_ref(r);
  }
  const std::size_t samples = in.count(7);
  if (samples > kMaxSamplesPerSeries) in.fail("too many samples");
  if (samples > s.connections) in.fail("more samples than connections");
  s.samples.reserve(samples);
  std::uint64_t time = 0;
  for (std::size_t k = 0; k < samples; ++k) {
    Sample x;
    time += in.varint();
    if (time > UINT32_MAX) in.fail("time out of range");
    x.time = static_cast<std::uint32_t>(time);
    x.bytes = in.u32();
    x.reply = in.u32();
    x.agent = checked_slot(in, s.agents.size());
    x.shape = checked_slot(in, s.shapes.size());
    const auto method = static_cast<std::uint8_t>(in.byte());
    if (method >= kMethodCount) in.fail("unknown method");
    x.method = static_cast<Method>(method);
    const auto flags = static_cast<std::uint8_t>(in.byte());
    x.flags = flags & static_cast<std::uint8_t>(~kHasSession);
    if ((flags & kHasSession) != 0) x.session = in.fixed();
    s.samples.push_back(x);
  }
  return s;
}

}  // namespace

std::string encode_series(SeriesSet& set) {
  std::string out(kMagic);
  put_varint(out, set.strings.size());
  for (const auto& [hash, text] : set.strings) {
    put_fixed(out, hash);
    put_text(out, text);
  }
  put_varint(out, set.fqdn_sessions.size());
  for (const auto s : set.fqdn_sessions) put_fixed(out, s);
  put_varint(out, set.series.size());
  for (auto& [key, series] : set.series) put_series(out, key, series);
  return out;
}

SeriesSet decode_series(std::string_view bytes, std::uint32_t file) {
  if (bytes.substr(0, kMagic.size()) != kMagic) throw std::runtime_error("stored beacon series: not this format");
  Reader in(bytes.substr(kMagic.size()));
  SeriesSet set;
  for (std::size_t n = in.count(9); n > 0; --n) {
    const std::uint64_t hash = in.fixed();
    set.strings.emplace(hash, in.text());
  }
  for (std::size_t n = in.count(8); n > 0; --n) set.fqdn_sessions.push_back(in.fixed());
  const std::size_t series = in.count(16);
  set.series.reserve(series);
  for (std::size_t n = series; n > 0; --n) {
    SeriesKey key;
    const auto kind = static_cast<std::uint8_t>(in.byte());
    if (kind > static_cast<std::uint8_t>(SeriesKind::kIp)) in.fail("unknown series kind");
    key.kind = static_cast<SeriesKind>(kind);
    key.src = in.text();
    key.dst = in.text();
    Series s = read_series(in, file);
    if (auto [it, fresh] = set.series.try_emplace(std::move(key)); fresh) {
      it->second = std::move(s);
    } else {
      it->second.merge(std::move(s));
    }
  }
  if (!in.done()) in.fail("trailing bytes");
  return set;
}

}  // namespace ashiato::analyze::beacon
