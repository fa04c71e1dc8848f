// Topic suggestions after each comma. The field's <datalist> holds the topic names, which
// a browser only offers for the whole value; this script rewrites the options as "what is
// typed so far, " + each name not chosen yet, so the second and third topics are offered
// too. Without it the field and the first suggestion still work.
(function () {
  "use strict";
  document.querySelectorAll("input[data-tag-input][list]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    if (!list) return;
    var names = Array.prototype.map.call(list.options, function (option) { return option.value; });
    function key(text) { return text.toLowerCase().replace(/[^a-z0-9]/g, ""); }
    function refresh() {
      var cut = input.value.lastIndexOf(",");
      var head = cut < 0 ? "" : input.value.slice(0, cut + 1).trim() + " ";
      var chosen = head.split(",").map(key);
      list.textContent = "";
      names.forEach(function (name) {
        if (chosen.indexOf(key(name)) >= 0) return;
        var option = document.createElement("option");
        option.value = head + name;
        list.appendChild(option);
      });
    }
    input.addEventListener("input", refresh);
    input.addEventListener("focus", refresh);
  });
})();
