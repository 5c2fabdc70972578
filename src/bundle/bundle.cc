#include "smartchurn/bundle.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "smartchurn/error.h"
#include "smartchurn/json_limits.h"

namespace smartchurn {

namespace {

constexpr const char* kBundleKind = "smartchurn-model-bundle";

void write_all(int fd, const std::string& bytes, const std::string& path) {
  std::size_t written = 0;
  while (written < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw_io("cannot write " + path + ": " + std::strerror(errno));
    written += static_cast<std::size_t>(n);
  }
}

constexpr int kExplanationFormat = 1;

nlohmann::json explanation_to_json(const ExplanationBasis& e, const Pipeline& pipeline) {
  return {{"format", kExplanationFormat},
          {"feature_means", e.feature_means},
          {"background", {{"columns", pipeline.input_columns()}, {"rows", e.background}}},
          {"global", e.global}};
}

// Checks the section against the bundle's preparation, so a damaged one fails on load, not later.
ExplanationBasis explanation_from_json(const nlohmann::json& j, const Pipeline& pipeline) {
  ExplanationBasis e;
  // A section from a newer format is left out: the model still scores; explanations use the
  // fallbacks of a bundle without one.
  if (j.value("format", 0) != kExplanationFormat) return e;
  auto damaged = [](const std::string& what) {
    throw_bad_data("damaged model bundle: explanation." + what);
  };
  e.feature_means = j.at("feature_means").get<std::vector<double>>();
  const std::size_t features = pipeline.features().size();
  if (!e.feature_means.empty() && e.feature_means.size() != features) {
    damaged("feature_means has " + std::to_string(e.feature_means.size()) + " values for " +
            std::to_string(features) + " features");
  }
  const auto& background = j.at("background");
  if (background.at("columns").get<std::vector<std::string>>() != pipeline.input_columns()) {
    damaged("background.columns differ from the preparation's input columns");
  }
  e.background = background.at("rows").get<std::vector<std::vector<std::string>>>();
  for (std::size_t r = 0; r < e.background.size(); ++r) {
    if (e.background[r].size() != pipeline.input_columns().size()) {
      damaged("background.rows[" + std::to_string(r) + "] has " +
              std::to_string(e.background[r].size()) + " cells for " +
              std::to_string(pipeline.input_columns().size()) + " columns");
    }
  }
  e.global = j.value("global", nlohmann::json());
  if (!e.global.is_null() && !e.global.is_object()) damaged("global is not an object");
  return e;
}

}  // namespace

std::vector<double> Bundle::predict(const Dataset& data) const {
  return model->predict_proba(pipeline.transform(data));
}

std::vector<std::string> Bundle::optional_columns() const {
  std::vector<std::string> out;
  const auto& required = required_columns();
  for (const auto& c : schema.columns) {
    if (std::find(required.begin(), required.end(), c.name) == required.end())
      out.push_back(c.name);
  }
  return out;
}

const Column* Bundle::id_column(const Dataset& data) const {
  for (const auto& name : id_columns) {
    if (int i = data.index_of(name); i >= 0) return &data.columns[std::size_t(i)];
  }
  return nullptr;
}

std::string timestamp_utc() {
  std::time_t now = std::time(nullptr);
  if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH"); epoch && *epoch) {
    now = static_cast<std::time_t>(std::strtoll(epoch, nullptr, 10));
  }
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

namespace {

// The kind the bundle names must be the family's. Bundles written before model.kind existed are
// the legacy path: their kind is inferred from the state's keys, as the engine once did.
void check_model_kind(const nlohmann::json& section, const Model& model) {
  ModelKind stated;
  if (section.contains("kind")) {
    stated = model_kind_from_string(section["kind"].get<std::string>());
  } else {
    const auto& state = section.at("state");
    if (state.contains("booster")) {
      stated = ModelKind::kTreeEnsemble;
    } else if (state.contains("coefficients")) {
      stated = ModelKind::kLinear;
    } else {
      throw_bad_data("damaged model bundle: the model's state is neither trees nor coefficients");
    }
  }
  if (stated != model.kind()) {
    throw_bad_data(std::string("damaged model bundle: model '") + model.name() + "' is " +
                   to_string(model.kind()) + ", not " + to_string(stated));
  }
}

}  // namespace

nlohmann::json bundle_to_json(const Bundle& b) {
  nlohmann::json j = {
      {"kind", kBundleKind},
      {"format_version", kBundleFormat},
      {"provenance", b.provenance},
      {"schema", b.schema},
      {"id_columns", b.id_columns},
      {"target",
       {{"column", b.target_column},
        {"positive_label", b.positive_label},
        {"negative_label", b.negative_label}}},
      {"risk_tiers", {{"medium", b.tiers.medium}, {"high", b.tiers.high}}},
      {"preparation", b.pipeline.to_json()},
      {"model",
       {{"name", b.model_name},
        {"kind", to_string(b.model->kind())},
        {"parameters", b.model->parameters()},
        {"state", b.model->save()}}},
      {"metrics", b.metrics},
  };
  if (!b.explanation.empty()) j["explanation"] = explanation_to_json(b.explanation, b.pipeline);
  return j;
}

Bundle bundle_from_json(const nlohmann::json& j) {
  if (!j.is_object() || !j.contains("kind") || j["kind"] != kBundleKind) {
    throw_bad_data("not a SmartChurn model bundle");
  }
  // Inside the try: a member of the wrong type (a string format_version) is a damaged bundle.
  try {
    const int format = j.value("format_version", 0);
    if (format != kBundleFormat) {
      const auto provenance = j.value("provenance", nlohmann::json::object());
      const std::string made_by = provenance.is_object()
                                      ? provenance.value("software_version", std::string("unknown"))
                                      : "unknown";
      throw Error(ErrorCode::kIncompatible,
                  "the bundle has format version " + std::to_string(format) +
                      " (written by smartchurn " + made_by + "); this smartchurn " +
                      SMARTCHURN_VERSION + " reads format version " +
                      std::to_string(kBundleFormat) + ": retrain the model with this version");
    }
    Bundle b;
    b.provenance = j.at("provenance");
    b.schema = j.at("schema").get<Schema>();
    b.id_columns = j.at("id_columns").get<std::vector<std::string>>();
    const auto& target = j.at("target");
    b.target_column = target.at("column").get<std::string>();
    b.positive_label = target.at("positive_label").get<std::string>();
    b.negative_label = target.at("negative_label").get<std::string>();
    b.tiers.medium = j.at("risk_tiers").at("medium").get<double>();
    b.tiers.high = j.at("risk_tiers").at("high").get<double>();
    b.pipeline = Pipeline::from_json(j.at("preparation"));
    b.model_name = j.at("model").at("name").get<std::string>();
    b.model = create_model(b.model_name);  // the saved state carries the parameters
    b.model->load(j.at("model").at("state"));
    check_model_kind(j.at("model"), *b.model);
    b.metrics = j.value("metrics", nlohmann::json::object());
    if (j.contains("explanation"))
      b.explanation = explanation_from_json(j["explanation"], b.pipeline);
    return b;
  } catch (const nlohmann::json::exception& e) {
    throw_bad_data(std::string("damaged model bundle: ") + e.what());
  }
}

void save_bundle(const Bundle& bundle, const std::string& path) {
  const std::string text = bundle_to_json(bundle).dump() + "\n";
  const std::string temp = path + ".tmp";
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw_io("cannot create " + temp + ": " + std::strerror(errno));
  try {
    write_all(fd, text, temp);
    if (::fsync(fd) != 0) throw_io("cannot flush " + temp + ": " + std::strerror(errno));
  } catch (...) {
    ::close(fd);
    std::filesystem::remove(temp);
    throw;
  }
  ::close(fd);
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    std::filesystem::remove(temp);
    throw_io("cannot rename " + temp + " to " + path + ": " + std::strerror(errno));
  }
}

Bundle load_bundle(const std::string& path) {
  std::ifstream file;
  if (path != "-") {  // "-": standard input
    file.open(path, std::ios::binary);
    if (!file) throw_io("cannot open model bundle " + path + ": " + std::strerror(errno));
  }
  std::istream& in = path == "-" ? std::cin : file;
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (in.bad()) throw_io("cannot read model bundle " + path + ": " + std::strerror(errno));
  if (util::json_too_deep(text, util::kMaxJsonDepth)) {
    throw_bad_data("not a SmartChurn model bundle (nested deeper than any bundle)", {path, 0, ""});
  }
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception&) {
    throw_bad_data("not a SmartChurn model bundle (not valid JSON)", {path, 0, ""});
  }
  try {
    return bundle_from_json(j);
  } catch (const Error& e) {
    throw Error(e.code(), e.message(), {path, 0, ""});
  }
}

}  // namespace smartchurn
