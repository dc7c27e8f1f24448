// Differential: whenever PCRE2 finds a match of the expression in the subject, the literal that
// required_regex_literal says the expression needs must occur in the subject's folded form.
// Input: one flags byte (bit 0: caseless), the expression, a newline, the subject.
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "sigma/regex_literal.h"
#include "sigma/string_pattern.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const bool caseless = (data[0] & 1) != 0;
  const std::string input(reinterpret_cast<const char*>(data) + 1, size - 1);
  const std::size_t newline = input.find('\n');
  if (newline == std::string::npos) return 0;
  const std::string expression = input.substr(0, newline);
  const std::string subject = input.substr(newline + 1);
  const std::string literal = ashiato::sigma::required_regex_literal(expression, caseless);
  if (literal.empty()) return 0;
  int error = 0;
  PCRE2_SIZE offset = 0;
  pcre2_code* code =
      pcre2_compile(reinterpret_cast<PCRE2_SPTR>(expression.data()), expression.size(),
                    PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | (caseless ? PCRE2_CASELESS : 0U), &error, &offset, nullptr);
  if (code == nullptr) return 0;
  pcre2_match_data* match = pcre2_match_data_create(1, nullptr);
  const int rc = pcre2_match(code, reinterpret_cast<PCRE2_SPTR>(subject.data()), subject.size(), 0, 0, match, nullptr);
  pcre2_match_data_free(match);
  pcre2_code_free(code);
  if (rc >= 0 && ashiato::sigma::folded(subject).find(literal) == std::string::npos) {
    std::fprintf(stderr, "expression %s matches a subject without its literal '%s'\n", expression.c_str(),
                 literal.c_str());
    std::abort();
  }
  return 0;
}
