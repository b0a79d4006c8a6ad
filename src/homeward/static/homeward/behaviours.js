/* The small behaviours the pages used to carry inline, moved here so the Content Security
   Policy can forbid inline scripts and handlers (script-src 'self'). Each is opt-in by a data
   attribute and re-applied to content HTMX swaps in; every page still works without JavaScript.
     <select data-autosubmit>            submits its form when the choice changes
     <button data-print>                 prints the page
     <button data-remove-closest="SEL">  removes the nearest ancestor matching SEL, instead of submitting
     <div data-percent="42">             a progress bar's width (the text "42%" is the no-JS fallback) */
(function () {
  "use strict";

  function each(root, selector, fn) {
    if (root.matches && root.matches(selector)) fn(root);
    if (root.querySelectorAll) root.querySelectorAll(selector).forEach(fn);
  }

  function setWidths(root) {
    each(root, "[data-percent]", function (el) {
      var value = parseFloat(el.getAttribute("data-percent"));
      if (!isNaN(value)) el.style.width = Math.max(0, Math.min(100, value)) + "%";
    });
  }

  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches("select[data-autosubmit]") && el.form) el.form.requestSubmit ? el.form.requestSubmit() : el.form.submit();
  });

  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("[data-print], [data-remove-closest]") : null;
    if (!target) return;
    if (target.hasAttribute("data-print")) {
      event.preventDefault();
      window.print();
      return;
    }
    var row = target.closest(target.getAttribute("data-remove-closest"));
    if (row) {
      event.preventDefault();
      row.remove();
    }
  });

  document.addEventListener("DOMContentLoaded", function () { setWidths(document); });
  document.addEventListener("htmx:load", function (event) { setWidths(event.target); });
})();
