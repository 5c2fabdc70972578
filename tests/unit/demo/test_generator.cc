#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "smartchurn/demo.h"
#include "smartchurn/error.h"
#include "test_support/temp_dir.h"

namespace smartchurn {

namespace {

const char* const kHeader =
    "customer_id,signup_month,gender,senior_citizen,partner,dependents,region,tenure_months,"
    "contract,payment_method,paperless_billing,internet_service,phone_service,streaming_tv,"
    "online_security,tech_support,monthly_charges,total_charges,support_calls_90d,"
    "late_payments_12m,data_usage_gb,satisfaction_score,churn";

enum DemoColumn {
  kId = 0,
  kSignup = 1,
  kGender = 2,
  kRegion = 6,
  kTenure = 7,
  kPayment = 9,
  kInternet = 11,
  kTotal = 17,
  kUsage = 20,
  kSatisfaction = 21,
  kChurn = 22,
  kColumnCount = 23
};

std::string generate(std::size_t rows, uint64_t seed) {
  std::ostringstream out;
  write_demo_data(out, DemoOptions{rows, seed});
  return out.str();
}

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream in(text);
  while (std::getline(in, part, separator)) parts.push_back(part);
  if (!text.empty() && text.back() == separator) parts.emplace_back();
  return parts;
}

// The generator never needs CSV quoting, so rows split on commas.
struct Export {
  std::string header;
  std::vector<std::string> lines;
  std::vector<std::vector<std::string>> rows;
};

Export parse(const std::string& csv) {
  Export result;
  // Every line ends with a newline; dropping the last one leaves one part per line.
  std::vector<std::string> lines = split(csv.substr(0, csv.size() - 1), '\n');
  result.header = lines.at(0);
  for (std::size_t i = 1; i < lines.size(); ++i) {
    result.lines.push_back(lines[i]);
    result.rows.push_back(split(lines[i], ','));
  }
  return result;
}

double share(std::size_t count, std::size_t total) {
  return static_cast<double>(count) / static_cast<double>(total);
}

// One 20000-row export shared by the statistical tests (generated once).
const Export& big_export() {
  static const Export data = parse(generate(20000, 42));
  return data;
}

}  // namespace

TEST(DemoGenerator, SameOptionsSameBytesOtherSeedOtherData) {
  const std::string first = generate(500, 7);
  EXPECT_EQ(first, generate(500, 7));
  const std::string other = generate(500, 8);
  EXPECT_NE(first, other);
  // Not just a different id scheme: the customers differ too.
  EXPECT_NE(first.substr(first.find('\n') + 10, 200), other.substr(other.find('\n') + 10, 200));
}

TEST(DemoGenerator, WritesTheHeaderAndExactlyTheRequestedRows) {
  for (std::size_t rows : {100u, 1234u}) {
    const std::string csv = generate(rows, 1);
    ASSERT_EQ(csv.back(), '\n');
    const Export data = parse(csv);
    EXPECT_EQ(data.header, kHeader);
    EXPECT_EQ(data.rows.size(), rows);
    for (const auto& row : data.rows) ASSERT_EQ(row.size(), static_cast<std::size_t>(kColumnCount));
    EXPECT_EQ(csv.find('"'), std::string::npos);
  }
}

TEST(DemoGenerator, RefusesFewerThan100Rows) {
  std::ostringstream out;
  try {
    write_demo_data(out, DemoOptions{99, 1});
    FAIL() << "99 rows accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kUsage);
  }
  EXPECT_TRUE(out.str().empty());
  EXPECT_NO_THROW(write_demo_data(out, DemoOptions{100, 1}));
}

TEST(DemoGenerator, WritesTheSameBytesToAFile) {
  const test::TempDir dir("smartchurn-demo-generator");
  const std::string path = dir.file("demo.csv");
  write_demo_data(path, DemoOptions{300, 5});
  std::ifstream in(path, std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  EXPECT_EQ(content.str(), generate(300, 5));
}

TEST(DemoGenerator, UnwritablePathIsAnIoError) {
  try {
    write_demo_data("/nonexistent-dir/demo.csv", DemoOptions{100, 1});
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kIo);
    EXPECT_EQ(e.where().file, "/nonexistent-dir/demo.csv");
  }
}

TEST(DemoGenerator, IdsAreUniqueExceptForExactDuplicateRows) {
  const Export& data = big_export();
  std::map<std::string, std::size_t> first_row;
  std::set<std::string> exported_twice;
  for (std::size_t i = 0; i < data.rows.size(); ++i) {
    const std::string& id = data.rows[i][kId];
    ASSERT_EQ(id.size(), 8u) << id;
    ASSERT_EQ(id[0], 'C');
    ASSERT_EQ(id.find_first_not_of("0123456789", 1), std::string::npos) << id;
    auto [it, fresh] = first_row.emplace(id, i);
    if (fresh) continue;
    ASSERT_EQ(data.lines[i], data.lines[it->second]) << "id " << id << " reused";
    ASSERT_TRUE(exported_twice.insert(id).second) << "id " << id << " exported three times";
  }
  const double rate = share(exported_twice.size(), data.rows.size());
  EXPECT_GT(rate, 0.003);
  EXPECT_LT(rate, 0.007);
}

TEST(DemoGenerator, TenureIsTheMonthsFromSignupToOctober2026) {
  const Export& data = big_export();
  for (const auto& row : data.rows) {
    const std::string& signup = row[kSignup];
    ASSERT_EQ(signup.size(), 7u);
    ASSERT_EQ(signup[4], '-');
    const int year = std::stoi(signup.substr(0, 4)), month = std::stoi(signup.substr(5, 2));
    ASSERT_EQ((2026 * 12 + 10) - (year * 12 + month), std::stoi(row[kTenure])) << signup;
  }
}

TEST(DemoGenerator, MissingValuesAppearAtTheirRates) {
  std::size_t gender = 0, region = 0, payment = 0, satisfaction = 0, usage = 0, with_internet = 0;
  const Export& data = big_export();
  for (const auto& row : data.rows) {
    gender += row[kGender].empty();
    region += row[kRegion] == "Unknown";
    payment += row[kPayment].empty();
    satisfaction += row[kSatisfaction].empty();
    if (row[kInternet] == "No") {
      ASSERT_EQ(row[kUsage], "") << "usage without internet";
    } else {
      ++with_internet;
      usage += row[kUsage].empty();
    }
    // Like Telco: a single space for customers not billed yet, and only for them.
    ASSERT_EQ(row[kTotal] == " ", row[kTenure] == "0");
  }
  const std::size_t n = data.rows.size();
  EXPECT_NEAR(share(gender, n), 0.010, 0.004);
  EXPECT_NEAR(share(region, n), 0.015, 0.004);
  EXPECT_NEAR(share(payment, n), 0.015, 0.004);
  EXPECT_NEAR(share(satisfaction, n), 0.030, 0.006);
  EXPECT_NEAR(share(usage, with_internet), 0.015, 0.004);
}

TEST(DemoGenerator, ChurnRateIsBetween20And30Percent) {
  std::size_t churned = 0;
  const Export& data = big_export();
  for (const auto& row : data.rows) {
    ASSERT_TRUE(row[kChurn] == "Yes" || row[kChurn] == "No") << row[kChurn];
    churned += row[kChurn] == "Yes";
  }
  const double rate = share(churned, data.rows.size());
  EXPECT_GT(rate, 0.20);
  EXPECT_LT(rate, 0.30);
}

}  // namespace smartchurn
