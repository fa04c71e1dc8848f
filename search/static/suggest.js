/* Suggestions while typing (search/_suggest.html). No framework; safe to include twice.
   Reads the fields named in data-fields, asks data-url?q=… 300 ms after the last key once
   there are 3 characters, and lists the answers as links. In a one-line field the arrow
   keys move through the list (combobox pattern), Enter opens, Escape closes; in a
   textarea the arrows keep moving the caret and the links are reached with Tab.
   Every word it writes comes from the server, in the page's language: each answer's
   "badge" and the list's spoken "status" are in the JSON. */
(function () {
  "use strict";
  var DELAY_MS = 300;
  var MIN_CHARS = 3;

  function attach(box) {
    if (box.dataset.ready) return;
    box.dataset.ready = "1";
    var list = box.querySelector("[role=listbox]");
    var status = document.getElementById(box.id + "-status");
    var fields = box.dataset.fields.split(/\s+/)
      .map(function (id) { return document.getElementById(id); })
      .filter(Boolean);
    var timer = null, pending = null, lastQuery = "", active = -1;

    fields.forEach(function (field) {
      if (field.tagName === "INPUT") {
        field.setAttribute("role", "combobox");
        field.setAttribute("aria-autocomplete", "list");
        field.setAttribute("aria-expanded", "false");
        field.setAttribute("aria-controls", list.id);
      }
      field.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(ask, DELAY_MS);
      });
      field.addEventListener("keydown", onKey);
    });

    function query() {
      return fields.map(function (f) { return f.value.trim(); })
        .filter(Boolean).join(" ").slice(0, 1000);
    }

    function ask() {
      var q = query();
      if (q.length < MIN_CHARS) { show([]); lastQuery = ""; return; }
      if (q === lastQuery) return;
      lastQuery = q;
      if (pending) pending.abort();
      pending = new AbortController();
      fetch(box.dataset.url + "?q=" + encodeURIComponent(q), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: pending.signal
      })
        .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
        .then(function (data) {
          show(data.suggestions || [], data.status || "", data.notices || []);
        })
        .catch(function () { /* aborted or offline: the form still works */ });
    }

    function show(items, spoken, notices) {
      list.textContent = "";
      active = -1;
      showNotices(notices || []);
      items.forEach(function (item, i) {
        var option = document.createElement("li");
        option.id = list.id + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        var link = document.createElement("a");
        link.href = item.url;
        link.textContent = item.title;  // text, never HTML
        var label = document.createElement("span");
        label.className = "badge";
        label.textContent = item.badge || item.label;  // the server's words, translated
        option.appendChild(link);
        option.appendChild(document.createTextNode(" "));
        option.appendChild(label);
        list.appendChild(option);
      });
      box.hidden = items.length === 0 && !(notices && notices.length);
      fields.forEach(function (f) {
        if (f.getAttribute("role") === "combobox") {
          f.setAttribute("aria-expanded", String(items.length > 0));
          f.removeAttribute("aria-activedescendant");
        }
      });
      if (status) status.textContent = items.length ? spoken || "" : "";
    }

    // Notices (a known issue the text is about) above the answers, as links: text only.
    function showNotices(notices) {
      var holder = box.querySelector("[data-suggest-notices]");
      if (!holder) {
        holder = document.createElement("div");
        holder.setAttribute("data-suggest-notices", "");
        box.insertBefore(holder, box.firstChild);
      }
      holder.textContent = "";
      notices.forEach(function (notice) {
        var p = document.createElement("p");
        p.className = "flash flash-warning known-issue-notice";
        var label = document.createElement("strong");
        label.textContent = notice.text + " ";
        var link = document.createElement("a");
        link.href = notice.url;
        link.textContent = notice.title;
        p.appendChild(label);
        p.appendChild(link);
        holder.appendChild(p);
      });
    }

    function onKey(event) {
      var options = list.querySelectorAll("[role=option]");
      if (box.hidden || !options.length || event.target.tagName !== "INPUT") return;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        var step = event.key === "ArrowDown" ? 1 : -1;
        active = (active + 1 + step + options.length + 1) % (options.length + 1) - 1;
        options.forEach(function (o, i) { o.setAttribute("aria-selected", String(i === active)); });
        if (active >= 0) event.target.setAttribute("aria-activedescendant", options[active].id);
        else event.target.removeAttribute("aria-activedescendant");
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();  // open the chosen answer instead of submitting the form
        window.location.assign(options[active].querySelector("a").href);
      } else if (event.key === "Escape") {
        show([]);
      }
    }
  }

  function attachAll() {
    document.querySelectorAll("[data-search-suggest]").forEach(attach);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", attachAll);
  else attachAll();
})();
