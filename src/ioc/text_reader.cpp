// Plain indicator lists: one or more indicators per line, of any types, defanged or not.
//
//   # a comment line labels the indicators after it, up to the next blank line
//   evil.com
//   hxxp://1.2.3[.]4/gate.php   C2 of the first stage     <- text after the indicators is a label
//   0c2674c3a97c53082187d930efb645c2;DEEP PANDA Sakula   <- LOKI's "value;comment"
//   10.0.0.1, 10.0.0.2 | evil.net  // inline comment
//
// Tokens are separated by whitespace, ',' and '|' (URLs keep theirs). The leading tokens that are
// indicators are read; the first token that is not one starts the label, and so does the first
// ';' (LOKI's format), so that a URL quoted in a comment is never taken for an indicator. A line whose first token is
// not an indicator is reported as an error, with its line number.
#include <algorithm>

#include "core/count_lines.h"
#include "ioc/indicator.h"
#include "ioc/reader_context.h"
#include "ioc/text_util.h"

namespace ashiato::ioc {
namespace {

struct Token {
  std::string_view text;
  std::size_t start;  // offset in the line
};

bool is_separator(char c) {
  return c == ',' || c == '|';
}

void tokenise(std::string_view line, std::vector<Token>& tokens) {
  tokens.clear();
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && is_space(line[i])) ++i;
    std::size_t end = i;
    while (end < line.size() && !is_space(line[end])) ++end;
    std::string_view chunk = line.substr(i, end - i);
    if (chunk.find("://") != std::string_view::npos) {
      // A URL may hold separators; only trailing ones go, and the punctuation of the sentence a
      // URL ends ("see http://evil.com/a.").
      while (!chunk.empty() &&
             (is_separator(chunk.back()) || chunk.back() == '.' || chunk.back() == '!' || chunk.back() == '?' ||
              chunk.back() == ':' || (chunk.back() == ')' && chunk.find('(') == std::string_view::npos))) {
        chunk.remove_suffix(1);
      }
      if (!chunk.empty()) tokens.push_back({chunk, i});
    } else {
      std::size_t k = 0;
      while (k <= chunk.size()) {
        std::size_t e = k;
        while (e < chunk.size() && !is_separator(chunk[e])) ++e;
        if (e > k) tokens.push_back({chunk.substr(k, e - k), i + k});
        k = e + 1;
      }
    }
    i = end;
  }
}

// Why a token that looks like an attempt at an indicator is none.
std::string explain(std::string_view token) {
  const std::string shown(token.substr(0, 120));
  // Mostly hex digits and long: a hash with a typo or cut short.
  const auto non_hex = std::count_if(token.begin(), token.end(), [](char c) { return hex_digit(c) < 0; });
  if (token.size() >= 16 && non_hex <= 2 && std::all_of(token.begin(), token.end(), is_alnum)) {
    return "malformed hash of " + std::to_string(token.size()) +
           " characters (MD5 has 32 hex digits, SHA-1 40, SHA-256 64): '" + shown + "'";
  }
  if (token.find("://") != std::string_view::npos) return "not a valid URL: '" + shown + "'";
  if (!token.empty() && std::all_of(token.begin(), token.end(), [](char c) { return is_digit(c) || c == '.'; })) {
    return "not a valid IPv4 address: '" + shown + "'";
  }
  return "not an indicator: '" + shown + "'";
}

// The text of a comment line without its markers, or empty if it has no words.
std::string_view comment_text(std::string_view line) {
  while (!line.empty() && (line.front() == '#' || line.front() == '/')) line.remove_prefix(1);
  line = trim(line);
  if (std::none_of(line.begin(), line.end(), is_alnum)) return {};
  return line;
}

// Start of an inline comment: '#' or "//" after whitespace.
std::size_t inline_comment(std::string_view line) {
  for (std::size_t i = 1; i < line.size(); ++i) {
    if (!is_space(line[i - 1])) continue;
    if (line[i] == '#' || (line[i] == '/' && i + 1 < line.size() && line[i + 1] == '/')) return i;
  }
  return std::string_view::npos;
}

