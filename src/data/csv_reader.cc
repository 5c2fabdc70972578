// CsvReader: the record parser (csv_parser.h) over a large refilled buffer, so no per-character
// stream calls are made, with precise errors (physical line and column of every problem).
#include <algorithm>
#include <cstring>

#include "data/csv_parser.h"
#include "data/input_file.h"
#include "data/text_util.h"
#include "smartchurn/csv.h"
#include "smartchurn/error.h"
#include "util/sha256.h"

namespace smartchurn {

namespace {

constexpr std::size_t kBufferBytes = 1 << 20;

}  // namespace

struct CsvReader::Impl {
  using Parser = detail::CsvRecordParser;

  detail::InputFile owned;  // set when the reader opened the file itself
  Sha256 digest;            // of every byte read, for the data's fingerprint
  std::istream* in = nullptr;
  std::string name;
  CsvOptions options;
  std::vector<char> buffer = std::vector<char>(kBufferBytes);
  std::size_t pos = 0;
  std::size_t end = 0;
  bool input_done = false;
  std::size_t line = 1;  // physical line of the read position
  std::size_t record_line = 0;
  std::size_t records = 0;
  std::vector<std::string> header;
  std::unique_ptr<Parser> parser;  // made once the delimiter is known
  std::vector<detail::CsvField> fields;

  // Keeps the unparsed bytes, moved to the front, and reads after them (growing the buffer when
  // a record fills it); false when the input has no more bytes.
  bool refill() {
    if (input_done) return false;
    if (pos > 0) {
      std::memmove(buffer.data(), buffer.data() + pos, end - pos);
      end -= pos;
      pos = 0;
    }
    if (end == buffer.size()) buffer.resize(buffer.size() * 2);
    in->read(buffer.data() + end, static_cast<std::streamsize>(buffer.size() - end));
    const auto got = static_cast<std::size_t>(in->gcount());
    if (in->bad()) throw_io("cannot read the file", detail::location(name));
    digest.update({buffer.data() + end, got});
    end += got;
    if (got == 0) input_done = true;
    return got > 0;
  }

  void init() {
    if (!refill()) throw_bad_data("empty file", detail::location(name));
    if (end >= 3 && std::memcmp(buffer.data(), "\xEF\xBB\xBF", 3) == 0) pos = 3;
    // Checked before parsing so random bytes are not reported as a quote or field-size problem.
    const char* first = buffer.data() + pos;
    const char* nul = static_cast<const char*>(std::memchr(first, '\0', end - pos));
    if (nul != nullptr) {
      auto nul_line = 1 + static_cast<std::size_t>(std::count(first, nul, '\n'));
      throw_bad_data("looks like a binary file, not CSV (it contains NUL bytes)",
                     detail::location(name, nul_line));
    }
    if (options.delimiter == '\0') options.delimiter = detect_delimiter();
    parser = std::make_unique<Parser>(name, options.delimiter, options.max_field_bytes, &header);
    // Checked while parsing, so a wide header or record is refused before its fields take memory.
    if (options.max_columns > 0) parser->set_max_fields(options.max_columns);
    std::vector<std::string> names;
    bool ragged = false;
    if (!read_record(names, ragged)) throw_bad_data("empty file", detail::location(name));
    for (std::size_t i = 0; i < names.size(); ++i) {
      if (names[i].find_first_not_of(" \t") == std::string::npos) {
        throw_bad_data("header column " + std::to_string(i + 1) + " has no name",
                       detail::location(name, 1));
      }
    }
    std::vector<std::string> sorted = names;
    std::sort(sorted.begin(), sorted.end());
    auto dup = std::adjacent_find(sorted.begin(), sorted.end());
    if (dup != sorted.end()) {
      throw_bad_data("duplicate column name '" + *dup + "' in the header",
                     detail::location(name, 1));
    }
    header = std::move(names);
    records = 0;
  }

  // Counts candidate delimiters outside quotes on the first line in the buffer.
  char detect_delimiter() const {
    std::size_t commas = 0, semicolons = 0, tabs = 0;
    bool quoted = false;
    for (std::size_t i = pos; i < end; ++i) {
      char c = buffer[i];
      if (c == '"') quoted = !quoted;
      if (quoted) continue;
      if (c == '\n' || c == '\r') break;
      commas += c == ',';
      semicolons += c == ';';
      tabs += c == '\t';
    }
    if (semicolons > commas && semicolons >= tabs) return ';';
    if (tabs > commas && tabs > semicolons) return '\t';
    return ',';
  }

  // Reads one record; false at the end of input. Sets `ragged` instead of throwing.
  bool read_record(std::vector<std::string>& out, bool& ragged) {
    while (true) {
      char* cursor = buffer.data() + pos;
      Parser::Result result;
      try {
        result = parser->parse(cursor, buffer.data() + end, input_done, line, fields, record_line);
      } catch (const Parser::Failure& failure) {
        parser->raise(failure);
      }
      pos = static_cast<std::size_t>(cursor - buffer.data());
      if (result == Parser::Result::kRecord) break;
      if (result == Parser::Result::kEnd) return false;
      refill();  // kNeedMore: parse again with more bytes, or knowing the input has ended
    }
    out.resize(fields.size());
    for (std::size_t i = 0; i < fields.size(); ++i) out[i].assign(detail::field_text(fields[i]));
    ragged = !header.empty() && fields.size() != header.size();
    ++records;
    return true;
  }

  std::string ragged_message(std::size_t count) const {
    // The location already names the line.
    return "the record has " + std::to_string(count) + " fields, the header has " +
           std::to_string(header.size());
  }
};

CsvReader CsvReader::open(const std::string& path, CsvOptions options) {
  detail::InputFile file = detail::open_input(path);
  CsvReader reader(*file.stream, file.name, options);
  reader.impl_->owned = std::move(file);
  return reader;
}

CsvReader::CsvReader(std::istream& in, std::string name, CsvOptions options)
    : impl_(std::make_unique<Impl>()) {
  impl_->in = &in;
  impl_->name = std::move(name);
  impl_->options = options;
  impl_->init();
}

CsvReader::CsvReader(CsvReader&&) noexcept = default;
CsvReader& CsvReader::operator=(CsvReader&&) noexcept = default;
CsvReader::~CsvReader() = default;

const std::vector<std::string>& CsvReader::header() const { return impl_->header; }
char CsvReader::delimiter() const { return impl_->options.delimiter; }
const std::string& CsvReader::name() const { return impl_->name; }

std::string CsvReader::content_sha256() {
  Impl& in = *impl_;
  while (!in.input_done) {  // the rest, unparsed: the fingerprint is of the whole input
    in.pos = in.end;
    in.refill();
  }
  return in.digest.hex();
}

bool CsvReader::next(std::vector<std::string>& fields) {
  bool ragged = false;
  if (!impl_->read_record(fields, ragged)) return false;
  if (ragged) {
    throw_bad_data(impl_->ragged_message(fields.size()),
                   detail::location(impl_->name, impl_->record_line));
  }
  return true;
}

bool CsvReader::next_lenient(std::vector<std::string>& fields, bool& ragged) {
  return impl_->read_record(fields, ragged);
}

std::size_t CsvReader::record_line() const { return impl_->record_line; }
std::size_t CsvReader::records_read() const { return impl_->records; }

std::size_t CsvReader::take_unparsed(std::string& bytes) {
  Impl& r = *impl_;
  bytes.assign(r.buffer.data() + r.pos, r.end - r.pos);
  r.pos = r.end;
  r.input_done = true;  // next() now ends: the caller reads the rest
  return r.line;
}

}  // namespace smartchurn
