#include "analyze/beacon/request_shape.h"

#include <algorithm>
#include <cstdlib>
#include <vector>

namespace ashiato::analyze::beacon {
namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_hex(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_encoded_char(char c) {
  return is_alpha(c) || is_digit(c) || c == '+' || c == '/' || c == '=' || c == '-' || c == '_' || c == '%';
}

char value_class(std::string_view v) {
  if (v.empty()) return 'e';
  if (std::all_of(v.begin(), v.end(), is_digit)) return 'N';
  if (v.size() >= 8 && std::all_of(v.begin(), v.end(), is_hex)) return 'H';
  const bool letters = std::any_of(v.begin(), v.end(), is_alpha);
  const bool digits = std::any_of(v.begin(), v.end(), is_digit);
  if (v.size() >= 16 && letters && digits && std::all_of(v.begin(), v.end(), is_encoded_char)) return 'B';
  return 'w';
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// A file extension worth keeping: 1 to 5 letters or digits.
bool plain_extension(std::string_view ext) {
  return !ext.empty() && ext.size() <= 5 &&
         std::all_of(ext.begin(), ext.end(), [](char c) { return is_alpha(c) || is_digit(c); });
}

struct ShapeParts {
  int depth = 0;
  std::string extension;
  std::vector<std::pair<std::string, char>> params;  // name, value class
};

ShapeParts parse_shape(std::string_view shape) {
  ShapeParts p;
  const std::size_t q = shape.find('?');
  const std::string_view path = shape.substr(0, q);
  for (char c : path) p.depth += c == '/' ? 1 : 0;
  if (const std::size_t dot = path.rfind('.'); dot != std::string_view::npos && path.rfind('/') < dot) {
    p.extension = std::string(path.substr(dot + 1));
  }
  if (q == std::string_view::npos) return p;
  std::string_view rest = shape.substr(q + 1);
  while (!rest.empty()) {
    const std::size_t amp = rest.find('&');
    const std::string_view item = rest.substr(0, amp);
    const std::size_t eq = item.find('=');
    p.params.emplace_back(std::string(item.substr(0, eq)),
                          eq == std::string_view::npos || eq + 1 >= item.size() ? 'e' : item[eq + 1]);
    if (amp == std::string_view::npos) break;
    rest.remove_prefix(amp + 1);
  }
  return p;
}

}  // namespace

std::string request_shape(std::string_view path, std::string_view query) {
  std::string shape;
  ShapeScratch scratch;
  request_shape(path, query, shape, scratch);
  return shape;
}

void request_shape(std::string_view path, std::string_view query, std::string& shape, ShapeScratch& scratch) {
  shape.clear();
  if (const std::size_t q = path.find('?'); q != std::string_view::npos) {
    if (query.empty()) query = path.substr(q + 1);
    path = path.substr(0, q);
  }
  // Absolute-form targets (proxy logs): the scheme and host are not part of the path.
  if (const std::size_t scheme = path.find("://"); scheme != std::string_view::npos) {
    const std::size_t slash = path.find('/', scheme + 3);
    path = slash == std::string_view::npos ? std::string_view("/") : path.substr(slash);
  }
  std::size_t start = 0;
  while (start < path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    const std::string_view segment = path.substr(start, end - start);
    start = end + 1;
    if (segment.empty()) continue;
    shape += '/';
    const std::size_t dot = segment.rfind('.');
    const bool last = end == path.size();
    if (last && dot != std::string_view::npos && dot > 0 && plain_extension(segment.substr(dot + 1))) {
      shape += value_class(segment.substr(0, dot));
      shape += '.';
      for (const char c : segment.substr(dot + 1)) shape += c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    } else {
      shape += value_class(segment);
    }
  }
  if (shape.empty() || (!path.empty() && path.back() == '/')) shape += '/';
  if (query.empty()) return;
  auto& params = scratch.params;
  params.clear();
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view item = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (item.empty()) continue;
    const std::size_t eq = item.find('=');
    std::string name = lower(item.substr(0, eq));
    // A name that is itself data (an encoded blob as the whole query) is kept by its class.
    if (name.size() > 24 || value_class(name) == 'B' || value_class(name) == 'H')
      name = std::string(1, value_class(name));
    params.emplace_back(std::move(name), eq == std::string_view::npos ? 'e' : value_class(item.substr(eq + 1)));
  }
  // A repeated parameter counts once (with its first value's class after sorting).
  std::sort(params.begin(), params.end());
  params.erase(
      std::unique(params.begin(), params.end(), [](const auto& a, const auto& b) { return a.first == b.first; }),
      params.end());
  char sep = '?';
  for (const auto& [name, cls] : params) {
    shape += sep;
    shape += name;
    shape += '=';
    if (cls != 'e') shape += cls;
    sep = '&';
  }
}

double shape_similarity(std::string_view a, std::string_view b) {
  if (a == b) return 1.0;
  const ShapeParts x = parse_shape(a), y = parse_shape(b);
  const double depth = std::max(0.0, 1.0 - std::abs(x.depth - y.depth) / 3.0);
  const double extension = x.extension == y.extension ? 1.0 : 0.0;
  double names = 1.0, classes = 1.0;
  if (!x.params.empty() || !y.params.empty()) {
    std::size_t common = 0, same_class = 0;
    for (const auto& param : x.params) {
      const std::string& name = param.first;
      const auto it = std::find_if(y.params.begin(), y.params.end(), [&](const auto& p) { return p.first == name; });
      if (it == y.params.end()) continue;
      ++common;
      if (it->second == param.second) ++same_class;
    }
    const std::size_t all = x.params.size() + y.params.size() - common;
    names = std::min(1.0, static_cast<double>(common) / static_cast<double>(std::max<std::size_t>(all, 1)));
    classes = common == 0 ? 0.0 : static_cast<double>(same_class) / static_cast<double>(common);
  }
  return std::min(1.0, 0.25 * depth + 0.25 * extension + 0.3 * names + 0.2 * std::min(1.0, classes));
}

}  // namespace ashiato::analyze::beacon
