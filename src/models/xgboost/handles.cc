#include "models/xgboost/handles.h"

#include <fmt/format.h>
#include <xgboost/c_api.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <iterator>
#include <limits>
#include <string_view>

#include "models/xgboost/booster_check.h"
#include "smartchurn/error.h"

namespace smartchurn::xgb {
namespace {

// The array interface XGBoost reads a dense row-major float matrix through, without copying it.
std::string dense_interface(const FeatureMatrix& x) {
  return fmt::format(R"({{"data": [{}, true], "shape": [{}, {}], "typestr": "<f4", "version": 3}})",
                     reinterpret_cast<std::uintptr_t>(x.values.data()), x.rows, x.cols);
}

// XGBoost writes non-finite floats (categorical splits have a NaN split condition) as the bare
// tokens NaN / Infinity / -Infinity, which are not JSON. They are carried as strings.
constexpr std::string_view kNonFinite[] = {"NaN", "-Infinity", "Infinity"};
constexpr std::string_view kQuotedNonFinite[] = {"\"NaN\"", "\"-Infinity\"", "\"Infinity\""};

// With `to_strings`, quotes bare non-finite tokens; otherwise unquotes string values equal to one.
// Runs over every byte of a model's JSON (megabytes for a few hundred trees), so only a byte that
// can start a token is compared.
std::string convert_non_finite(std::string_view text, bool to_strings) {
  std::string out;
  out.reserve(text.size() + 64);
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      out += c;
      if (c == '\\' && i + 1 < text.size()) {
        out += text[++i];
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    const bool may_start = to_strings ? (c == 'N' || c == '-' || c == 'I') : c == '"';
    bool replaced = false;
    for (std::size_t k = 0; may_start && k < std::size(kNonFinite); ++k) {
      const std::string_view from = to_strings ? kNonFinite[k] : kQuotedNonFinite[k];
      if (text.substr(i, from.size()) == from) {
        out += to_strings ? kQuotedNonFinite[k] : kNonFinite[k];
        i += from.size() - 1;
        replaced = true;
        break;
      }
    }
    if (replaced) continue;
    out += c;
    if (c == '"') in_string = true;
  }
  return out;
}

// Hands one dense matrix to XGBoost's batch callbacks (it reads the batch twice: once to find the
// bins, once to fill them). Callbacks must not throw through XGBoost's C code: a failure is kept
// and rethrown afterwards.
struct SingleBatch {
  DMatrixHandle proxy = nullptr;
  const FeatureMatrix* x = nullptr;
  std::span<const float> y;
  std::vector<const char*> types;
  bool given = false;
  std::exception_ptr failure;

