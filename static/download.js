// The download page: the form's answer is the file itself, so the page would not change.
// Say in the status region what is happening and what the file carries. Without JavaScript
// the download is listed in My downloads (linked below the form) and on the home page.
(function () {
  const form = document.getElementById("download-form");
  const status = document.getElementById("download-status");
  if (!form || !status) return;
  form.addEventListener("submit", function () {
    // A refused form comes back as a new page with its errors; this message goes with it.
    const size = form.querySelector("select option:checked");
    status.textContent = form.dataset.started + (size ? " Size: " + size.textContent + "." : "");
    status.classList.add("note");
  });
})();
