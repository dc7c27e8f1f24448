// What a beacon series is keyed by: the internal host and the destination (an FQDN or an
// address), with a view of the same for lookups that build no strings, and their hash.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace ashiato::analyze::beacon {

enum class SeriesKind : std::uint8_t { kFqdn, kIp };

struct SeriesKey {
  std::string src;  // internal host (client address)
  std::string dst;  // FQDN or address
  SeriesKind kind = SeriesKind::kFqdn;
  bool operator<(const SeriesKey& o) const {
    return kind != o.kind ? kind < o.kind : src != o.src ? src < o.src : dst < o.dst;
  }
  bool operator==(const SeriesKey& o) const = default;
};

// A key to look a series up by without building its strings (most events belong to a known series).
struct SeriesKeyView {
  SeriesKeyView() = default;
  SeriesKeyView(std::string_view source, std::string_view destination, SeriesKind k = SeriesKind::kFqdn)
      : src(source), dst(destination), kind(k) {}
  SeriesKeyView(const SeriesKey& key)  // NOLINT(google-explicit-constructor): a key is its own view
      : src(key.src), dst(key.dst), kind(key.kind) {}
  std::string_view src, dst;
  SeriesKind kind = SeriesKind::kFqdn;
};

struct SeriesKeyHash {
  using is_transparent = void;
  std::size_t operator()(const SeriesKey& k) const { return (*this)(SeriesKeyView{k.src, k.dst, k.kind}); }
  std::size_t operator()(const SeriesKeyView& k) const {
    const std::size_t h = std::hash<std::string_view>{}(k.src) * 0x9E3779B97F4A7C15ULL;
    return h ^ std::hash<std::string_view>{}(k.dst) ^ static_cast<std::size_t>(k.kind);
  }
};

struct SeriesKeyEqual {
  using is_transparent = void;
  static SeriesKeyView view(const SeriesKey& k) { return {k.src, k.dst, k.kind}; }
  static SeriesKeyView view(const SeriesKeyView& k) { return k; }
  template <typename A, typename B>
  bool operator()(const A& a, const B& b) const {
    const SeriesKeyView x = view(a), y = view(b);
    return x.kind == y.kind && x.src == y.src && x.dst == y.dst;
  }
};

}  // namespace ashiato::analyze::beacon
