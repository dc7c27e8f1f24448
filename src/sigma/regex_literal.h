// A literal that every match of a regular expression contains, for the literal prefilter: rules
// whose only test is a `|re` value are then skipped like the others when the literal is absent.
#pragma once
#include <string>
#include <string_view>

namespace ashiato::sigma {

// The longest run of literal characters (at least two) that the expression requires at top
// level, ASCII-folded; empty when there is none or the expression is beyond this conservative
// reading (top-level alternation, \Q, extended mode). Groups, classes, escapes of classes and
// assertions (\d, \w, \b...) and quantified characters end a run; \n, \t, \r, \f, \e and \a are
// the control characters they stand for. With `caseless` (or an inline i flag), runs also end at
// non-ASCII bytes and at 'k' and 's', whose caseless matches include non-ASCII letters (KELVIN
// SIGN, LONG S) that ASCII folding would not find.
std::string required_regex_literal(std::string_view expression, bool caseless);

}  // namespace ashiato::sigma
