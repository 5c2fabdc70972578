#include "demo/customer_model.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace smartchurn::demo {

namespace {

// Signups grow over time: the weight of a signup month falls by this factor per month of age.
constexpr double kMonthlyGrowth = 0.03;
// The snapshot is taken mid-month, so this month's signups are only partly in.
constexpr double kCurrentMonthShare = 0.3;

double logistic(double x) { return 1.0 / (1.0 + std::exp(-x)); }

double round_to(double value, double step) { return std::round(value / step) * step; }

int draw_tenure(Random& random) {
  static const std::array<double, kHistoryMonths> weights = [] {
    std::array<double, kHistoryMonths> w{};
    for (int t = 0; t < kHistoryMonths; ++t) w[t] = std::exp(-kMonthlyGrowth * t);
    w[0] *= kCurrentMonthShare;
    return w;
  }();
  return static_cast<int>(random.pick(weights));
}

// Customers who stay longer have moved to longer contracts more often.
Contract draw_contract(Random& random, const Customer& c) {
  const double one_year = std::exp(-1.0 + 0.04 * c.tenure_months + 0.2 * c.partner);
  const double two_year =
      std::exp(-1.8 + 0.07 * c.tenure_months + 0.3 * c.dependents - 0.3 * c.senior);
  const std::array<double, 3> weights{1.0, one_year, two_year};
  return static_cast<Contract>(random.pick(weights));
}

Internet draw_internet(Random& random, const Customer& c) {
  const std::array<double, 3> weights =
      c.senior ? std::array<double, 3>{0.25, 0.65, 0.10} : std::array<double, 3>{0.35, 0.42, 0.23};
  return static_cast<Internet>(random.pick(weights));
}

// Electronic check is the habit of month-to-month customers under money pressure; long
// contracts are mostly paid automatically.
Payment draw_payment(Random& random, const Customer& c, double money_pressure) {
  std::array<double, 4> weights{};
  switch (c.contract) {
    case Contract::kMonthToMonth:
      weights = {0.42, 0.22, 0.18, 0.18};
      break;
    case Contract::kOneYear:
      weights = {0.20, 0.22, 0.29, 0.29};
      break;
    case Contract::kTwoYear:
      weights = {0.10, 0.24, 0.33, 0.33};
      break;
  }
  weights[0] *= std::exp(0.4 * money_pressure);
  if (c.senior) weights[0] *= 1.3;
  return static_cast<Payment>(random.pick(weights));
}

void draw_services(Random& random, Customer& c) {
  c.phone_service = c.internet == Internet::kNone || random.chance(0.9);
  if (c.internet == Internet::kNone) return;
  const bool fiber = c.internet == Internet::kFiber;
  const double loyal = c.contract == Contract::kTwoYear ? 0.12 : 0.0;
  c.streaming_tv = random.chance((fiber ? 0.55 : 0.33) + loyal);
  c.online_security = random.chance((fiber ? 0.28 : 0.45) + loyal);
  c.tech_support = random.chance((fiber ? 0.27 : 0.44) + loyal);
}

// The list price of the chosen services; what a customer pays drifts around it (old promotions,
// add-ons not in the export), and paying well above list is a reason to leave.
double list_price(const Customer& c) {
  double price = c.phone_service ? 20.0 : 0.0;
  if (c.internet == Internet::kDsl) price += 25.0;
  if (c.internet == Internet::kFiber) price += 50.0;
  if (c.streaming_tv) price += 12.0;
  if (c.online_security) price += 6.0;
  if (c.tech_support) price += 6.0;
  if (c.contract == Contract::kOneYear) price *= 0.97;
  if (c.contract == Contract::kTwoYear) price *= 0.94;
  return price;
}

double draw_total_charges(Random& random, const Customer& c) {
  if (c.tenure_months == 0) return 0.0;
  if (c.tenure_months == 1) return c.monthly_charges;
  // Past months were billed at slightly different prices.
  const double drift = 1.0 + 0.04 * std::clamp(random.normal(), -3.0, 3.0);
  return std::max(c.monthly_charges, round_to(c.tenure_months * c.monthly_charges * drift, 0.01));
}

double draw_data_usage(Random& random, const Customer& c, double engagement) {
  if (c.internet == Internet::kNone) return 0.0;
  double median = c.internet == Internet::kFiber ? 110.0 : 35.0;
  if (c.streaming_tv) median *= 1.8;
  const double usage = median * std::exp(0.6 * random.normal() + 0.15 * engagement);
  return std::max(0.1, round_to(usage, 0.1));
}

// Months into the current contract term; customers near a renewal reconsider.
bool near_renewal(const Customer& c) {
  if (c.contract == Contract::kMonthToMonth) return false;
  const int term = c.contract == Contract::kOneYear ? 12 : 24;
  return c.tenure_months % term >= term - 2;
}

// The churn log-odds. Several weak signals and interactions, none decisive on its own, plus
// a hidden part (engagement) the export does not show.
double churn_score(const Customer& c, double overpaid, double engagement) {
  const bool fiber = c.internet == Internet::kFiber;
  double score = -2.8;
  switch (c.contract) {
    case Contract::kMonthToMonth:
      score += 1.5 - 0.09 * c.tenure_months;
      break;
    case Contract::kOneYear:
      score += -0.4;
      break;
    case Contract::kTwoYear:
      score += -1.2;
      break;
  }
  if (near_renewal(c)) score += 2.0;
  if (fiber) score += 0.3;
  if (fiber && !c.tech_support) score += 1.1;
  score += 0.35 * c.support_calls_90d;
  score += 0.5 * c.late_payments_12m;
  score -= 0.55 * (c.satisfaction_score - 3);
  if (c.payment == Payment::kElectronicCheck) score += 0.6;
  score += 0.1 * overpaid;
  score += 0.01 * (c.monthly_charges - 65.0);
  if (c.senior) score += 0.35;
  if (c.partner) score -= 0.15;
  if (c.dependents) score -= 0.35;
  if (c.paperless_billing) score += 0.15;
  score -= 0.3 * engagement;
  return score;
}

}  // namespace