  static void reset(DataIterHandle self) { static_cast<SingleBatch*>(self)->given = false; }
  static int next(DataIterHandle self) {
    auto& batch = *static_cast<SingleBatch*>(self);
    if (batch.given || batch.failure) return 0;
    try {
      check(XGProxyDMatrixSetDataDense(batch.proxy, dense_interface(*batch.x).c_str()),
            "setting batch data");
      check(XGDMatrixSetFloatInfo(batch.proxy, "label", batch.y.data(), batch.y.size()),
            "setting batch labels");
      if (!batch.types.empty()) {
        check(XGDMatrixSetStrFeatureInfo(batch.proxy, "feature_type", batch.types.data(),
                                         batch.types.size()),
              "setting batch feature types");
      }
    } catch (...) {
      batch.failure = std::current_exception();
      return 0;
    }
    batch.given = true;
    return 1;
  }
};

}  // namespace

void check(int status, const char* what) {
  if (status != 0) {
    throw Error(ErrorCode::kInternal,
                fmt::format("XGBoost {} failed: {}", what, XGBGetLastError()));
  }
}

void DMatrix::Free::operator()(void* handle) const { XGDMatrixFree(handle); }

DMatrix::DMatrix(const FeatureMatrix& x, int threads) {
  if (x.values.size() != x.rows * x.cols) {
    throw_usage(fmt::format("feature matrix holds {} values, not {} x {}", x.values.size(), x.rows,
                            x.cols));
  }
  DMatrixHandle raw = nullptr;
  check(XGDMatrixCreateFromMat_omp(x.values.data(), x.rows, x.cols,
                                   std::numeric_limits<float>::quiet_NaN(), &raw, threads),
        "matrix creation");
  handle_.reset(raw);
}

DMatrix DMatrix::quantised(const FeatureMatrix& x, std::span<const float> y,
                           const std::vector<bool>& categorical, int threads) {
  if (x.values.size() != x.rows * x.cols) {
    throw_usage(fmt::format("feature matrix holds {} values, not {} x {}", x.values.size(), x.rows,
                            x.cols));
  }
  if (y.size() != x.rows) throw_usage(fmt::format("{} labels for {} rows", y.size(), x.rows));
  DMatrixHandle proxy_raw = nullptr;
  check(XGProxyDMatrixCreate(&proxy_raw), "proxy matrix creation");
  const DMatrix proxy(proxy_raw);
  SingleBatch batch;
  batch.proxy = proxy.handle();
  batch.x = &x;
  batch.y = y;
  for (bool is_categorical : categorical) batch.types.push_back(is_categorical ? "c" : "q");
  // max_bin must match the booster's (256 by default) for the bins to be usable.
  const std::string config =
      threads > 0 ? fmt::format(R"({{"missing": NaN, "max_bin": 256, "nthread": {}}})", threads)
                  : std::string(R"({"missing": NaN, "max_bin": 256})");
  DMatrixHandle raw = nullptr;
  const int status =
      XGQuantileDMatrixCreateFromCallback(&batch, proxy.handle(), nullptr, &SingleBatch::reset,
                                          &SingleBatch::next, config.c_str(), &raw);
  DMatrix out(raw);
  if (batch.failure) std::rethrow_exception(batch.failure);
  check(status, "quantised matrix creation");
  return out;
}

void DMatrix::set_labels(std::span<const float> y) {
  check(XGDMatrixSetFloatInfo(handle(), "label", y.data(), y.size()), "setting labels");
}

void DMatrix::set_categorical(const std::vector<bool>& categorical) {
  std::vector<const char*> types;
  types.reserve(categorical.size());
  for (bool is_categorical : categorical) types.push_back(is_categorical ? "c" : "q");
  check(XGDMatrixSetStrFeatureInfo(handle(), "feature_type", types.data(), types.size()),
        "setting feature types");
}

void Booster::Free::operator()(void* handle) const { XGBoosterFree(handle); }

Booster::Booster() {
  BoosterHandle raw = nullptr;
  check(XGBoosterCreate(nullptr, 0, &raw), "booster creation");
  handle_.reset(raw);
}

Booster::Booster(std::span<const DMatrix* const> cache) {
  std::vector<DMatrixHandle> handles;
  for (const DMatrix* matrix : cache) handles.push_back(matrix->handle());
  BoosterHandle raw = nullptr;
  check(XGBoosterCreate(handles.data(), handles.size(), &raw), "booster creation");
  handle_.reset(raw);
}

void Booster::set_param(const std::string& name, const std::string& value) {
  check(XGBoosterSetParam(handle(), name.c_str(), value.c_str()),
        fmt::format("setting {}={}", name, value).c_str());
}

void Booster::update(int iteration, const DMatrix& train) {
  check(XGBoosterUpdateOneIter(handle(), iteration, train.handle()), "training");
}

double Booster::evaluate(int iteration, const DMatrix& data) {
  DMatrixHandle matrices[] = {data.handle()};
  const char* names[] = {"valid"};
  const char* result = nullptr;
  check(XGBoosterEvalOneIter(handle(), iteration, matrices, names, 1, &result), "evaluation");
  // The result reads "[iteration]\tvalid-logloss:0.4123".
  const std::string text = result;
  const auto colon = text.find(':');
  if (colon == std::string::npos) {
    throw Error(ErrorCode::kInternal, "XGBoost evaluation gave no metric: " + text);
  }
  return std::strtod(text.c_str() + colon + 1, nullptr);
}

Booster Booster::slice(int rounds) const {
  BoosterHandle raw = nullptr;
  check(XGBoosterSlice(handle(), 0, rounds, 1, &raw), "slicing");
  return Booster(raw);
}

int Booster::boosted_rounds() const {
  int rounds = 0;
  check(XGBoosterBoostedRounds(handle(), &rounds), "counting rounds");
  return rounds;
}

namespace {

// XGBoosterPredictFromDense's "type": 0 for transformed predictions, 1 for margins.
std::vector<double> predict_dense(void* booster, const FeatureMatrix& x, int rounds, int type) {
  if (x.rows == 0) return {};
  const std::string array = dense_interface(x);
  const std::string config =
      fmt::format(R"({{"type": {}, "training": false, "iteration_begin": 0, "iteration_end": {}, )"
                  R"("strict_shape": false, "cache_id": 0, "missing": NaN}})",
                  type, rounds);
  const bst_ulong* shape = nullptr;
  bst_ulong dims = 0;
  const float* result = nullptr;
  check(XGBoosterPredictFromDense(booster, array.c_str(), config.c_str(), nullptr, &shape, &dims,
                                  &result),
        "prediction");
  return std::vector<double>(result, result + x.rows);
}

}  // namespace

std::vector<double> Booster::predict(const FeatureMatrix& x, int rounds) const {
  return predict_dense(handle(), x, rounds, 0);
}

std::vector<double> Booster::predict_margin(const FeatureMatrix& x, int rounds) const {
  return predict_dense(handle(), x, rounds, 1);
}

void Booster::contributions(const DMatrix& data, int rounds, std::size_t rows, std::size_t width,
                            std::span<double> out) const {
  const std::string config =
      fmt::format(R"({{"type": 2, "training": false, "iteration_begin": 0, "iteration_end": {}, )"
                  R"("strict_shape": false}})",
                  rounds);
  const bst_ulong* shape = nullptr;
  bst_ulong dims = 0;
  const float* result = nullptr;
  check(
      XGBoosterPredictFromDMatrix(handle(), data.handle(), config.c_str(), &shape, &dims, &result),
      "contributions");
  if (dims != 2 || shape[0] != rows || shape[1] != width || out.size() != rows * width) {
    throw Error(
        ErrorCode::kInternal,
        fmt::format("XGBoost contributions have an unexpected shape for {} x {}", rows, width));
  }
  std::copy(result, result + rows * width, out.begin());
}

std::vector<double> Booster::feature_gain(std::size_t feature_count,
                                          const std::string& type) const {
  const std::string config = fmt::format(R"({{"importance_type": "{}"}})", type);
  bst_ulong named = 0;
  const char** names = nullptr;
  bst_ulong dims = 0;
  const bst_ulong* shape = nullptr;
  const float* scores = nullptr;
  check(XGBoosterFeatureScore(handle(), config.c_str(), &named, &names, &dims, &shape, &scores),
        "feature scores");
  std::vector<double> out(feature_count, 0.0);
  for (bst_ulong i = 0; i < named; ++i) {
    // Without feature names XGBoost calls column j "fj".
    const std::string name = names[i];
    if (name.size() < 2 || name[0] != 'f') continue;
    const unsigned long column = std::strtoul(name.c_str() + 1, nullptr, 10);
    if (column < feature_count) out[column] = scores[i];
  }
  return out;
}

std::string Booster::save_native_json() const {
  bst_ulong length = 0;
  const char* bytes = nullptr;
  check(XGBoosterSaveModelToBuffer(handle(), R"({"format": "json"})", &length, &bytes),
        "saving the model");
  return std::string(bytes, length);
}

nlohmann::json Booster::save_json() const {
  bst_ulong length = 0;
  const char* bytes = nullptr;
  check(XGBoosterSaveModelToBuffer(handle(), R"({"format": "json"})", &length, &bytes),
        "saving the model");
  return nlohmann::json::parse(convert_non_finite(std::string_view(bytes, length), true));
}

void Booster::load_json(const nlohmann::json& model) {
  check_booster_json(model);  // XGBoost's loader trusts counts and indices: a bad one crashes it
  const std::string text = convert_non_finite(model.dump(), false);
  check(XGBoosterLoadModelFromBuffer(handle(), text.data(), text.size()), "loading the model");
}

}  // namespace smartchurn::xgb
