#pragma once

// The fixture shared by the RocksDB archive tests (rocks_*_test.cc).

#include <gtest/gtest.h>

#include "tests/storage/archive_test_util.h"

namespace newsd::storage {

class RocksArchiveTest : public ::testing::Test {
 protected:
  Options options() const { return impl_.options(); }
  RocksImpl impl_;
};

}  // namespace newsd::storage
