#include "server/churn_service.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <sstream>

#include "server/explanations.h"
#include "server/records.h"
#include "smartchurn/csv.h"
#include "smartchurn/demo.h"
#include "smartchurn/error.h"
#include "smartchurn/profile.h"

namespace smartchurn::server {

namespace fs = std::filesystem;

namespace {

constexpr uint64_t kDemoSeed = 42;

}  // namespace

ChurnService::ChurnService(Store& store, ServiceOptions options)
    : store_(store),
      options_(std::move(options)),
      playbook_(options_.playbook_path.empty() ? Playbook::telecom_default()
                                               : Playbook::load(options_.playbook_path)),
      registry_(store, (fs::path(options_.data_dir) / "models").string()),
      logger_(store, options_.prediction_retention),
      customers_(store, registry_, playbook_,
                 {options_.revenue_column, options_.explain_threads, options_.table_limits}),
      training_(store, registry_, {options_.training_threads, options_.table_limits},
                [this](const LoadedModel& model, const std::string& csv_path) {
                  customers_.score_dataset_into_store(model, csv_path);
                }),
      batches_((fs::path(options_.data_dir) / "batches").string(),
               [this](const std::string& input, std::ostream& out, CsvCells cells) {
                 // Streamed: the rejects are counted, none kept.
                 const BatchResult result = predict_file(input, out, 0, cells);
                 return BatchCounts{result.rows, result.rejected, result.model_version};
               }) {
  fs::create_directories(fs::path(options_.data_dir) / "datasets");
}

ChurnService::~ChurnService() {
  // Each queue waits for the job it runs, before anything that job uses is destroyed.
  batches_.stop();
  training_.stop();
  logger_.flush();
}

bool ChurnService::start(bool seed_demo) {
  int interrupted = store_.fail_unfinished_jobs();
  if (interrupted > 0)
    spdlog::warn("{} training job(s) interrupted by the last shutdown", interrupted);
  if (auto record = registry_.load_active()) {
    spdlog::info("active model: {} v{} ({})", record->name, record->version, record->algorithm);
    return false;
  }
  if (!seed_demo || !store_.list_models().empty()) return false;

  spdlog::info("empty store: generating the demo customer base and training the default models");
  const std::string demo = (fs::path(options_.data_dir) / "demo-customers.csv.tmp").string();
  write_demo_data(demo, {options_.demo_rows, kDemoSeed});
  DatasetRecord dataset = add_dataset(demo, "demo-customers.csv");
  TrainingRequest demo_request;
  demo_request.dataset_id = dataset.id;
  demo_request.target = "churn";
  demo_request.id_columns = {"customer_id"};
  demo_request.na_values = {"Unknown"};
  int64_t job_id = start_training(demo_request);
  follow_job(job_id, [](const JobEvent&) { return true; });  // waits until it ends
  auto finished = job(job_id);
  if (!finished || finished->status != JobStatus::kSucceeded) {
    throw Error(ErrorCode::kInternal,
                "training the demo model failed: " + (finished ? finished->error : "job lost"));
  }
  return true;
}

DatasetRecord ChurnService::add_dataset(const std::string& upload_path, const std::string& name) {
  // Refuses a bad file (or one past the table limits) before anything is stored.
  Dataset data = read_dataset(upload_path, read_options());
  Profile profile = profile_dataset(data, std::nullopt);
  DatasetRecord record;
  record.name = name.empty() ? "upload.csv" : fs::path(name).filename().string();
  profile.source = record.name;  // the file's name, not where the upload was staged
  record.sha256 = data.sha256;
  record.rows = static_cast<int64_t>(data.rows());
  record.columns = static_cast<int64_t>(data.columns.size());
  record.profile = to_json(profile);
  record.created_at = timestamp_utc();
  // Content-addressed file name: no path from the request reaches the filesystem.
  fs::path target = fs::path(options_.data_dir) / "datasets" / (data.sha256 + ".csv");
  fs::rename(upload_path, target);
  record.path = target.string();
  record.id = store_.add_dataset(record);
  return record;
}

std::vector<DatasetRecord> ChurnService::datasets() const { return store_.list_datasets(); }
std::optional<DatasetRecord> ChurnService::dataset(int64_t id) const {
  return store_.get_dataset(id);
}

nlohmann::json ChurnService::dataset_profile(
    int64_t id, const std::string& target, const std::optional<std::string>& positive_label) const {
  auto record = store_.get_dataset(id);
  if (!record) return nullptr;
  if (target.empty()) return record->profile;
  Dataset data = read_dataset(record->path, read_options());
  std::optional<Target> resolved;
  try {
    resolved = resolve_target(data, target, positive_label);
  } catch (const Error& e) {
    const std::string field =
        positive_label && data.index_of(target) >= 0 ? "positive_label" : "target";
    throw Error(ErrorCode::kUsage, e.message(), {"", 0, field});
  }
  Profile profile = profile_dataset(data, resolved);
  profile.source = record->name;
  return to_json(profile);
}

bool ChurnService::delete_dataset(int64_t id) {
  auto record = store_.get_dataset(id);
  if (!record || !store_.delete_dataset(id)) return false;
  // The file may be shared by another upload of the same bytes.
  bool shared = false;
  for (const auto& other : store_.list_datasets()) shared |= other.path == record->path;
  if (!shared) fs::remove(record->path);
  return true;
}

int64_t ChurnService::start_batch(const std::string& upload_path, CsvCells cells) {
  if (!active()) throw_unavailable("no model is active yet; train one first");
  return batches_.start(upload_path, cells);
}

std::vector<Prediction> ChurnService::predict(const PredictRequest& request,
                                              std::shared_ptr<const LoadedModel>* used) {
  auto model = active();
  if (!model) throw_unavailable("no model is active yet; train one first");
  const auto& customers = request.customers;
  const std::size_t explain_top = request.explain_top;
  if (customers.empty()) {
    throw Error(ErrorCode::kUsage, request.paths.base + " must not be empty",
                {"", 0, request.paths.base});
  }
  const Bundle& b = model->bundle;
  auto probabilities = score_records(b, *model->scorer, customers, request.paths);
  std::vector<Explanation> explanations;
  if (explain_top > 0) {
    explanations = explain_records(b, explainer_of(*model), customers, request.paths);
  }
  std::vector<Prediction> out(customers.size());
  std::vector<PredictionLogEntry> log(customers.size());
  const std::string now = timestamp_utc();
  for (std::size_t i = 0; i < customers.size(); ++i) {
    out[i] = {record_id(b, customers[i]), probabilities[i], b.tiers.tier(probabilities[i]),
              nullptr};
    if (explain_top > 0) {
      out[i].explanation =
          explanation_json(explanations[i], customers[i], explain_top, out[i].tier, playbook_);
    }
    log[i] = {0,
              now,
              model->record.id,
              model->record.version,
              out[i].customer_id,
              probabilities[i],
              out[i].tier,
              sha256_hex(customers[i].dump())};
  }
  logger_.log(std::move(log));
  if (used) *used = model;
  return out;
}

namespace {

// Keeps the first line written to it (a CSV header) and discards the rest.
class HeaderOnlyStream : public std::ostream {
 public:
  HeaderOnlyStream() : std::ostream(&buffer_) {}
  const std::string& header() const { return buffer_.line; }

