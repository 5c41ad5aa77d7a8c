// Places cards on rows so that none overlap: an event that finds no free row joins the
// group it collides with, which becomes a cluster with a count. Works in "world" pixels
// (days × pixels per day from the exhibit's first day), so a pan never changes it.

/**
 * `items`: [{at, count?, ...}] sorted by `at`; returns groups [{x, row, items, count}].
 * `width`: a card's width in px, `gap` between cards, `rows` available.
 */
export function layoutCards(items, { ppd, origin, width, gap, rows }) {
  const rowEnd = new Array(rows).fill(-Infinity);
  const rowLast = new Array(rows).fill(null);
  const groups = [];
  for (const item of items) {
    const x = (item.at - origin) * ppd;
    let row = -1;
    for (let r = 0; r < rows; r++) {
      if (rowEnd[r] + gap <= x) { row = r; break; }
    }
    if (row >= 0) {
      const group = { x, row, items: [item], count: item.count || 1 };
      groups.push(group);
      rowEnd[row] = x + width;
      rowLast[row] = group;
    } else {
      // Join the card that frees up first: the nearest neighbour in time.
      let best = 0;
      for (let r = 1; r < rows; r++) if (rowEnd[r] < rowEnd[best]) best = r;
      const group = rowLast[best];
      group.items.push(item);
      group.count += item.count || 1;
    }
  }
  return groups;
}
