/* Topics proposed while a form is written (proactive/_topic_proposals.html). Reads the
   fields in data-fields, asks data-url?text=… 600 ms after the last key, and shows each
   proposed topic as a button that adds it to the form's topic field: a text field
   (comma-separated slugs), a multiple select, or a list of checkboxes. Words come from
   the server's JSON, in the page's language. */
(function () {
  "use strict";
  var DELAY_MS = 600;
  var MIN_CHARS = 10;

  function attach(box) {
    if (box.dataset.ready) return;
    box.dataset.ready = "1";
    var list = box.querySelector("[data-topic-list]");
    var target = document.getElementById(box.dataset.target);
    var fields = box.dataset.fields.split(/\s+/)
      .map(function (id) { return document.getElementById(id); }).filter(Boolean);
    var timer = null, last = "";

    function add(slug) {
      if (!target) return;
      if (target.tagName === "SELECT") {
        Array.prototype.forEach.call(target.options, function (o) { if (o.value === slug) o.selected = true; });
      } else if (target.tagName === "INPUT") {
        var slugs = target.value.split(/[,\s]+/).filter(Boolean);
        if (slugs.indexOf(slug) < 0) slugs.push(slug);
        target.value = slugs.join(", ");
      } else {
        var box = target.querySelector("input[type=checkbox][value='" + slug.replace(/'/g, "") + "']");
        if (box) box.checked = true;
      }
    }

    list.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-slug]");
      if (!button) return;
      add(button.dataset.slug);
      button.disabled = true;
    });

    function ask() {
      var text = fields.map(function (f) { return f.value.trim(); }).filter(Boolean).join("\n");
      if (text.length < MIN_CHARS || text === last) return;
      last = text;
      fetch(box.dataset.url + "?text=" + encodeURIComponent(text.slice(0, 2000)), {
        headers: { Accept: "application/json" }, credentials: "same-origin"
      })
        .then(function (r) { return r.ok ? r.json() : { topics: [] }; })
        .then(function (data) {
          list.textContent = "";
          (data.topics || []).forEach(function (topic) {
            var button = document.createElement("button");
            button.type = "button";
            button.className = "button button-secondary button-small";
            button.dataset.slug = topic.slug;
            button.setAttribute("aria-label", topic.label);
            button.textContent = topic.name;  // the label says "Add the topic …" around it
            list.appendChild(button);
            list.appendChild(document.createTextNode(" "));
          });
          box.hidden = !(data.topics || []).length;
        })
        .catch(function () { /* offline: the form still works */ });
    }

    fields.forEach(function (field) {
      field.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(ask, DELAY_MS);
      });
    });
  }

  function attachAll() { document.querySelectorAll("[data-topic-proposals]").forEach(attach); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", attachAll);
  else attachAll();
})();
