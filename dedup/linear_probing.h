#pragma once

#include <cstddef>
#include <vector>

namespace newsd::dedup {

/// Backward-shift deletion in an open-addressing table of power-of-two size with linear
/// probing: empties cell `hole` and moves later cells of its probe run back, so every key left
/// stays reachable from its home and the table needs no tombstones. `is_empty(cell)` tells an
/// empty cell and `home(cell)` a full cell's home index; a value-initialised Cell is empty.
template <class Cell, class IsEmpty, class Home>
void EraseShiftingBack(std::vector<Cell>& cells, size_t hole, IsEmpty is_empty, Home home) {
  const size_t mask = cells.size() - 1;
  for (size_t j = (hole + 1) & mask; !is_empty(cells[j]); j = (j + 1) & mask) {
    const size_t h = home(cells[j]);
    // Cell j may stay when its home lies cyclically in (hole, j].
    const bool stays = hole <= j ? (hole < h && h <= j) : (hole < h || h <= j);
    if (stays) continue;
    cells[hole] = cells[j];
    hole = j;
  }
  cells[hole] = Cell{};
}

}  // namespace newsd::dedup
