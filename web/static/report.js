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

  // Where the reader is: the place last clicked in the report, else, when the current
  // match has been scrolled away from, the screen. 下一個 goes on from there.
  let clicked = null;
  const body = document.getElementById("report-body");
  body.addEventListener("click", (event) => { clicked = event.target; });

  function visible(mark) {
    const box = mark.getBoundingClientRect();
    return box.bottom > 0 && box.top < window.innerHeight;
  }

  function step(forward) {
    let index;
    if (clicked) {
      // the first match after (or the last before) the place clicked
      const after = marks.findIndex((mark) => mark === clicked || clicked.contains(mark) ||
        (clicked.compareDocumentPosition(mark) & Node.DOCUMENT_POSITION_FOLLOWING));
      index = forward ? (after < 0 ? 0 : after) : (after < 0 ? marks.length - 1 : after - 1);
      clicked = null;
    } else if (current < 0 || !visible(marks[current])) {
      // from the screen: the first match below its top, or the last above its bottom
      const below = marks.findIndex((mark) => mark.getBoundingClientRect().top >= 0);
      if (forward) {
        index = below < 0 ? 0 : below;
      } else {
        const above = marks.map((mark) => mark.getBoundingClientRect().bottom < window.innerHeight);
        index = above.lastIndexOf(true);
      }
    } else {
      index = forward ? current + 1 : current - 1;
    }
    show(index, true);
  }

  // The buttons move focus to the match, so a screen reader reads it in its
  // context; N and P then step on. Single-key shortcuts act while focus is on the
  // page's own content (a click in the text leaves it on <main>), never while typing
  // in a field (WCAG 2.1.4).
  nav.querySelector(".match-next").addEventListener("click", () => step(true));
  nav.querySelector(".match-prev").addEventListener("click", () => step(false));
  const main = document.getElementById("main");
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) {
      return;
    }
    const target = event.target;
    const typing = target.closest && target.closest("input, textarea, select, [contenteditable]");
    if (typing || !(target === document.body || (main && main.contains(target)) || nav.contains(target))) {
      return;
    }
    const key = event.key.toLowerCase();
    if (key === "n" || key === "p") {
      event.preventDefault();
      step(key === "n");
    }
  });
})();

// --- 引用: copy a citation of the passage ---------------------------------------
// 機關（日期）。〈段落標題〉，《題名》。permalink — the parts a reader cites, in the
// order Chinese citation styles (APA's Chinese form) put them.
(() => {
  const body = document.getElementById("report-body");
  if (!body || !navigator.clipboard) {
    return;  // without the clipboard the permalink "#" still works
  }
  const status = document.getElementById("copy-status");
  body.querySelectorAll(".cite-button").forEach((button) => { button.hidden = false; });

  function when(iso) {
    const parts = (iso || "").split("-").map((part) => Number(part));
    if (!parts[0]) {
      return "無日期";
    }
    return `${parts[0]}年` + (parts[1] ? `${parts[1]}月` : "") + (parts[2] ? `${parts[2]}日` : "");
  }

  body.addEventListener("click", (event) => {
    const button = event.target.closest(".cite-button");
    if (!button) {
      return;
    }
    const passage = button.closest(".passage");
    const url = new URL(window.location.href);
    url.search = "";
    url.hash = passage.id;
    const agency = body.dataset.agency || "作者不明";
    const heading = passage.dataset.heading ? `〈${passage.dataset.heading}〉，` : "";
    const citation = `${agency}（${when(body.dataset.date)}）。${heading}《${body.dataset.title}》。${url.href}`;
    navigator.clipboard.writeText(citation).then(() => {
      if (status) {
        status.textContent = "";
        window.setTimeout(() => { status.textContent = "已複製引用：" + citation; }, 50);
      }
      button.classList.add("copied");
      window.setTimeout(() => button.classList.remove("copied"), 2500);
    }, () => {});
  });
})();
