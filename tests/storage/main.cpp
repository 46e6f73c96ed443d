#include <gtest/gtest.h>

#include "storage/draft.hpp"

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  // fsync off: the tests check behaviour, not durability (tests/crash/ checks that).
  plenary::storage::library lib({.fsync = false});
  return RUN_ALL_TESTS();
}
