#include "data/csv_parser.h"

#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "data/text_util.h"
#include "smartchurn/error.h"

namespace smartchurn::detail {

namespace {

using Result = CsvRecordParser::Result;
using Kind = CsvRecordParser::Failure::Kind;

constexpr int kEnd = -1;  // no byte after the field: the end of the input

int byte_at(const char* p) { return static_cast<unsigned char>(*p); }

// Four bytes to look for, broadcast for SSE2 once per record rather than once per field.
struct Needles {
#if defined(__SSE2__)
  __m128i a, b, c, d;
#endif
  const std::array<bool, 256>* stops;  // the same bytes, for the tail

  Needles(char a_byte, char b_byte, char c_byte, char d_byte, const std::array<bool, 256>& table)
      :
#if defined(__SSE2__)
        a(_mm_set1_epi8(a_byte)),
        b(_mm_set1_epi8(b_byte)),
        c(_mm_set1_epi8(c_byte)),
        d(_mm_set1_epi8(d_byte)),
#endif
        stops(&table) {
  }
};

// The first byte in [p, end) that is one of the needles, or end. Sixteen bytes are compared at
// a time where SSE2 is there (every x86-64); the tail byte by byte.
char* find_first(char* p, char* end, const Needles& needles) {
#if defined(__SSE2__)
  for (; end - p >= 16; p += 16) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i hits = _mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(bytes, needles.a), _mm_cmpeq_epi8(bytes, needles.b)),
        _mm_or_si128(_mm_cmpeq_epi8(bytes, needles.c), _mm_cmpeq_epi8(bytes, needles.d)));
    if (const int mask = _mm_movemask_epi8(hits))
      return p + __builtin_ctz(static_cast<unsigned>(mask));
  }
#endif
  const std::array<bool, 256>& stops = *needles.stops;
  while (p < end && !stops[static_cast<unsigned char>(*p)]) ++p;
  return p;
}

}  // namespace

std::string_view unescape_field(CsvField& field) {
  // Each doubled quote becomes one: copy down over the second of each pair.
  char* out = field.data;
  for (std::size_t i = 0; i < field.size; ++i) {
    *out++ = field.data[i];
    if (field.data[i] == '"') ++i;
  }
  field.size = static_cast<std::size_t>(out - field.data);
  field.escaped = false;
  return {field.data, field.size};
}

bool valid_utf8(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = p + text.size();
  while (p < end) {
    // Eight ASCII bytes at a time.
    if (end - p >= 8) {
      uint64_t word;
      std::memcpy(&word, p, sizeof word);
      if ((word & 0x8080808080808080ull) == 0) {
        p += 8;
        continue;
      }
    }
    if (*p < 0x80) {
      ++p;
      continue;
    }
    int extra = 0;
    unsigned lead = *p;
    if (lead >= 0xC2 && lead <= 0xDF) {
      extra = 1;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      extra = 2;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      extra = 3;
    } else {
      return false;
    }
    if (end - p <= extra) return false;
    for (int i = 1; i <= extra; ++i) {
      if ((p[i] & 0xC0) != 0x80) return false;
    }
    p += extra + 1;
  }
  return true;
}

bool all_ascii(std::string_view text) {
  const char* p = text.data();
  const char* end = p + text.size();
  uint64_t high = 0;
  for (; end - p >= 8; p += 8) {
    uint64_t word;
    std::memcpy(&word, p, sizeof word);
    high |= word;
  }
  for (; p < end; ++p) high |= static_cast<unsigned char>(*p);
  return (high & 0x8080808080808080ull) == 0;
}

CsvRecordParser::CsvRecordParser(const std::string& name, char delimiter,
                                 std::size_t max_field_bytes,
                                 const std::vector<std::string>* header)
    : name_(&name), delimiter_(delimiter), max_field_bytes_(max_field_bytes), header_(header) {
  for (char c : {'\n', '\r', '\0', delimiter}) ends_unquoted_[static_cast<unsigned char>(c)] = true;
  for (char c : {'"', '\n', '\0'}) stops_quoted_[static_cast<unsigned char>(c)] = true;
}

std::string CsvRecordParser::column_name(std::size_t index) const {
  return header_ && index < header_->size() ? (*header_)[index] : std::string();
}

