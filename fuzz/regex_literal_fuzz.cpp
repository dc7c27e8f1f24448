// Differential against PCRE2, for the shortcuts taken before or instead of it:
//  - whenever PCRE2 finds a match of the expression in the subject, the literal that
//    required_regex_literal says the expression needs occurs in the subject's folded form, and
//    the subject holds the bytes required_regex_bytes counts;
//  - when the expression is literals with `.*` gaps and the subject is ASCII, GappedLiterals
//    gives PCRE2's answer.
// Input: one flags byte (bit 0: caseless, bit 1: dotall), the expression, a newline, the subject.
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "sigma/engine/gapped_literals.h"
#include "sigma/engine/regex_literal.h"
#include "sigma/engine/string_pattern.h"

namespace {

[[noreturn]] void fail(const std::string& expression, const char* why) {
  std::fprintf(stderr, "expression %s: %s\n", expression.c_str(), why);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const bool caseless = (data[0] & 1) != 0;
  const bool dotall = (data[0] & 2) != 0;
  const std::string input(reinterpret_cast<const char*>(data) + 1, size - 1);
  const std::size_t newline = input.find('\n');
  if (newline == std::string::npos) return 0;
  const std::string expression = input.substr(0, newline);
  const std::string subject = input.substr(newline + 1);
  const std::string literal = ashiato::sigma::required_regex_literal(expression, caseless);
  const ashiato::sigma::RequiredBytes bytes = ashiato::sigma::required_regex_bytes(expression, caseless);
  const auto gapped = ashiato::sigma::GappedLiterals::parse(expression, caseless, dotall);
  if (literal.empty() && bytes.empty() && !gapped) return 0;
  int error = 0;
  PCRE2_SIZE offset = 0;
  pcre2_code* code = pcre2_compile(
      reinterpret_cast<PCRE2_SPTR>(expression.data()), expression.size(),
      PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | (caseless ? PCRE2_CASELESS : 0U) | (dotall ? PCRE2_DOTALL : 0U), &error,
      &offset, nullptr);
  if (code == nullptr) return 0;
  pcre2_match_data* match = pcre2_match_data_create(1, nullptr);
  const int rc = pcre2_match(code, reinterpret_cast<PCRE2_SPTR>(subject.data()), subject.size(), 0, 0, match, nullptr);
  pcre2_match_data_free(match);
  pcre2_code_free(code);
  if (rc < -1) return 0;  // a match limit or another error: no answer to compare with
  const bool matched = rc >= 0;
  if (matched && !literal.empty() && ashiato::sigma::folded(subject).find(literal) == std::string::npos) {
    fail(expression, "matches a subject without its required literal");
  }
  if (matched && !bytes.met_by(subject)) fail(expression, "matches a subject without its required bytes");
  if (gapped && ashiato::sigma::is_ascii(subject) && gapped->matches(subject) != matched) {
    fail(expression, "literals with gaps answer otherwise than PCRE2");
  }
  return 0;
}
