(function () {
  "use strict";
  var doc = document;
  var list = function (selector) { return Array.prototype.slice.call(doc.querySelectorAll(selector)); };
  // the lint report's filters (the plan page has none; both get the Copy buttons below)
  var bar = doc.getElementById("filters");
  if (bar) { filters(); }
  function filters() {
    // detailed findings carry their own data-*; a brief one (a line of a ul[data-sev]) takes its
    // severity from its list, its category from its group, its services from its card
    var findings = list("#cards .finding, #cards ul[data-sev] li").map(function (el) {
      var card = el.closest(".card");
      return {
        el: el,
        sev: el.getAttribute("data-sev") || el.parentNode.getAttribute("data-sev"),
        cat: el.getAttribute("data-cat") || el.closest("[data-cat]").getAttribute("data-cat"),
        svc: el.getAttribute("data-svc") || (card ? card.getAttribute("data-svc") : "")
      };
    });
    var cards = list("#cards .card");
    var groups = list("#cards div[data-cat], #cards details[data-cat]");
    var runs = list("#cards ul[data-sev]");
    var select = doc.getElementById("svc-filter");
    var shown = doc.getElementById("shown");
    var has = function (svcs, id) {
      return (" " + svcs + " ").indexOf(" " + id + " ") >= 0;
    };
    var ticked = function (name) {
      var out = {};
      list("#filters input[name='" + name + "']").forEach(function (box) { out[box.value] = box.checked; });
      return out;
    };
    var apply = function () {
      var sev = ticked("sev"), cat = ticked("cat"), svc = select.value, count = 0;
      findings.forEach(function (f) {
        var ok = sev[f.sev] === true && cat[f.cat] === true && (svc === "" || has(f.svc, svc));
        f.el.hidden = !ok;
        if (ok) { count += 1; }
      });
      cards.forEach(function (card) { card.hidden = svc !== "" && !has(card.getAttribute("data-svc"), svc); });
      runs.forEach(function (run) { run.hidden = run.querySelector("li:not([hidden])") === null; });
      groups.forEach(function (group) {
        group.hidden = group.querySelector(".finding:not([hidden]), ul[data-sev] li:not([hidden])") === null;
      });
      shown.textContent = count + " of " + findings.length + " findings shown";
    };
    bar.addEventListener("change", apply);
    var box = doc.getElementById("filter-box");
    if (box && window.matchMedia && window.matchMedia("(max-width: 640px)").matches) {
      box.open = false;  // on a phone the folded bar keeps the report in view
    }
    bar.hidden = false;
    window.addEventListener("beforeprint", function () {
      list("details.unit").forEach(function (d) { d.open = true; });  // print everything
    });
    apply();
  }
  list("pre.cmd").forEach(function (pre) {
    var button = doc.createElement("button");
    button.type = "button";
    button.className = "copy";
    button.textContent = "Copy";
    button.addEventListener("click", function () {
      var text = pre.textContent;
      var done = function () {
        button.textContent = "Copied";
        window.setTimeout(function () { button.textContent = "Copy"; }, 2000);
      };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(done, function () { button.textContent = "Select and copy"; });
      } else {
        var range = doc.createRange();
        range.selectNodeContents(pre);
        var sel = window.getSelection();
        sel.removeAllRanges();
        sel.addRange(range);
        button.textContent = "Press Ctrl+C";
      }
    });
    pre.parentNode.insertBefore(button, pre);
  });
}());