 private:
  struct Buffer : std::streambuf {
    std::string line;
    bool complete = false;
    int_type overflow(int_type c) override {
      if (!complete && c != traits_type::eof()) {
        line.push_back(static_cast<char>(c));
        complete = c == '\n';
      }
      return traits_type::not_eof(c);
    }
    std::streamsize xsputn(const char* text, std::streamsize n) override {
      for (std::streamsize i = 0; i < n && !complete; ++i)
        overflow(traits_type::to_int_type(text[i]));
      return n;
    }
  } buffer_;
};

}  // namespace

ChurnService::BatchResult ChurnService::predict_file(const std::string& path, std::ostream& out,
                                                     std::size_t keep_rejects, CsvCells cells) {
  auto model = active();
  if (!model) throw_unavailable("no model is active yet; train one first");
  const Bundle& b = model->bundle;
  BatchResult result;
  result.model_version = model->record.version;
  BatchOptions options;
  options.csv = options_.table_limits;
  options.output_cells = cells;
  options.on_reject = [&](const RejectedRow& row) {
    if (result.rejects.size() < keep_rejects) result.rejects.push_back(row);
  };
  // The engine streams and scores the blocks; this side adds what the engine does not know (the
  // stored inputs, reasons and recommended action) and writes the scored CSV a block at a time,
  // so the engine's own output is discarded. The inputs are the columns as read_with_schema
  // decodes them: each scored block is decoded again (cheap next to the store's writes).
  CsvWriter writer(out, ',', cells);
  bool header_written = false;
  std::optional<RecordDecoder> decoder;
  Dataset chunk;
  std::vector<RejectedRow> refused;
  std::vector<ScoredCustomer> scores;
  std::vector<std::string> row;
  options.on_rows = [&](const ScoredRows& rows) {
    if (!decoder) {
      // The scorer decodes only the model's inputs: a bad value elsewhere (the target, say)
      // does not reject the row, so it is stored as missing here.
      std::vector<std::string> unread;
      for (const auto& column : b.schema.columns) {
        const auto& inputs = b.required_columns();
        if (std::find(inputs.begin(), inputs.end(), column.name) == inputs.end()) {
          unread.push_back(column.name);
        }
      }
      decoder.emplace(path, b.schema, b.optional_columns(), *rows.header, unread);
    }
    decoder->start(chunk);
    for (std::size_t r = 0; r < rows.size(); ++r) {
      if (!decoder->append(rows.row(r), rows.lines[r], chunk, refused)) {
        throw Error(ErrorCode::kInternal, "the scorer kept a row the schema reader refuses");
      }
    }
    const Column* id = b.id_column(chunk);
    if (!header_written) {
      std::vector<std::string> header;
      if (id) header.push_back(id->name());
      header.insert(header.end(), {"churn_probability", "risk_tier", "recommended_action"});
      writer.write_row(header);
      header_written = true;
    }
    const std::vector<double> probabilities(rows.probabilities.begin(), rows.probabilities.end());
    auto reasons = customers_.stored_reasons(*model, chunk, probabilities);
    scores.clear();
    const std::string now = timestamp_utc();
    for (std::size_t r = 0; r < chunk.rows(); ++r) {
      ScoredCustomer score{id ? id->text_at(r) : "",       model->record.id, probabilities[r],
                           b.tiers.tier(probabilities[r]), nullptr,          now,
                           std::move(reasons[r])};
      auto action = customers_.stored_action(score);
      row.clear();
      if (id) row.push_back(score.customer_id);
      row.push_back(fmt::format("{:.6f}", probabilities[r]));
      row.push_back(score.tier);
      row.push_back(action && action->action ? action->action->id : "");
      writer.write_row(row);
      if (id) {
        score.inputs = stored_inputs(chunk, r);
        scores.push_back(std::move(score));
      }
    }
    if (!scores.empty()) store_.upsert_scores(scores);
  };
  HeaderOnlyStream engine_out;
  const BatchSummary summary = model->scorer->score_csv_file(path, engine_out, options);
  // A file without readable rows: the engine's header, which names the id column when the file
  // has one, plus the action column.
  if (!header_written) {
    std::string header = engine_out.header();
    if (!header.empty() && header.back() == '\n') header.pop_back();
    out << header << ",recommended_action\n";
  }
  result.rows = summary.rows;
  result.rejected = summary.rejected;
  return result;
}

}  // namespace smartchurn::server
