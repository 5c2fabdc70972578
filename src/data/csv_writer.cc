#include "smartchurn/csv.h"

namespace smartchurn {

CsvWriter::CsvWriter(std::ostream& out, char delimiter) : out_(out), delimiter_(delimiter) {}

void CsvWriter::write_row(const std::vector<std::string>& fields) {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out_.put(delimiter_);
    write_field(fields[i]);
  }
  out_.put('\n');
}

void CsvWriter::write_row(const std::vector<std::string_view>& fields) {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out_.put(delimiter_);
    write_field(fields[i]);
  }
  out_.put('\n');
}

void CsvWriter::write_field(std::string_view field) {
  // Quote only when a reader would otherwise split or misread the field.
  bool needs_quotes = field.find_first_of(std::string{delimiter_, '"', '\n', '\r'}) !=
                      std::string_view::npos;
  if (!needs_quotes) {
    out_.write(field.data(), static_cast<std::streamsize>(field.size()));
    return;
  }
  out_.put('"');
  for (char c : field) {
    if (c == '"') out_.put('"');
    out_.put(c);
  }
  out_.put('"');
}

}  // namespace smartchurn
