// Tickets parecidos abiertos while the clinic types: the detail's text is posted (never in an
// address, which servers log) to /soporte/tickets/parecidos at most once a second, one second after the typing pauses,
// and the clinic's open tickets alike to it are listed above "Enviar ticket", each with its
// "Agregar la información a ST-…" button. The codes shown travel with the form as "vistos",
// so the server does not show the same list again as one more page.
(function () {
  "use strict";
  var box = document.getElementById("similar-live");
  if (!box || !window.fetch) { return; }
  var form = box.closest("form");
  var detail = form && form.querySelector("textarea[name=detail]");
  var template = document.getElementById("similar-item");
  if (!detail || !template) { return; }
  var list = box.querySelector(".similar__list");
  var INTERVAL = 1000; // ms: at most one request a second
  var MIN_LENGTH = 20;
  var timer = null;
  var lastSent = 0;
  var lastText = "";

  function setSeen(codes) {
    form.querySelectorAll("input[name=vistos]").forEach(function (input) { input.remove(); });
    codes.forEach(function (code) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = "vistos";
      input.value = code;
      form.appendChild(input);
    });
  }

  function show(tickets) {
    list.replaceChildren();
    tickets.forEach(function (ticket) {
      var item = template.content.firstElementChild.cloneNode(true);
      var link = item.querySelector("a");
      link.href = ticket.url;
      link.textContent = ticket.code;
      var badge = item.querySelector(".badge");
      badge.textContent = ticket.state_label;
      badge.classList.add("badge--" + ticket.state);
      item.querySelector(".similar__excerpt").textContent = ticket.excerpt;
      var button = item.querySelector("button");
      button.value = ticket.code;
      button.textContent = button.dataset.label.replace("{code}", ticket.code);
      list.appendChild(item);
    });
    box.hidden = tickets.length === 0;
    setSeen(tickets.map(function (ticket) { return ticket.code; }));
  }

  function ask() {
    timer = null;
    var text = detail.value.trim();
    if (text === lastText) { return; }
    lastText = text;
    lastSent = Date.now();
    if (text.length < MIN_LENGTH) { show([]); return; }
    var body = new URLSearchParams({ texto: text });
    var token = form.querySelector("input[name=csrfmiddlewaretoken]");
    fetch(box.dataset.url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": token ? token.value : "" }
    })
      .then(function (response) { return response.ok ? response.json() : { tickets: [] }; })
      .then(function (data) { if (detail.value.trim() === text) { show(data.tickets || []); } })
      .catch(function () { /* the server still checks when the form is sent */ });
  }

  detail.addEventListener("input", function () {
    if (timer) { clearTimeout(timer); }
    var wait = Math.max(INTERVAL, lastSent + INTERVAL - Date.now());
    timer = setTimeout(ask, wait);
  });
})();
