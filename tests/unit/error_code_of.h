// The ErrorCode a call throws, for tests that check how a failure is classified.
#pragma once

#include <functional>

#include "smartchurn/error.h"

namespace smartchurn::test {

// kInternal when the call does not throw; no test expects kInternal from a bad input.
inline ErrorCode code_of(const std::function<void()>& call) {
  try {
    call();
  } catch (const Error& e) {
    return e.code();
  }
  return ErrorCode::kInternal;
}

}  // namespace smartchurn::test
