// Scorer::score_csv against the reference path (read_with_schema + Bundle::predict, the training
// library): the same rows kept, in the same order, with the same probabilities (1e-6), lines,
// rejects, unseen counts and errors, whatever the block size and the number of threads. Columns
// the model does not read are the one difference: score_csv does not decode them.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <sstream>

#include "engine/probability_text.h"
#include "smartchurn/csv.h"
#include "smartchurn/demo.h"
#include "smartchurn/error.h"
#include "smartchurn/scorer.h"
#include "smartchurn/trainer.h"
#include "unit/data/temp_csv.h"

namespace smartchurn {
namespace {

const std::vector<std::string> kNa = {"Unknown"};

// The demo customer base, trained once per model family.
class BatchScoring : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::ostringstream demo;
    write_demo_data(demo, {2000, 7});
    const test::TempCsv file(demo.str());
    ReadOptions read;
    read.na_tokens = kNa;
    read.id_columns = {"customer_id"};
    const Dataset data = read_dataset(file.path(), read);
    bundles_ = new std::map<std::string, Bundle>();
    for (const char* family : {"lr", "rf", "gbm"}) {
      TrainOptions options;
      options.target = "churn";
      options.models = {family};
      options.folds = 2;
      options.threads = 2;
      bundles_->emplace(family, std::move(train(data, options).bundle));
    }
    // A model that does not read 'region' (nor the target, nor the id).
    TrainOptions options;
    options.target = "churn";
    options.models = {"lr"};
    options.folds = 2;
    options.drop_columns = {"region"};
    bundles_->emplace("lr without region", std::move(train(data, options).bundle));
  }
  static void TearDownTestSuite() { delete bundles_; }
  static const Bundle& bundle(const std::string& family) { return bundles_->at(family); }

  static std::map<std::string, Bundle>* bundles_;
};
std::map<std::string, Bundle>* BatchScoring::bundles_ = nullptr;

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::vector<std::string> split_fields(const std::string& line) {
  std::vector<std::string> fields;
  std::istringstream in(line);
  for (std::string field; std::getline(in, field, ',');) fields.push_back(field);
  if (!line.empty() && line.back() == ',') fields.emplace_back();
  return fields;
}

std::string join_fields(const std::vector<std::string>& fields) {
  std::string line;
  for (std::size_t i = 0; i < fields.size(); ++i) line += (i ? "," : "") + fields[i];
  return line;
}

// Demo rows made awkward: a quoted note with commas and line breaks, ids with a line break,
// unreadable numbers, ragged rows, blank lines, unseen categories.
std::string awkward_demo(std::size_t rows, uint64_t seed) {
  std::ostringstream demo;
  write_demo_data(demo, {rows, seed});
  const auto lines = split_lines(demo.str());
  const auto header = split_fields(lines[0]);
  const auto column = [&](const std::string& name) {
    return static_cast<std::size_t>(std::find(header.begin(), header.end(), name) - header.begin());
  };
  const std::size_t tenure = column("tenure_months"), contract = column("contract");
  std::string text = lines[0] + ",note\n";
  const std::vector<std::string> notes = {"plain", "\"two\nlines, and a comma\"",
                                          "\"say \"\"hi\"\"\"", "", "\"\""};
  for (std::size_t i = 1; i < lines.size(); ++i) {
    auto fields = split_fields(lines[i]);
    if (i % 97 == 0) fields[0] = "\"C\n" + fields[0] + "\"";
    if (i % 101 == 5) fields[tenure] = "x" + fields[tenure];  // not a number
    if (i % 89 == 3) fields[contract] = "Weekly";             // not seen in training
    if (i % 211 == 7) fields.resize(2);                       // ragged
    fields.push_back(notes[i % notes.size()]);
    text += join_fields(fields) + "\n";
    if (i % 50 == 0) text += "\n";
  }
  return text;
}

