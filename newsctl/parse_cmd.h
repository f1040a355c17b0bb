#pragma once

#include <string>

namespace newsd::newsctl {

struct ParseArgs {
  std::string file;            ///< Path, or "-" for standard input.
  std::string content_type;    ///< "" = absent.
  std::string base;            ///< "" = absent.
  std::string language;        ///< HTTP Content-Language, "" = absent.
  std::string zoneless_dates;  ///< Offset of dates without a zone (config's); "" = UTC.
  bool json = false;
};

/// `newsctl parse`: shows exactly what newsd reads from a feed document. Prints the
/// conformance suite's normalized JSON with --json, else a human summary. Returns the exit
/// code (1 when the file cannot be read or holds no feed).
int RunParse(const ParseArgs& args);

}  // namespace newsd::newsctl
