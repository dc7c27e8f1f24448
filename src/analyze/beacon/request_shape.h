// The shape of a request's URL, without the words that differ from site to site: an implant
// calls every C2 the same way ("/<word>/<word>/<word>.php?id=<encoded>&t=<number>") even when
// each C2 is a different compromised site, so the shape is what finds its other C2s.
#pragma once
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ashiato::analyze::beacon {

// "/w/w/w.php?id=B&t=N": each path segment and query value by its class — N digits, H hex (8 or
// more), B encoded (16 or more characters of base64/URL-safe alphabet mixing letters and digits),
// w anything else —, the file extension and the query's parameter names kept (lower case, sorted).
std::string request_shape(std::string_view path, std::string_view query);
// The same into `shape`, with buffers reused from call to call (once per request of a proxy log).
struct ShapeScratch {
  std::vector<std::pair<std::string, char>> params;
};
void request_shape(std::string_view path, std::string_view query, std::string& shape, ShapeScratch& scratch);

// 0..1: how alike two shapes are — path depth, extension, parameter names and their value classes.
double shape_similarity(std::string_view a, std::string_view b);

}  // namespace ashiato::analyze::beacon
