// The "#" link beside each passage still navigates to it (so :target
// highlights it); where the browser allows, it also copies a clean link
// (no ?q=) to the clipboard. Loaded as a file: the CSP forbids inline script.
"use strict";

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
      link.classList.add("copied");
      if (status) {
        status.textContent = "已複製連結";
      }
      window.setTimeout(() => link.classList.remove("copied"), 1500);
    },
    () => {}, // without permission the link still works as a plain anchor
  );
});
