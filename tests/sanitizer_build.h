#pragma once

// Whether this test binary is built with AddressSanitizer or ThreadSanitizer (scripts/sanitize.sh).
// Tests that bound time or memory allow for the instrumentation's cost, never for anything else.

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define SMARTCHURN_TEST_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define SMARTCHURN_TEST_SANITIZED 1
#endif
#endif

namespace smartchurn::test_build {

#ifdef SMARTCHURN_TEST_SANITIZED
// Instrumented code runs a few times slower and its shadow memory and quarantine add to the peak.
inline constexpr int kSanitizerSlowdown = 5;
inline constexpr int kSanitizerMemoryFactor = 2;
#else
inline constexpr int kSanitizerSlowdown = 1;
inline constexpr int kSanitizerMemoryFactor = 1;
#endif

}  // namespace smartchurn::test_build
