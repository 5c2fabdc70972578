#include <gtest/gtest.h>

#include <array>
#include <random>

#include "util/random.h"

namespace smartchurn::util {

TEST(SeededRandom, UniformUsesTheTop53BitsOfTheEngine) {
  std::mt19937_64 engine(5);
  Random random(5);
  for (int i = 0; i < 100; ++i) {
    const double expected = static_cast<double>(engine() >> 11) / 9007199254740992.0;  // 2^53
    ASSERT_EQ(random.uniform(), expected);
  }
}

TEST(SeededRandom, EngineIsTheStandardMersenneTwister) {
  // The C++ standard fixes the 10000th output of a default-seeded mt19937_64.
  Random random(5489);
  for (int i = 0; i < 9999; ++i) random.uniform();
  EXPECT_EQ(random.uniform(),
            static_cast<double>(9981545732273789042ULL >> 11) / 9007199254740992.0);
}

TEST(SeededRandom, BelowIsTheEngineValueModuloNWhenNotRejected) {
  std::mt19937_64 engine(11);
  Random random(11);
  // Rejection only happens for values in the last (2^64 mod 6) of the range: never in practice.
  for (int i = 0; i < 100; ++i) ASSERT_EQ(random.below(6), engine() % 6);
  for (int i = 0; i < 100; ++i) ASSERT_EQ(random.below(1), 0u);
}

TEST(SeededRandom, ChanceAtTheExtremes) {
  Random random(3);
  for (int i = 0; i < 1000; ++i) {
    ASSERT_FALSE(random.chance(0.0));
    ASSERT_TRUE(random.chance(1.0));
  }
}

TEST(SeededRandom, PickNeverReturnsAZeroWeight) {
  Random random(9);
  const std::array<double, 4> weights{0.0, 2.0, 0.0, 0.0};
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(random.pick(weights), 1u);
}

TEST(SeededRandom, PickFollowsTheWeights) {
  Random random(9);
  const std::array<double, 2> weights{1.0, 3.0};
  int ones = 0;
  const int draws = 40000;
  for (int i = 0; i < draws; ++i) ones += random.pick(weights) == 1 ? 1 : 0;
  // Binomial sd is about 0.002: 0.75 +- 0.01 is five of them.
  EXPECT_NEAR(ones / static_cast<double>(draws), 0.75, 0.01);
}

TEST(SeededRandom, NormalHasMeanZeroAndVarianceOne) {
  Random random(21);
  const int draws = 40000;
  double sum = 0.0, squares = 0.0;
  for (int i = 0; i < draws; ++i) {
    const double x = random.normal();
    sum += x;
    squares += x * x;
  }
  EXPECT_NEAR(sum / draws, 0.0, 0.03);
  EXPECT_NEAR(squares / draws, 1.0, 0.04);
}

TEST(SeededRandom, PoissonHasTheRequestedMean) {
  Random random(4);
  EXPECT_EQ(random.poisson(0.0), 0);
  EXPECT_EQ(random.poisson(-1.0), 0);
  const int draws = 40000;
  double sum = 0.0;
  for (int i = 0; i < draws; ++i) sum += random.poisson(2.5);
  EXPECT_NEAR(sum / draws, 2.5, 0.05);
}

TEST(SeededRandom, SameSeedSameSequenceOtherSeedOtherSequence) {
  Random a(77), b(77), c(78);
  int differences = 0;
  for (int i = 0; i < 10; ++i) {
    const double x = a.uniform();
    ASSERT_EQ(x, b.uniform());
    differences += x != c.uniform() ? 1 : 0;
  }
  EXPECT_EQ(differences, 10);
}

}  // namespace smartchurn::util
