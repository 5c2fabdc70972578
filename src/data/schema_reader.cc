// RecordDecoder, SchemaReader and read_with_schema: read scoring data exactly as the training data
// was read, without inferring types again, a chunk of rows at a time; rows that cannot be read go
// to a rejects list instead of stopping the run.
#include <algorithm>
#include <limits>
#include <unordered_map>

#include "data/text_util.h"
#include "smartchurn/dataset.h"
#include "smartchurn/error.h"

namespace smartchurn {

namespace {

// Lets the level maps be searched with a string_view.
struct TextHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const noexcept {
    return std::hash<std::string_view>{}(text);
  }
};

// One schema column present in the file, with what is needed to decode its cells.
struct Decoder {
  std::size_t field = 0;  // index in the CSV record
  bool lenient = false;   // an unreadable value reads as missing (a column the caller ignores)
  std::unordered_map<std::string, int32_t, TextHash, std::equal_to<>> level_code;
};

void require_columns(const std::string& path, const Schema& schema,
                     const std::vector<std::string>& optional_columns,
                     const std::vector<std::string>& header) {
  std::vector<std::string> absent;  // required columns the file lacks: all named in one message
  for (const auto& cs : schema.columns) {
    bool optional = std::find(optional_columns.begin(), optional_columns.end(), cs.name) !=
                    optional_columns.end();
    if (!optional && std::find(header.begin(), header.end(), cs.name) == header.end()) {
      absent.push_back(cs.name);
    }
  }
  if (absent.size() == 1) {
    throw_bad_data("required column is missing from the file", {path, 1, absent[0]});
  }
  if (!absent.empty()) {
    std::string list;
    for (const auto& name : absent) list += (list.empty() ? "'" : ", '") + name + "'";
    throw_bad_data(
        std::to_string(absent.size()) + " required columns are missing from the file: " + list,
        {path, 1, ""});
  }
}

bool same_text_ignoring_case(std::string_view a, std::string_view b) {
  return detail::to_lower(detail::trim(a)) == detail::to_lower(detail::trim(b));
}

// A boolean cell as 1 / 0, or nullopt when it is neither label (numeric labels compare by value).
std::optional<double> decode_boolean(std::string_view cell, const ColumnSchema& schema) {
  if (detail::trim(cell) == schema.true_label || same_text_ignoring_case(cell, schema.true_label)) {
    return 1.0;
  }
  if (detail::trim(cell) == schema.false_label ||
      same_text_ignoring_case(cell, schema.false_label)) {
    return 0.0;
  }
  auto value = parse_number(cell);
  if (value) {
    if (parse_number(schema.true_label) == value) return 1.0;
    if (parse_number(schema.false_label) == value) return 0.0;
  }
  return std::nullopt;
}

}  // namespace

struct RecordDecoder::Impl {
  std::string source;
  std::size_t header_fields = 0;
  std::vector<std::string> na_tokens;
  std::vector<ColumnSchema> columns;  // schema columns present in the file, in schema order
  std::vector<std::size_t> field_indices;
  std::vector<Decoder> decoders;  // one per column
  // Per-record scratch, kept to avoid allocating per row.
  std::vector<double> row_values;
  std::vector<int32_t> row_codes;

  // Decodes a record into row_values / row_codes; false (and a reject) when it cannot.
  bool decode(std::span<const std::string_view> fields, std::size_t line,
              std::vector<RejectedRow>& rejects);
  void append_decoded(std::span<const std::string_view> fields, Dataset& out);
};

bool RecordDecoder::Impl::decode(std::span<const std::string_view> fields, std::size_t line,
                                 std::vector<RejectedRow>& rejects) {
  for (std::size_t k = 0; k < decoders.size(); ++k) {
    const Decoder& d = decoders[k];
    const ColumnSchema& cs = columns[k];
    const std::string_view cell = fields[d.field];
    row_codes[k] = kMissingCode;
    row_values[k] = kMissing;
    if (is_missing_token(cell, na_tokens)) continue;
    switch (cs.type) {
      case ColumnType::kNumeric: {
        auto value = parse_number(cell);
        if (!value && d.lenient) break;
        if (!value) {
          rejects.push_back({line, cs.name, "'" + std::string(cell) + "' is not a number"});
          return false;
        }
        row_values[k] = *value;
        break;
      }
      case ColumnType::kBoolean: {
        auto value = decode_boolean(cell, cs);
        if (!value && d.lenient) break;
        if (!value) {
          rejects.push_back({line, cs.name,
                             "'" + std::string(cell) + "' is neither '" + cs.true_label +
                                 "' nor '" + cs.false_label + "'"});
          return false;
        }
        row_values[k] = *value;
        break;
      }
      case ColumnType::kIdentifier:
        break;  // levels are collected when the row is kept
      default: {
        auto it = d.level_code.find(cell);
        row_codes[k] = it == d.level_code.end() ? kUnseenCode : it->second;
      }
    }
  }
  return true;
}

