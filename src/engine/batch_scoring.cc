// Scorer::score_csv: the calling thread reads the header (CsvReader's checks and errors), then
// cuts the rest into blocks of whole records (CsvBlockSplitter) that worker threads score
// (BlockScorer), and writes the scored blocks in file order. A fixed pool of blocks bounds the
// memory: reading waits for a block to be written and freed.
#include <algorithm>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <thread>

#include "data/csv_blocks.h"
#include "data/csv_parser.h"
#include "data/input_file.h"
#include "data/text_util.h"
#include "engine/block_scorer.h"
#include "engine/scorer_impl.h"
#include "smartchurn/csv.h"
#include "smartchurn/error.h"
#include "util/parallel.h"

namespace smartchurn {

namespace {

using engine::Block;
using engine::BlockScorer;

// Blocks per worker thread: one being scored, one read ahead, one waiting to be written.
constexpr std::size_t kBlocksPerWorker = 3;

// Takes the scored blocks in file order: file line numbers, rejects, unseen counts, output.
class OrderedWriter {
 public:
  OrderedWriter(std::ostream& out, std::size_t first_line, const engine::BlockContext& context,
                const BatchOptions& options)
      : out_(out),
        line_(first_line),
        layout_(context.layout),
        header_(context.header),
        options_(options),
        unseen_(layout_.columns.size(), 0),
        parser_(context.name, context.delimiter, context.max_field_bytes, &context.header) {}

  void write(Block& block) {
    const std::size_t shift = line_ - 1;  // block line 1 is file line line_
    if (block.failure) parser_.raise(*block.failure, shift);
    if (block.error) rethrow_shifted(block.error, shift);
    for (RejectedRow& reject : block.rejects) {
      reject.line += shift;
      if (options_.on_reject) {
        options_.on_reject(reject);
      } else {
        summary_.rejects.push_back(std::move(reject));
      }
    }
    summary_.rejected += block.rejects.size();
    for (std::size_t k = 0; k < unseen_.size(); ++k) unseen_[k] += block.unseen[k];
    out_.write(block.output.data(), static_cast<std::streamsize>(block.output.size()));
    if (!out_) throw_io("cannot write the scored rows");
    if (options_.on_rows && block.rows > 0) {
      for (std::size_t& line : block.lines) line += shift;
      options_.on_rows(ScoredRows{&header_, block.fields, block.probabilities, block.lines});
    }
    summary_.rows += block.rows;
    line_ += block.line_ends;
  }

  BatchSummary finish() {
    for (std::size_t k = 0; k < unseen_.size(); ++k) {
      if (unseen_[k] > 0) summary_.unseen.emplace_back(layout_.columns[k].plan.name, unseen_[k]);
    }
    return std::move(summary_);
  }

 private:
  // A block's error with its line counted from the start of the file.
  [[noreturn]] static void rethrow_shifted(const std::exception_ptr& error, std::size_t shift) {
    try {
      std::rethrow_exception(error);
    } catch (const Error& e) {
      Location where = e.where();
      if (where.line > 0) where.line += shift;
      throw Error(e.code(), e.message(), where);
    }
  }

  std::ostream& out_;
  std::size_t line_;
  const engine::RecordLayout& layout_;
  const std::vector<std::string>& header_;
  const BatchOptions& options_;
  std::vector<std::size_t> unseen_;
  BatchSummary summary_;
  detail::CsvRecordParser parser_;  // words the CSV problems
};

// The worker threads and the blocks passed between them and the calling thread.
class BlockPipeline {
 public:
  BlockPipeline(const engine::BlockContext& context, std::size_t workers)
      : pool_(workers * kBlocksPerWorker) {
    for (auto& block : pool_) free_.push_back(&block);
    for (std::size_t w = 0; w < workers; ++w) {
      threads_.emplace_back([this, &context] { work(context); });
    }
  }
  ~BlockPipeline() {
    {
      std::lock_guard lock(mutex_);
      closed_ = true;
    }
    work_ready_.notify_all();
    for (auto& t : threads_) t.join();
  }
  BlockPipeline(const BlockPipeline&) = delete;
  BlockPipeline& operator=(const BlockPipeline&) = delete;

