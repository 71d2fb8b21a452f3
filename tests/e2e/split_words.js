// Every visible word (a run without spaces) whose text lies on more than one line, unless it is
// a string that cannot fit its box at all; a word may wrap where the browser may break it on its own: after a
// hyphen (a code, a date) and after "/", "?", "&" or "=" (an address). test_finished_screens.py.
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
    if (room <= 1) continue;  // clipped away for screen readers only (a visually hidden header)
    canvas.font = style.font;
    const width = text => {
      const shown = style.textTransform === "uppercase" ? text.toUpperCase() : text;
      return canvas.measureText(shown).width + (parseFloat(style.letterSpacing) || 0) * shown.length;
    };
    for (const match of node.data.matchAll(/\S+/g)) {
      // A string that is no plain word (an address, a file name, an e-mail) and cannot fit its
      // box at all may break anywhere; a plain word never, however narrow its column.
      const string = /[/@._]/.test(match[0]) || match[0].length > 30;
      if (string && width(match[0]) > room) continue;
      let at = match.index;
      for (const part of match[0].split(/(?<=[-/?&=])/)) {
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + part.length);
        at += part.length;
        const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.bottom)));
        if (lines.size < 2) continue;
        found.push([part, element.tagName + "." + element.className, Math.round(width(part)), Math.round(room)]);
      }
    }
  }
  return found;
}
