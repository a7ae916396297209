// Casework documents pages: the drop zone of the upload form and text selection on the
// review screen. Progressive enhancement only: without this script the form posts the
// chosen files itself and the review page's "Text to redact" field is typed into.
"use strict";

(function () {
  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  function names(files) {
    var list = [];
    for (var i = 0; i < files.length; i += 1) {
      list.push(files[i].name);
    }
    return list;
  }

  function say(status, text, isError) {
    status.textContent = text;
    status.classList.toggle("warn-text", Boolean(isError));
    if (isError) {
      status.setAttribute("tabindex", "-1");
      status.focus();
    }
  }

  function refusal(html) {
    var parsed = new DOMParser().parseFromString(html, "text/html");
    var places = ["[data-form-error] p:last-child", "main .notice p", "main h1 + p"];
    for (var i = 0; i < places.length; i += 1) {
      var found = parsed.querySelector(places[i]);
      if (found && found.textContent.trim()) {
        return found.textContent.trim();
      }
    }
    return "The upload was refused.";
  }

  function setUpUpload(form) {
    var zone = form.querySelector("[data-drop-zone]");
    var input = form.querySelector('input[type="file"]');
    var chosen = form.querySelector("[data-drop-chosen]");
    var status = form.querySelector("[data-upload-status]");
    var progressBox = form.querySelector("[data-upload-progress]");
    var progress = progressBox ? progressBox.querySelector("progress") : null;
    var button = form.querySelector('button[type="submit"]');
    if (!zone || !input || !status) {
      return;
    }
    zone.classList.add("drop-zone-live");

    function showChosen() {
      var list = names(input.files || []);
      chosen.textContent = list.length
        ? list.length + (list.length === 1 ? " file chosen: " : " files chosen: ") + list.join(", ")
        : "";
    }

    input.addEventListener("change", showChosen);
    ["dragenter", "dragover"].forEach(function (kind) {
      zone.addEventListener(kind, function (event) {
        event.preventDefault();
        zone.classList.add("drag-over");
      });
    });
    ["dragleave", "dragend", "drop"].forEach(function (kind) {
      zone.addEventListener(kind, function () {
        zone.classList.remove("drag-over");
      });
    });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      if (event.dataTransfer && event.dataTransfer.files.length) {
        input.files = event.dataTransfer.files;
        showChosen();
        say(status, "Files ready: press Upload to send them.", false);
      }
    });

    form.addEventListener("submit", function (event) {
      if (!window.FormData || !window.XMLHttpRequest) {
        return; // the browser posts the form itself
      }
      event.preventDefault();
      if (!input.files || !input.files.length) {
        say(status, "Choose one or more files first.", true);
        return;
      }
      var request = new XMLHttpRequest();
      request.open("POST", form.action);
      request.setRequestHeader("X-CSRF-Token", csrfToken());
      request.setRequestHeader("X-Casework-Upload", "1");
      if (progressBox && progress) {
        progressBox.hidden = false;
        progress.value = 0;
        request.upload.addEventListener("progress", function (e) {
          if (e.lengthComputable) {
            progress.value = Math.round((e.loaded * 100) / e.total);
            progress.textContent = progress.value + "%";
          }
        });
      }
      button.disabled = true;
      say(status, "Sending " + input.files.length + " file(s)…", false);
      request.addEventListener("load", function () {
        button.disabled = false;
        if (progressBox) {
          progressBox.hidden = true;
        }
        if (request.status === 201) {
          var table = document.getElementById("uploads-table");
          if (table) {
            table.outerHTML = request.responseText;
            var fresh = document.getElementById("uploads-table");
            if (fresh && window.htmx) {
              window.htmx.process(fresh);
            }
          }
          var count = input.files.length;
          form.reset();
          showChosen();
          say(status, count + (count === 1 ? " file" : " files") + " uploaded. Processing has started: follow it below.", false);
        } else if (request.status === 303 || request.status === 401) {
          window.location.reload();
        } else {
          say(status, refusal(request.responseText), true);
        }
      });
      request.addEventListener("error", function () {
        button.disabled = false;
        say(status, "The files could not be sent (the connection failed). Try again.", true);
      });
      request.send(new FormData(form));
    });
  }

  function setUpSelection(area) {
    var field = document.getElementById("add-text");
    if (!field) {
      return;
    }
    function take() {
      var selection = window.getSelection();
      if (!selection || selection.isCollapsed || !area.contains(selection.anchorNode)) {
        return;
      }
      var text = selection.toString().trim();
      if (text.length >= 2 && text.length <= 500) {
        field.value = text;
        field.classList.add("just-filled");
      }
    }
    area.addEventListener("mouseup", take);
    area.addEventListener("keyup", take);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("[data-upload-form]");
    if (form) {
      setUpUpload(form);
    }
    var area = document.querySelector("[data-selectable]");
    if (area) {
      setUpSelection(area);
    }
    // After a decision the page comes back at the finding decided on: keyboard focus goes
    // there too, so the next Tab reaches the next finding, not the top of the page.
    var target = window.location.hash ? document.getElementById(window.location.hash.slice(1)) : null;
    if (target && target.getAttribute("tabindex") === "-1" && !document.querySelector("[data-form-error]")) {
      target.focus();
    }
  });
})();
