/* Suggestions while typing (search/_suggest.html). No framework; safe to include twice.
   Reads the fields named in data-fields, asks data-url?q=… 300 ms after the last key once
   there are 3 characters, and lists the answers as links: a plain list of links (no
   listbox: an option may not hold a link, axe's nested-interactive). In a one-line field
   ArrowDown moves the focus to the first link, the arrows move between links, Enter
   opens, Escape (or ArrowUp from the first) goes back to the field and Escape closes; in
   a textarea the arrows keep moving the caret and the links are reached with Tab.
   Under the header and home search boxes (.search-suggest-dropdown) the list floats
   over the page and closes when the focus leaves the box and its links.
   Every word it writes comes from the server, in the page's language: each answer's
   "badge", the list's spoken "status" and the "note" shown when nothing certain was found
   are in the JSON. */
(function () {
  "use strict";
  var DELAY_MS = 300;
  var MIN_CHARS = 3;

  function attach(box) {
    if (box.dataset.ready) return;
    box.dataset.ready = "1";
    var list = box.querySelector("[data-suggest-list]");
    var status = document.getElementById(box.id + "-status");
    var note = document.getElementById(box.id + "-note");
    var fields = box.dataset.fields.split(/\s+/)
      .map(function (id) { return document.getElementById(id); })
      .filter(Boolean);
    var timer = null, pending = null, lastQuery = "", origin = null;

    list.addEventListener("keydown", onListKey);
    fields.forEach(function (field) {
      field.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(ask, DELAY_MS);
      });
      field.addEventListener("keydown", onKey);
    });
    // A list floating over the page (header and home search) closes when focus leaves the
    // search box and its list; the typed text stays and comes back on the next key.
    if (box.classList.contains("search-suggest-dropdown")) {
      box.parentElement.addEventListener("focusout", function (event) {
        if (!box.parentElement.contains(event.relatedTarget)) { show([]); lastQuery = ""; }
      });
    }

    // On a phone the on-screen keyboard covers the lower half: the box moves right under
    // the field being typed in, and that field scrolls up so both stay above the keyboard.
    function keepInSight() {
      var typing = document.activeElement;
      if (box.classList.contains("search-suggest-dropdown")) return;  // it floats already
      if (fields.indexOf(typing) < 0 || !window.matchMedia("(max-width: 40rem)").matches) return;
      var holder = typing.closest(".field") || typing;
      if (holder.nextElementSibling !== box) holder.insertAdjacentElement("afterend", box);
      var view = window.visualViewport;
      var bottom = box.getBoundingClientRect().bottom;
      if (view && bottom > view.offsetTop + view.height) typing.scrollIntoView({ block: "start" });
    }

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
          show(data.suggestions || [], data.status || "", data.note || "", data.notices || []);
        })
        .catch(function () { /* aborted or offline: the form still works */ });
    }

    function show(items, spoken, said, notices) {
      list.textContent = "";
      showNotices(notices || []);
      items.forEach(function (item) {
        var option = document.createElement("li");
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
      // Nothing certain found: the server's note instead of a list (never junk answers).
      if (note) {
        note.textContent = items.length ? "" : said || "";
        note.hidden = !note.textContent;
      }
      box.hidden = items.length === 0 && !(note && note.textContent) &&
        !(notices && notices.length);
      if (!box.hidden) keepInSight();
      if (status) status.textContent = items.length ? spoken || "" : said || "";
    }

    function links() {
      return Array.prototype.slice.call(list.querySelectorAll("a"));
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
      if (box.hidden || !links().length || event.target.tagName !== "INPUT") return;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        origin = event.target;
        links()[0].focus();
      } else if (event.key === "Escape") {
        show([]);
      }
    }

    function onListKey(event) {
      var all = links(), at = all.indexOf(document.activeElement);
      if (at < 0) return;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        var next = at + (event.key === "ArrowDown" ? 1 : -1);
        if (next >= 0) all[Math.min(next, all.length - 1)].focus();
        else if (origin) origin.focus();
      } else if (event.key === "Escape" && origin) {
        event.preventDefault();
        origin.focus();
      }
    }
  }

  function attachAll() {
    document.querySelectorAll("[data-search-suggest]").forEach(attach);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", attachAll);
  else attachAll();
})();
