// Keyboard shortcuts of the staff work lists (the agent desk, the moderation queue) and the
// case page: j / k move through the list, Enter opens, r replies, x ticks an item, ? shows
// the help. Never while typing in a field, and never with Ctrl, Alt or Cmd (the browser's).
(function () {
  "use strict";

  var items = Array.prototype.slice.call(document.querySelectorAll("[data-shortcut-item]"));
  var help = document.getElementById("shortcuts-help");
  var current = -1;

  function typing(target) {
    return target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
  }

  function primaryLink(item) {
    return item.querySelector("[data-shortcut-open]") || item.querySelector("a[href]");
  }

  function select(index) {
    if (!items.length) return;
    current = Math.max(0, Math.min(items.length - 1, index));
    items.forEach(function (item, n) {
      item.classList.toggle("is-selected", n === current);
    });
    var link = primaryLink(items[current]);
    if (link) link.focus();  // Enter then opens it, as any focused link
    items[current].scrollIntoView({ block: "nearest" });
  }

  function reply() {
    var box = document.querySelector("[data-shortcut-reply] textarea");
    if (box) {
      box.focus();
      return true;
    }
    var item = items[current];
    var target = item && item.getAttribute("data-reply-href");
    if (target) {
      window.location.assign(target);
      return true;
    }
    return false;
  }

  function tick() {
    var box = items[current] && items[current].querySelector('input[type="checkbox"]');
    if (!box) return false;
    box.checked = !box.checked;
    return true;
  }

  function toggleHelp() {
    if (!help) return false;
    help.open = !help.open;
    if (help.open) help.querySelector("summary").focus();
    return true;
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    if (typing(event.target)) return;
    var handled;
    switch (event.key) {
      case "j": select(current + 1); handled = items.length > 0; break;
      case "k": select(current - 1); handled = items.length > 0; break;
      case "r": handled = reply(); break;
      case "x": handled = tick(); break;
      case "?": handled = toggleHelp(); break;
      case "Escape": handled = help && help.open && !(help.open = false); break;
      default: handled = false;
    }
    if (handled) event.preventDefault();
  });
})();