  // Reads blocks while some are free and writes them in order as they are scored.
  void run(detail::CsvBlockSplitter& splitter, OrderedWriter& writer) {
    std::size_t read = 0, written = 0;
    bool input_done = false;
    while (true) {
      Block* block = nullptr;
      {
        std::unique_lock lock(mutex_);
        if (!input_done && !free_.empty()) {
          block = free_.back();
          free_.pop_back();
        } else if (input_done && written == read) {
          return;
        } else {
          block_scored_.wait(lock, [&] { return scored_.count(written) > 0; });
        }
      }
      if (block) {
        if (!splitter.next(block->bytes, block->cut_short)) {
          input_done = true;
          std::lock_guard lock(mutex_);
          free_.push_back(block);
          continue;
        }
        block->sequence = read++;
        {
          std::lock_guard lock(mutex_);
          to_score_.push_back(block);
        }
        work_ready_.notify_one();
        continue;
      }
      Block* next = nullptr;
      {
        std::lock_guard lock(mutex_);
        auto it = scored_.find(written);
        next = it->second;
        scored_.erase(it);
      }
      writer.write(*next);
      ++written;
      std::lock_guard lock(mutex_);
      free_.push_back(next);
    }
  }

 private:
  void work(const engine::BlockContext& context) {
    BlockScorer scorer(context);
    while (true) {
      Block* block = nullptr;
      {
        std::unique_lock lock(mutex_);
        work_ready_.wait(lock, [&] { return closed_ || !to_score_.empty(); });
        if (closed_) return;
        block = to_score_.front();
        to_score_.pop_front();
      }
      scorer.score(*block);
      {
        std::lock_guard lock(mutex_);
        scored_[block->sequence] = block;
      }
      block_scored_.notify_one();
    }
  }

  std::vector<Block> pool_;
  std::mutex mutex_;
  std::condition_variable work_ready_, block_scored_;
  std::vector<Block*> free_;
  std::deque<Block*> to_score_;
  std::map<std::size_t, Block*> scored_;  // by sequence, waiting to be written
  bool closed_ = false;
  std::vector<std::thread> threads_;  // last: started once the rest is constructed
};

}  // namespace

BatchSummary Scorer::score_csv(std::istream& in, const std::string& name, std::ostream& out,
                               const BatchOptions& options) const {
  if (options.probability_decimals < 0 || options.probability_decimals > 17) {
    throw_usage("the precision of probabilities is 0 to 17 decimals, not " +
                std::to_string(options.probability_decimals));
  }
  CsvReader reader(in, name, options.csv);
  Schema schema = impl_->schema;
  schema.na_tokens.insert(schema.na_tokens.end(), options.na_tokens.begin(),
                          options.na_tokens.end());
  const RecordDecoder decoder(name, schema, impl_->optional_columns, reader.header());
  const engine::CellReader cells(schema.na_tokens);
  const engine::RecordLayout layout(decoder.columns(), decoder.field_indices(),
                                    reader.header().size(), impl_->model.pipeline().input_columns(),
                                    impl_->id_columns, cells);
  const std::vector<std::string> header = reader.header();
  const engine::BlockContext context{
      impl_->model,
      layout,
      cells,
      impl_->tiers,
      name,
      header,
      reader.delimiter(),
      options.csv.max_field_bytes,
      std::max(engine::kMaxRecordBytes, 4 * options.csv.max_field_bytes),
      static_cast<bool>(options.on_rows),
      options.output_cells,
      options.probability_decimals};
  std::string first;
  const std::size_t first_line = reader.take_unparsed(first);
  detail::CsvBlockSplitter splitter(in, name, reader.delimiter(), std::move(first),
                                    options.block_bytes, context.max_record_bytes);

  std::string head;
  if (layout.id_field != engine::RecordLayout::kNoId) {
    append_csv_field(head, layout.id_name, ',', options.output_cells);
    head.push_back(',');
  }
  head += "churn_probability,risk_tier\n";
  out.write(head.data(), static_cast<std::streamsize>(head.size()));

  OrderedWriter writer(out, first_line, context, options);
  const auto workers = static_cast<std::size_t>(resolve_threads(options.threads));
  if (workers == 1) {
    BlockScorer scorer(context);
    Block block;
    while (splitter.next(block.bytes, block.cut_short)) {
      scorer.score(block);
      writer.write(block);
    }
  } else {
    BlockPipeline pipeline(context, workers);
    pipeline.run(splitter, writer);
  }
  return writer.finish();
}

BatchSummary Scorer::score_csv_file(const std::string& path, std::ostream& out,
                                    const BatchOptions& options) const {
  detail::InputFile input = detail::open_input(path);
  return score_csv(*input.stream, input.name, out, options);
}

}  // namespace smartchurn
