/*
 * Yhdyspinta: the menu button that folds the site header on a narrow screen.
 *
 * Loaded in <head> without defer, so that the class below is on <html> before the first paint and the
 * header does not jump. site.css folds the header only under that class: without JavaScript the
 * language switcher and the navigation stay in view and the button stays hidden.
 */
(function () {
  "use strict";

  var root = document.documentElement;
  root.classList.add("has-menu");

  function setUp() {
    var button = document.querySelector("[data-menu-button]");
    var header = button && button.closest(".site-header");
    if (!header) {
      root.classList.remove("has-menu");
      return;
    }
    function setOpen(open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      header.classList.toggle("site-header--open", open);
    }
    button.addEventListener("click", function () {
      setOpen(button.getAttribute("aria-expanded") !== "true");
    });
    header.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        setOpen(false);
        button.focus();
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
