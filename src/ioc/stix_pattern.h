// The comparisons of a STIX 2.1 pattern ("[domain-name:value = 'evil.com' OR ipv4-addr:value =
// '1.2.3.4'] FOLLOWEDBY [...]"). An indicator file is a list of things to look for, not a query
// to evaluate: ashiato keeps each comparison and leaves the boolean structure aside.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace ashiato::ioc {

struct StixComparison {
  std::string path;      // object path as written without spaces: "file:hashes.'SHA-256'"
  std::string op;        // "=", "!=", "<", "<=", ">", ">=", "IN", "LIKE", "MATCHES", "ISSUBSET", "ISSUPERSET", "EXISTS"
  bool negated = false;  // NOT before the operator
  std::vector<std::string> values;  // literal(s): unescaped strings, numbers and booleans as written
};

// Reads every comparison of `pattern` in order. Brackets and parentheses must balance and string
// literals must end; qualifiers (WITHIN, REPEATS, START/STOP) and the operators between
// comparisons are skipped. false with `error` set on a syntax error (`out` then holds the
// comparisons read before it).
bool parse_stix_pattern(std::string_view pattern, std::vector<StixComparison>& out, std::string& error);

}  // namespace ashiato::ioc
