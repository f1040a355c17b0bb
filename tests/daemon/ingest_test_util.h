#pragma once

// Articles and the fixture shared by the Ingestor tests (ingest_*_test.cc).

#include <gtest/gtest.h>

#include <string>

#include "daemon/ingest.h"
#include "tests/fakes/fake_archive.h"

namespace newsd::daemon {

inline constexpr char kStory[] =
    "Deputy Prime Minister and Minister of Foreign Affairs Murat Nurtleu arrived in Rabat on "
    "the first official visit in the history of bilateral relations at the invitation of his "
    "Moroccan counterpart Nasser Bourita.\n\nThe sides discussed the intensification of "
    "political dialogue, trade, economic and investment ties, and cultural and humanitarian "
    "contacts. Trade between the two countries grew by 70 percent last year and reached 274 "
    "million US dollars.\n\nThe ministers agreed to finalise the agreement on air communication "
    "and to consider launching direct flights between the two capitals.";

inline constexpr char kOther[] =
    "Two new stations of the Almaty metro will open to passengers in December, the city "
    "administration said. The extension adds 2.8 kilometres to the line and is expected to "
    "carry up to 40 thousand passengers a day, with trains every seven minutes at rush hour.";

inline Article Make(std::string id, std::string source, std::string text, UnixSeconds published) {
  Article a;
  a.id = std::move(id);
  a.feed = source;
  a.source = std::move(source);
  a.title = "title of " + a.id;
  a.text = std::move(text);
  a.published = published;
  a.arrived = published + 60;
  return a;
}

class IngestTest : public ::testing::Test {
 protected:
  testing::FakeArchive archive_;
};

}  // namespace newsd::daemon
