#include "smartchurn/trainer.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <mutex>

#include "engine/flat_forest.h"
#include "explain/global_view.h"
#include "smartchurn/error.h"
#include "smartchurn/split.h"
#include "train/feature_columns.h"
#include "train/fold_inputs.h"
#include "util/parallel.h"

namespace smartchurn {

namespace {

using Clock = std::chrono::steady_clock;

constexpr double kEarlyStoppingShare = 0.1;  // of the training rows, held out to stop boosting
constexpr double kFinalRoundsFactor = 1.1;   // the final fit sees 1 / (1 - share) more rows

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

bool uses_early_stopping(const std::string& model) { return find_model(model).early_stopping; }

std::vector<float> gather(std::span<const float> y, std::span<const std::size_t> rows) {
  std::vector<float> out(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) out[i] = y[rows[i]];
  return out;
}

PrepOptions prep_for(const TrainOptions& options, const std::string& model) {
  PrepOptions prep = options.prep;
  prep.style = find_model(model).create({})->input_style();
  prep.seed = options.seed;
  return prep;
}

// Probabilities of a fold's held-out rows. Tree models go through the scoring engine's flat trees:
// on millions of rows several times faster than the training library, whose results they equal.
std::vector<double> held_out_probabilities(const Model& model, const FeatureMatrix& x,
                                           int threads) {
  if (model.kind() != ModelKind::kTreeEnsemble) return model.predict_proba(x);
  const nlohmann::json state = model.save();
  const engine::FlatForest forest(
      xgb::decode_booster(state.at("booster"), state.at("rounds").get<int>()));
  constexpr std::size_t kBlockRows = 65536;
  std::vector<double> out(x.rows);
  parallel_for((x.rows + kBlockRows - 1) / kBlockRows, threads, [&](std::size_t block) {
    const std::size_t begin = block * kBlockRows, count = std::min(kBlockRows, x.rows - begin);
    std::vector<float> margins(count);
    forest.margins(x.values.data() + begin * x.cols, count, x.cols, margins.data());
    for (std::size_t r = 0; r < count; ++r) {
      out[begin + r] = engine::FlatForest::probability(margins[r]);
    }
  });
  return out;
}

MeanStd mean_std(const std::vector<double>& values) {
  MeanStd out;
  for (double v : values) out.mean += v;
  out.mean /= static_cast<double>(values.size());
  for (double v : values) out.std += (v - out.mean) * (v - out.mean);
  out.std = std::sqrt(out.std / static_cast<double>(values.size()));
  return out;
}

}  // namespace

nlohmann::json to_json(const TrainReport& r) {
  nlohmann::json models = nlohmann::json::array();
  for (const auto& m : r.leaderboard) {
    nlohmann::json cv;
    for (const auto& [metric, value] : m.cv)
      cv[metric] = {{"mean", value.mean}, {"std", value.std}};
    models.push_back(
        {{"name", m.name}, {"title", m.title}, {"cv", cv}, {"fit_seconds", m.fit_seconds}});
  }
  return {{"models", models},
          {"best", r.best},
          {"rows", r.rows},
          {"duplicates_removed", r.duplicates_removed},
          {"target", r.target},
          {"positive_label", r.positive_label},
          {"positive_rate", r.positive_rate},
          {"folds", r.folds},
          {"feature_columns", r.feature_columns},
          {"excluded_columns", r.excluded_columns},
          {"preparation", r.preparation},
          {"seconds", r.seconds}};
}

TrainResult train(const Dataset& data, const TrainOptions& options) {
  const auto started = Clock::now();
  if (options.models.empty()) throw_usage("no model to train: name at least one with --models");
  for (const auto& name : options.models) find_model(name);  // unknown names fail before work
  if (options.folds < 2) throw_usage("--folds must be at least 2");

  Target target = resolve_target(data, options.target, options.positive);
  auto columns = training::choose_feature_columns(data, target, options);
  auto key_columns = columns.features;
  key_columns.push_back(target.column);
  const std::vector<std::size_t> rows = training::unique_rows(data, key_columns);
  const std::vector<float> y_rows = gather(target.y, rows);
  auto folds = stratified_kfold(y_rows, options.folds, options.seed);
  // Folds index into `rows`; translate them to data rows once.
  for (auto& fold : folds) {
    for (auto& i : fold.train) i = rows[i];
    for (auto& i : fold.test) i = rows[i];
  }

  const int threads = resolve_threads(options.threads);
  const std::size_t model_count = options.models.size();
  // One preparation per fold and input style, shared by the models that use that style, made
  // when a model first needs it and freed when the last is fitted.
  std::vector<InputStyle> styles;
  std::vector<training::FoldNeeds> needs;
  std::vector<std::size_t> model_style;
  for (const auto& m : options.models) {
    auto style = prep_for(options, m).style;
    auto found = std::find(styles.begin(), styles.end(), style);
    if (found == styles.end()) {
      styles.push_back(style);
      needs.emplace_back();
      found = styles.end() - 1;
    }
    model_style.push_back(std::size_t(found - styles.begin()));
    auto& n = needs[model_style.back()];
    (uses_early_stopping(m) ? n.split : n.whole) = true;
    ++n.users;
  }
  const std::size_t total_steps = folds.size() * (styles.size() + model_count) + 1;
  std::atomic<std::size_t> steps_done{0};
  std::mutex progress_mutex;
  auto report_progress = [&](const std::string& step) {
    std::size_t done = ++steps_done;
    if (!options.progress) return;
    std::lock_guard lock(progress_mutex);
    options.progress(static_cast<double>(done) / static_cast<double>(total_steps), step);
  };

  training::FoldInputCache inputs(folds.size(), needs, [&](std::size_t f, std::size_t style) {
    PrepOptions prep = options.prep;
    prep.style = styles[style];
    prep.seed = options.seed;
    return training::prepare_fold(data, target.y, folds[f], columns.features, prep, needs[style],
                                  kEarlyStoppingShare, options.seed + f);
  });

  // Every (fold, model) fit is one task; each model gets its share of the cores.
  std::vector<std::vector<double>> out_of_fold(model_count, std::vector<double>(data.rows(), NAN));
  std::vector<std::vector<double>> fit_seconds(model_count, std::vector<double>(folds.size()));
  std::vector<std::vector<nlohmann::json>> fitted_params(model_count,
                                                         std::vector<nlohmann::json>(folds.size()));
  const int model_threads =
      std::max(1, threads / static_cast<int>(std::min<std::size_t>(std::size_t(threads),
                                                                   folds.size() * model_count)));
  parallel_for(folds.size() * model_count, threads, [&](std::size_t task) {
    std::size_t f = task / model_count, m = task % model_count;
    const std::string& name = options.models[m];
    const auto& fold = folds[f];
    const std::string fold_name = "fold " + std::to_string(f + 1);
    const training::FoldInputs& in =
        inputs.acquire(f, model_style[m], [&] { report_progress("prepared " + fold_name); });
    auto params =
        options.model_params.count(name) ? options.model_params.at(name) : nlohmann::json{};
    auto model = create_model(name, params);
    FitOptions fit;
    fit.seed = options.seed + f;
    fit.threads = model_threads;
    fit.categorical = in.categorical;
    fit.feature_names = in.names;
    auto start = Clock::now();
    if (uses_early_stopping(name)) {
      fit.valid_x = &in.valid_x;
      fit.valid_y = in.valid_y;
      model->fit(in.fit_x, in.fit_y, fit);
    } else {
      model->fit(in.train_x, in.train_y, fit);
    }
    fit_seconds[m][f] = seconds_since(start);
    fitted_params[m][f] = model->parameters();
    auto predicted = held_out_probabilities(*model, in.test_x, model_threads);
    for (std::size_t i = 0; i < fold.test.size(); ++i) out_of_fold[m][fold.test[i]] = predicted[i];
    inputs.release(f, model_style[m]);
    report_progress(fold_name + " " + name);
  });

  TrainResult result;
  TrainReport& report = result.report;
  for (std::size_t m = 0; m < model_count; ++m) {
    ModelResult r;
    r.name = options.models[m];
    r.title = find_model(r.name).title;
    std::map<std::string, std::vector<double>> per_fold;
    for (const auto& fold : folds) {
      std::vector<float> y_test = gather(target.y, fold.test);
      std::vector<double> p_test(fold.test.size());
      for (std::size_t i = 0; i < fold.test.size(); ++i) p_test[i] = out_of_fold[m][fold.test[i]];
      Metrics metrics = compute_metrics(y_test, p_test);
      per_fold["roc_auc"].push_back(metrics.roc_auc);
      per_fold["pr_auc"].push_back(metrics.pr_auc);
      per_fold["f1"].push_back(metrics.f1);
      per_fold["accuracy"].push_back(metrics.accuracy);
      per_fold["precision"].push_back(metrics.precision);
      per_fold["recall"].push_back(metrics.recall);
      per_fold["log_loss"].push_back(metrics.log_loss);
      per_fold["brier"].push_back(metrics.brier);
    }
    for (const auto& [metric, values] : per_fold) r.cv[metric] = mean_std(values);
    r.fit_seconds = mean_std(fit_seconds[m]).mean;
    std::vector<double> p_rows(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) p_rows[i] = out_of_fold[m][rows[i]];
    r.out_of_fold = evaluation_report(y_rows, p_rows);
    report.leaderboard.push_back(std::move(r));
  }
  std::stable_sort(report.leaderboard.begin(), report.leaderboard.end(),
                   [](const ModelResult& a, const ModelResult& b) {
                     return a.cv.at("roc_auc").mean > b.cv.at("roc_auc").mean;
                   });
  const ModelResult& best = report.leaderboard.front();
  report.best = best.name;

  // Refit the best on every (de-duplicated) row.
  Bundle& bundle = result.bundle;
  PrepOptions prep = prep_for(options, best.name);
  bundle.pipeline = Pipeline::fit(data, target.y, rows, columns.features, prep);
  FeatureMatrix x = bundle.pipeline.transform(data, rows);
  auto params =
      options.model_params.count(best.name) ? options.model_params.at(best.name) : nlohmann::json{};
  bundle.model = create_model(best.name, params);
  FitOptions fit;
  fit.seed = options.seed;
  fit.threads = threads;
  fit.categorical = bundle.pipeline.categorical_mask();
  for (const auto& f : bundle.pipeline.features()) fit.feature_names.push_back(f.name);
  std::size_t best_index = std::size_t(
      std::find(options.models.begin(), options.models.end(), best.name) - options.models.begin());
  if (uses_early_stopping(best.name)) {
    // Boost on every row for as many rounds as early stopping chose in cross-validation, a
    // little more since the final model sees more data than each fold did.
    double rounds = 0;
    for (const auto& p : fitted_params[best_index]) rounds += p.value("best_iteration", 0) + 1;
    rounds = std::ceil(rounds / static_cast<double>(folds.size()) * kFinalRoundsFactor);
    params[find_model(best.name).fixed_rounds_param] = rounds;
    bundle.model = create_model(best.name, params);
    bundle.model->fit(x, y_rows, fit);
  } else {
    bundle.model->fit(x, y_rows, fit);
  }
  report_progress("refit " + best.name);

  bundle.model_name = best.name;
  bundle.schema = data.schema();
  for (const auto& c : data.columns) {
    if (c.type() == ColumnType::kIdentifier) bundle.id_columns.push_back(c.name());
  }
  bundle.target_column = target.column;
  bundle.positive_label = target.positive_label;
  bundle.negative_label = target.negative_label;
  bundle.tiers = options.tiers;
  explain::attach_explanations(bundle, data, target.y, rows, x,
                               {prep, params, options.seed, threads, options.global_view});

  report.rows = data.rows();
  report.duplicates_removed = data.rows() - rows.size();
  report.target = target.column;
  report.positive_label = target.positive_label;
  report.positive_rate = target.positive_rate();
  report.feature_columns = columns.features;
  report.excluded_columns = columns.excluded;
  report.preparation = bundle.pipeline.summary();
  report.folds = options.folds;
  report.seconds = seconds_since(started);

  // Timings stay out of the bundle so the same data and seed give the same bundle.
  nlohmann::json leaderboard = to_json(report)["models"];
  for (auto& entry : leaderboard) entry.erase("fit_seconds");
  bundle.metrics = {{"cv", leaderboard[0]["cv"]},
                    {"folds", options.folds},
                    {"out_of_fold", best.out_of_fold},
                    {"leaderboard", leaderboard}};
  bundle.provenance = {{"software_version", SMARTCHURN_VERSION},
                       {"created_at", timestamp_utc()},
                       {"training_data",
                        {{"file", std::filesystem::path(data.source).filename().string()},
                         {"sha256", data.sha256},
                         {"rows", data.rows()},
                         {"rows_used", rows.size()}}},
                       {"seed", options.seed}};
  return result;
}

}  // namespace smartchurn
