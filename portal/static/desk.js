// The case page without reloads: "Insert macro" and "Insert link" put their text at the
// cursor in the reply, "Add note" adds the note to the timeline, and the reply is saved as
// a draft while it is typed. Without this script the same buttons post the whole reply
// form and the server keeps the reply as a draft (moderation/cases/draft_views.py).
(function () {
  "use strict";
  var form = document.getElementById("reply-form");
  var reply = document.getElementById("body");
  if (!form || !reply) return;
  var status = document.querySelector(".draft-status");

  function say(text) { if (status) status.textContent = text; }

  function post(url, data) {
    return fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
    });
  }

  function formWith(button) {
    var data = new FormData(form);
    if (button && button.name) data.append(button.name, button.value);
    return data;
  }

  function insertAtCursor(text) {
    if (!text) return;
    var start = reply.selectionStart, end = reply.selectionEnd, value = reply.value;
    var before = value.slice(0, start), after = value.slice(end);
    var glue = before && !/\n\n$/.test(before) ? (/\n$/.test(before) ? "\n" : "\n\n") : "";
    reply.value = before + glue + text + after;
    var cursor = (before + glue + text).length;
    reply.focus();
    reply.setSelectionRange(cursor, cursor);
    scheduleSave();
  }

  document.querySelectorAll("[data-insert]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      event.preventDefault();
      post(form.dataset.insertUrl, formWith(button))
        .then(function (response) { if (!response.ok) throw response; return response.json(); })
        .then(function (json) { insertAtCursor(json.text); })
        .catch(function () { form.requestSubmit(button); });
    });
  });

  var noteButton = document.querySelector("[data-add-note]");
  var note = document.getElementById("note");
  if (noteButton && note) {
    noteButton.addEventListener("click", function (event) {
      event.preventDefault();
      post(noteButton.getAttribute("formaction"), formWith(null))
        .then(function (response) { return response.json().then(function (json) { return [response.ok, json]; }); })
        .then(function (result) {
          var ok = result[0], json = result[1];
          if (!ok) { say((json.errors || []).join(" ")); note.focus(); return; }
          var timeline = document.getElementById("case-timeline");
          timeline.insertAdjacentHTML("beforeend", json.html);
          note.value = "";
          say(json.message);
        })
        .catch(function () { form.requestSubmit(noteButton); });
    });
  }

  // The draft is saved a moment after typing stops.
  var timer = null;
  function scheduleSave() {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var data = new FormData();
      data.append("csrf_token", form.querySelector("[name=csrf_token]").value);
      data.append("body", reply.value);
      post(form.dataset.draftUrl, data);
    }, 1500);
  }
  reply.addEventListener("input", scheduleSave);
})();
