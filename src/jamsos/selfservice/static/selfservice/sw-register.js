// Registers the site's service worker (served at /sw.js so that its scope is the whole site):
// it keeps the last visit of the worker's card (/peserta/) readable without a connection.
if ("serviceWorker" in navigator) {
  window.addEventListener("load", function () {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {});
  });
}
