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

void append_quoted(std::string& out, std::string_view prefix, std::string_view field) {
  out.push_back('"');
  out.append(prefix);
  for (char c : field) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

}  // namespace

bool csv_formula_like(std::string_view field) {
  if (field.empty()) return false;
  const char first = field.front();
  return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' ||
         first == '\r';
}

void append_csv_field(std::string& out, std::string_view field, char delimiter, CsvCells cells) {
  // The quote goes inside the field, so a reader that unquotes it still sees text.
  const std::string_view prefix =
      cells == CsvCells::kSpreadsheetSafe && csv_formula_like(field) ? "'" : "";
  if (!needs_quotes(field, delimiter)) {
    out.append(prefix);
    out.append(field);
    return;
  }
  append_quoted(out, prefix, field);
}

CsvWriter::CsvWriter(std::ostream& out, char delimiter, CsvCells cells)
    : out_(out), delimiter_(delimiter), cells_(cells) {}

void CsvWriter::set_numeric_columns(std::vector<bool> numeric) { numeric_ = std::move(numeric); }

void CsvWriter::write_row(const std::vector<std::string>& fields) {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out_.put(delimiter_);
    write_field(fields[i], i);
  }
  out_.put('\n');
}

void CsvWriter::write_row(const std::vector<std::string_view>& fields) {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out_.put(delimiter_);
    write_field(fields[i], i);
  }
  out_.put('\n');
}

void CsvWriter::write_field(std::string_view field, std::size_t column) {
  const bool numeric = column < numeric_.size() && numeric_[column];
  const CsvCells cells = numeric ? CsvCells::kRaw : cells_;
  if (!needs_quotes(field, delimiter_) && (cells == CsvCells::kRaw || !csv_formula_like(field))) {
    out_.write(field.data(), static_cast<std::streamsize>(field.size()));
    return;
  }
  scratch_.clear();
  append_csv_field(scratch_, field, delimiter_, cells);
  out_.write(scratch_.data(), static_cast<std::streamsize>(scratch_.size()));
}

}  // namespace smartchurn
