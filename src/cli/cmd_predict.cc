// smartchurn predict --model BUNDLE DATA.csv [-o OUT.csv]: scores customers with a saved model.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string_view>
#include <thread>

#include <fmt/format.h>

#include "cli/chunk_stream.h"
#include "cli/commands.h"
#include "cli/scoring_input.h"
#include "smartchurn/csv.h"
#include "smartchurn/scorer.h"
#include "smartchurn/error.h"

namespace smartchurn::cli {

namespace {


struct PredictArgs {
  DataOptions data;
  std::string model;
  std::string out;  // empty: stdout
  std::string rejects;
  std::vector<double> tiers;
  int threads = 0;  // 0: every core
  // Rows per chunk: large enough that scoring runs in big batches, small enough that memory stays
  // a few tens of megabytes whatever the file size.
  std::size_t chunk_rows = 65536;
};

// Formats scored rows as CSV into one buffer per chunk, written with a single call.
class ScoredWriter {
 public:
  ScoredWriter(std::ostream& out, const Bundle& bundle) : out_(out), bundle_(bundle) {}

  void write_chunk(const Dataset& chunk, const std::vector<double>& probabilities) {
    const Column* id = bundle_.id_column(chunk);
    if (!header_written_) {
      std::vector<std::string> header;
      if (id) header.push_back(id->name());
      header.insert(header.end(), {"churn_probability", "risk_tier"});
      CsvWriter(buffer_).write_row(header);
      header_written_ = true;
    }
    CsvWriter writer(buffer_);
    std::vector<std::string_view> row;
    std::string id_text;
    char probability[32];
    for (std::size_t r = 0; r < chunk.rows(); ++r) {
      row.clear();
      if (id) {
        id_text = id->text_at(r);
        row.push_back(id_text);
      }
      auto end = fmt::format_to_n(probability, sizeof probability, "{:.6f}", probabilities[r]).out;
      row.emplace_back(probability, static_cast<std::size_t>(end - probability));
      row.push_back(bundle_.tiers.tier(probabilities[r]));
      writer.write_row(row);
    }
    flush_buffer();
  }

  // A file without readable rows still gets its header.
  void finish(const Dataset& columns) {
    if (!header_written_) write_chunk(columns, {});
  }

 private:
  void flush_buffer() {
    std::string_view text = buffer_.view();
    out_.write(text.data(), static_cast<std::streamsize>(text.size()));
    buffer_.str("");
  }

  std::ostream& out_;
  const Bundle& bundle_;
  std::ostringstream buffer_;
  bool header_written_ = false;
};

int resolve_threads(int requested) {
  if (requested < 0) throw_usage("--threads must be 0 (every core) or more");
  if (requested > 0) return requested;
  return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

// Reads, scores and writes chunk by chunk; returns the rows scored.
std::size_t score_file(const Bundle& bundle, ChunkStream& chunks, int scoring_threads,
                       std::ostream& out, UnseenCounts& unseen) {
  const Scorer scorer(bundle);  // the fast engine: flat trees, compiled preparation
  ScoredWriter writer(out, bundle);
  std::size_t rows = 0;
  Dataset chunk;
  while (chunks.next(chunk)) {
    unseen.add(chunk);
    writer.write_chunk(chunk, scorer.score(chunk, scoring_threads));
    rows += chunk.rows();
  }
  writer.finish(chunk);  // the last next() left the file's columns without rows
  return rows;
}

int run(const PredictArgs& args) {
  Bundle bundle = load_bundle(args.model);
  if (!args.tiers.empty()) {
    if (args.tiers.size() != 2 || !(0 < args.tiers[0] && args.tiers[0] < args.tiers[1] &&
                                    args.tiers[1] < 1)) {
      throw_usage("--tiers takes two cut points 0 < medium < high < 1, e.g. 0.3,0.6");
    }
    bundle.tiers = {args.tiers[0], args.tiers[1]};
  }
  const int threads = resolve_threads(args.threads);
  // With two threads or more, the next chunk is read while this one is scored and written. Scoring
  // (tree traversal) costs several times the parsing, so it gets every thread: the reader mostly
  // waits for room in its queue.
  const bool read_ahead = threads > 1;
  if (args.chunk_rows == 0) throw_usage("--chunk-rows must be at least 1");
  ChunkStream chunks(open_scoring_input(bundle, args.data), args.chunk_rows, read_ahead);

  std::vector<char> file_buffer(std::size_t{1} << 20);  // outlives `file`, which writes through it
  std::ofstream file;
  if (!args.out.empty()) {
    file.rdbuf()->pubsetbuf(file_buffer.data(), static_cast<std::streamsize>(file_buffer.size()));
    file.open(args.out, std::ios::binary);
    if (!file) throw_io("cannot write " + args.out);
  }
  std::ostream& out = args.out.empty() ? std::cout : file;
  UnseenCounts unseen;
  std::size_t rows = 0;
  try {
    rows = score_file(bundle, chunks, threads, out, unseen);
    out.flush();
    if (!out) throw_io("cannot write " + (args.out.empty() ? std::string("stdout") : args.out));
  } catch (...) {
    // A half-written scored file must not pass for a complete one.
    if (!args.out.empty()) {
      file.close();
      std::error_code ignored;
      if (std::filesystem::is_regular_file(args.out, ignored)) {
        std::filesystem::remove(args.out, ignored);
      }
    }
    throw;
  }
  unseen.warn();
  std::string rejects_path = !args.rejects.empty() ? args.rejects
                             : !args.out.empty()   ? args.out + ".rejects.csv"
                                                   : "smartchurn-rejects.csv";
  return report_rejects(chunks.rejects(), rows, rejects_path);
}

std::pair<CLI::App*, CommandRunner> add(CLI::App& app) {
  auto args = std::make_shared<PredictArgs>();
  auto* cmd = app.add_subcommand("predict", "Score customers with a saved model");
  args->data.add_to(*cmd, false);
  cmd->add_option("--model,-m", args->model, "Model bundle written by train")->required();
  cmd->add_option("--out,-o", args->out, "Scored CSV (default: standard output)");
  cmd->add_option("--rejects", args->rejects,
                  "Where rows that cannot be read are listed (default: OUT.rejects.csv)");
  cmd->add_option("--tiers", args->tiers, "Risk tier cut points medium,high (default: the model's)")
      ->delimiter(',')
      ->allow_extra_args(false);
  cmd->add_option("--threads", args->threads,
                  "Threads that score; with 2 or more, reading overlaps scoring (0: every core)")
      ->capture_default_str();
  cmd->add_option("--chunk-rows", args->chunk_rows, "Rows read and scored at a time")
      ->capture_default_str();
  return {cmd, [args] { return run(*args); }};
}

const CommandRegistration registration(50, add);

}  // namespace

}  // namespace smartchurn::cli
