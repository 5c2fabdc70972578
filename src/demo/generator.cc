// Turns drawn customers into a telecom-style CSV export, streaming: each row is written as it is
// generated, so memory does not grow with the row count. The export's flaws are added here:
// missing values in a few columns and the odd customer exported twice.
#include <fmt/format.h>

#include <array>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>

#include "demo/customer_model.h"
#include "smartchurn/demo.h"
#include "smartchurn/error.h"
#include "util/random.h"

namespace smartchurn {

namespace {

using demo::Contract;
using demo::Customer;
using demo::Internet;
using demo::Payment;

constexpr std::size_t kMinRows = 100;
constexpr std::size_t kMaxRows = 1'000'000'000;  // ~130 GB: surely a typo beyond that
constexpr std::size_t kFlushBytes = 1 << 20;

// Rates of the export's flaws.
constexpr double kDuplicateRate = 0.005;
constexpr double kMissingGender = 0.01;
constexpr double kUnknownRegion = 0.015;
constexpr double kMissingPayment = 0.015;
constexpr double kMissingUsage = 0.015;  // among customers with internet
constexpr double kMissingSatisfaction = 0.03;
// A duplicate repeats one of the last few fresh rows, as a re-run export batch would.
constexpr std::size_t kRecentRows = 32;

constexpr std::string_view kHeader =
    "customer_id,signup_month,gender,senior_citizen,partner,dependents,region,tenure_months,"
    "contract,payment_method,paperless_billing,internet_service,phone_service,streaming_tv,"
    "online_security,tech_support,monthly_charges,total_charges,support_calls_90d,"
    "late_payments_12m,data_usage_gb,satisfaction_score,churn\n";

constexpr std::array<std::string_view, demo::kRegionCount> kRegions{"North", "South", "East",
                                                                    "West", "Central"};

std::string_view yes_no(bool value) { return value ? "Yes" : "No"; }

std::string_view contract_name(Contract contract) {
  switch (contract) {
    case Contract::kMonthToMonth:
      return "Month-to-month";
    case Contract::kOneYear:
      return "One year";
    case Contract::kTwoYear:
      return "Two year";
  }
  return "";
}

std::string_view internet_name(Internet internet) {
  switch (internet) {
    case Internet::kDsl:
      return "DSL";
    case Internet::kFiber:
      return "Fiber optic";
    case Internet::kNone:
      return "No";
  }
  return "";
}

std::string_view payment_name(Payment payment) {
  switch (payment) {
    case Payment::kElectronicCheck:
      return "Electronic check";
    case Payment::kMailedCheck:
      return "Mailed check";
    case Payment::kBankTransfer:
      return "Bank transfer (automatic)";
    case Payment::kCreditCard:
      return "Credit card (automatic)";
  }
  return "";
}

std::string_view internet_addon(const Customer& c, bool has_addon) {
  return c.internet == Internet::kNone ? "No internet service" : yes_no(has_addon);
}

// Customer ids look random but never repeat: the customer counter goes through a seeded bijection
// of [0, 2^bits) (odd multiplications and xor-shifts, each invertible), walked until it lands
// below 10^digits; as the counter is below 10^digits too, that is a bijection of [0, 10^digits).
class CustomerIds {
 public:
  CustomerIds(util::Random& random, std::size_t rows) {
    // At most one id in ten is used, so ids do not look like a dense sequence.
    while (modulus_ / 10 < rows) {
      modulus_ *= 10;
      ++digits_;
    }
    while ((uint64_t{1} << bits_) < modulus_) ++bits_;
    mask_ = (uint64_t{1} << bits_) - 1;
    for (auto& k : keys_) k = random.below(mask_ + 1);
    for (auto& m : multipliers_) m = random.below(mask_ + 1) | 1;
  }

  void append(std::string& line, uint64_t n) const {
    uint64_t id = n;
    do {
      id = scramble(id);
    } while (id >= modulus_);
    fmt::format_to(std::back_inserter(line), "C{:0{}d}", id, digits_);
  }

