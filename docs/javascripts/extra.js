// Material puts the copy button of each code block in an unnamed <nav>, so a
// page with two code blocks has landmarks that no one can tell apart (axe's
// landmark-unique rule). A copy button is no navigation: drop the role.
document$.subscribe(() => {
  for (const nav of document.querySelectorAll(".md-code__nav")) {
    nav.setAttribute("role", "none");
  }
});

// Material's "Copied to clipboard" message stands outside every landmark
// (axe's region rule): as a status, it is also read out when it appears.
document.querySelector(".md-dialog")?.setAttribute("role", "status");
