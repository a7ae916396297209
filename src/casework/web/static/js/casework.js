// Casework: the little the pages need beyond HTMX. No inline script anywhere (the CSP forbids it).
"use strict";

// Every HTMX request of a signed-in page carries the session's CSRF token as a header.
document.addEventListener("htmx:configRequest", function (event) {
  var meta = document.querySelector('meta[name="csrf-token"]');
  if (meta) {
    event.detail.headers["X-CSRF-Token"] = meta.getAttribute("content");
  }
});

// A form refused by the server: move focus to its error message so it is read first.
document.addEventListener("DOMContentLoaded", function () {
  var error = document.querySelector("[data-form-error]");
  if (error) {
    error.setAttribute("tabindex", "-1");
    error.focus();
  }
});
