#include <gtest/gtest.h>

#include "demo/customer_model.h"

namespace smartchurn::demo {

TEST(DemoCustomerModel, SignupMonthCountsBackFromTheSnapshot) {
  int year = 0, month = 0;
  signup_month(0, year, month);
  EXPECT_EQ(year * 100 + month, 202610);
  signup_month(9, year, month);
  EXPECT_EQ(year * 100 + month, 202601);
  signup_month(10, year, month);
  EXPECT_EQ(year * 100 + month, 202512);
  signup_month(35, year, month);
  EXPECT_EQ(year * 100 + month, 202311);
}

TEST(DemoCustomerModel, CustomersAreInternallyConsistent) {
  Random random(1);
  for (int i = 0; i < 20000; ++i) {
    const Customer c = draw_customer(random);
    ASSERT_GE(c.tenure_months, 0);
    ASSERT_LT(c.tenure_months, kHistoryMonths);
    ASSERT_GE(c.region, 0);
    ASSERT_LT(c.region, kRegionCount);
    ASSERT_GE(c.satisfaction_score, 1);
    ASSERT_LE(c.satisfaction_score, 5);
    ASSERT_GE(c.monthly_charges, 18.25);
    ASSERT_GE(c.support_calls_90d, 0);
    ASSERT_GE(c.late_payments_12m, 0);
    if (c.internet == Internet::kNone) {
      ASSERT_TRUE(c.phone_service) << "a customer with no service at all";
      ASSERT_FALSE(c.streaming_tv || c.online_security || c.tech_support);
      ASSERT_EQ(c.data_usage_gb, 0.0);
    } else {
      ASSERT_GT(c.data_usage_gb, 0.0);
    }
    if (c.tenure_months == 0) {
      ASSERT_EQ(c.total_charges, 0.0);
      ASSERT_EQ(c.late_payments_12m, 0) << "late before the first bill";
    }
    if (c.tenure_months == 1) {
      ASSERT_EQ(c.total_charges, c.monthly_charges);
    } else if (c.tenure_months > 1) {
      ASSERT_GE(c.total_charges, c.monthly_charges);
    }
    ASSERT_GT(c.churn_probability, 0.0);
    ASSERT_LT(c.churn_probability, 1.0);
  }
}

TEST(DemoCustomerModel, ServicesDrivePricesAndContractsFollowTenure) {
  Random random(2);
  double charges[3] = {0, 0, 0}, tenure[3] = {0, 0, 0};
  int by_internet[3] = {0, 0, 0}, by_contract[3] = {0, 0, 0}, churned = 0;
  const int draws = 20000;
  for (int i = 0; i < draws; ++i) {
    const Customer c = draw_customer(random);
    charges[static_cast<int>(c.internet)] += c.monthly_charges;
    ++by_internet[static_cast<int>(c.internet)];
    tenure[static_cast<int>(c.contract)] += c.tenure_months;
    ++by_contract[static_cast<int>(c.contract)];
    churned += c.churn ? 1 : 0;
  }
  const double dsl = charges[0] / by_internet[0], fiber = charges[1] / by_internet[1],
               none = charges[2] / by_internet[2];
  EXPECT_GT(fiber, dsl + 15.0);
  EXPECT_GT(dsl, none + 20.0);
  const double month_to_month = tenure[0] / by_contract[0], two_year = tenure[2] / by_contract[2];
  EXPECT_GT(two_year, month_to_month + 3.0);
  const double churn_rate = churned / static_cast<double>(draws);
  EXPECT_GT(churn_rate, 0.20);
  EXPECT_LT(churn_rate, 0.30);
}

}  // namespace smartchurn::demo
