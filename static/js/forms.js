/*
 * Yhdyspinta: "select all" and "select none" for long lists of checkboxes.
 *
 * Progressive enhancement of <div class="choices" data-select-all="…" data-select-none="…">, which
 * yhdyspinta.forms.CheckboxList renders for a long list (the attributes carry the translated button
 * texts). Without this file the boxes are ticked one by one and the form works the same. Lists that
 * htmx brings in later (the goal table's forms open in place) are enhanced when they arrive.
 *
 * Written for a strict Content-Security-Policy: no inline script or style, no eval.
 */
(function () {
  "use strict";

  var LISTS = ".choices[data-select-all]";

  function setAll(list, checked) {
    list.querySelectorAll('input[type="checkbox"]').forEach(function (box) {
      if (box.checked !== checked && !box.disabled) {
        box.checked = checked;
        box.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
  }

  function addButtons(list) {
    if (list.hasAttribute("data-enhanced")) {
      return;
    }
    list.setAttribute("data-enhanced", "");
    var tools = document.createElement("div");
    tools.className = "choice-tools";
    [["data-select-all", true], ["data-select-none", false]].forEach(function (pair) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "link-button";
      button.textContent = list.getAttribute(pair[0]);
      button.addEventListener("click", function () {
        setAll(list, pair[1]);
      });
      tools.appendChild(button);
    });
    list.insertBefore(tools, list.firstChild);
  }

  function enhance(root) {
    if (root.matches && root.matches(LISTS)) {
      addButtons(root);
    }
    if (root.querySelectorAll) {
      root.querySelectorAll(LISTS).forEach(addButtons);
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    enhance(document);
  });
  document.addEventListener("htmx:load", function (event) {
    enhance(event.target);
  });
})();
