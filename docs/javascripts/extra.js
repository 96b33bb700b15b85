// Material puts the copy button of each code block in an unnamed <nav>, so a
// page with two code blocks has landmarks that no one can tell apart (axe's
// landmark-unique rule). A copy button is no navigation: drop the role.
document$.subscribe(() => {
  for (const nav of document.querySelectorAll(".md-code__nav")) {
    nav.setAttribute("role", "none");
  }
  // A content tabs' row of labels scrolls sideways where it is wider than the
  // page, and a region that scrolls must be reachable from the keyboard
  // (axe's scrollable-region-focusable rule): each row takes the focus.
  for (const labels of document.querySelectorAll(".tabbed-labels")) {
    labels.tabIndex = 0;
  }
});

// Material's "Copied to clipboard" message stands outside every landmark
// (axe's region rule): as a status, it is also read out when it appears.
document.querySelector(".md-dialog")?.setAttribute("role", "status");

// Material's search dialog has no name (axe's aria-dialog-name rule): it
// takes the one Material gives the search options inside it, "Search" in the
// site's language.
for (const search of document.querySelectorAll(".md-search")) {
  const options = search.querySelector(".md-search__options");
  search.setAttribute("aria-label", options.getAttribute("aria-label"));
}