void CsvRecordParser::raise(const Failure& failure, std::size_t line_shift) const {
  const std::size_t line = failure.line + line_shift;
  const std::size_t quote_line = failure.quote_line > 0 ? failure.quote_line + line_shift : 0;
  const std::string column = column_name(failure.field);
  switch (failure.kind) {
    case Failure::Kind::kBinary:
      throw_bad_data("looks like a binary file, not CSV (a NUL byte or invalid UTF-8)",
                     {*name_, line, column});
    case Failure::Kind::kFieldTooLong: {
      std::string message = "field longer than " + std::to_string(max_field_bytes_) + " bytes";
      if (quote_line > 0) {
        message += " (is the quote opened on line " + std::to_string(quote_line) + " closed?)";
      } else {
        message += " (binary data or the wrong delimiter?)";
      }
      throw_bad_data(message, {*name_, quote_line > 0 ? quote_line : line, column});
    }
    case Failure::Kind::kUnterminatedQuote:
      throw_bad_data("unterminated quote: the quoted field opened on line " +
                         std::to_string(quote_line) + " is never closed",
                     {*name_, quote_line, column});
    case Failure::Kind::kTooManyFields:
      // Past the header's columns there is no name: the column's position stands for it.
      throw_bad_data("more than " + std::to_string(max_fields_) +
                         " fields in one record: at most " + std::to_string(max_fields_) +
                         " columns are allowed",
                     {*name_, line, column.empty() ? std::to_string(failure.field + 1) : column});
    case Failure::Kind::kTextAfterQuote:
      break;
  }
  throw_bad_data("unexpected text after the closing quote of a quoted field",
                 {*name_, line, column});
}

Result CsvRecordParser::parse(char*& cursor, char* end, bool at_end, std::size_t& line,
                              std::vector<CsvField>& fields, std::size_t& record_line) const {
  char* p = cursor;
  // Blank lines before the record; a CR waits for the next byte (is it CRLF?).
  while (p < end && (*p == '\n' || *p == '\r')) {
    if (*p == '\r') {
      if (p + 1 == end && !at_end) break;
      if (p + 1 < end && p[1] == '\n') ++p;
    }
    ++p;
    ++line;
  }
  cursor = p;
  if (p == end) return at_end ? Result::kEnd : Result::kNeedMore;
  if (*p == '\r') return Result::kNeedMore;

  std::size_t ln = line;
  fields.clear();
  const Needles unquoted_end(delimiter_, '\n', '\r', '\0', ends_unquoted_);
  const Needles quoted_stop('"', '\n', '\0', '"', stops_quoted_);
  while (true) {
    const std::size_t index = fields.size();
    if (index >= max_fields_) throw Failure{Kind::kTooManyFields, ln, 0, index};
    int after;  // the byte that ended the field, consumed below, or kEnd
    if (p < end && *p == '"') {
      const std::size_t quote_line = ln;
      char* start = ++p;
      std::size_t size = 0;  // of the field's text, doubled quotes counted once
      bool escaped = false;
      while (true) {
        char* q = find_first(p, end, quoted_stop);
        size += static_cast<std::size_t>(q - p);
        if (size > max_field_bytes_) throw Failure{Kind::kFieldTooLong, ln, quote_line, index};
        p = q;
        if (p == end) {
          if (!at_end) return Result::kNeedMore;
          throw Failure{Kind::kUnterminatedQuote, ln, quote_line, index};
        }
        if (*p == '\0') throw Failure{Kind::kBinary, ln, 0, index};
        if (*p == '\n') {
          ++ln;
          ++p;
          if (++size > max_field_bytes_) throw Failure{Kind::kFieldTooLong, ln, quote_line, index};
          continue;
        }
        // A quote: doubled, or the closing one.
        if (p + 1 == end && !at_end) return Result::kNeedMore;
        if (p + 1 < end && p[1] == '"') {
          escaped = true;
          p += 2;
          if (++size > max_field_bytes_) throw Failure{Kind::kFieldTooLong, ln, quote_line, index};
          continue;
        }
        fields.push_back({start, static_cast<std::size_t>(p - start), escaped});
        ++p;
        break;
      }
      if (p == end && !at_end) return Result::kNeedMore;
      after = p < end ? byte_at(p) : kEnd;
      if (after != delimiter_ && after != '\n' && after != '\r' && after != kEnd) {
        throw Failure{Kind::kTextAfterQuote, ln, 0, index};
      }
    } else {
      char* start = p;
      p = find_first(p, end, unquoted_end);
      const auto size = static_cast<std::size_t>(p - start);
      if (size > max_field_bytes_) throw Failure{Kind::kFieldTooLong, ln, 0, index};
      if (p == end && !at_end) return Result::kNeedMore;
      after = p < end ? byte_at(p) : kEnd;
      if (after == '\0') throw Failure{Kind::kBinary, ln, 0, index};
      fields.push_back({start, size, false});
    }
    if (!known_ascii_ && !valid_utf8({fields.back().data, fields.back().size})) {
      throw Failure{Kind::kBinary, ln, 0, index};
    }
    if (after == kEnd) break;
    ++p;
    if (after == delimiter_) continue;
    if (after == '\r') {
      if (p == end && !at_end) return Result::kNeedMore;
      if (p < end && *p == '\n') ++p;
    }
    ++ln;
    break;
  }
  record_line = line;
  line = ln;
  cursor = p;
  return Result::kRecord;
}

}  // namespace smartchurn::detail