std::string with_crlf(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

struct Reference {
  Dataset data;
  std::vector<RejectedRow> rejects;
  std::vector<double> probabilities;
};

Reference reference(const Bundle& bundle, const std::string& text) {
  const test::TempCsv file(text);
  Schema schema = bundle.schema;
  schema.na_tokens.insert(schema.na_tokens.end(), kNa.begin(), kNa.end());
  Reference r;
  r.data = read_with_schema(file.path(), schema, bundle.optional_columns(), r.rejects);
  r.probabilities = bundle.predict(r.data);
  return r;
}

struct Batch {
  std::string output;
  BatchSummary summary;
  std::vector<double> probabilities;
  std::vector<std::size_t> lines;
};

Batch score(const Scorer& scorer, const std::string& text, std::size_t block_bytes, int threads,
            bool keep_rows = true) {
  std::istringstream in(text);
  std::ostringstream out;
  BatchOptions options;
  options.na_tokens = kNa;
  options.block_bytes = block_bytes;
  options.threads = threads;
  Batch batch;
  if (keep_rows)
    options.on_rows = [&](const ScoredRows& rows) {
      EXPECT_EQ(rows.fields.size(), rows.size() * rows.header->size());
      batch.probabilities.insert(batch.probabilities.end(), rows.probabilities.begin(),
                                 rows.probabilities.end());
      batch.lines.insert(batch.lines.end(), rows.lines.begin(), rows.lines.end());
    };
  batch.summary = scorer.score_csv(in, "t.csv", out, options);
  batch.output = out.str();
  return batch;
}

void expect_matches(const Bundle& bundle, const Reference& ref, const Batch& batch) {
  const std::size_t rows = ref.data.rows();
  ASSERT_EQ(batch.summary.rows, rows);
  ASSERT_EQ(batch.probabilities.size(), rows);
  EXPECT_EQ(batch.lines, ref.data.lines);
  ASSERT_EQ(batch.summary.rejects.size(), ref.rejects.size());
  EXPECT_EQ(batch.summary.rejected, ref.rejects.size());
  for (std::size_t i = 0; i < ref.rejects.size(); ++i) {
    EXPECT_EQ(batch.summary.rejects[i].line, ref.rejects[i].line) << i;
    EXPECT_EQ(batch.summary.rejects[i].column, ref.rejects[i].column) << i;
    EXPECT_EQ(batch.summary.rejects[i].reason, ref.rejects[i].reason) << i;
  }
  std::vector<std::pair<std::string, std::size_t>> unseen;
  for (const auto& c : ref.data.columns) {
    if (c.unseen > 0) unseen.emplace_back(c.name(), c.unseen);
  }
  EXPECT_EQ(batch.summary.unseen, unseen);

  std::istringstream in(batch.output);
  CsvReader scored(in, "scored.csv");
  EXPECT_EQ(scored.header(),
            (std::vector<std::string>{"customer_id", "churn_probability", "risk_tier"}));
  const Column& id = ref.data.column("customer_id");
  std::vector<std::string> fields;
  std::size_t differ = 0;
  for (std::size_t r = 0; r < rows; ++r) {
    ASSERT_TRUE(scored.next(fields)) << "row " << r;
    const double p = batch.probabilities[r];
    EXPECT_EQ(fields[0], id.text_at(r)) << "row " << r;
    EXPECT_EQ(fields[1], fmt::format("{:.6f}", p)) << "row " << r;
    EXPECT_EQ(fields[2], bundle.tiers.tier(p)) << "row " << r;
    if (!(std::abs(p - ref.probabilities[r]) <= 1e-6) && differ++ < 5) {
      ADD_FAILURE() << "row " << r << ": batch " << p << ", library " << ref.probabilities[r];
    }
  }
  EXPECT_EQ(differ, 0u);
  EXPECT_FALSE(scored.next(fields));
}

TEST_F(BatchScoring, EqualsTheLibraryForEveryFamily) {
  const std::string text = awkward_demo(1500, 8);
  for (const char* family : {"lr", "rf", "gbm"}) {
    SCOPED_TRACE(family);
    const Scorer scorer(bundle(family));
    const Reference ref = reference(bundle(family), text);
    ASSERT_GT(ref.rejects.size(), 10u);  // the awkward rows are there
    ASSERT_GT(ref.data.column("contract").unseen, 0u);
    const Batch batch = score(scorer, text, 1 << 20, 2);
    expect_matches(bundle(family), ref, batch);
  }
}

TEST_F(BatchScoring, SameBytesWhateverBlockSizeAndThreads) {
  const Scorer scorer(bundle("gbm"));
  for (const auto& [name, text] : std::vector<std::pair<std::string, std::string>>{
           {"lf", awkward_demo(700, 9)},
           {"crlf", with_crlf(awkward_demo(700, 9))},
           {"bom", "\xEF\xBB\xBF" + awkward_demo(700, 9)},
           {"no final line end", awkward_demo(700, 9) + "x,y"}}) {
    SCOPED_TRACE(name);
    const Reference ref = reference(bundle("gbm"), text);
    const Batch whole = score(scorer, text, 1 << 20, 1);
    expect_matches(bundle("gbm"), ref, whole);
    for (std::size_t block_bytes : {1, 7, 100, 4096}) {
      for (int threads : {1, 2, 3}) {
        const Batch batch = score(scorer, text, block_bytes, threads, threads != 3);
        EXPECT_TRUE(batch.output == whole.output) << block_bytes << " bytes, " << threads;
        if (threads != 3) {
          EXPECT_EQ(batch.lines, whole.lines) << block_bytes << " bytes, " << threads;
        }
        EXPECT_EQ(batch.summary.rejects.size(), whole.summary.rejects.size());
        EXPECT_EQ(batch.summary.unseen, whole.summary.unseen);
      }
    }
  }
}

TEST_F(BatchScoring, ManyBlocksOnManyThreadsKeepTheFileOrder) {
  std::ostringstream demo;
  write_demo_data(demo, {20000, 10});
  const std::string text = demo.str();
  const Scorer scorer(bundle("rf"));
  const Batch batch = score(scorer, text, 2048, 4);
  const auto in = split_lines(text), out = split_lines(batch.output);
  ASSERT_EQ(out.size(), in.size());
  for (std::size_t i = 1; i < in.size(); ++i) {
    ASSERT_EQ(out[i].substr(0, out[i].find(',')), in[i].substr(0, in[i].find(','))) << i;
  }
  EXPECT_EQ(batch.lines.back(), in.size());
}

TEST_F(BatchScoring, HeaderOnlyAndEmptyFiles) {
  const Scorer scorer(bundle("lr"));
  std::ostringstream demo;
  write_demo_data(demo, {100, 1});
  const std::string header = demo.str().substr(0, demo.str().find('\n') + 1);
  const Batch batch = score(scorer, header, 64, 2);
  EXPECT_EQ(batch.output, "customer_id,churn_probability,risk_tier\n");
  EXPECT_EQ(batch.summary.rows, 0u);
  try {
    score(scorer, "", 64, 2);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kBadData);
    EXPECT_EQ(e.message(), "empty file");
  }
}

