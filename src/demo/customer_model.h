// The causal story behind the demo customer base: who signs up when, which services they take,
// what they pay, how they behave, and whether they churn. Values here are clean and typed; the
// generator turns them into CSV text and adds the export's flaws (missing values, duplicates).
#pragma once

#include "util/random.h"

namespace smartchurn::demo {

using util::Random;  // the seeded draws, the same with every standard library

// The export is taken at the end of this month; signups span the months before it.
inline constexpr int kSnapshotYear = 2026;
inline constexpr int kSnapshotMonth = 10;
inline constexpr int kHistoryMonths = 36;  // tenure_months is 0 .. kHistoryMonths - 1

enum class Contract { kMonthToMonth, kOneYear, kTwoYear };
enum class Internet { kDsl, kFiber, kNone };
enum class Payment { kElectronicCheck, kMailedCheck, kBankTransfer, kCreditCard };
inline constexpr int kRegionCount = 5;

struct Customer {
  int tenure_months = 0;  // whole months between signup and the snapshot month
  bool female = false;
  bool senior = false;
  bool partner = false;
  bool dependents = false;
  int region = 0;  // 0 .. kRegionCount - 1
  Contract contract = Contract::kMonthToMonth;
  Payment payment = Payment::kElectronicCheck;
  bool paperless_billing = false;
  Internet internet = Internet::kDsl;
  bool phone_service = false;
  bool streaming_tv = false;     // always false without internet
  bool online_security = false;  // always false without internet
  bool tech_support = false;     // always false without internet
  double monthly_charges = 0.0;  // in 0.05 steps
  double total_charges = 0.0;    // 0 for customers who signed up this month
  int support_calls_90d = 0;
  int late_payments_12m = 0;
  double data_usage_gb = 0.0;  // 0 without internet
  int satisfaction_score = 3;  // 1 .. 5
  double churn_probability = 0.0;
  bool churn = false;
};

Customer draw_customer(Random& random);

// The signup month as "YYYY-MM" for a tenure counted back from the snapshot month.
void signup_month(int tenure_months, int& year, int& month);

}  // namespace smartchurn::demo
