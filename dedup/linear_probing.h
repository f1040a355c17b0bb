#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace newsd::dedup {

/// Robin Hood linear probing over an open-addressing table of power-of-two size: along a probe
/// run, cells lie in order of their homes, so a lookup for a missing key stops at the first
/// cell nearer its home than the probe has come, and tables can fill to 7/8 and stay fast.
/// Deletion shifts the rest of the run back: no tombstones.
///
/// The callables: `is_empty(cell)` tells an empty cell (a value-initialised Cell is one),
/// `home(cell)` a full cell's home index, `match(cell)` the cell looked for.

/// How far `pos` lies past `home`, in a table of mask + 1 cells.
inline size_t ProbeDistance(size_t pos, size_t home, size_t mask) { return (pos - home) & mask; }

/// Where a probe for a key stopped: at its cell (`found`), or where it would go.
struct RobinHoodProbe {
  bool found;
  size_t index;     ///< the key's cell, or where it belongs
  size_t distance;  ///< how far `index` lies past the key's home
};

/// Probes the run from `start` (a key's home) for the cell `match` accepts.
template <class Cell, class IsEmpty, class Home, class Match>
RobinHoodProbe RobinHoodSeek(const std::vector<Cell>& cells, size_t start, IsEmpty is_empty,
                             Home home, Match match) {
  const size_t mask = cells.size() - 1;
  for (size_t i = start, distance = 0;; i = (i + 1) & mask, ++distance) {
    const Cell& c = cells[i];
    if (is_empty(c)) return {false, i, distance};
    if (match(c)) return {true, i, distance};
    if (ProbeDistance(i, home(c), mask) < distance) return {false, i, distance};
  }
}

/// The index of the cell `match` accepts among the run from `start`; -1 when there is none.
template <class Cell, class IsEmpty, class Home, class Match>
int64_t RobinHoodFind(const std::vector<Cell>& cells, size_t start, IsEmpty is_empty, Home home,
                      Match match) {
  const RobinHoodProbe probe = RobinHoodSeek(cells, start, is_empty, home, match);
  return probe.found ? static_cast<int64_t>(probe.index) : -1;
}

/// Puts `cell`, whose key is not in the table, at `at.index` (a probe that did not find it),
/// moving the cells from there on down the run. The table must have an empty cell.
template <class Cell, class IsEmpty, class Home>
void RobinHoodPlaceAt(std::vector<Cell>& cells, Cell cell, RobinHoodProbe at, IsEmpty is_empty,
                      Home home) {
  const size_t mask = cells.size() - 1;
  for (size_t i = at.index, distance = at.distance;; i = (i + 1) & mask, ++distance) {
    Cell& c = cells[i];
    if (is_empty(c)) {
      c = std::move(cell);
      return;
    }
    const size_t theirs = ProbeDistance(i, home(c), mask);
    if (theirs < distance) {  // Take the place of the cell nearer its home; carry it on.
      std::swap(c, cell);
      distance = theirs;
    }
  }
}

/// Puts `cell`, whose key is not in the table, in its place; returns the index it went to.
template <class Cell, class IsEmpty, class Home>
size_t RobinHoodPlace(std::vector<Cell>& cells, Cell cell, IsEmpty is_empty, Home home) {
  const RobinHoodProbe at =
      RobinHoodSeek(cells, home(cell), is_empty, home, [](const Cell&) { return false; });
  RobinHoodPlaceAt(cells, std::move(cell), at, is_empty, home);
  return at.index;
}

/// Empties cell `hole`, moving the cells after it in its run one nearer their homes.
template <class Cell, class IsEmpty, class Home>
void RobinHoodErase(std::vector<Cell>& cells, size_t hole, IsEmpty is_empty, Home home) {
  const size_t mask = cells.size() - 1;
  for (size_t j = (hole + 1) & mask; !is_empty(cells[j]) && home(cells[j]) != j;
       j = (j + 1) & mask) {
    cells[hole] = cells[j];
    hole = j;
  }
  cells[hole] = Cell{};
}

}  // namespace newsd::dedup