TEST_F(BatchScoring, WithoutAnIdColumnTheRowsAreProbabilityAndTier) {
  const Scorer scorer(bundle("lr"));
  std::ostringstream demo;
  write_demo_data(demo, {100, 1});
  std::string text;
  for (const auto& line : split_lines(demo.str())) text += line.substr(line.find(',') + 1) + "\n";
  const Batch batch = score(scorer, text, 1 << 20, 1);
  const auto out = split_lines(batch.output);
  ASSERT_EQ(out.size(), 101u);
  EXPECT_EQ(out[0], "churn_probability,risk_tier");
  EXPECT_EQ(std::count(out[1].begin(), out[1].end(), ','), 1);
}

// Columns the model does not read (the target, a dropped column) are not decoded: a value
// read_with_schema would refuse there does not reject the row, and an unseen level there is not
// counted; the rows score as they do with those cells blank, and the id still goes out.
TEST_F(BatchScoring, ColumnsTheModelDoesNotReadNeitherRejectNorCount) {
  const Bundle& without_region = bundle("lr without region");
  const auto& inputs = without_region.required_columns();
  ASSERT_EQ(std::find(inputs.begin(), inputs.end(), "region"), inputs.end());
  ASSERT_EQ(std::find(inputs.begin(), inputs.end(), "churn"), inputs.end());
  std::ostringstream demo;
  write_demo_data(demo, {600, 13});
  const auto lines = split_lines(demo.str());
  const auto header = split_fields(lines[0]);
  const auto column = [&](const std::string& name) {
    return static_cast<std::size_t>(std::find(header.begin(), header.end(), name) - header.begin());
  };
  const std::size_t churn = column("churn"), region = column("region");
  const std::size_t tenure = column("tenure_months");
  std::string dirty = lines[0] + "\n", clean = lines[0] + "\n";
  std::size_t spoiled = 0;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    auto fields = split_fields(lines[i]);
    if (i % 7 == 0) fields[tenure] = "soon";  // read: rejected by both
    clean += join_fields(fields) + "\n";
    if (i % 3 == 0) {
      fields[churn] = "Maybe";      // neither yes nor no
      fields[region] = "Atlantis";  // a level never seen
      ++spoiled;
    }
    dirty += join_fields(fields) + "\n";
  }
  const Reference ref = reference(without_region, clean);
  ASSERT_GT(ref.rejects.size(), 50u);
  ASSERT_GT(spoiled, 150u);
  // The reference itself refuses the spoiled target values: they are what is tested.
  EXPECT_GT(reference(without_region, dirty).rejects.size(), ref.rejects.size());
  const Scorer scorer(without_region);
  for (int threads : {1, 2}) {
    SCOPED_TRACE(threads);
    const Batch batch = score(scorer, dirty, 4096, threads);
    expect_matches(without_region, ref, batch);
    for (const auto& reject : batch.summary.rejects) EXPECT_EQ(reject.column, "tenure_months");
  }

  // The server decodes the scored rows again with those columns lenient: the row is kept and
  // the unreadable value is missing; without leniency it is refused.
  const std::vector<std::string_view> record = {"C1", "Maybe"};
  Schema schema;
  schema.columns = {
      without_region.schema
          .columns[static_cast<std::size_t>(without_region.schema.index_of("customer_id"))],
      without_region.schema
          .columns[static_cast<std::size_t>(without_region.schema.index_of("churn"))]};
  std::vector<RejectedRow> rejects;
  Dataset rows;
  RecordDecoder strict("t.csv", schema, {}, {"customer_id", "churn"});
  strict.start(rows);
  EXPECT_FALSE(strict.append(record, 2, rows, rejects));
  ASSERT_EQ(rejects.size(), 1u);
  EXPECT_EQ(rejects[0].reason, "'Maybe' is neither 'Yes' nor 'No'");
  RecordDecoder lenient("t.csv", schema, {}, {"customer_id", "churn"}, {"churn"});
  lenient.start(rows);
  EXPECT_TRUE(lenient.append(record, 2, rows, rejects));
  ASSERT_EQ(rows.rows(), 1u);
  EXPECT_TRUE(rows.column("churn").is_missing_at(0));
  EXPECT_EQ(rows.column("customer_id").text_at(0), "C1");
}