void signup_month(int tenure_months, int& year, int& month) {
  const int index = kSnapshotYear * 12 + (kSnapshotMonth - 1) - tenure_months;
  year = index / 12;
  month = index % 12 + 1;
}

Customer draw_customer(Random& random) {
  Customer c;
  // Hidden traits: how engaged the customer is, and how tight their money is.
  const double engagement = random.normal();
  const double money_pressure = random.normal();

  c.tenure_months = draw_tenure(random);
  c.female = random.chance(0.5);
  c.senior = random.chance(0.16);
  c.partner = random.chance(c.senior ? 0.55 : 0.47);
  c.dependents = random.chance(c.partner ? 0.5 : 0.1);
  static constexpr std::array<double, kRegionCount> kRegionWeights{0.26, 0.22, 0.2, 0.18, 0.14};
  c.region = static_cast<int>(random.pick(kRegionWeights));
  c.contract = draw_contract(random, c);
  c.internet = draw_internet(random, c);
  c.payment = draw_payment(random, c, money_pressure);
  draw_services(random, c);
  c.paperless_billing = random.chance(0.45 + 0.2 * (c.internet == Internet::kFiber) +
                                      0.1 * (c.payment == Payment::kElectronicCheck));

  const double list = list_price(c);
  const double drift = 1.0 + 0.07 * std::clamp(random.normal(), -3.0, 3.0);
  c.monthly_charges = std::max(18.25, round_to(list * drift + 1.5 * random.normal(), 0.05));
  const double overpaid = c.monthly_charges - list;
  c.total_charges = draw_total_charges(random, c);

  const bool fiber_without_support = c.internet == Internet::kFiber && !c.tech_support;
  const double calls_mean = 0.7 * std::exp(-0.35 * engagement + 0.5 * fiber_without_support -
                                           0.4 * (c.internet == Internet::kNone));
  c.support_calls_90d = std::min(15, random.poisson(calls_mean));
  const double months_billed = std::min(c.tenure_months, 12) / 12.0;
  const double late_mean =
      0.7 * months_billed *
      std::exp(0.7 * money_pressure + 0.3 * (c.payment == Payment::kElectronicCheck));
  c.late_payments_12m = std::min(12, random.poisson(late_mean));
  c.data_usage_gb = draw_data_usage(random, c, engagement);

  const double satisfaction =
      3.4 + 0.7 * engagement - 0.2 * c.support_calls_90d - 0.04 * overpaid + 0.8 * random.normal();
  c.satisfaction_score = static_cast<int>(std::clamp(std::round(satisfaction), 1.0, 5.0));

  const double noise = 0.3 * random.normal();
  c.churn_probability = logistic(churn_score(c, overpaid, engagement) + noise);
  c.churn = random.chance(c.churn_probability);
  return c;
}

}  // namespace smartchurn::demo
