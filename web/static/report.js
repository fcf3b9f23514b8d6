// The report page's two helpers, loaded as a file (the CSP forbids inline script).
// Without script the page still works: the marks are there and "#" links navigate.
"use strict";

// --- an id from an earlier build: go where it lands now -------------------------
// Reports cut anew (sections became paragraphs) keep their old ids working: the page
// lists where each lands, and a link to one is sent on (so :target marks it).
(() => {
  const data = document.getElementById("moved-anchors");
  let id = window.location.hash.slice(1);
  try {
    id = decodeURIComponent(id);
  } catch (error) {
    // a fragment that is not valid percent-encoding names no moved id either
  }
  if (data && id && !document.getElementById(id)) {
    const now = JSON.parse(data.textContent)[id];
    if (now) {
      window.location.replace("#" + encodeURIComponent(now));
    }
  }
})();

// --- "#" beside each passage: copy its permalink -------------------------------
// The link still navigates to the passage (so :target highlights it); where the
// browser allows, it also copies a clean link (no ?q=) and says so.
document.addEventListener("click", (event) => {
  const link = event.target.closest("a.copy-link");
  if (!link || !navigator.clipboard) {
    return;
  }
  const url = new URL(link.getAttribute("href"), window.location.href);
  url.search = "";
  const status = document.getElementById("copy-status");
  navigator.clipboard.writeText(url.href).then(
    () => {
      document.querySelectorAll("a.copy-link.copied").forEach((other) => other.classList.remove("copied"));
      link.classList.add("copied");
      if (status) {
        // Cleared first so that copying twice is announced twice.
        status.textContent = "";
        window.setTimeout(() => { status.textContent = "已複製這一段的連結"; }, 50);
      }
      window.setTimeout(() => link.classList.remove("copied"), 2500);
    },
    () => {}, // without permission the link still works as a plain anchor
  );
});

// --- 上一個 / 下一個: step through the query's marks ------------------------------
(() => {
  const nav = document.getElementById("match-nav");
  if (!nav) {
    return;
  }
  const marks = Array.from(document.querySelectorAll("#report-body mark"));
  const counter = document.getElementById("match-counter");
  if (marks.length === 0) {
    return;
  }
  nav.hidden = false;
  let current = -1;

  function show(index, moveFocus) {
    if (current >= 0) {
      marks[current].classList.remove("current");
      marks[current].removeAttribute("aria-current");
    }
    current = (index + marks.length) % marks.length;
    const mark = marks[current];
    mark.classList.add("current");
    mark.setAttribute("aria-current", "true");
    // Focusable only by script, so the marks do not crowd the Tab order.
    mark.tabIndex = -1;
    mark.scrollIntoView({ block: "center" });
    if (moveFocus) {
      mark.focus({ preventScroll: true });
    }
    counter.textContent = `${current + 1} / ${marks.length}`;
  }

  // The id the URL's fragment names. A fragment anyone can type (`#%`) is not
  // always valid percent-encoding, and a throw here would leave the buttons dead.
  function fragment() {
    const raw = window.location.hash.slice(1);
    try {
      return decodeURIComponent(raw);
    } catch (error) {
      return raw;
    }
  }

  // Start at the passage the link pointed to, so "下一個" goes on from there.
  function startAt() {
    // By id rather than :target, which is not yet set while a deferred script runs.
    const id = fragment();
    const target = id && document.getElementById(id);
    if (!target) {
      return -1;
    }
    return marks.findIndex((mark) => target.contains(mark) ||
      (target.compareDocumentPosition(mark) & Node.DOCUMENT_POSITION_FOLLOWING));
  }

  const first = startAt();
  if (first >= 0) {
    current = first;
    marks[first].classList.add("current");
    marks[first].setAttribute("aria-current", "true");
    marks[first].tabIndex = -1;
    counter.textContent = `${first + 1} / ${marks.length}`;
  }

  // The buttons move focus to the match, so a screen reader reads it in its
  // context; N and P then step on. Single-key shortcuts only act while focus is
  // in the control or the report (WCAG 2.1.4), never while typing elsewhere.
  nav.querySelector(".match-next").addEventListener("click", () => show(current + 1, true));
  nav.querySelector(".match-prev").addEventListener("click", () => show(current < 0 ? -1 : current - 1, true));
  const body = document.getElementById("report-body");
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) {
      return;
    }
    if (!nav.contains(event.target) && !body.contains(event.target)) {
      return;
    }
    const key = event.key.toLowerCase();
    if (key === "n" || key === "p") {
      event.preventDefault();
      show(key === "n" ? current + 1 : (current < 0 ? -1 : current - 1), true);
    }
  });
})();
