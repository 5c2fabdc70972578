// The RFC 4180 record parser behind CsvReader and the batch scorer's block reader. It parses from
// bytes in memory: the streaming reader feeds it a refilled buffer, the batch scorer gives each
// thread a block of whole records. Not part of the public API.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace smartchurn::detail {

// One field as it lies in the input: a quoted field without its quotes, its doubled quotes not
// yet undone (`escaped`).
struct CsvField {
  char* data;
  std::size_t size;
  bool escaped;
};

// Undoes an escaped field's doubled quotes in place and returns its text.
std::string_view unescape_field(CsvField& field);
// The field's text, undoing its doubled quotes in place (the bytes are not parsed again).
// Inline: it is asked for every field of every record.
inline std::string_view field_text(CsvField& field) {
  if (!field.escaped) return {field.data, field.size};
  return unescape_field(field);
}

// True when `text` is valid UTF-8 (ASCII takes a word-at-a-time fast path).
bool valid_utf8(std::string_view text);
// True when every byte of `text` is below 0x80, which makes every field of it valid UTF-8.
bool all_ascii(std::string_view text);

class CsvRecordParser {
 public:
  enum class Result {
    kRecord,    // a record was parsed
    kEnd,       // no record before the end of the input
    kNeedMore,  // the record goes on past the bytes given
  };

  // What parse() throws for malformed input, with lines counted from where the caller started
  // counting (a block scored on its own thread does not know its first line yet).
  struct Failure {
    enum class Kind { kBinary, kFieldTooLong, kUnterminatedQuote, kTextAfterQuote, kTooManyFields };
    Kind kind;
    std::size_t line;        // where the problem was met
    std::size_t quote_line;  // where the quoted field it is in opened; 0 when not quoted
    std::size_t field;       // index in the record
  };

  // `name` names the input in errors; `header` (may be null, or empty while the header itself is
  // read) names columns; both must outlive the parser.
  CsvRecordParser(const std::string& name, char delimiter, std::size_t max_field_bytes,
                  const std::vector<std::string>* header);

  // Parses the record at `cursor` in [cursor, end), skipping blank lines before it. `line` is the
  // physical line at `cursor`; `at_end` says that no bytes follow `end`.
  // kRecord: `fields` holds the record, `record_line` the line it starts on; `cursor` and `line`
  // are past it. kEnd / kNeedMore: `cursor` and `line` are past the blank lines only, so a caller
  // who gets kNeedMore adds bytes after `end` and calls again.
  // Throws Failure for an unterminated quote, text after a closing quote, a field longer than the
  // limit, a NUL byte or invalid UTF-8.
  Result parse(char*& cursor, char* end, bool at_end, std::size_t& line,
               std::vector<CsvField>& fields, std::size_t& record_line) const;

  // Throws the Error(kBadData) a user sees for `failure`, naming the input, the line (its lines
  // moved by `line_shift`) and the column.
  [[noreturn]] void raise(const Failure& failure, std::size_t line_shift = 0) const;

  char delimiter() const { return delimiter_; }
  // Skips the per-field UTF-8 check, for bytes the caller found all ASCII (all_ascii).
  void set_known_ascii(bool known) { known_ascii_ = known; }
  // A record with more fields is a Failure (kTooManyFields), before its fields take memory.
  void set_max_fields(std::size_t max_fields) { max_fields_ = max_fields; }

 private:
  std::string column_name(std::size_t index) const;

  const std::string* name_;
  char delimiter_;
  std::size_t max_field_bytes_;
  const std::vector<std::string>* header_;
  bool known_ascii_ = false;
  std::size_t max_fields_ = static_cast<std::size_t>(-1);
  std::array<bool, 256> ends_unquoted_{};  // bytes that end an unquoted field
  std::array<bool, 256> stops_quoted_{};   // bytes a quoted field must look at
};

}  // namespace smartchurn::detail
