#include "engine/block_scorer.h"

#include <algorithm>

#include "engine/probability_text.h"
#include "smartchurn/csv.h"
#include "smartchurn/error.h"

namespace smartchurn::engine {

namespace {

// Rows prepared, then scored together: enough for the trees' block walk, few enough that their
// features stay in the core's cache.
constexpr std::size_t kBatchRows = 256;

}  // namespace

RecordLayout::RecordLayout(const std::vector<ColumnSchema>& columns_present,
                           const std::vector<std::size_t>& fields, std::size_t header_fields,
                           const std::vector<std::string>& input_columns,
                           const std::vector<std::string>& id_columns, const CellReader& cells)
    : field_count(header_fields) {
  for (std::size_t k = 0; k < columns_present.size(); ++k) {
    // Only the preparation's inputs are decoded: the target, ids and dropped columns are not
    // read, so their values can neither reject a row nor cost time.
    auto input = std::find(input_columns.begin(), input_columns.end(), columns_present[k].name);
    if (input == input_columns.end()) continue;
    Column column;
    column.field = fields[k];
    column.plan = column_plan(columns_present[k], cells);
    column.input = static_cast<int32_t>(input - input_columns.begin());
    columns.push_back(std::move(column));
  }
  for (std::size_t k = 0; k < columns.size(); ++k) decode_order.push_back(k);
  std::stable_sort(decode_order.begin(), decode_order.end(), [&](std::size_t a, std::size_t b) {
    return columns[a].plan.type < columns[b].plan.type;
  });
  for (const auto& name : id_columns) {
    auto it = std::find_if(columns_present.begin(), columns_present.end(),
                           [&](const ColumnSchema& c) { return c.name == name; });
    if (it == columns_present.end()) continue;
    id_field = fields[static_cast<std::size_t>(it - columns_present.begin())];
    id_name = name;
    break;
  }
}

void Block::clear_results(std::size_t layout_columns) {
  output.clear();
  rejects.clear();
  unseen.assign(layout_columns, 0);
  rows = 0;
  line_ends = 0;
  failure.reset();
  error = nullptr;
  fields.clear();
  probabilities.clear();
  lines.clear();
}

BlockScorer::BlockScorer(const BlockContext& context)
    : context_(context),
      parser_(context.name, context.delimiter, context.max_field_bytes, &context.header) {
  const std::size_t features = context.model.pipeline().feature_count();
  cells_.resize(context.model.pipeline().input_columns().size());
  features_.resize(kBatchRows * std::max<std::size_t>(features, 1));
  ids_.resize(kBatchRows);
  margins_.resize(kBatchRows);
  probabilities_.resize(kBatchRows);
}

void BlockScorer::score(Block& block) {
  block.clear_results(context_.layout.columns.size());
  pending_ = 0;
  try {
    read_records(block);
  } catch (const detail::CsvRecordParser::Failure& failure) {
    block.failure = failure;
  } catch (...) {
    block.error = std::current_exception();
  }
}

void BlockScorer::read_records(Block& block) {
  char* cursor = block.bytes.data();
  char* const end = cursor + block.bytes.size();
  std::size_t line = 1, record_line = 0;
  // Fields need their UTF-8 checked only when the block has bytes beyond ASCII.
  parser_.set_known_ascii(detail::all_ascii({block.bytes.data(), block.bytes.size()}));
  while (true) {
    const auto result = parser_.parse(cursor, end, !block.cut_short, line, record_, record_line);
    if (result == detail::CsvRecordParser::Result::kEnd) break;
    if (result == detail::CsvRecordParser::Result::kNeedMore) {
      throw_bad_data("a record runs on for more than " + std::to_string(context_.max_record_bytes) +
                         " bytes (binary data or an unclosed quote?)",
                     {context_.name, line, ""});
    }
    if (record_.size() != context_.layout.field_count) {
      block.rejects.push_back({record_line, "",
                               "the record has " + std::to_string(record_.size()) +
                                   " fields, the header has " +
                                   std::to_string(context_.layout.field_count)});
      continue;
    }
    if (read_row(record_line, block) && pending_ == kBatchRows) flush(block);
  }
  flush(block);
  block.line_ends = line - 1;
}

bool BlockScorer::read_row(std::size_t line, Block& block) {
  const RecordLayout& layout = context_.layout;
  row_unseen_.clear();
  for (const std::size_t k : layout.decode_order) {
    const RecordLayout::Column& column = layout.columns[k];
    const std::string_view text = detail::field_text(record_[column.field]);
    ParsedCell& cell = cells_[static_cast<std::size_t>(column.input)];
    if (!context_.cells.read(column.plan, text, cell)) {
      reject_row(line, block);
      return false;
    }
    if (cell.code == kUnseenCode) row_unseen_.push_back(k);
  }
  for (std::size_t k : row_unseen_) ++block.unseen[k];

  const std::size_t features = context_.model.pipeline().feature_count();
  context_.model.pipeline().transform_cells(cells_.data(), features_.data() + pending_ * features,
                                            pipeline_scratch_);
  std::string_view id;
  if (layout.id_field != RecordLayout::kNoId) {
    id = detail::field_text(record_[layout.id_field]);
    if (context_.cells.is_missing(id)) id = {};
  }
  ids_[pending_] = id;
  if (context_.keep_rows) {
    for (auto& field : record_) block.fields.push_back(detail::field_text(field));
    block.lines.push_back(line);
  }
  ++pending_;
  return true;
}

void BlockScorer::reject_row(std::size_t line, Block& block) {
  for (const RecordLayout::Column& column : context_.layout.columns) {
    const std::string_view text = detail::field_text(record_[column.field]);
    ParsedCell cell;
    if (!context_.cells.read(column.plan, text, cell)) {
      block.rejects.push_back({line, column.plan.name, CellReader::refusal(column.plan, text)});
      return;
    }
  }
}

void BlockScorer::flush(Block& block) {
  if (pending_ == 0) return;
  const std::size_t features = context_.model.pipeline().feature_count();
  context_.model.probabilities(features_.data(), pending_, features, margins_.data(),
                               probabilities_.data());
  const bool with_id = context_.layout.id_field != RecordLayout::kNoId;
  std::string& out = block.output;
  char text[kProbabilityTextBytes];
  for (std::size_t r = 0; r < pending_; ++r) {
    if (with_id) {
      append_csv_field(out, ids_[r], ',', context_.output_cells);
      out.push_back(',');
    }
    const double p = probabilities_[r];
    out.append(text, format_probability(p, text, context_.probability_decimals));
    out.push_back(',');
    out.append(context_.tiers.tier(p));
    out.push_back('\n');
  }
  if (context_.keep_rows) {
    block.probabilities.insert(block.probabilities.end(), probabilities_.begin(),
                               probabilities_.begin() + static_cast<std::ptrdiff_t>(pending_));
  }
  block.rows += pending_;
  pending_ = 0;
}

}  // namespace smartchurn::engine
