// Every visible word (a run without spaces; a code's parts between its hyphens) whose text
// lies on more than one line, unless it cannot fit its box at all (tests/e2e/test_finished_screens.py).
() => {
  const found = [];
  const canvas = document.createElement("canvas").getContext("2d");
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const element = node.parentElement;
    if (!element || element.closest(".visually-hidden, script, style, template, textarea, select, option")) continue;
    if (!element.getClientRects().length) continue;  // not shown
    const style = getComputedStyle(element);
    let box = element;
    while (getComputedStyle(box).display.startsWith("inline")) box = box.parentElement;
    const boxStyle = getComputedStyle(box);
    const room = box.clientWidth - parseFloat(boxStyle.paddingLeft) - parseFloat(boxStyle.paddingRight);
    canvas.font = style.font;
    for (const match of node.data.matchAll(/\S+/g)) {
      let at = match.index;
      for (const part of match[0].split(/(?<=-)/)) {
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + part.length);
        at += part.length;
        const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.bottom)));
        if (lines.size < 2) continue;
        const shown = style.textTransform === "uppercase" ? part.toUpperCase() : part;
        const spacing = parseFloat(style.letterSpacing) || 0;
        const width = canvas.measureText(shown).width + spacing * shown.length;
        if (width <= room) found.push([part, element.tagName + "." + element.className, Math.round(width), Math.round(room)]);
      }
    }
  }
  return found;
}
