#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <numeric>

#include "explain/grouping.h"
#include "smartchurn/error.h"
#include "smartchurn/explain.h"
#include "smartchurn/scorer.h"
#include "test_support/temp_dir.h"
#include "unit/dataset_builder.h"
#include "unit/explain/explain_test_support.h"

namespace smartchurn {
namespace {

using test::cells_of;
using test::demo_bundle;
using test::demo_customers;
using test::views_of;

constexpr double kAdditivity = 1e-4;

double sum_of(const Explanation& e) {
  double s = e.base_value;
  for (const auto& r : e.reasons) s += r.contribution;
  return s;
}

// base + contributions = log-odds = the engine's margin, grouped and ungrouped, on 200 customers.
void expect_additive(const Bundle& bundle, const Explainer& explainer) {
  const Scorer scorer(bundle);
  const Dataset& data = demo_customers();
  ASSERT_EQ(explainer.input_columns(), scorer.input_columns());
  for (std::size_t row = 0; row < 200; ++row) {
    const auto cells = cells_of(data, row, explainer.input_columns());
    const auto fields = views_of(cells);
    const Explanation e = explainer.explain_record(fields);
    const double margin = scorer.margin_record(fields);
    ASSERT_EQ(e.reasons.size(), explainer.input_columns().size());
    EXPECT_NEAR(sum_of(e), e.log_odds, 1e-9) << "row " << row;
    EXPECT_NEAR(e.log_odds, margin, kAdditivity) << "row " << row;
    if (!e.feature_contributions.empty()) {
      double ungrouped = e.base_value;
      for (double c : e.feature_contributions) ungrouped += c;
      EXPECT_NEAR(ungrouped, margin, kAdditivity) << "row " << row;
    }
    EXPECT_NEAR(e.probability(), scorer.score_record(fields), 1e-5);
  }
}

TEST(Explainer, AutoPicksTheExactMethodOfEachFamily) {
  EXPECT_EQ(Explainer(demo_bundle("lr")).method(), ExplainMethod::kLinear);
  EXPECT_EQ(Explainer(demo_bundle("gbm")).method(), ExplainMethod::kTreeShap);
  EXPECT_EQ(Explainer(demo_bundle("rf")).method(), ExplainMethod::kTreeShap);
  EXPECT_THROW(Explainer(demo_bundle("lr"), {ExplainMethod::kTreeShap}), Error);
  EXPECT_THROW(Explainer(demo_bundle("gbm"), {ExplainMethod::kLinear}), Error);
}

TEST(Explainer, LinearExplanationsAddUpToTheEngineMargin) {
  expect_additive(demo_bundle("lr"), Explainer(demo_bundle("lr")));
}

TEST(Explainer, GradientBoostingExplanationsAddUpToTheEngineMargin) {
  expect_additive(demo_bundle("gbm"), Explainer(demo_bundle("gbm")));
}

TEST(Explainer, RandomForestExplanationsAddUpToTheEngineMargin) {
  expect_additive(demo_bundle("rf"), Explainer(demo_bundle("rf")));
}

TEST(Explainer, SamplingExplanationsAddUpForEveryFamily) {
  for (const char* model : {"lr", "gbm", "rf"}) {
    SCOPED_TRACE(model);
    expect_additive(demo_bundle(model), Explainer(demo_bundle(model), {ExplainMethod::kSampling}));
  }
}

TEST(Explainer, ReasonsAreRankedByMagnitudeAndCarryTheValues) {
  const Bundle& bundle = demo_bundle("gbm");
  const Explainer explainer(bundle);
  const auto cells = cells_of(demo_customers(), 3, explainer.input_columns());
  const Explanation e = explainer.explain_record(views_of(cells));
  for (std::size_t i = 1; i < e.reasons.size(); ++i) {
    EXPECT_GE(std::abs(e.reasons[i - 1].contribution), std::abs(e.reasons[i].contribution));
  }
  for (const auto& reason : e.reasons) {
    const auto at = std::find(explainer.input_columns().begin(), explainer.input_columns().end(),
                              reason.column) -
                    explainer.input_columns().begin();
    EXPECT_EQ(reason.value, cells[static_cast<std::size_t>(at)]) << reason.column;
  }
}

TEST(Explainer, ABatchEqualsOneRecordAtATime) {
  for (const char* model : {"lr", "gbm"}) {
    const Explainer explainer(demo_bundle(model));
    const Dataset& data = demo_customers();
    const auto batch = explainer.explain(data, 2);
    ASSERT_EQ(batch.size(), data.rows());
    for (std::size_t row = 0; row < data.rows(); row += 37) {
      const auto cells = cells_of(data, row, explainer.input_columns());
      const Explanation one = explainer.explain_record(views_of(cells));
      EXPECT_NEAR(batch[row].base_value, one.base_value, 1e-12);
      ASSERT_EQ(batch[row].reasons.size(), one.reasons.size());
      for (std::size_t i = 0; i < one.reasons.size(); ++i) {
        EXPECT_EQ(batch[row].reasons[i].column, one.reasons[i].column);
        EXPECT_EQ(batch[row].reasons[i].value, one.reasons[i].value);
        EXPECT_NEAR(batch[row].reasons[i].contribution, one.reasons[i].contribution, 1e-6);
      }
    }
  }
}

TEST(Explainer, AReloadedBundleExplainsIdentically) {
  for (const char* model : {"lr", "rf", "gbm"}) {
    SCOPED_TRACE(model);
    const Bundle& trained = demo_bundle(model);
    const test::TempDir dir("smartchurn-explain-reload");
    save_bundle(trained, dir.file("bundle.json"));
    const Bundle loaded = load_bundle(dir.file("bundle.json"));
    for (auto method : {ExplainMethod::kAuto, ExplainMethod::kSampling}) {
      const Explainer before(trained, {method}), after(loaded, {method});
      for (std::size_t row = 0; row < 50; ++row) {
        const auto cells = cells_of(demo_customers(), row, before.input_columns());
        const Explanation a = before.explain_record(views_of(cells));
        const Explanation b = after.explain_record(views_of(cells));
        ASSERT_EQ(a.reasons.size(), b.reasons.size());
        EXPECT_EQ(a.base_value, b.base_value);
        for (std::size_t i = 0; i < a.reasons.size(); ++i) {
          EXPECT_EQ(a.reasons[i].column, b.reasons[i].column);
          EXPECT_EQ(a.reasons[i].contribution, b.reasons[i].contribution);
        }
      }
    }
  }
}

TEST(Explainer, BadFieldsAreNamedAsTheScorerNamesThem) {
  const Explainer explainer(demo_bundle("gbm"));
  auto cells = cells_of(demo_customers(), 0, explainer.input_columns());
  const auto at = std::find(explainer.input_columns().begin(), explainer.input_columns().end(),
                            "tenure_months") -
                  explainer.input_columns().begin();
  cells[static_cast<std::size_t>(at)] = "soon";
  try {
    explainer.explain_record(views_of(cells));
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kBadData);
    EXPECT_EQ(e.where().column, "tenure_months");
  }
}

TEST(Explainer, ReasonSentencesAndProbabilityEffects) {
  EXPECT_EQ(reason_sentence({"Contract", "Month-to-month", 0.4}),
            "Contract = Month-to-month raises the churn risk");
  EXPECT_EQ(reason_sentence({"tenure", "70", -0.8}), "tenure = 70 lowers the churn risk");
  EXPECT_EQ(reason_sentence({"TotalCharges", "", 0.1}),
            "TotalCharges = (missing) raises the churn risk");
  // From log-odds 0 (p = 0.5), removing +1 gives logistic(-1) = 0.268941...
  EXPECT_NEAR(probability_effect(0.0, 1.0), 0.5 - 0.2689414213699951, 1e-12);
  EXPECT_NEAR(probability_effect(0.0, -1.0), 0.5 - 0.7310585786300049, 1e-12);
}

}  // namespace
}  // namespace smartchurn
