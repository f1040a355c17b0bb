#pragma once

// Titles that announce a correction: Reuters' "CORRECTED - GM TO IDLE SIX PLANTS" after the
// story it corrects, "ИСПРАВЛЕНО: ...". Part of the fingerprint (Fingerprint::correction).

#include <cstdint>
#include <string_view>

namespace newsd::dedup {

/// True when `title` opens with a word announcing a correction ("CORRECTED", "Correction:",
/// "ИСПРАВЛЕНО", "Исправленная версия", "ТҮЗЕТІЛДІ"), in any case, after leading spaces and
/// punctuation, set apart as a notice (a dash, colon, bar, slash, parenthesis or full stop
/// after it, or "версия"): not a headline about a market correction ("Correction deepens"). A
/// correction of one source, under the same dateline, joins the story it corrects even when a date
/// or figure it corrects differs (see Comparison::correction).
bool AnnouncesCorrection(std::string_view title);

/// True when one of two items (each with its Fingerprint::correction and item time) is a
/// correction of the other: it announces one and is the later (or as old). An earlier
/// correction corrects nothing that follows it.
inline bool Corrects(bool a_correction, int64_t a_time, bool b_correction, int64_t b_time) {
  return (a_correction && a_time >= b_time) || (b_correction && b_time >= a_time);
}

}  // namespace newsd::dedup
