#include "smartchurn/csv.h"

namespace smartchurn {

namespace {

// Quote only when a reader would otherwise split or misread the field.
bool needs_quotes(std::string_view field, char delimiter) {
  for (char c : field) {
    if (c == delimiter || c == '"' || c == '\n' || c == '\r') return true;
  }
  return false;
}

}  // namespace

void append_csv_field(std::string& out, std::string_view field, char delimiter) {
  if (!needs_quotes(field, delimiter)) {
    out.append(field);
    return;
  }
  out.push_back('"');
  for (char c : field) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

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
  if (!needs_quotes(field, delimiter_)) {
    out_.write(field.data(), static_cast<std::streamsize>(field.size()));
    return;
  }
  std::string quoted;
  append_csv_field(quoted, field, delimiter_);
  out_.write(quoted.data(), static_cast<std::streamsize>(quoted.size()));
}

}  // namespace smartchurn
