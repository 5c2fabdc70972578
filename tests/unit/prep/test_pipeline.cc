#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "smartchurn/error.h"
#include "smartchurn/pipeline.h"
#include "unit/dataset_builder.h"

namespace smartchurn {
namespace {

using test::DatasetBuilder;

std::vector<std::size_t> all_rows(const Dataset& d) {
  std::vector<std::size_t> rows(d.rows());
  std::iota(rows.begin(), rows.end(), 0);
  return rows;
}

std::vector<std::string> names(const Pipeline& p) {
  std::vector<std::string> out;
  for (const auto& f : p.features()) out.push_back(f.name);
  return out;
}

int feature_index(const Pipeline& p, const std::string& name) {
  auto n = names(p);
  auto it = std::find(n.begin(), n.end(), name);
  return it == n.end() ? -1 : static_cast<int>(it - n.begin());
}

PrepOptions linear_options() {
  PrepOptions o;
  o.style = InputStyle::kScaledOneHot;
  o.combined_features = false;
  return o;
}

// 20 rows of A, 15 of B, 2 of C: C is rare with the default minimum of 10 rows.
Dataset plan_data() {
  std::vector<std::string> plan;
  std::vector<double> spend;
  std::vector<float> y;
  for (int i = 0; i < 37; ++i) {
    plan.push_back(i < 20 ? "A" : i < 35 ? "B" : "C");
    spend.push_back(i);
  }
  return DatasetBuilder().categorical("plan", plan).numeric("spend", spend).build();
}

std::vector<float> alternating(std::size_t n) {
  std::vector<float> y(n);
  for (std::size_t i = 0; i < n; ++i) y[i] = static_cast<float>(i % 2);
  return y;
}

TEST(Pipeline, OneHotGroupsRareLevelsIntoOther) {
  Dataset d = plan_data();
  auto y = alternating(d.rows());
  auto p = Pipeline::fit(d, y, all_rows(d), {"plan"}, linear_options());
  EXPECT_EQ(names(p), (std::vector<std::string>{"plan=A", "plan=B", "plan=(other)"}));
  auto x = p.transform(d);
  EXPECT_EQ(x.at(0, 0), 1.0f);   // A
  EXPECT_EQ(x.at(25, 1), 1.0f);  // B
  EXPECT_EQ(x.at(36, 2), 1.0f);  // C, rare
  EXPECT_EQ(x.at(36, 0) + x.at(36, 1), 0.0f);
  for (const auto& f : p.features()) EXPECT_EQ(f.sources, std::vector<std::string>{"plan"});
}

TEST(Pipeline, UnseenLevelsGoToTheOtherBucket) {
  Dataset d = plan_data();
  auto y = alternating(d.rows());
  auto p = Pipeline::fit(d, y, all_rows(d), {"plan"}, linear_options());
  Dataset scoring = d;
  scoring.columns[0].codes[0] = kUnseenCode;
  auto x = p.transform(scoring);
  EXPECT_EQ(x.at(0, 0), 0.0f);
  EXPECT_EQ(x.at(0, 2), 1.0f);
}

TEST(Pipeline, TreeStyleUsesNativeCategoryCodes) {
  Dataset d = plan_data();
  d.columns[0].codes[1] = kMissingCode;
  auto y = alternating(d.rows());
  PrepOptions o;
  o.combined_features = false;
  auto p = Pipeline::fit(d, y, all_rows(d), {"plan"}, o);
  ASSERT_EQ(names(p), std::vector<std::string>{"plan"});
  EXPECT_EQ(p.categorical_mask(), std::vector<bool>{true});
  auto x = p.transform(d);
  EXPECT_EQ(x.at(0, 0), 0.0f);  // A: most frequent first
  EXPECT_TRUE(std::isnan(x.at(1, 0)));
  EXPECT_EQ(x.at(25, 0), 1.0f);  // B
  EXPECT_EQ(x.at(36, 0), 2.0f);  // C: the (other) code
}

TEST(Pipeline, NumericIsCappedImputedWithTheMedianAndStandardised) {
  // 1..19 plus one far outlier and one missing value.
  std::vector<double> v;
  for (int i = 1; i <= 19; ++i) v.push_back(i);
  v.push_back(1000);
  v.push_back(NAN);
  Dataset d = DatasetBuilder().numeric("spend", v).build();
  auto y = alternating(d.rows());
  auto p = Pipeline::fit(d, y, all_rows(d), {"spend"}, linear_options());
  auto j = p.to_json()["features"][0];
  // Q1 = 5.75, Q3 = 15.25, IQR = 9.5, so the far-out fence is 15.25 + 3 * 9.5 = 43.75; the cap is
  // never inside the 99th percentile, 19 + 0.81 * (1000 - 19) = 813.61, which wins here.
  EXPECT_NEAR(j["upper"][0].get<double>(), 813.61, 1e-9);
  EXPECT_NEAR(j["fill"].get<double>(), 10.5, 1e-12);  // median of 1..19 and 1000
  auto x = p.transform(d);
  double center = j["center"].get<double>(), scale = j["scale"].get<double>();
  EXPECT_NEAR(x.at(20, 0), (10.5 - center) / scale, 1e-5);    // missing -> median
  EXPECT_NEAR(x.at(19, 0), (813.61 - center) / scale, 1e-4);  // capped
}

TEST(Pipeline, AddsAMissingIndicatorOnlyWhenMissingnessCarriesSignal) {
  std::vector<double> v;
  std::vector<float> y;
  for (int i = 0; i < 200; ++i) {
    bool missing = i % 4 == 0;
    v.push_back(missing ? NAN : double(i % 7));
    y.push_back(missing ? 1.0f : (i % 3 == 0 ? 1.0f : 0.0f));
  }
  Dataset d = DatasetBuilder()
                  .numeric("contract_left", v)
                  .numeric("noise", std::vector<double>(200, 1))
                  .build();
  d.columns[1].values[0] = NAN;  // one missing cell: no signal
  auto p = Pipeline::fit(d, y, all_rows(d), {"contract_left", "noise"}, linear_options());
  auto n = names(p);
  EXPECT_NE(feature_index(p, "contract_left is missing"), -1);
  EXPECT_EQ(feature_index(p, "noise is missing"), -1);
}

TEST(Pipeline, CountsYesOverColumnsSharingTheirValues) {
  std::vector<std::string> a, b, c;
  const char* values[] = {"Yes", "No", "No internet service"};
  for (int i = 0; i < 60; ++i) {
    a.push_back(values[i % 3]);
    b.push_back(values[(i / 3) % 3]);
    c.push_back(values[(i / 9) % 3]);
  }
  Dataset d = DatasetBuilder()
                  .categorical("backup", a)
                  .categorical("security", b)
                  .categorical("support", c)
                  .build();
  auto y = alternating(d.rows());
  PrepOptions o;
  auto p = Pipeline::fit(d, y, all_rows(d), {"backup", "security", "support"}, o);
  int count = feature_index(p, "count of Yes in (backup, security, support)");
  ASSERT_NE(count, -1);
  EXPECT_EQ(p.features()[std::size_t(count)].sources,
            (std::vector<std::string>{"backup", "security", "support"}));
  auto x = p.transform(d);
  EXPECT_EQ(x.at(0, std::size_t(count)), 3.0f);  // Yes, Yes, Yes
  EXPECT_EQ(x.at(1, std::size_t(count)), 2.0f);  // No, Yes, Yes
}

TEST(Pipeline, KeepsARatioThatRanksBetterThanItsSources) {
  // Churn depends on charges per month of tenure, which neither column shows on its own.
  std::vector<double> charges, tenure;
  std::vector<float> y;
  uint64_t state = 7;
  auto next = [&] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return double(state >> 11) / 9007199254740992.0;
  };
  for (int i = 0; i < 400; ++i) {
    double t = 1 + 70 * next();
    double rate = 20 + 80 * next();
    charges.push_back(t * rate);
    tenure.push_back(t);
    y.push_back(rate > 60 ? 1.0f : 0.0f);
  }
  Dataset d = DatasetBuilder().numeric("total", charges).numeric("tenure", tenure).build();
  PrepOptions o;
  auto p = Pipeline::fit(d, y, all_rows(d), {"total", "tenure"}, o);
  bool found = false;
  for (const auto& f : p.features()) {
    if (f.kind == "ratio") {
      found = true;
      EXPECT_EQ(f.sources.size(), 2u);
    }
  }
  EXPECT_TRUE(found) << p.summary().dump();
}

TEST(Pipeline, DropsConstantAndDuplicateFeaturesWithReasons) {
  std::vector<double> a, constant(50, 3.0);
  for (int i = 0; i < 50; ++i) a.push_back(i % 9);
  Dataset d =
      DatasetBuilder().numeric("a", a).numeric("a_copy", a).numeric("flat", constant).build();
  auto y = alternating(d.rows());
  auto p = Pipeline::fit(d, y, all_rows(d), {"a", "a_copy", "flat"}, linear_options());
  EXPECT_EQ(names(p), std::vector<std::string>{"a"});
  std::string dropped = p.summary()["dropped_features"].dump();
  EXPECT_NE(dropped.find("duplicate of a"), std::string::npos) << dropped;
  EXPECT_NE(dropped.find("constant"), std::string::npos) << dropped;
}

TEST(Pipeline, JsonRoundTripTransformsIdentically) {
  Dataset d = plan_data();
  auto y = alternating(d.rows());
  for (auto style : {InputStyle::kScaledOneHot, InputStyle::kTree}) {
    PrepOptions o;
    o.style = style;
    auto p = Pipeline::fit(d, y, all_rows(d), {"plan", "spend"}, o);
    auto copy = Pipeline::from_json(nlohmann::json::parse(p.to_json().dump()));
    auto a = p.transform(d), b = copy.transform(d);
    ASSERT_EQ(a.values.size(), b.values.size());
    for (std::size_t i = 0; i < a.values.size(); ++i) {
      if (std::isnan(a.values[i])) {
        EXPECT_TRUE(std::isnan(b.values[i]));
      } else {
        EXPECT_EQ(a.values[i], b.values[i]);
      }
    }
    EXPECT_EQ(names(p), names(copy));
  }
}

TEST(Pipeline, PcaReplacesContinuousFeaturesByComponents) {
  std::vector<double> a, b, noise;
  for (int i = 0; i < 100; ++i) {
    a.push_back(i);
    b.push_back(2 * i + 1);
    noise.push_back((i * 37) % 11);
  }
  Dataset d = DatasetBuilder().numeric("a", a).numeric("b", b).numeric("c", noise).build();
  auto y = alternating(d.rows());
  PrepOptions o = linear_options();
  o.collinear_threshold = 1.1;  // keep both a and b so PCA has a redundant pair to merge
  o.pca_components = 2;
  auto p = Pipeline::fit(d, y, all_rows(d), {"a", "b", "c"}, o);
  EXPECT_EQ(names(p), (std::vector<std::string>{"principal component 1", "principal component 2"}));
  EXPECT_EQ(p.features()[0].sources, (std::vector<std::string>{"a", "b", "c"}));
  auto ratio = p.to_json()["pca"]["state"]["explained_variance_ratio"];
  EXPECT_GT(ratio[0].get<double>(), 0.66);  // a and b are one direction out of three
}

TEST(Pipeline, AbsentInputColumnIsAnErrorNamingIt) {
  Dataset d = plan_data();
  auto y = alternating(d.rows());
  auto p = Pipeline::fit(d, y, all_rows(d), {"plan"}, linear_options());
  Dataset other = DatasetBuilder().numeric("spend", {1, 2}).build();
  try {
    p.transform(other);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kBadData);
    EXPECT_NE(std::string(e.what()).find("'plan'"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace smartchurn
