#include <gtest/gtest.h>

#include "smartchurn/error.h"
#include "smartchurn/model.h"

namespace smartchurn {
namespace {

// The kUsage message of create_model(name, params), or "" when it succeeds.
std::string usage_error(const std::string& name, const nlohmann::json& params) {
  try {
    create_model(name, params);
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kUsage);
    return e.message();
  }
  return "";
}

TEST(ModelRegistry, ListsTheFamiliesInStableOrder) {
  const auto& registry = model_registry();
  ASSERT_EQ(registry.size(), 3u);
  EXPECT_EQ(registry[0].name, "lr");
  EXPECT_EQ(registry[1].name, "rf");
  EXPECT_EQ(registry[2].name, "gbm");
  for (const auto& info : registry) {
    EXPECT_FALSE(info.title.empty());
    EXPECT_FALSE(info.description.empty());
    for (const auto& spec : info.params) {
      EXPECT_LE(spec.min_value, spec.default_value) << info.name << "." << spec.name;
      EXPECT_LE(spec.default_value, spec.max_value) << info.name << "." << spec.name;
    }
  }
}

TEST(ModelRegistry, CreatesEachFamilyWithItsInputStyle) {
  EXPECT_EQ(create_model("lr")->input_style(), InputStyle::kScaledOneHot);
  EXPECT_EQ(create_model("rf")->input_style(), InputStyle::kTree);
  EXPECT_EQ(create_model("gbm")->input_style(), InputStyle::kTree);
  EXPECT_EQ(create_model("gbm")->name(), "gbm");
  EXPECT_EQ(&find_model("rf"), &model_registry()[1]);
}

TEST(ModelRegistry, UnknownModelListsTheKnownNames) {
  try {
    find_model("svm");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kUsage);
    EXPECT_EQ(e.message(), "unknown model 'svm' (known: lr, rf, gbm)");
  }
}

TEST(ModelRegistry, DefaultsAreOverlaidWithTheCallersValues) {
  const auto model = create_model("gbm", {{"eta", 0.1}, {"max_depth", 6}});
  const auto params = model->parameters();
  EXPECT_EQ(params.at("eta").get<double>(), 0.1);
  EXPECT_EQ(params.at("max_depth").get<int>(), 6);
  EXPECT_EQ(params.at("subsample").get<double>(), 0.8);
  EXPECT_EQ(params.at("n_rounds").get<int>(), 300);
  EXPECT_EQ(create_model("lr")->parameters().at("C").get<double>(), 1.0);
  EXPECT_EQ(create_model("rf")->parameters().at("n_trees").get<int>(), 100);
  // A whole number given as a float is accepted for an integer parameter.
  EXPECT_EQ(create_model("rf", {{"n_trees", 50.0}})->parameters().at("n_trees").get<int>(), 50);
}

TEST(ModelRegistry, RejectsUnknownParameterNamingTheKnownOnes) {
  EXPECT_EQ(usage_error("lr", {{"penalty", 1}}),
            "model 'lr' has no parameter 'penalty' (known: C, max_iter, tol)");
}

TEST(ModelRegistry, RejectsOutOfRangeValuesNamingTheRange) {
  EXPECT_EQ(usage_error("gbm", {{"eta", 0}}),
            "parameter 'eta' of model 'gbm' must be a number in [0.001, 1], got 0");
  EXPECT_EQ(usage_error("lr", {{"C", 2e6}}),
            "parameter 'C' of model 'lr' must be a number in [1e-06, 1000000], got 2000000.0");
  EXPECT_EQ(usage_error("rf", {{"max_depth", 21}}),
            "parameter 'max_depth' of model 'rf' must be an integer in [1, 20], got 21");
}

TEST(ModelRegistry, RejectsFractionalIntegersAndNonNumbers) {
  EXPECT_EQ(usage_error("rf", {{"n_trees", 10.5}}),
            "parameter 'n_trees' of model 'rf' must be an integer in [1, 5000], got 10.5");
  EXPECT_EQ(usage_error("gbm", {{"subsample", "all"}}),
            "parameter 'subsample' of model 'gbm' must be a number in [0.05, 1]");
  EXPECT_EQ(usage_error("gbm", {{"subsample", true}}),
            "parameter 'subsample' of model 'gbm' must be a number in [0.05, 1]");
  EXPECT_EQ(usage_error("lr", nlohmann::json::array({1, 2})),
            "parameters of model 'lr' must be a JSON object");
}

TEST(ModelRegistry, AcceptsTheRangeBoundaries) {
  EXPECT_EQ(usage_error("gbm", {{"eta", 1}, {"max_depth", 1}}), "");
  EXPECT_EQ(usage_error("rf", {{"n_trees", 5000}, {"lambda", 0}}), "");
}

}  // namespace
}  // namespace smartchurn