 private:
  uint64_t scramble(uint64_t x) const {
    for (std::size_t round = 0; round < kRounds; ++round) {
      x = ((x ^ keys_[round]) * multipliers_[round]) & mask_;
      x ^= x >> (bits_ / 2 + 1);
    }
    return x;
  }

  uint64_t modulus_ = 10'000'000;
  int digits_ = 7;
  int bits_ = 1;
  uint64_t mask_ = 1;
  static constexpr std::size_t kRounds = 3;
  std::array<uint64_t, kRounds> keys_{};
  std::array<uint64_t, kRounds> multipliers_{};
};

void append_row(std::string& line, const Customer& c, util::Random& random) {
  auto out = std::back_inserter(line);
  int year = 0, month = 0;
  demo::signup_month(c.tenure_months, year, month);
  const std::string_view gender =
      random.chance(kMissingGender) ? "" : (c.female ? "Female" : "Male");
  const std::string_view region = random.chance(kUnknownRegion) ? "Unknown" : kRegions[c.region];
  const std::string_view payment = random.chance(kMissingPayment) ? "" : payment_name(c.payment);
  fmt::format_to(out, ",{:04d}-{:02d},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{:.2f},", year,
                 month, gender, c.senior ? 1 : 0, yes_no(c.partner), yes_no(c.dependents), region,
                 c.tenure_months, contract_name(c.contract), payment, yes_no(c.paperless_billing),
                 internet_name(c.internet), yes_no(c.phone_service),
                 internet_addon(c, c.streaming_tv), internet_addon(c, c.online_security),
                 internet_addon(c, c.tech_support), c.monthly_charges);
  // Like the Telco export, customers not yet billed have a single space as total.
  if (c.tenure_months == 0) {
    line += ' ';
  } else {
    fmt::format_to(out, "{:.2f}", c.total_charges);
  }
  fmt::format_to(out, ",{},{},", c.support_calls_90d, c.late_payments_12m);
  if (c.internet != Internet::kNone && !random.chance(kMissingUsage)) {
    fmt::format_to(out, "{:.1f}", c.data_usage_gb);
  }
  line += ',';
  if (!random.chance(kMissingSatisfaction)) fmt::format_to(out, "{}", c.satisfaction_score);
  line += ',';
  line += yes_no(c.churn);
  line += '\n';
}

void check_options(const DemoOptions& options) {
  if (options.rows < kMinRows || options.rows > kMaxRows) {
    throw_usage(fmt::format("demo data rows must be between {} and {}, got {}", kMinRows, kMaxRows,
                            options.rows));
  }
}

// Writes everything; the caller checks the stream and names it in the error.
void generate(std::ostream& out, const DemoOptions& options) {
  util::Random random(options.seed);
  const CustomerIds ids(random, options.rows);

  std::string buffer;
  buffer.reserve(kFlushBytes + 1024);
  buffer += kHeader;
  std::array<std::string, kRecentRows> recent;  // fresh rows that may be exported again
  std::string line;
  uint64_t customers = 0;
  for (std::size_t row = 0; row < options.rows; ++row) {
    const bool duplicate = random.chance(kDuplicateRate);
    const std::size_t slot = random.below(kRecentRows);
    if (duplicate && !recent[slot].empty()) {
      buffer += recent[slot];
      recent[slot].clear();  // exported twice at most
    } else {
      line.clear();
      ids.append(line, customers);
      append_row(line, demo::draw_customer(random), random);
      buffer += line;
      recent[customers % kRecentRows].swap(line);
      ++customers;
    }
    if (buffer.size() >= kFlushBytes) {
      out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
      buffer.clear();
      if (!out) return;  // disk full or pipe closed: no point generating the rest
    }
  }
  out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
  out.flush();
}

}  // namespace

void write_demo_data(std::ostream& out, const DemoOptions& options) {
  check_options(options);
  generate(out, options);
  if (!out) throw_io("could not write the demo data");
}

void write_demo_data(const std::string& path, const DemoOptions& options) {
  check_options(options);
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  if (!file) throw_io("cannot open for writing", {path, 0, ""});
  generate(file, options);
  file.close();
  if (!file) throw_io("could not write the demo data", {path, 0, ""});
}

}  // namespace smartchurn
