// Times come from the server in the user's saved zone, or in UTC when they saved none.
// Then this script shows those (<time data-localize>) in the browser's zone, in the page's
// language; the title keeps the exact UTC time. Without JavaScript the labelled UTC text
// stays.
(function () {
  "use strict";
  var styles = {
    datetime: {
      day: "numeric", month: "short", year: "numeric",
      hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZoneName: "short"
    },
    date: { day: "numeric", month: "short", year: "numeric" }
  };
  // Whose conventions each language's dates follow, as on the server (DATE_LOCALES in
  // portal/localtime.py): English pages read "15 Jan 2025, 07:00 GMT-5".
  var dateLocales = { en: "en-GB" };
  var language = document.documentElement.lang || "en";
  var locale = dateLocales[language] || language;
  var formatters = {};

  function formatter(style) {
    if (!formatters[style]) {
      formatters[style] = new Intl.DateTimeFormat(locale, styles[style] || styles.datetime);
    }
    return formatters[style];
  }

  function localize(root) {
    root.querySelectorAll("time[data-localize]").forEach(function (element) {
      var when = new Date(element.getAttribute("datetime"));
      if (isNaN(when.getTime())) return;
      element.textContent = formatter(element.dataset.localize).format(when);
      element.removeAttribute("data-localize");
    });
  }

  function showDetectedZone() {
    var hint = document.getElementById("detected-time-zone");
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!hint || !zone) return;
    hint.querySelector("[data-detected-time-zone]").textContent = zone;
    hint.hidden = false;
  }

  localize(document);
  showDetectedZone();
})();
