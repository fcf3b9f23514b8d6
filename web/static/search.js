// The search page, with script: the results follow what is typed (debounced; the URL
// follows too, so the page stays a permalink), "/" focuses the search box, and j / k
// step through the hits. Without script the form and every link work as they are.
(function () {
  "use strict";

  var form = document.querySelector("form.search-form");
  var box = document.getElementById("q");
  var live = document.getElementById("results-live");
  if (!form || !box) {
    return;
  }
  var DELAY_MS = 350;  // a pause in typing this long searches
  var timer = null;
  var pending = null;
  var searched = box.value.trim();

  function typing(target) {
    return target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement ||
      target instanceof HTMLSelectElement || (target && target.isContentEditable);
  }

  function step(by) {
    var links = Array.prototype.slice.call(document.querySelectorAll(".hit-title a"));
    if (!links.length) {
      return;
    }
    var at = links.indexOf(document.activeElement);
    var next = at < 0 ? (by > 0 ? 0 : links.length - 1) : Math.min(links.length - 1, Math.max(0, at + by));
    links[next].focus();
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) {
      return;
    }
    if (event.key === "/") {
      event.preventDefault();
      box.focus();
      box.select();
    } else if (event.key === "j" || event.key === "k") {
      event.preventDefault();
      step(event.key === "j" ? 1 : -1);
    }
  });

  function url() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (String(value).trim()) {
        params.append(name, value);
      }
    });
    var query = params.toString();
    return form.getAttribute("action") + (query ? "?" + query : "");
  }

  function replaceResults(html, address) {
    var fresh = new DOMParser().parseFromString(html, "text/html");
    var freshForm = fresh.querySelector("form.search-form");
    if (!freshForm) {
      return;
    }
    // Everything after the form is the results (or the collection): swapped whole.
    while (form.nextSibling) {
      form.parentNode.removeChild(form.nextSibling);
    }
    var node = freshForm.nextSibling;
    while (node) {
      var next = node.nextSibling;
      form.parentNode.appendChild(document.importNode(node, true));
      node = next;
    }
    form.classList.toggle("has-result", freshForm.classList.contains("has-result"));
    document.title = fresh.title;
    history.replaceState(null, "", address);
    var heading = document.getElementById("results-heading");
    if (live) {
      live.textContent = heading ? heading.textContent : "";
    }
  }

  function search() {
    var typed = box.value.trim();
    if (typed === searched) {
      return;
    }
    searched = typed;
    var address = url();
    if (pending) {
      pending.abort();
    }
    pending = new AbortController();
    fetch(address, {signal: pending.signal, headers: {"Accept": "text/html"}})
      .then(function (response) {
        // A query the server refuses (too long) is left to the form's own submit.
        return response.ok ? response.text() : null;
      })
      .then(function (html) {
        if (html !== null && box.value.trim() === typed) {
          replaceResults(html, address);
        }
      })
      .catch(function () { /* aborted by newer typing, or offline: the form still works */ });
  }

  box.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(search, DELAY_MS);
  });
})();
