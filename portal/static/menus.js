// The header's menus are <details> elements and work without this script. It only adds
// what people expect of a menu: Escape or a click elsewhere closes an open one.
(function () {
  "use strict";
  var menus = document.querySelectorAll("details.user-menu, details.nav-menu");
  function closeAll(except) {
    menus.forEach(function (menu) {
      if (menu !== except && menu.open && getComputedStyle(menu.querySelector("summary")).display !== "none") {
        menu.open = false;
      }
    });
  }
  document.addEventListener("click", function (event) {
    var inside = event.target.closest && event.target.closest("details.user-menu, details.nav-menu");
    closeAll(inside);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var open = document.activeElement && document.activeElement.closest
      ? document.activeElement.closest("details[open]") : null;
    closeAll(null);
    if (open) open.querySelector("summary").focus();
  });
})();