// The error read_with_schema gives for `text`, as the user sees it.
std::string reference_error(const Bundle& bundle, const std::string& text) {
  const test::TempCsv file(text);
  std::vector<RejectedRow> rejects;
  try {
    read_with_schema(file.path(), bundle.schema, bundle.optional_columns(), rejects);
  } catch (const Error& e) {
    return format_error({"t.csv", e.where().line, e.where().column}, e.message());
  }
  return "no error";
}

TEST_F(BatchScoring, MalformedFilesGiveTheReadersErrorWithTheFileLine) {
  const Scorer scorer(bundle("gbm"));
  const std::string good = awkward_demo(600, 11);
  auto lines = split_lines(good);
  // `tail` appended to the first record from physical line at + 1 on that is a line of its own
  // (no quote: the awkward quoted fields span two lines, each with a quote).
  const auto broken = [&](std::size_t at, const std::string& tail) {
    while (lines[at].find('"') != std::string::npos) ++at;
    std::string text;
    for (std::size_t i = 0; i < lines.size(); ++i) text += lines[i] + (i == at ? tail : "") + "\n";
    return text;
  };
  std::vector<std::pair<std::string, std::string>> cases = {
      {"unterminated quote", good + "C9,\"open\n1,2\n"},
      {"quote closed by a later one", broken(400, ",\"open")},
      {"text after a closing quote", broken(300, ",\"x\"y")},
      {"binary byte", broken(350, std::string(",a\0b", 4))},
      {"invalid UTF-8", broken(450, ",\xff\xfe")},
      {"field too long", broken(420, "," + std::string(70000, 'x'))},
      {"quoted field too long", broken(430, ",\"" + std::string(70000, 'x') + "\"")},
      {"missing required columns", "customer_id,note\nC1,x\n"},
  };
  // Past the first MiB, which CsvReader checks for NUL bytes before reading the header.
  lines = split_lines(awkward_demo(9000, 12));
  cases.push_back({"binary byte after the first MiB", broken(8500, std::string(",a\0b", 4))});
  const std::string unterminated = reference_error(bundle("gbm"), cases[0].second);
  EXPECT_NE(unterminated.find("unterminated quote: the quoted field opened on line"),
            std::string::npos)
      << unterminated;
  for (const auto& [name, text] : cases) {
    const std::string expected = reference_error(bundle("gbm"), text);
    ASSERT_NE(expected, "no error") << name;
    for (std::size_t block_bytes : {1, 64, 1 << 20}) {
      for (int threads : {1, 2}) {
        try {
          score(scorer, text, block_bytes, threads);
          ADD_FAILURE() << name << ": no error";
        } catch (const Error& e) {
          EXPECT_EQ(e.code(), ErrorCode::kBadData) << name;
          EXPECT_EQ(e.what(), expected) << name << ", " << block_bytes << " bytes, " << threads;
        }
      }
    }
  }
}

