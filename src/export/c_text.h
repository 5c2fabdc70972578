// Spelling values as C99 source text: string literals, comments, identifiers and numbers that the
// compiler reads back to exactly the same value.
#pragma once

#include <string>
#include <string_view>

namespace smartchurn::exporter {

// A C string literal ("..."), escaping quotes, backslashes, '?' (trigraphs) and any byte outside
// printable ASCII as a three-digit octal escape.
std::string c_string(std::string_view text);
// Text safe inside a /* */ comment: printable ASCII only, no "*/" and no trigraphs.
std::string c_comment(std::string_view text);
// An identifier fragment: letters, digits and '_' kept (letters upper-cased), others become '_'.
std::string c_identifier_upper(std::string_view text);
bool is_c_identifier(std::string_view text);
// A double literal that reads back to `value` exactly (NAN and HUGE_VAL for non-finite values).
std::string c_double(double value);
// A float literal with the f suffix that reads back to `value` exactly.
std::string c_float(float value);

}  // namespace smartchurn::exporter