std::string_view strip_list_marker(std::string_view line) {
  for (std::string_view marker : {"- ", "* ", "+ ", "\xE2\x80\xA2 "}) {
    if (line.substr(0, marker.size()) == marker) return trim(line.substr(marker.size()));
  }
  return line;
}

// The first ';' that is not inside a URL, or npos.
std::size_t comment_semicolon(std::string_view line) {
  std::size_t chunk_start = 0;
  for (std::size_t i = 0; i <= line.size(); ++i) {
    if (i < line.size() && !is_space(line[i])) continue;
    const std::string_view chunk = line.substr(chunk_start, i - chunk_start);
    if (chunk.find("://") == std::string_view::npos) {
      if (const auto semicolon = chunk.find(';'); semicolon != std::string_view::npos) return chunk_start + semicolon;
    }
    chunk_start = i + 1;
  }
  return std::string_view::npos;
}

bool is_sinkhole_address(std::string_view token) {
  return token == "0.0.0.0" || token == "127.0.0.1" || token == "::" || token == "::1";
}

// "path:line".
std::string source_of(const ReaderContext& context, std::size_t line_number) {
  std::string source;
  source.reserve(context.source().size() + 12);
  source.append(context.source()).append(":").append(std::to_string(line_number));
  return source;
}

}  // namespace

void read_text_indicators(std::string_view text, ReaderContext& context) {
  // Lists of 100,000 lines are common: the output grows once, not by doubling.
  context.out().reserve(context.out().size() + count_newlines(text) + 1);
  std::string section;  // the last comment line: label of the indicators after it
  // Reused from line to line: no allocations for a plain line but the indicator's own.
  std::string refanged_line;
  std::vector<Token> tokens;
  std::vector<Indicator> found;
  std::size_t pos = 0, line_number = 0;
  while (pos < text.size()) {
    const std::size_t offset = pos;
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view raw = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_number;
    const std::string_view trimmed = trim(raw);
    if (trimmed.empty()) {
      section.clear();
      continue;
    }
    if (trimmed.front() == '#' || trimmed.substr(0, 2) == "//") {
      if (auto words = comment_text(trimmed); !words.empty()) section = std::string(words);
      continue;
    }
    std::string_view body = trimmed;
    std::string_view comment;
    if (const auto c = inline_comment(body); c != std::string_view::npos) {
      comment = comment_text(body.substr(c));
      body = trim(body.substr(0, c));
    }
    std::string_view line = refanged(strip_list_marker(body), refanged_line);
    // LOKI's "value;comment": the first ';' (outside a URL) starts the label.
    std::string_view semicolon_label;
    if (const auto semicolon = comment_semicolon(line); semicolon != std::string::npos) {
      semicolon_label = trim(line.substr(semicolon + 1));
      line = line.substr(0, semicolon);
    }
    tokenise(line, tokens);
    // A hosts file ("0.0.0.0 evil.com") blocks the names; the sinkhole address is no indicator.
    if (tokens.size() >= 2 && is_sinkhole_address(tokens[0].text)) tokens.erase(tokens.begin());
    if (tokens.empty()) continue;

    found.clear();
    std::size_t label_start = std::string::npos;
    for (const Token& token : tokens) {
      auto indicator = classify(token.text);
      if (!indicator) {
        label_start = token.start;
        break;
      }
      found.push_back(std::move(*indicator));
    }
    if (found.empty()) {
      context.error("line " + std::to_string(line_number), explain(strip_wrapping(tokens[0].text)), offset);
      continue;
    }
    std::string label;
    if (label_start != std::string::npos) label = std::string(trim(line.substr(label_start)));
    // A number after ';' is a LOKI score, not a description: the section comment says more.
    if (std::all_of(semicolon_label.begin(), semicolon_label.end(), is_digit)) semicolon_label = {};
    auto add_to_label = [&label](std::string_view separator, std::string_view part) {
      if (part.empty()) return;
      if (!label.empty()) label.append(separator);
      label.append(part);
    };
    add_to_label(" ", semicolon_label);
    add_to_label(" / ", comment);
    if (label.empty()) label = section;
    for (Indicator& indicator : found) {
      indicator.source = source_of(context, line_number);
      indicator.label = label;
      context.out().push_back(std::move(indicator));
    }
  }
}

}  // namespace ashiato::ioc
