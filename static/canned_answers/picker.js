// The canned answers' picker on a ticket's page in the admin (canned_answers/picker.py).
// "Usar respuesta" puts the chosen answer's text, already filled in for this ticket by the
// server (the JSON block "canned-answers-texts"), into the team's response, and adds the
// answer's id to the hidden field so that publishing the response counts its use.
// What the agent has typed is never lost: an empty response gets the text; a response with
// words keeps them and gets the text after a blank line, to be merged by hand.
// Without this script the same button reloads the page with the text (a GET form).
"use strict";

(function () {
  // The message with the answer's title in place of %s (split/join: no "$&" surprises).
  function fillIn(message, title) {
    return message.split("%s").join(title);
  }

  function setUp(picker) {
    var dataBlock = document.getElementById("canned-answers-texts");
    var response = document.getElementById(picker.dataset.target);
    var used = document.getElementById(picker.dataset.used);
    var select = picker.querySelector("select");
    var button = picker.querySelector("[data-canned-answer-use]");
    var status = picker.querySelector("[role=status]");
    if (!dataBlock || !response || !used || !select || !button || !status) {
      return; // nothing to fill: the button keeps its no-JavaScript reload
    }
    var texts = JSON.parse(dataBlock.textContent);

    button.addEventListener("click", function (event) {
      event.preventDefault();
      var answer = texts[select.value];
      if (!answer) {
        status.textContent = status.dataset.none;
        select.focus();
        return;
      }
      var current = response.value;
      if (current.trim() === "") {
        response.value = answer.text;
        status.textContent = fillIn(status.dataset.replaced, answer.title);
      } else {
        response.value = current.replace(/\s+$/, "") + "\n\n" + answer.text;
        status.textContent = fillIn(status.dataset.added, answer.title);
      }
      var ids = used.value ? used.value.split(",") : [];
      if (ids.indexOf(select.value) === -1) {
        ids.push(select.value);
      }
      used.value = ids.join(",");
      response.focus();
      response.setSelectionRange(response.value.length, response.value.length);
    });

    // An agent who empties the response has dropped the answers too: nothing to count.
    response.addEventListener("input", function () {
      if (response.value.trim() === "") {
        used.value = "";
      }
    });
  }

  function start() {
    document.querySelectorAll("[data-canned-answer-picker]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