TEST(ProbabilityText, SameAsFmt) {
  char text[engine::kProbabilityTextBytes];
  std::vector<double> values = {0.0,       1.0,         0.5,       1e-7,         4.999999e-7,
                                5e-7,      5.000001e-7, 0.9999995, 0.9999994999, 0.1234565,
                                0.1234575, 0.0000015,   1e-300};
  uint64_t state = 88172645463325252ull;
  for (int i = 0; i < 200000; ++i) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    const double u = static_cast<double>(state >> 11) / 9007199254740992.0;
    values.push_back(u);
    values.push_back(static_cast<float>(u));             // the forests' probabilities are floats
    values.push_back(std::round(u * 1e6) / 1e6 + 5e-7);  // near a rounding tie
  }
  values.push_back(std::nan(""));
  values.push_back(-0.25);
  for (double v : values) {
    const std::size_t n = engine::format_probability(v, text);
    ASSERT_EQ(std::string(text, n), fmt::format("{:.6f}", v)) << v;
    for (int decimals : {0, 1, 3, 9, 10, 17}) {
      const std::size_t m = engine::format_probability(v, text, decimals);
      ASSERT_EQ(std::string(text, m), fmt::format("{:.{}f}", v, decimals)) << v << " " << decimals;
    }
  }
}

}  // namespace
}  // namespace smartchurn
