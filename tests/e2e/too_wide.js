// The page, and each table, wider than its box (tests/e2e/test_finished_screens.py).
() => {
  const found = [];
  const page = document.documentElement;
  if (page.scrollWidth > page.clientWidth) found.push(["page", page.scrollWidth, page.clientWidth]);
  for (const table of document.querySelectorAll("table")) {
    const box = table.parentElement;
    if (table.getBoundingClientRect().width > box.clientWidth + 1)
      found.push(["table." + table.className, Math.round(table.getBoundingClientRect().width), box.clientWidth]);
  }
  return found;
}