void RecordDecoder::Impl::append_decoded(std::span<const std::string_view> fields, Dataset& out) {
  for (std::size_t k = 0; k < decoders.size(); ++k) {
    Decoder& d = decoders[k];
    Column& column = out.columns[k];
    const std::string_view cell = fields[d.field];
    switch (column.type()) {
      case ColumnType::kNumeric:
      case ColumnType::kBoolean:
        column.values.push_back(row_values[k]);
        if (is_missing(row_values[k])) ++column.missing;
        break;
      case ColumnType::kIdentifier: {
        if (is_missing_token(cell, na_tokens)) {
          column.codes.push_back(kMissingCode);
          ++column.missing;
          break;
        }
        auto [it, inserted] = d.level_code.try_emplace(
            std::string(cell), static_cast<int32_t>(column.schema.levels.size()));
        if (inserted) column.schema.levels.emplace_back(cell);
        column.codes.push_back(it->second);
        break;
      }
      default:
        column.codes.push_back(row_codes[k]);
        if (row_codes[k] == kMissingCode) ++column.missing;
        if (row_codes[k] == kUnseenCode) ++column.unseen;
    }
  }
}

RecordDecoder::RecordDecoder(const std::string& source, const Schema& schema,
                             const std::vector<std::string>& optional_columns,
                             const std::vector<std::string>& header,
                             const std::vector<std::string>& lenient_columns) {
  require_columns(source, schema, optional_columns, header);
  impl_ = std::make_unique<Impl>();
  impl_->source = source;
  impl_->header_fields = header.size();
  impl_->na_tokens = schema.na_tokens;
  for (const auto& cs : schema.columns) {
    auto it = std::find(header.begin(), header.end(), cs.name);
    if (it == header.end()) continue;  // optional
    Decoder d;
    d.field = static_cast<std::size_t>(it - header.begin());
    d.lenient =
        std::find(lenient_columns.begin(), lenient_columns.end(), cs.name) != lenient_columns.end();
    ColumnSchema column = cs;
    if (cs.type == ColumnType::kIdentifier) column.levels.clear();  // new customers
    for (std::size_t i = 0; i < column.levels.size(); ++i) {
      d.level_code.emplace(column.levels[i], static_cast<int32_t>(i));
    }
    impl_->field_indices.push_back(d.field);
    impl_->columns.push_back(std::move(column));
    impl_->decoders.push_back(std::move(d));
  }
  impl_->row_values.resize(impl_->decoders.size());
  impl_->row_codes.resize(impl_->decoders.size());
}

RecordDecoder::RecordDecoder(RecordDecoder&&) noexcept = default;
RecordDecoder& RecordDecoder::operator=(RecordDecoder&&) noexcept = default;
RecordDecoder::~RecordDecoder() = default;

const std::vector<ColumnSchema>& RecordDecoder::columns() const { return impl_->columns; }
const std::vector<std::size_t>& RecordDecoder::field_indices() const {
  return impl_->field_indices;
}

void RecordDecoder::start(Dataset& out) {
  out = Dataset();
  out.source = impl_->source;
  for (const auto& cs : impl_->columns) out.columns.push_back(Column{cs, {}, {}, 0, 0});
  // Identifier levels belong to one chunk, so they do not grow with the file.
  for (std::size_t k = 0; k < impl_->decoders.size(); ++k) {
    if (impl_->columns[k].type == ColumnType::kIdentifier) impl_->decoders[k].level_code.clear();
  }
}

bool RecordDecoder::append(std::span<const std::string_view> fields, std::size_t line, Dataset& out,
                           std::vector<RejectedRow>& rejects) {
  if (fields.size() != impl_->header_fields) {
    rejects.push_back({line, "",
                       "the record has " + std::to_string(fields.size()) +
                           " fields, the header has " + std::to_string(impl_->header_fields)});
    return false;
  }
  if (!impl_->decode(fields, line, rejects)) return false;
  out.lines.push_back(line);
  impl_->append_decoded(fields, out);
  return true;
}

struct SchemaReader::Impl {
  CsvReader reader;
  RecordDecoder decoder;
  std::vector<std::string> fields;  // per-record scratch
  std::vector<std::string_view> views;
};

SchemaReader::SchemaReader(const std::string& path, const Schema& schema,
                           const std::vector<std::string>& optional_columns, const CsvOptions& csv,
                           const std::vector<std::string>& lenient_columns) {
  CsvReader reader = CsvReader::open(path, csv);
  RecordDecoder decoder(reader.name(), schema, optional_columns, reader.header(), lenient_columns);
  impl_ = std::make_unique<Impl>(Impl{std::move(reader), std::move(decoder), {}, {}});
}

std::string SchemaReader::content_sha256() { return impl_->reader.content_sha256(); }

SchemaReader::SchemaReader(SchemaReader&&) noexcept = default;
SchemaReader& SchemaReader::operator=(SchemaReader&&) noexcept = default;
SchemaReader::~SchemaReader() = default;

bool SchemaReader::next_chunk(Dataset& out, std::size_t max_rows,
                              std::vector<RejectedRow>& rejects) {
  Impl& in = *impl_;
  in.decoder.start(out);
  bool ragged = false;
  while (out.rows() < max_rows && in.reader.next_lenient(in.fields, ragged)) {
    in.views.assign(in.fields.begin(), in.fields.end());
    in.decoder.append(in.views, in.reader.record_line(), out, rejects);
  }
  return out.rows() > 0;
}

Dataset read_with_schema(const std::string& path, const Schema& schema,
                         const std::vector<std::string>& optional_columns,
                         std::vector<RejectedRow>& rejects, const CsvOptions& csv) {
  SchemaReader reader(path, schema, optional_columns, csv);
  Dataset data;
  reader.next_chunk(data, std::numeric_limits<std::size_t>::max(), rejects);
  data.sha256 = reader.content_sha256();
  return data;
}

}  // namespace smartchurn
