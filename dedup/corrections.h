#pragma once

// Titles that announce a correction: Reuters' "CORRECTED - GM TO IDLE SIX PLANTS" after the
// story it corrects, "ИСПРАВЛЕНО: ...". Part of the fingerprint (Fingerprint::correction).

#include <string_view>

namespace newsd::dedup {

/// True when `title` opens with a word announcing a correction ("CORRECTED", "Correction:",
/// "ИСПРАВЛЕНО", "Исправленная версия", "ТҮЗЕТІЛДІ"), in any case, after leading spaces and
/// punctuation. A correction of one source, under the same dateline, joins the story it
/// corrects even when a date or figure it corrects differs (see Comparison::correction).
bool AnnouncesCorrection(std::string_view title);

}  // namespace newsd::dedup
